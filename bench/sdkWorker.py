"""The direct side of bench/sdk.bench.ts: the W&B SDK called from a Python loop, offline, one run.log per step with
that step's metrics (its usual form). Args: dir, points, names per step. Times the run.log calls and run.finish
(when W&B has written everything), as the TypeScript worker times logBatch calls and finishRun."""

import json
import os
import sys
import time

import wandb

directory, total, per_step = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
names = [f"train/m{i}" for i in range(per_step)]


def log_run(name, points):
    run = wandb.init(project="bench", name=name, dir=directory, mode="offline", settings=wandb.Settings(console="off", silent=True, x_disable_stats=True, x_disable_meta=True))
    start = time.perf_counter()
    for step in range(points // per_step):
        run.log({n: step + i / 10 for i, n in enumerate(names)}, step=step)
    run.finish(exit_code=0)
    return time.perf_counter() - start


log_run(f"direct warm-up {os.environ.get('BENCH_ROUND', '0')}", 2000)
seconds = log_run(f"direct {os.environ.get('BENCH_ROUND', '0')}", total)
print(json.dumps({"figures": {"rate": total / seconds}}))
