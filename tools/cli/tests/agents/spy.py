#!/usr/bin/env python3
"""A test planner that declares no privileged access, records every message waymark sends it
to the file named by its first argument, and stops at once in every episode."""

import json
import sys

log = open(sys.argv[1], "a", encoding="utf-8")
for line in sys.stdin:
    log.write(line)
    log.flush()
    kind = json.loads(line)["type"]
    if kind == "hello":
        answer = {"type": "hello", "protocol": 1, "name": "spy", "supports": ["*"], "privileged": False}
    elif kind == "reset":
        answer = {"type": "ready"}
    elif kind == "observation":
        answer = {"type": "action", "action": {"type": "stop"}}
    else:
        answer = {"type": "report", "report": {}}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
