"""Inputs for the `waymark score r2r` benchmark, made from the real R2R data.

R2R val_unseen is not in the shared data, so a set of its size is drawn from train: 783 paths
(2,349 instructions) on 11 scans chosen with a fixed seed. Two submissions for it and for
val_seen: the reference paths (a turn in place at the start, then the path), and seeded walks
that follow the reference part of the way and then wander 3-15 moves, as agents do.

usage: make_r2r_score_inputs.py R2R_DIR OUT_DIR
"""
import collections
import json
import random
import sys

r2r_dir, out_dir = sys.argv[1:3]


def load(name):
    with open(f'{r2r_dir}/{name}') as f:
        return json.load(f)


def save(value, name):
    with open(f'{out_dir}/{name}', 'w') as f:
        json.dump(value, f)


def neighbours(scan):
    """Viewpoint id -> ids of the viewpoints it has an edge to."""
    records = load(f'connectivity/{scan}_connectivity.json')
    included = {i for i, r in enumerate(records) if r['included']}
    adjacency = collections.defaultdict(list)
    for i in included:
        for j, open_ in enumerate(records[i]['unobstructed']):
            if open_ and j in included and i != j:
                adjacency[records[i]['image_id']].append(records[j]['image_id'])
    return adjacency


def submissions(paths, name):
    rng = random.Random(11)
    graphs = {}
    reference, walks = [], []
    for p in paths:
        graph = graphs.setdefault(p['scan'], neighbours(p['scan']))
        for k in range(len(p['instructions'])):
            instr_id = f"{p['path_id']}_{k}"
            turn = [[p['path'][0], p['heading'], 0.0]]
            reference.append({'instr_id': instr_id,
                              'trajectory': turn + [[v, 0.0, 0.0] for v in p['path']]})
            visited = list(p['path'][:rng.randrange(1, len(p['path']) + 1)])
            for _ in range(rng.randrange(3, 16)):
                visited.append(rng.choice(graph[visited[-1]]))
            walks.append({'instr_id': instr_id,
                          'trajectory': [[v, 0.0, 0.0] for v in visited]})
    save(reference, f'{name}_reference_submission.json')
    save(walks, f'{name}_walk_submission.json')


by_scan = collections.defaultdict(list)
for path in load('R2R_train.json'):
    if len(path['instructions']) == 3:
        by_scan[path['scan']].append(path)
rng = random.Random(7)
chosen = rng.sample(sorted(s for s, ps in by_scan.items() if len(ps) >= 72), 11)
pool = [p for s in chosen for p in by_scan[s]]
rng.shuffle(pool)
unseen_sized = pool[:783]
save(unseen_sized, 'R2R_unseen_sized.json')
submissions(unseen_sized, 'unseen_sized')
submissions(load('R2R_val_seen.json'), 'val_seen')
