#!/usr/bin/env bash
# Fails when a headless crate depends (directly or not) on a window, GPU or async-HTTP crate,
# or when the planner trait crate depends on more of the workspace than the core types.
set -euo pipefail
cd "$(dirname "$0")/.."
forbidden='^(bevy|wgpu|winit|tokio|reqwest)$'
status=0
for crate in waymark-core waymark-scenes waymark-sim waymark-render waymark-continuous waymark-eval waymark-planner; do
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
# tokio and reqwest reach any other crate only through waymark-llm.
for crate in $crates; do
    [ "$crate" = waymark-llm ] && continue
    direct=$(cargo tree --offline -e normal -p "$crate" --depth 1 --prefix none --format '{p}' \
        | awk '{print $1}' | grep -E '^(tokio|reqwest)$' | sort -u || true)
    if [ -n "$direct" ]; then
        echo "FAIL: $crate depends directly on $direct; only waymark-llm may"
        status=1
    fi
done
echo "ok:   tokio and reqwest are direct dependencies of waymark-llm alone"
# bevy (and with it wgpu and winit) belongs to the viewer alone.
for crate in $crates; do
    [ "$crate" = waymark-view ] && continue
    leaks=$(cargo tree --offline -e normal -p "$crate" --prefix none --format '{p}' \
        | awk '{print $1}' | grep -E '^(bevy|wgpu|winit)$' | sort -u || true)
    if [ -n "$leaks" ]; then
        echo "FAIL: $crate depends on $leaks; only waymark-view may"
        status=1
    fi
done
echo "ok:   bevy, wgpu and winit reach waymark-view alone"
exit $status
