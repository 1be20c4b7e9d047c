#!/usr/bin/env bash
# `waymark score r2r` against the official eval.py, whole process, side by side on one machine.
#
# usage: tools/bench/score-r2r.sh MATTERPORT3DSIMULATOR_DIR [R2R_DIR]
#   MATTERPORT3DSIMULATOR_DIR  a checkout of github.com/peteanderson80/Matterport3DSimulator
#   R2R_DIR                    connectivity/, R2R_train.json, R2R_val_seen.json
#                              (default: $WAYMARK_REAL_DATA/r2r)
# Needs hyperfine, python3 with networkx and numpy. Prints the mean and median times and the
# ratios of each (the median is the steadier figure for a 15 ms process on a shared machine).
# ROUNDS (default 8) interleaved rounds per submission: 10 runs of waymark, then one of eval.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
simulator=$(cd "$1" && pwd)
r2r=$(cd "${2:-${WAYMARK_REAL_DATA:?set WAYMARK_REAL_DATA or pass R2R_DIR}/r2r}" && pwd)
ROUNDS=${ROUNDS:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -p waymark-cli --quiet
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
waymark="$target/release/waymark"

python3 "$here/make_r2r_score_inputs.py" "$r2r" "$work"
# The inputs just written reach the disk before any timing, not during it.
sync
# eval.py's working directory: connectivity/ and tasks/R2R/data/R2R_<split>.json.
mkdir -p "$work/eval/tasks/R2R/data"
ln -s "$r2r/connectivity" "$work/eval/connectivity"
ln -s "$work/R2R_unseen_sized.json" "$work/eval/tasks/R2R/data/R2R_val_unseen.json"
ln -s "$r2r/R2R_val_seen.json" "$work/eval/tasks/R2R/data/R2R_val_seen.json"

cd "$work/eval"
for set in "unseen_sized:val_unseen:$work/R2R_unseen_sized.json" "val_seen:val_seen:$r2r/R2R_val_seen.json"; do
  IFS=: read -r name split episodes <<<"$set"
  for kind in reference walk; do
    submission="$work/${name}_${kind}_submission.json"
    # The same scores first (the means to 1e-9: eval.py sums with numpy, in another order).
    "$waymark" score r2r --connectivity "$r2r/connectivity" --episodes "$episodes" "$submission" \
      --format json >"$work/ours_scores.json"
    python3 "$here/official_r2r_eval.py" "$simulator" "$split" "$submission" >"$work/official_scores.txt"
    python3 - "$work/ours_scores.json" "$work/official_scores.txt" <<'PY'
import ast, json, math, sys
ours = json.load(open(sys.argv[1]))
official = ast.literal_eval(open(sys.argv[2]).read())
pairs = {'tl': 'length', 'ne': 'nav_error', 'osr': 'oracle success_rate',
         'sr': 'success_rate', 'spl': 'spl'}
for mine, theirs in pairs.items():
    if not math.isclose(ours[mine], official[theirs], rel_tol=1e-9, abs_tol=1e-12):
        sys.exit(f'{mine} differs: waymark {ours[mine]}, eval.py {official[theirs]}')
PY
    # Interleaved rounds, so that both programs meet the same load on a shared machine: each
    # round times waymark 10 times, then eval.py once.
    for round in $(seq "$ROUNDS"); do
      # hyperfine's outlier warnings go to a log, shown only when a run fails.
      hyperfine -N --warmup 2 --runs 10 --export-json "$work/ours_$round.json" \
        "$waymark score r2r --connectivity $r2r/connectivity --episodes $episodes $submission --format json" \
        >/dev/null 2>"$work/hyperfine.log" || { cat "$work/hyperfine.log" >&2; exit 1; }
      hyperfine -N --runs 1 --export-json "$work/official_$round.json" \
        "python3 $here/official_r2r_eval.py $simulator $split $submission" \
        >/dev/null 2>"$work/hyperfine.log" || { cat "$work/hyperfine.log" >&2; exit 1; }
    done
    python3 - "$name" "$kind" "$work" "$ROUNDS" <<'PY'
import json, statistics, sys
name, kind, work, rounds = sys.argv[1:]
def times(prefix):
    return [t for r in range(1, int(rounds) + 1)
            for t in json.load(open(f'{work}/{prefix}_{r}.json'))['results'][0]['times']]
o, e = times('ours'), times('official')
om, omed = statistics.mean(o), statistics.median(o)
em, emed = statistics.mean(e), statistics.median(e)
print(f"{name:13s} {kind:9s} waymark {om*1e3:6.1f} ms (median {omed*1e3:5.1f})"
      f"  eval.py {em*1e3:7.1f} ms (median {emed*1e3:6.1f})"
      f"  {em/om:5.1f}x (median/median {emed/omed:5.1f}x)")
PY
  done
done
