"""W&B through its SDK: wandb.init, run.log by step, artifacts, run.finish(exit_code)."""

import glob
import os
import re

import wandb

from .errors import sdk_call
from .protocol import decode_points
from .wandb_file import last_history_step

EXIT_CODES = {"finished": 0, "failed": 1, "crashed": 1, "killed": 137, "stopped": 130}


def wandb_run_id(tracelet_id):
    """W&B run ids allow letters, digits, '-' and '_'."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", tracelet_id)[:56] or "run"


def earlier_offline_runs(base_dir, base_id):
    """Offline run folders of this Tracelet run written before (by a bridge that was killed), oldest first."""
    pattern = os.path.join(base_dir, "wandb", "offline-run-*-")
    found = glob.glob(pattern + base_id) + glob.glob(pattern + base_id + "-part*")
    return sorted(found, key=os.path.getmtime)


class WandbAdapter:
    def __init__(self):
        self.run = None
        self.step = None  # the highest step given to W&B; it drops rows below its current step

    def sdk_version(self):
        return {"name": "wandb", "version": wandb.__version__}

    def start(self, run, config):
        mode = config.get("mode") or "offline"
        base_dir = config["dir"]
        os.makedirs(base_dir, exist_ok=True)
        base_id = wandb_run_id(run["id"])
        run_id, continues, durable_step = base_id, None, None
        if mode == "offline":
            # An offline run cannot be resumed: a restarted bridge writes the rest to a second offline run, same group and name.
            earlier = earlier_offline_runs(base_dir, base_id)
            if earlier:
                continues = os.path.basename(earlier[-1]).split("-", 3)[3]
                run_id = f"{base_id}-part{len(earlier) + 1}"
                steps = [last_history_step(f) for e in earlier for f in glob.glob(os.path.join(e, "run-*.wandb"))]
                steps = [s for s in steps if s is not None]
                durable_step = max(steps) if steps else None
        identity = {"run_id": run["id"], "command": run.get("command"), "host": run.get("host"), "cwd": run.get("cwd")}
        if continues:
            identity["continues"] = continues
        kwargs = dict(
            project=config.get("project") or "tracelet",
            entity=config.get("entity") or None,
            name=run.get("name") or run["id"],
            id=run_id,
            group=config.get("group") or (base_id if mode == "offline" else None),
            dir=base_dir,
            mode=mode,
            notes=run.get("command"),
            tags=[t[:64] for t in run.get("gitTags", []) if t] or None,
            config={"tracelet": identity},
            settings=wandb.Settings(console="off", silent=True, x_disable_stats=True, x_disable_meta=True, init_timeout=float(config.get("initTimeout", 90))),
        )
        if mode == "online":
            kwargs["resume"] = "allow"
        self.run = sdk_call("wandb.init", wandb.init, **kwargs)
        resumed = bool(getattr(self.run, "resumed", False))
        if resumed and self.run.step > 0:
            self.step = self.run.step
            durable_step = self.run.step - 1
        return {"ref": self.run.id, "resumed": resumed, "continues": continues, "durableStep": durable_step, "location": getattr(self.run, "dir", None)}

    def params(self, params):
        sdk_call("run.config.update", self.run.config.update, params, allow_val_change=True)
        return {}

    def points(self, message):
        row, row_step, accepted, dropped = {}, None, 0, {}
        log = self.run.log
        for name, value, step, _time in decode_points(message):
            if step is None:
                if row:
                    sdk_call("run.log", log, row, step=row_step)
                    row = {}
                sdk_call("run.log", log, {name: value})  # at W&B's own step counter
                self.step = self.run.step
                accepted += 1
                continue
            if self.step is not None and step < self.step:
                dropped[name] = dropped.get(name, 0) + 1
                continue
            if step != row_step and row:
                sdk_call("run.log", log, row, step=row_step)
                row = {}
            row_step = step
            row[name] = value
            self.step = step
            accepted += 1
        if row:
            sdk_call("run.log", log, row, step=row_step)
        self.barrier()
        return {"accepted": accepted, "dropped": dropped, "step": self.step}

    def barrier(self):
        """Waits until W&B's service has taken every record sent so far (its answer to a history-step request
        comes after them): run.log only queues them in this process. It bounds how far W&B's writes lag; it
        does not make them durable, see docs/python-bridge.md."""
        interface = getattr(self.run, "_interface", None)
        if interface is not None and hasattr(interface, "deliver_history_step"):
            sdk_call("wandb history step", lambda: interface.deliver_history_step().wait_or(timeout=120))

    def artifact(self, path, name):
        artifact_name = re.sub(r"[^A-Za-z0-9_.-]", "-", name or os.path.basename(path.rstrip("/")) or "artifact")
        art = wandb.Artifact(artifact_name, type="tracelet")
        if os.path.isdir(path):
            sdk_call("Artifact.add_dir", art.add_dir, path)
        else:
            sdk_call("Artifact.add_file", art.add_file, path)
        sdk_call("run.log_artifact", self.run.log_artifact, art)
        return {"artifact": artifact_name}

    def finish(self, status, exit_code, _end_time):
        if status == "finished":
            code = 0
        elif isinstance(exit_code, int) and exit_code != 0:
            code = exit_code
        else:
            code = EXIT_CODES.get(status, 1)
        self.run.summary["tracelet/status"] = status
        sdk_call("run.finish", self.run.finish, exit_code=code)
        return {"exitCode": code}

    def abandon(self):
        """The extension went away mid-run (its pipe closed): the open step is committed and the run closed, so
        that W&B's service writes everything it took; the next window goes on in another run (offline) or this one (online)."""
        if self.run is None:
            return
        if self.step is not None:
            self.run.log({}, step=self.step, commit=True)
        self.run.summary["tracelet/status"] = "interrupted"
        self.run.finish(exit_code=1)
