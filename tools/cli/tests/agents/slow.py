"""A slow planner for tests: the reference agent (planners/python/waymark_agent.py) in
`shortest` mode, with a pause before each observation reaches it, so that a batch runs long
enough to be stopped in the middle.

usage: slow.py AGENT_PY SECONDS_PER_OBSERVATION
"""

import subprocess
import sys
import threading
import time


def main():
    agent_py, pause_s = sys.argv[1], float(sys.argv[2])
    agent = subprocess.Popen(
        [sys.executable, agent_py, "shortest"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )

    def answers():
        for line in agent.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()

    threading.Thread(target=answers, daemon=True).start()
    for line in sys.stdin:
        if line.startswith('{"type":"observation"'):
            time.sleep(pause_s)
        agent.stdin.write(line)
        agent.stdin.flush()
    agent.stdin.close()
    sys.exit(agent.wait())


if __name__ == "__main__":
    main()
