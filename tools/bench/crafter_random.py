#!/usr/bin/env python3
"""Steps per second of the Python Crafter (`pip install crafter`) with uniformly random
actions and its default 64x64 observation, on one core: the reference that
`waymark bench voxel --size 64` is compared with. Resets (after death or 10,000 steps) are
timed apart, as waymark's bench does."""

import argparse
import time

import crafter
import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    env = crafter.Env(seed=args.seed)
    rng = np.random.default_rng(args.seed)
    env.reset()
    stepping = resetting = 0.0
    episodes = 1
    for _ in range(args.steps):
        action = int(rng.integers(0, env.action_space.n))
        start = time.perf_counter()
        result = env.step(action)
        # gym's 4-tuple (released package) or gymnasium's 5-tuple (newer sources).
        done = result[2] or (len(result) == 5 and result[3])
        stepping += time.perf_counter() - start
        if done:
            start = time.perf_counter()
            env.reset()
            resetting += time.perf_counter() - start
            episodes += 1
    print(f"crafter (pip): {args.steps} random steps, {episodes} episode(s)")
    print(f"steps per second: {args.steps / stepping:.0f}")
    print(f"reset: {1e3 * resetting / max(episodes - 1, 1):.1f} ms on average")


if __name__ == "__main__":
    main()
