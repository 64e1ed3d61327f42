"""Aim through its SDK: aim.Run(repo, experiment), run['hparams'], run.track(value, name, step, context), artifacts, run.close().

Aim writes each run.track into the run's RocksDB containers before it returns (one committed write batch per
value, written to RocksDB's write-ahead log): a value Aim took survives the bridge being killed, though not a
power loss (the log is not synced). A bridge that continues a run reopens the same Aim run by its hash.
"""

import os
import time

import aim
from aim.sdk.configs import AIM_ENABLE_TRACKING_THREAD

from .errors import SdkError, sdk_call
from .protocol import decode_points

try:
    from aim.ext.exception_resistant import disable_safe_mode
except ImportError:  # pragma: no cover - older Aim
    disable_safe_mode = None

#: How much older than the Tracelet run an Aim run of it may look (its chunk folder's time), to find it again.
CLOCK_SLACK_S = 120


def split_name(name, context_mode):
    """A Tracelet metric name as Aim's (name, context): with `prefix`, `train/loss` is `loss` in context
    {"subset": "train"}; a name without a slash (or with an empty part around the first) keeps its name, empty context."""
    if context_mode == "prefix":
        prefix, sep, rest = name.partition("/")
        if sep and prefix and rest:
            return rest, {"subset": prefix}
    return name, {}


def find_run(repo, tracelet_id, start_ms):
    """The hash of the Aim run that records this Tracelet run, when an earlier bridge made it (killed since, or
    closed when its window went away). Only runs whose chunk folder is newer than the Tracelet run are read."""
    chunks = os.path.join(repo.path, "meta", "chunks")
    if not os.path.isdir(chunks):
        return None
    since = (start_ms or 0) / 1000 - CLOCK_SLACK_S
    candidates = []
    for run_hash in os.listdir(chunks):
        try:
            mtime = os.path.getmtime(os.path.join(chunks, run_hash))
        except OSError:
            continue
        if mtime >= since:
            candidates.append((mtime, run_hash))
    for _mtime, run_hash in sorted(candidates, reverse=True):
        try:
            tree = repo.request_tree("meta", run_hash, read_only=True, skip_read_optimization=True).subtree("meta")
            identity = tree.subtree("chunks").subtree(run_hash).get(("attrs", "tracelet"))
        except Exception:  # noqa: BLE001 - a run being written or damaged is not ours to judge
            continue
        if isinstance(identity, dict) and identity.get("run_id") == tracelet_id:
            return run_hash
    return None


class AimAdapter:
    def __init__(self):
        self.run = None
        self.context_mode = "prefix"
        self.contexts = {}
        self.artifacts_uri = None
        self.step = None

    def sdk_version(self):
        from aim.__version__ import __version__

        return {"name": "aim", "version": __version__}

    def start(self, run, config):
        # Tracking in Aim's background thread would make run.track return before Aim wrote the value.
        os.environ.pop(AIM_ENABLE_TRACKING_THREAD, None)
        if disable_safe_mode is not None:
            disable_safe_mode()  # SDK errors are raised, not logged and swallowed
        repo_path = config["repo"]
        self.context_mode = config.get("context") or "prefix"
        artifacts_dir = config.get("artifactsDir")
        self.artifacts_uri = "file://" + os.path.abspath(artifacts_dir) if artifacts_dir else None
        repo = sdk_call("aim.Repo", aim.Repo.from_path, repo_path, init=True)
        earlier = find_run(repo, run["id"], run.get("startTime"))
        options = dict(repo=repo, system_tracking_interval=None, log_system_params=False, capture_terminal_logs=False)
        if earlier:
            # The bridge that had it is gone (killed, or closed with its window): only this process writes to it.
            self.run = sdk_call("aim.Run", aim.Run, run_hash=earlier, force_resume=True, **options)
        else:
            self.run = sdk_call("aim.Run", aim.Run, experiment=config.get("experiment") or None, **options)
            # First what a later bridge finds the run by.
            identity = {"run_id": run["id"], "command": run.get("command"), "host": run.get("host"), "cwd": run.get("cwd")}
            sdk_call("run['tracelet']", self.run.__setitem__, "tracelet", identity)
            sdk_call("run.name", setattr, self.run, "name", run.get("name") or run["id"])
            if run.get("command"):
                sdk_call("run.description", setattr, self.run, "description", run["command"])
            for tag in run.get("gitTags", []):
                if tag:
                    sdk_call("run.add_tag", self.run.add_tag, tag)
        if self.artifacts_uri:
            sdk_call("run.set_artifacts_uri", self.run.set_artifacts_uri, self.artifacts_uri)
        return {"ref": self.run.hash, "resumed": bool(earlier), "continues": None, "durableStep": None, "location": repo.path}

    def params(self, params):
        current = {}
        try:
            current = dict(self.run.get("hparams") or {})
        except Exception:  # noqa: BLE001 - none yet
            current = {}
        current.update(params)
        sdk_call("run['hparams']", self.run.__setitem__, "hparams", current)
        return {}

    def points(self, message):
        track = self.run.track
        contexts = self.contexts
        accepted, top = 0, self.step
        try:
            for name, value, step, _time in decode_points(message):
                split = contexts.get(name)
                if split is None:
                    split = contexts[name] = split_name(name, self.context_mode)
                # Aim's steps are integers; a point without a step goes at Aim's next step of that metric.
                if step is None:
                    track(value, name=split[0], context=split[1])
                else:
                    step = int(step)
                    track(value, name=split[0], step=step, context=split[1])
                    if top is None or step > top:
                        top = step
                accepted += 1
        except Exception as exc:  # noqa: BLE001 - one call per point: named once, for the whole batch
            raise SdkError("run.track", exc) from exc
        finally:
            self.step = top
        return {"accepted": accepted, "dropped": {}, "step": self.step}

    def artifact(self, path, name):
        if not self.artifacts_uri:
            raise SdkError("run.log_artifact", ValueError("no artifacts folder is set (the plugin's artifactsDir)"))
        artifact_name = name or os.path.basename(path.rstrip("/")) or "artifact"
        if os.path.isdir(path):
            sdk_call("run.log_artifacts", self.run.log_artifacts, path, name=artifact_name, block=True)
        else:
            sdk_call("run.log_artifact", self.run.log_artifact, path, name=artifact_name, block=True)
        return {"artifact": artifact_name}

    def finish(self, status, exit_code, end_time):
        self._outcome(status, exit_code, end_time)
        sdk_call("run.close", self.run.close)
        return {}

    def abandon(self):
        """The extension went away mid-run: the run is closed (Aim finalizes it, so `aim up` lists it) with the
        status `interrupted`; the next window reopens it by its hash and goes on."""
        if self.run is None:
            return
        self._outcome("interrupted", None, None)
        self.run.close()

    def _outcome(self, status, exit_code, end_time):
        identity = dict(self.run.get("tracelet") or {})
        identity.update({"status": status, "end_time": end_time or int(time.time() * 1000)})
        if exit_code is not None:
            identity["exit_code"] = exit_code
        sdk_call("run['tracelet']", self.run.__setitem__, "tracelet", identity)
