"""The direct side of bench/sdk.bench.ts: a tracker's SDK called from a Python loop in its usual form, in its
local mode. Args: sdk (wandb, aim, clearml, clearml-thread), dir, points, names per step.

- wandb: offline, one run.log per step with that step's metrics; timed to run.finish.
- aim: a repository in dir, one run.track per value (name m<i>, context {"subset": "train"}, as the aim
  backend tracks `train/m<i>`); timed to run.close.
- clearml: offline, one Logger.report_scalar per value (title "train", series m<i>); timed to task.close,
  which flushes. `clearml-thread` is the same with ClearML's reporting in a thread of this process instead of
  its default subprocess (development.report_use_subprocess off), as the bridge runs it. Both leave out
  ClearML's repository detection, as the bridge does (task.close waits for it, up to 5 minutes).

Times the logging calls and the closing call (when the SDK has written everything), as the TypeScript worker
times logBatch calls and finishRun."""

import json
import os
import sys
import time

sdk, directory, total, per_step = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
names = [f"m{i}" for i in range(per_step)]
round_ = os.environ.get("BENCH_ROUND", "0")


def wandb_run(name, points):
    import wandb

    run = wandb.init(project="bench", name=name, dir=directory, mode="offline", settings=wandb.Settings(console="off", silent=True, x_disable_stats=True, x_disable_meta=True))
    start = time.perf_counter()
    for step in range(points // per_step):
        run.log({f"train/{n}": step + i / 10 for i, n in enumerate(names)}, step=step)
    run.finish(exit_code=0)
    return time.perf_counter() - start


def aim_run(name, points):
    import aim

    run = aim.Run(repo=directory, experiment="bench", system_tracking_interval=None, log_system_params=False, capture_terminal_logs=False)
    run.name = name
    context = {"subset": "train"}
    start = time.perf_counter()
    for step in range(points // per_step):
        for i, n in enumerate(names):
            run.track(step + i / 10, name=n, step=step, context=context)
    run.close()
    return time.perf_counter() - start


def clearml_run(name, points):
    from clearml import Task

    Task.set_offline(True)
    if sdk == "clearml-thread":
        from clearml.backend_interface.task.task import Task as BackendTask

        BackendTask._report_subprocess_enabled = False
    task = Task.init(project_name="bench", task_name=name, reuse_last_task_id=False, auto_connect_arg_parser=False, auto_connect_frameworks={"detect_repository": False, "matplotlib": False, "tensorflow": False, "tensorboard": False, "pytorch": False}, auto_resource_monitoring=False, auto_connect_streams=False)
    logger = task.get_logger()
    start = time.perf_counter()
    for step in range(points // per_step):
        for i, n in enumerate(names):
            logger.report_scalar("train", n, step + i / 10, step)
    task.close()
    return time.perf_counter() - start


log_run = {"wandb": wandb_run, "aim": aim_run, "clearml": clearml_run, "clearml-thread": clearml_run}[sdk]
log_run(f"direct warm-up {round_}", 2000)
seconds = log_run(f"direct {round_}", total)
print(json.dumps({"figures": {"rate": total / seconds}}))
