"""python -m tracelet_bridge <backend>: the bridge process (docs/python-bridge.md)."""

import json
import os
import sys
import traceback

from . import PROTOCOL_VERSION
from .errors import SdkError
from .protocol import claim_stdout, encode

ADAPTERS = {
    "wandb": ("tracelet_bridge.wandb_adapter", "WandbAdapter"),
    "aim": ("tracelet_bridge.aim_adapter", "AimAdapter"),
    "clearml": ("tracelet_bridge.clearml_adapter", "ClearmlAdapter"),
}


def load_adapter(backend):
    module_name, class_name = ADAPTERS[backend]
    module = __import__(module_name, fromlist=[class_name])
    return getattr(module, class_name)()


def main(argv):
    out = claim_stdout()
    if len(argv) < 2 or argv[1] not in ADAPTERS:
        print(f"tracelet_bridge: usage: python -m tracelet_bridge <{'|'.join(ADAPTERS)}>", file=sys.stderr)
        return 2
    backend = argv[1]
    adapter = None
    finished = False

    def reply(obj):
        out.write(encode(obj) + "\n")
        out.flush()

    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            message = json.loads(line)
        except ValueError as exc:
            reply({"id": None, "ok": False, "error": {"call": "protocol", "type": "ValueError", "message": f"not a JSON line: {exc}"}})
            continue
        rid, op = message.get("id"), message.get("op")
        try:
            if op == "hello":
                if adapter is None:
                    try:
                        adapter = load_adapter(backend)
                    except ImportError as exc:
                        raise SdkError(f"import {backend}", exc) from exc
                body = {"protocol": PROTOCOL_VERSION, "python": sys.version.split()[0], "executable": sys.executable, "sdk": adapter.sdk_version(), "pid": os.getpid()}
            elif adapter is None:
                raise SdkError("protocol", RuntimeError(f"{op} before hello"))
            elif op == "start":
                body = adapter.start(message["run"], message.get("config") or {})
            elif op == "params":
                body = adapter.params(message["params"])
            elif op == "points":
                body = adapter.points(message)
            elif op == "artifact":
                body = adapter.artifact(message["path"], message.get("name"))
            elif op == "finish":
                body = adapter.finish(message["status"], message.get("exitCode"), message.get("endTime"))
                finished = True
            else:
                raise SdkError("protocol", ValueError(f"unknown op {op!r}"))
            reply({"id": rid, "ok": True, **(body or {})})
        except SdkError as exc:
            traceback.print_exception(exc.cause, file=sys.stderr)
            reply({"id": rid, "ok": False, "error": {"call": exc.call, "type": type(exc.cause).__name__, "message": str(exc.cause)}})
        except Exception as exc:  # noqa: BLE001 - a bug of the bridge: named as such, the process goes on
            traceback.print_exc(file=sys.stderr)
            reply({"id": rid, "ok": False, "error": {"call": f"tracelet_bridge {op}", "type": type(exc).__name__, "message": str(exc)}})
        if finished:
            break
    # stdin closed without finish (the extension went away): make what was accepted durable, leave the run open for recovery.
    if adapter is not None and not finished:
        try:
            adapter.abandon()
        except Exception:  # noqa: BLE001
            traceback.print_exc(file=sys.stderr)
    sys.stderr.flush()
    # Skip the SDKs' atexit hooks: they would mark an abandoned run finished (W&B) or wait on uploads.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
