#!/usr/bin/env python3
"""A reference waymark planner in Python: the JSON-lines protocol, version 1.

Run it through waymark's `exec:` planners, e.g. `exec:python3 planners/python/waymark_agent.py
shortest`, or by hand as `python3 planners/python/waymark_agent.py MODE`. Standard library
only, Python 3.9 or later. The protocol is described in planners/protocol/README.md.

waymark writes one JSON object per line on our stdin and waits for exactly one answer line on
our stdout for each:

    {"type":"hello","protocol":1}             -> {"type":"hello","protocol":1,"supports":[...],...}
    {"type":"reset","context":{...}}          -> {"type":"ready"}
    {"type":"observation","observation":{...}} -> {"type":"action","action":{...}}
    {"type":"end"}                            -> {"type":"report","report":{"step_log":[...]}}

stdout is reserved for protocol messages: log to stderr. When our stdin closes, we exit.

Modes:
    shortest     privileged oracle: follows the observation's `teacher` (discrete: move to the
                 teacher viewpoint; continuous: take the teacher action; grounding: answer the
                 teacher object); stops when there is none
    random-walk  discrete: moves to the first candidate; continuous: moves forward;
                 stops after 5 moves; grounding: answers the first listed object
    stop         stops at once
    turn         always turns (discrete: 30 degrees right; continuous: turn_right); for benchmarks
Test modes, which misbehave at the first observation of an episode:
    crash        exits without answering
    hang         never answers
    bad-json     answers with a line that is not JSON
  Given a second argument FLAG_FILE, a test mode misbehaves only if that file does not exist
  yet (it creates it first), and otherwise acts like `stop`: so a restarted agent behaves.

To write your own planner, replace `decide` (and the declaration in `hello`).
"""

import json
import os
import sys
import time

PROTOCOL = 1
MODES = ("shortest", "random-walk", "stop", "turn", "crash", "hang", "bad-json")
TEST_MODES = ("crash", "hang", "bad-json")

encode = json.JSONEncoder(separators=(",", ":")).encode


def send(message):
    """Writes one message as one line and flushes it: waymark waits for the whole line."""
    sys.stdout.write(encode(message) + "\n")
    sys.stdout.flush()


def log(text):
    """Our log goes to stderr, which waymark forwards to its own log."""
    print(f"waymark_agent: {text}", file=sys.stderr, flush=True)


def decide(mode, obs, moves):
    """The action for observation `obs`, having moved `moves` times this episode."""
    if obs["task"] == "grounding":
        return decide_grounding(mode, obs)
    discrete = obs["task"] == "discrete_nav"
    if mode == "shortest":
        teacher = obs.get("teacher")
        if teacher is None:
            return {"type": "stop"}
        return {"type": "move_to", "viewpoint": teacher} if discrete else teacher
    if mode == "random-walk":
        if moves >= 5 or (discrete and not obs["navigable"]):
            return {"type": "stop"}
        if discrete:
            return {"type": "move_to", "viewpoint": obs["navigable"][0]["viewpoint"]}
        return {"type": "move_forward"}
    if mode == "turn":
        if discrete:
            return {"type": "turn", "heading_delta_rad": 0.5236, "elevation_delta_rad": 0}
        return {"type": "turn_right"}
    return {"type": "stop"}


def decide_grounding(mode, obs):
    """Sequential grounding: the object the current step names (an id of `obs["objects"]`)."""
    if mode == "shortest" and obs.get("teacher") is not None:
        return {"type": "ground", "object_id": obs["teacher"]}
    if mode == "random-walk" and obs["objects"]:
        return {"type": "ground", "object_id": obs["objects"][0]["id"]}
    return {"type": "stop"}


def describe(action):
    """The action in a few words, and its outcome, for the step log."""
    kind = action["type"]
    if kind == "move_to":
        return f"move_to {action['viewpoint']}", "move"
    if kind == "turn":
        return f"turn {action['heading_delta_rad']:+.4f} rad", "turn"
    if kind == "stop":
        return "stop", "finish"
    if kind == "ground":
        return f"ground {action['object_id']}", "ground"
    return kind, "move" if kind == "move_forward" else "turn"


def misbehave_now(mode, flag_file):
    """Whether a test mode misbehaves at this first observation (see the modes above)."""
    if mode not in TEST_MODES:
        return False
    if flag_file is None:
        return True
    if os.path.exists(flag_file):
        return False
    open(flag_file, "w").close()
    return True


def misbehave(mode):
    """Crashes, hangs or answers with garbage, as `mode` says."""
    if mode == "crash":
        log("crash mode: exiting without an answer")
        sys.exit(3)
    if mode == "hang":
        log("hang mode: sleeping forever")
        while True:
            time.sleep(3600)
    sys.stdout.write("this is not JSON\n")
    sys.stdout.flush()


def main():
    if len(sys.argv) not in (2, 3) or sys.argv[1] not in MODES:
        sys.exit(f"usage: waymark_agent.py {{{'|'.join(MODES)}}} [FLAG_FILE]")
    mode = sys.argv[1]
    flag_file = sys.argv[2] if len(sys.argv) == 3 else None
    step_log, moves = [], 0

    for line in iter(sys.stdin.readline, ""):
        message = json.loads(line)
        kind = message["type"]
        if kind == "observation":
            obs = message["observation"]
            if not step_log and misbehave_now(mode, flag_file):
                misbehave(mode)
                continue
            action = decide(mode, obs, moves)
            text, outcome = describe(action)
            if outcome == "move":
                moves += 1
            step_log.append({"step": obs["step"], "action": text, "outcome": outcome})
            send({"type": "action", "action": action})
        elif kind == "reset":
            step_log, moves = [], 0
            send({"type": "ready"})
        elif kind == "end":
            send({"type": "report", "report": {"step_log": step_log, "counters": {"moves": moves}}})
        elif kind == "hello":
            if message["protocol"] != PROTOCOL:
                sys.exit(f"waymark speaks protocol {message['protocol']}; this agent speaks {PROTOCOL}")
            send({
                "type": "hello",
                "protocol": PROTOCOL,
                "name": f"waymark_agent/{mode}",
                "supports": ["discrete_nav", "continuous_nav", "grounding"],
                "privileged": mode == "shortest",
            })
        else:
            sys.exit(f"unknown message type {kind!r}")


if __name__ == "__main__":
    main()
