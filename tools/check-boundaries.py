#!/usr/bin/env python3
"""Checks the crate table of ARCHITECTURE.md against the workspace (cargo metadata):

- every workspace crate has a row, and its workspace dependencies (normal and build) are a
  subset of the row's "may depend on" column;
- no crate depends on a crate of a higher layer (layers are folders: scenes < sim < planners
  < tools; tests/ may use anything);
- every declared dependency (normal, dev, build) is used: its name appears in the crate's
  Rust sources.

Exits 1 with one line per violation.
"""

import json
import pathlib
import re
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
LAYERS = {"scenes": 1, "sim": 2, "planners": 3, "tools": 4, "tests": 5}
SHORT = {
    "core": "waymark-core", "io": "waymark-io", "scenes": "waymark-scenes", "sim": "waymark-sim",
    "render": "waymark-render", "continuous": "waymark-continuous", "task": "waymark-task",
    "planner": "waymark-planner", "llm": "waymark-llm", "navgpt": "waymark-navgpt",
    "exec": "waymark-exec", "eval": "waymark-eval", "sensors": "waymark-sensors",
    "alfred": "waymark-alfred", "household": "waymark-household", "voxel": "waymark-voxel",
    "voxel-tasks": "waymark-voxel-tasks", "voxel-skills": "waymark-voxel-skills",
    "sg3d": "waymark-sg3d", "sg3d-nav": "waymark-sg3d-nav",
}

meta = json.loads(subprocess.run(
    ["cargo", "metadata", "--offline", "--no-deps", "--format-version", "1"],
    cwd=root, check=True, capture_output=True, text=True).stdout)
packages = {p["name"]: p for p in meta["packages"]}
folder = {n: pathlib.Path(p["manifest_path"]).parent.relative_to(root) for n, p in packages.items()}
task_crates = sorted(n for n, f in folder.items() if f.parts[:2] == ("sim", "tasks"))

rows = {}
for line in (root / "ARCHITECTURE.md").read_text().splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 4 and cells[1].startswith("`waymark"):
        crate = re.match(r"`([a-z0-9-]+)`", cells[1]).group(1)
        allowed_text = re.sub(r"\(.*?\)", "", cells[3])
        allowed = set()
        for word in [w.strip() for w in allowed_text.split(",")]:
            if word in ("", "—"):
                continue
            if word == "any" or word == "everything but the viewer":
                allowed |= set(packages) - {"waymark-view"}
            elif word == "every task crate":
                allowed |= set(task_crates)
            elif word in SHORT:
                allowed.add(SHORT[word])
            else:
                print(f"FAIL: ARCHITECTURE.md row {crate}: unknown name `{word}`")
                sys.exit(1)
        rows[crate] = allowed

status = 0
def fail(message):
    global status
    status = 1
    print("FAIL: " + message)

for name, package in sorted(packages.items()):
    if name not in rows:
        fail(f"{name} ({folder[name]}) has no row in ARCHITECTURE.md's crate table")
        continue
    layer = LAYERS[folder[name].parts[0]]
    source = "\n".join(p.read_text(errors="replace")
                       for p in pathlib.Path(package["manifest_path"]).parent.rglob("*.rs")
                       if "target" not in p.parts)
    for dep in package["dependencies"]:
        dep_name = dep["name"]
        if dep_name in packages and dep["kind"] in (None, "build"):
            if dep_name not in rows[name]:
                fail(f"{name} depends on {dep_name}, which its ARCHITECTURE.md row does not allow")
            dep_layer = LAYERS[folder[dep_name].parts[0]]
            if dep_layer > layer:
                fail(f"{name} ({folder[name]}) imports {dep_name} from a higher layer ({folder[dep_name]})")
        ident = (dep.get("rename") or dep_name).replace("-", "_")
        if not re.search(r"\b" + re.escape(ident) + r"\b", source):
            fail(f"{name} declares {dep_name} ({dep['kind'] or 'normal'}) but never uses it")
if status == 0:
    print(f"ok:   {len(packages)} crates follow ARCHITECTURE.md's table and layers; no unused dependency")
sys.exit(status)
