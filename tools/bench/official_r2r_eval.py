"""Runs the official R2R evaluator, `tasks/R2R/eval.py` of a Matterport3DSimulator checkout,
unchanged, on one episode file and one submission, and prints its summary.

eval.py imports the simulator's agent and environment modules at the top (they need the
compiled MatterSim), but its `Evaluation` class uses neither: empty stand-ins are put in their
place. eval.py reads `connectivity/` and `tasks/R2R/data/R2R_<split>.json` from the working
directory, so run this from a folder laid out that way (the benchmark script makes one).

usage: official_r2r_eval.py MATTERPORT3DSIMULATOR_DIR SPLIT SUBMISSION
"""
import sys
import types

simulator_dir, split, submission = sys.argv[1:4]
sys.modules['env'] = types.ModuleType('env')
sys.modules['env'].R2RBatch = None
sys.modules['agent'] = types.ModuleType('agent')
for name in ('BaseAgent', 'StopAgent', 'RandomAgent', 'ShortestAgent'):
    setattr(sys.modules['agent'], name, None)
sys.path.insert(0, f'{simulator_dir}/tasks/R2R')
import eval as official  # noqa: E402  (after the stand-ins)

summary, _ = official.Evaluation([split]).score(submission)
print({k: float(v) for k, v in summary.items()})
