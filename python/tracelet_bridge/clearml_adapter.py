"""ClearML through its SDK: Task.init(project, task_name), task.connect(params), Logger.report_scalar(title, series,
value, iteration), task.upload_artifact, task.flush as the acknowledgement point, mark_failed / close.

Online, a bridge that continues a run continues the same task (Task.init(continue_last_task=<task id>)).
Offline, ClearML cannot continue a task: the rest goes to a second offline session of the same task name,
whose `Tracelet/continues` names the first; `Task.import_offline_session(second, previous_task_id=<first's
imported id>)` puts both into one task on the server.
"""

import glob
import json
import os
import re

from .errors import SdkError, sdk_call
from .protocol import decode_points

TRACELET_SECTION = "Tracelet"

#: Task.init's auto_connect_frameworks: a key left out counts as True, so every one ClearML knows is named.
NO_FRAMEWORKS = {
    key: False
    for key in (
        "detect_repository", "matplotlib", "tensorflow", "tensorboard", "tfdefines", "pytorch", "xgboost", "scikit", "joblib",
        "fastai", "lightgbm", "hydra", "megengine", "catboost", "gradio", "jsonargparse",
    )
}


def split_name(name):
    """`train/loss` is title `train`, series `loss` (at the first slash); a name without a slash, or with an
    empty part around the first one, is its own title and series."""
    title, sep, series = name.partition("/")
    if sep and title and series:
        return title, series
    return name, name


def tracelet_param(task_json, key):
    entry = (task_json.get("hyperparams") or {}).get(TRACELET_SECTION, {}).get(key)
    return entry.get("value") if isinstance(entry, dict) else None


def earlier_offline_sessions(offline_root, tracelet_id):
    """Offline sessions of this Tracelet run written before (by a bridge that was killed or closed), oldest first."""
    found = []
    for task_file in glob.glob(os.path.join(offline_root, "offline-*", "task.json")):
        try:
            with open(task_file, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            continue
        if tracelet_param(data, "run_id") == tracelet_id:
            found.append((os.path.getmtime(task_file), data["id"]))
    return [task_id for _mtime, task_id in sorted(found)]


class ClearmlAdapter:
    def __init__(self):
        self.task = None
        self.logger = None
        self.offline = False
        self.params_so_far = {}
        self.step = None

    def sdk_version(self):
        import clearml

        return {"name": "clearml", "version": clearml.__version__}

    def start(self, run, config):
        from clearml import Task
        from clearml.backend_interface.task.task import Task as BackendTask

        self.offline = bool(config.get("offline"))
        sdk_call("Task.set_offline", Task.set_offline, self.offline)
        # ClearML reports from a subprocess by default on Linux (sdk.development.report_use_subprocess); its flush
        # then takes seconds to answer. The bridge is a process of its own already: report from a thread in it.
        BackendTask._report_subprocess_enabled = False
        project = config.get("project") or "Tracelet"
        task_name = config.get("taskName") or run.get("name") or run["id"]
        continues, continue_id = None, None
        if self.offline:
            from clearml.config import get_offline_dir

            earlier = earlier_offline_sessions(str(get_offline_dir()), run["id"])
            continues = earlier[-1] if earlier else None
        else:
            continue_id = run.get("previousRef") or self._find_online(Task, project, task_name, run["id"])
        kwargs = dict(
            project_name=project,
            task_name=task_name,
            tags=[t for t in run.get("gitTags", []) if t] or None,
            reuse_last_task_id=False,
            auto_connect_arg_parser=False,
            # No framework patching, and no repository detection: the script ClearML would record is the bridge, and the
            # repository and uncommitted diff of the run's folder are not ClearML's to upload unasked (Tracelet section: command, cwd).
            auto_connect_frameworks=NO_FRAMEWORKS,
            auto_resource_monitoring=False,
            auto_connect_streams=False,
        )
        if continue_id:
            # Iterations go on as they were logged (0: no offset for the continued task).
            kwargs.update(continue_last_task=0, reuse_last_task_id=continue_id)
        self.task = sdk_call("Task.init", Task.init, **kwargs)
        self.logger = self.task.get_logger()
        identity = {"run_id": run["id"], "command": run.get("command") or "", "host": run.get("host") or "", "cwd": run.get("cwd") or ""}
        if continues:
            identity["continues"] = continues
        sdk_call("task.connect", self.task.connect, identity, name=TRACELET_SECTION)
        if run.get("command") and not continue_id:
            sdk_call("task.set_comment", self.task.set_comment, run["command"])
        location = str(self.task.get_offline_mode_folder()) if self.offline else None
        return {"ref": self.task.id, "resumed": bool(continue_id), "continues": continues, "durableStep": None, "location": location}

    def _find_online(self, Task, project, task_name, tracelet_id):
        """After the editor went away, the task an earlier bridge made for this run (same project and name,
        `Tracelet/run_id`), if the server has one."""
        try:
            tasks = Task.get_tasks(project_name=project, task_name=f"^{re.escape(task_name)}$", task_filter={"order_by": ["-last_update"], "page_size": 20, "page": 0})
        except Exception:  # noqa: BLE001 - no server answer: a new task
            return None
        for task in tasks or []:
            try:
                if task.get_parameter(f"{TRACELET_SECTION}/run_id") == tracelet_id:
                    return task.id
            except Exception:  # noqa: BLE001
                continue
        return None

    def params(self, params):
        self.params_so_far.update(params)
        sdk_call("task.connect", self.task.connect, dict(self.params_so_far))
        return {}

    def points(self, message):
        report = self.logger.report_scalar
        accepted, top = 0, self.step
        try:
            for name, value, step, _time in decode_points(message):
                title, series = split_name(name)
                # A point without a step is at iteration 0 (ClearML needs one). NaN and ±Infinity become ClearML's
                # stand-in for them, 0 by default (Logger.set_reporting_nan_value / set_reporting_inf_value).
                iteration = 0 if step is None else int(step)
                report(title, series, value, iteration)
                accepted += 1
                if top is None or iteration > top:
                    top = iteration
        except Exception as exc:  # noqa: BLE001 - one call per point: named once, for the whole batch
            raise SdkError("Logger.report_scalar", exc) from exc
        finally:
            self.step = top
        self.flush()
        return {"accepted": accepted, "dropped": {}, "step": self.step}

    def flush(self):
        """task.flush(wait_for_uploads=True) until every event reported so far is written (offline: to the session's
        metrics.jsonl; online: sent). Its wait can end at the end of a write that was already under way when
        it began, so the second call waits for one that began after every event was queued."""
        sdk_call("task.flush", self.task.flush, wait_for_uploads=True)
        sdk_call("task.flush", self.task.flush, wait_for_uploads=True)

    def artifact(self, path, name):
        artifact_name = name or os.path.basename(path.rstrip("/")) or "artifact"
        if not os.path.exists(path):
            # upload_artifact would store the string itself as a text artifact
            raise SdkError("task.upload_artifact", FileNotFoundError(f"no such file or folder: {path}"))
        ok = sdk_call("task.upload_artifact", self.task.upload_artifact, artifact_name, artifact_object=path, wait_on_upload=True)
        if ok is False:
            raise RuntimeError(f"task.upload_artifact({artifact_name!r}) returned False")
        return {"artifact": artifact_name}

    def finish(self, status, exit_code, _end_time):
        self._outcome(status, exit_code)
        if status in ("failed", "crashed") and not self.offline:
            sdk_call("task.mark_failed", self.task.mark_failed, status_reason=f"Tracelet: {status}", status_message=f"Tracelet: the run {status}", force=True)
        sdk_call("task.close", self.task.close)
        return {}

    def abandon(self):
        """The extension went away mid-run: what was reported is flushed, the outcome is `interrupted`, the task
        closed (offline: its session zipped); the next window continues it (online) or writes a second session."""
        if self.task is None:
            return
        self._outcome("interrupted", None)
        self.task.close()

    def _outcome(self, status, exit_code):
        sdk_call("task.set_parameter", self.task.set_parameter, f"{TRACELET_SECTION}/status", status)
        if exit_code is not None:
            sdk_call("task.set_parameter", self.task.set_parameter, f"{TRACELET_SECTION}/exit_code", exit_code)
        self.flush()
