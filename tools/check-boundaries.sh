#!/usr/bin/env bash
# Fails when a headless crate depends (directly or not) on a window, GPU or async-HTTP crate,
# when the planner trait crate depends on more of the workspace than the core types, or when a
# crate breaks ARCHITECTURE.md's table (its "may depend on" column, the layers, unused
# dependencies: tools/check-boundaries.py).
set -euo pipefail
cd "$(dirname "$0")/.."
forbidden='^(bevy|wgpu|winit|tokio|reqwest)$'
status=0
for crate in waymark-core waymark-io waymark-scenes waymark-sim waymark-render waymark-continuous waymark-task waymark-r2r waymark-vlnce waymark-sg3d waymark-sg3d-nav waymark-voxel waymark-voxel-tasks waymark-eval waymark-planner waymark-exec waymark-report; do
    tree=$(cargo tree --offline -e normal -p "$crate" --prefix none --format '{p}')
    leaks=$(echo "$tree" | awk '{print $1}' | grep -E "$forbidden" | sort -u || true)
    if [ -n "$leaks" ]; then
        echo "FAIL: $crate depends on: $leaks"
        status=1
    else
        echo "ok:   $crate has none of bevy, wgpu, winit, tokio, reqwest"
    fi
done
tree=$(cargo tree --offline -e normal -p waymark-planner --prefix none --format '{p}')
planner_deps=$(echo "$tree" | awk '{print $1}' | grep '^waymark-' | grep -v '^waymark-planner$' | sort -u)
if [ "$planner_deps" != "waymark-core" ]; then
    echo "FAIL: waymark-planner may depend only on waymark-core, found: $planner_deps"
    status=1
else
    echo "ok:   waymark-planner depends on waymark-core alone"
fi
crates=$(cargo metadata --offline --no-deps --format-version 1 \
    | python3 -c 'import json, sys; print("\n".join(p["name"] for p in json.load(sys.stdin)["packages"]))')
# only_in OWNER PATTERN HOW [cargo tree flags]: fails when a crate other than OWNER has a
# dependency named PATTERN (HOW words the message: "directly" with `--depth 1`).
only_in() {
    local owner=$1 pattern=$2 how=$3 clean=1
    shift 3
    for crate in $crates; do
        [ "$crate" = "$owner" ] && continue
        found=$(cargo tree --offline -e normal -p "$crate" "$@" --prefix none --format '{p}' \
            | awk '{print $1}' | grep -E "^($pattern)$" | sort -u | tr '\n' ' ' || true)
        if [ -n "$found" ]; then
            echo "FAIL: $crate depends $how on $found; only $owner may"
            status=1
            clean=0
        fi
    done
    if [ $clean = 1 ]; then
        echo "ok:   $pattern: $how in $owner alone"
    fi
}
# tokio and reqwest reach any other crate only through waymark-llm.
only_in waymark-llm 'tokio|reqwest' directly --depth 1
# bevy (and with it wgpu and winit) belongs to the viewer alone.
only_in waymark-view 'bevy|wgpu|winit' "(directly or not)"
python3 tools/check-boundaries.py || status=1
exit $status
