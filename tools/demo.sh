#!/usr/bin/env bash
# The main job on the shipped demo data: build waymark, run the baseline planners over the demo
# episodes, score a submission, and print the summaries. Outputs land in runs/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo is required (https://rustup.rs)"; exit 1; }
cargo build --release --locked -p waymark-cli
bin="${CARGO_TARGET_DIR:-target}/release/waymark"
demo=assets/demo
for planner in shortest random stop; do
    "$bin" eval r2r --planner "$planner" \
        --connectivity "$demo/connectivity" --episodes "$demo/R2R_demo.json" \
        --out "runs/demo/$planner"
done
echo
echo "scoring runs/demo/random/submission.json with the official metrics:"
"$bin" score r2r --connectivity "$demo/connectivity" --episodes "$demo/R2R_demo.json" \
    --format json runs/demo/random/submission.json
