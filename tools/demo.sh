#!/usr/bin/env bash
# The main job on the shipped demo data: build waymark, run the baseline planners over the demo
# episodes on graphs (R2R), in continuous space (VLN-CE) and in the household (ALFRED tasks of
# all seven types), ground SG3D tasks (from the task's object list, and walking until each
# object is in view) and in the voxel world (Crafter's achievements, STEVE-1's prompts, a GIF of
# one episode), render views, score submissions, and print the summaries. Outputs land in
# runs/demo/.
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
# A planner in another language over the JSON-lines protocol: the reference Python agent.
"$bin" eval r2r --planner "exec:python3 planners/python/waymark_agent.py shortest" \
    --connectivity "$demo/connectivity" --episodes "$demo/R2R_demo.json" --out runs/demo/python-shortest
for planner in shortest random; do
    "$bin" eval vlnce --planner "$planner" --scene assets/apartments/apartment_a.ply \
        --episodes "$demo/apartment_a_vlnce.json" --out "runs/demo/vlnce-$planner"
done
household=assets/household
for planner in expert high-level-oracle random; do
    "$bin" eval alfred --planner "$planner" --episodes "$household/tasks" \
        --layouts "$household/layouts" --out "runs/demo/alfred-$planner"
done
for planner in label-match random; do
    "$bin" eval sg3d --planner "$planner" --episodes "$demo/apartment_a_sg3d.json" \
        --scenes assets/apartments --out "runs/demo/sg3d-$planner"
done
for planner in expert label-match; do
    "$bin" eval sg3d-nav --planner "$planner" --episodes "$demo/apartment_a_sg3d.json" \
        --scenes assets/apartments --out "runs/demo/sg3d-nav-$planner"
done
for planner in random scripted; do
    "$bin" eval crafter --planner "$planner" --episodes "$demo/crafter_demo.json" \
        --out "runs/demo/crafter-$planner"
    "$bin" eval steve1 --planner "$planner" --episodes "$demo/steve1_demo.json" \
        --out "runs/demo/steve1-$planner"
done
"$bin" record runs/demo/crafter-scripted --episode seed-0 --every 4 \
    --out runs/demo/crafter-scripted/seed-0.gif
"$bin" render assets/apartments/apartment_a.ply --position 2,2,1.5 --heading 45 --panorama \
    --out runs/demo/views
echo
echo "scoring runs/demo/random/submission.json with the official metrics:"
"$bin" score r2r --connectivity "$demo/connectivity" --episodes "$demo/R2R_demo.json" \
    --format json runs/demo/random/submission.json
echo "scoring runs/demo/alfred-random/submission.json (ALFRED's action dump) with ALFRED's metrics:"
"$bin" score alfred --episodes "$household/tasks" --layouts "$household/layouts" \
    --format json runs/demo/alfred-random/submission.json
