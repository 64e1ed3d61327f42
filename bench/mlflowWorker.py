# The Python MLflow client's side of bench/mlflow.bench.ts in its own process: MlflowClient logs a
# warm-up run, then the timed run, as `log_batch` calls of <chunk> points or one `log_metric` call a
# point. Args: server URL, experiment id, log_batch or log_metric, points, chunk. The points are those
# of bench/mlflowPoints.ts (same arithmetic), built before the clock starts, as ours are. Prints one
# JSON line: the rate, and the run for the read-back check.
import json
import os
import sys
import time

from mlflow import MlflowClient
from mlflow.entities import Metric

NAMES = ["train/loss", "train/accuracy", "lr", "grad_norm", "val/loss", "val/accuracy", "epoch", "throughput", "tokens", "gpu/util"]
url, experiment_id, mode, total, chunk = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
client = MlflowClient(tracking_uri=url)
round_number = int(os.environ.get("BENCH_ROUND", "0")) + 1


def log_run(name, n):
    run_id = client.create_run(experiment_id, run_name=name).info.run_id
    t0 = int(time.time() * 1000)
    metrics = [Metric(NAMES[i % len(NAMES)], ((i * 7919) % 10007) / 1000, t0 + i, i // len(NAMES)) for i in range(n)]
    start = time.perf_counter()
    if mode == "log_batch":
        for at in range(0, n, chunk):
            client.log_batch(run_id, metrics=metrics[at : at + chunk])
    else:
        for m in metrics:
            client.log_metric(run_id, m.key, m.value, timestamp=m.timestamp, step=m.step)
    seconds = time.perf_counter() - start
    client.set_terminated(run_id)
    return {"runId": run_id, "t0": t0, "points": n}, seconds


log_run(f"python {mode} warm-up {round_number}", 2 * chunk if mode == "log_batch" else 20)
run, seconds = log_run(f"python {mode} {round_number}", total)
print(json.dumps({"figures": {"rate": total / seconds}, "detail": run}))
