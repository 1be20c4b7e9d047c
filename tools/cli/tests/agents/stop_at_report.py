"""A planner for tests that is stopped from outside at the worst moment: the reference agent
(planners/python/waymark_agent.py) in `shortest` mode. While FLAG_FILE exists and holds N, at
the Nth episode's end it removes the file, sends SIGTERM to waymark (as Slurm's scancel
signals every process of a job) and exits without giving its report.

usage: stop_at_report.py AGENT_PY FLAG_FILE
"""

import os
import signal
import subprocess
import sys


def main():
    agent_py, flag_file = sys.argv[1], sys.argv[2]
    try:
        with open(flag_file) as f:
            stop_at = int(f.read())
    except FileNotFoundError:
        stop_at = 0
    agent = subprocess.Popen(
        [sys.executable, agent_py, "shortest"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    ends = 0
    for line in sys.stdin:
        if line.startswith('{"type":"end"'):
            ends += 1
            if ends == stop_at:
                os.remove(flag_file)
                os.kill(os.getppid(), signal.SIGTERM)
                agent.kill()
                sys.exit(0)
        agent.stdin.write(line)
        agent.stdin.flush()
        sys.stdout.write(agent.stdout.readline())
        sys.stdout.flush()
    agent.stdin.close()
    sys.exit(agent.wait())


if __name__ == "__main__":
    main()
