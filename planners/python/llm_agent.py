#!/usr/bin/env python3
"""An LLM planner in Python over waymark's JSON-lines protocol (version 1): each step, it tells
an OpenAI-compatible chat model the instruction, what the agent sees around it (the sensor
readings waymark renders: objects within 3 m per direction) and the actions it may take, and
takes the numbered action the model answers. It runs graph (R2R) and continuous (VLN-CE)
navigation alike, without privileged information. Standard library only, Python 3.9 or later.

    waymark eval vlnce --planner "exec:python3 planners/python/llm_agent.py --url URL --model NAME" ...
    waymark eval r2r --scenes DIR --planner "exec:python3 planners/python/llm_agent.py ..." ...

URL and model default to WAYMARK_LLM_URL and WAYMARK_LLM_MODEL; a key, if the server wants
one, comes from WAYMARK_LLM_KEY. It is an example of a planner, not a published method: its
prompt is its own. An answer without an action number counts as `failure.unparsed_answer` and
the agent stops.
"""

import argparse
import json
import math
import os
import re
import sys
import urllib.request

PROTOCOL = 1
SECTORS = ["front", "front right", "right", "rear right", "rear", "rear left", "left", "front left"]
CONTINUOUS_ACTIONS = [
    ("move forward 0.25 m", {"type": "move_forward"}),
    ("turn left 15 degrees", {"type": "turn_left"}),
    ("turn right 15 degrees", {"type": "turn_right"}),
]
encode = json.JSONEncoder(separators=(",", ":")).encode


def send(message):
    sys.stdout.write(encode(message) + "\n")
    sys.stdout.flush()


def direction(absolute_deg, heading_rad):
    """The sector name of an absolute heading, seen from an agent facing `heading_rad`."""
    relative = (absolute_deg - math.degrees(heading_rad)) % 360.0
    return SECTORS[int(((relative + 22.5) % 360.0) // 45.0)]


def surroundings(obs):
    """'front: chair (1.2 m), table (2.0 m); right: …' from the nearest objects readings."""
    readings = (obs.get("sensors") or {}).get("objects") or []
    if not readings:
        return "nothing reported"
    seen = {}
    for sector in readings[0]["sectors"]:
        for o in sector:
            name = direction(o["heading_deg"], obs["heading_rad"])
            seen.setdefault(name, []).append(f"{o['label']} ({o['distance_m']:.1f} m)")
    parts = [f"{name}: {', '.join(seen[name])}" for name in SECTORS if name in seen]
    return "; ".join(parts) or "nothing within 3 m"


def choices(obs):
    """The numbered actions for this observation: (text, action) pairs, stop last."""
    if obs["task"] == "discrete_nav":
        options = []
        for c in obs["navigable"]:
            side = direction(math.degrees(obs["heading_rad"] + c["rel_heading_rad"]), obs["heading_rad"])
            options.append((f"go to the place {c['dist_m']:.1f} m to the {side}",
                            {"type": "move_to", "viewpoint": c["viewpoint"]}))
    else:
        options = list(CONTINUOUS_ACTIONS)
    return options + [("stop here: the instruction is done", {"type": "stop"})]


def chat(args, prompt):
    """One chat completion: (text, usage)."""
    body = encode({
        "model": args.model,
        "messages": [{"role": "user", "content": prompt}],
        "temperature": 0,
        "max_tokens": args.max_tokens,
    }).encode()
    request = urllib.request.Request(args.url.rstrip("/") + "/chat/completions", data=body,
                                     headers={"Content-Type": "application/json"})
    key = os.environ.get("WAYMARK_LLM_KEY")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    with urllib.request.urlopen(request, timeout=args.timeout) as response:
        answer = json.load(response)
    return answer["choices"][0]["message"]["content"] or "", answer.get("usage") or {}


class Episode:
    def __init__(self, context):
        self.instruction = context["instruction"]
        self.max_steps = context["max_steps"]
        self.step_log = []
        self.counters = {"llm_calls": 0, "prompt_tokens": 0, "completion_tokens": 0}

    def count(self, name, n=1):
        self.counters[name] = self.counters.get(name, 0) + n

    def act(self, args, obs):
        options = choices(obs)
        listed = "\n".join(f"{i}. {text}" for i, (text, _) in enumerate(options, 1))
        prompt = (
            "You are a robot in a house, following a navigation instruction.\n"
            f"Instruction: {self.instruction}\n"
            f"Step {obs['step'] + 1} of at most {self.max_steps}.\n"
            f"Around you: {surroundings(obs)}.\n"
            f"Actions:\n{listed}\n"
            "Answer with the number of one action."
        )
        text, usage = chat(args, prompt)
        self.count("llm_calls")
        self.count("prompt_tokens", usage.get("prompt_tokens", 0))
        self.count("completion_tokens", usage.get("completion_tokens", 0))
        found = re.search(r"\d+", text)
        index = int(found.group()) if found else 0
        if 1 <= index <= len(options):
            choice, action = options[index - 1]
            outcome = "finish" if action["type"] == "stop" else "move"
            cause = None
        else:
            self.count("failure.unparsed_answer")
            choice, action, outcome, cause = "stop", {"type": "stop"}, "parse_error", "unparsed_answer"
        entry = {"step": obs["step"], "thought": text.strip(), "action": choice,
                 "outcome": outcome, "prompt": prompt}
        if cause:
            entry["cause"] = cause
        self.step_log.append(entry)
        return action


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("WAYMARK_LLM_URL"))
    parser.add_argument("--model", default=os.environ.get("WAYMARK_LLM_MODEL"))
    parser.add_argument("--max-tokens", type=int, default=16)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    if not args.url or not args.model:
        sys.exit("llm_agent.py needs --url and --model (or WAYMARK_LLM_URL and WAYMARK_LLM_MODEL)")
    episode = None
    for line in iter(sys.stdin.readline, ""):
        message = json.loads(line)
        kind = message["type"]
        if kind == "hello":
            if message["protocol"] != PROTOCOL:
                sys.exit(f"waymark speaks protocol {message['protocol']}; this agent speaks {PROTOCOL}")
            send({"type": "hello", "protocol": PROTOCOL, "name": f"llm_agent/{args.model}",
                  "supports": ["discrete_nav", "continuous_nav"], "privileged": False,
                  "sensors": {"objects_within_m": [3.0]}})
        elif kind == "reset":
            episode = Episode(message["context"])
            send({"type": "ready"})
        elif kind == "observation":
            send({"type": "action", "action": episode.act(args, message["observation"])})
        elif kind == "end":
            report = {"step_log": episode.step_log, "counters": episode.counters} if episode else {}
            send({"type": "report", "report": report})
        else:
            sys.exit(f"unknown message type {kind!r}")


if __name__ == "__main__":
    main()
