"""The wire format: one JSON object per line each way (docs/python-bridge.md)."""

import json
import math
import os
import sys

_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def claim_stdout():
    """Keeps the real stdout for the protocol and points fd 1 at stderr, so that SDK prints
    (and the subprocesses SDKs start) can never corrupt the protocol stream."""
    proto_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(proto_fd, "w", encoding="utf-8", newline="\n", buffering=1)


def decode_value(raw):
    """A point's value: a JSON number, or "NaN" / "Infinity" / "-Infinity"."""
    if isinstance(raw, str):
        return _SPECIAL[raw]
    return float(raw)


def decode_points(message):
    """(name, value, step or None, time in ms) for each point of a `points` request."""
    names = message["names"]
    for index, value, step, time in message["points"]:
        yield names[index], decode_value(value), (None if step is None else int(step) if float(step).is_integer() else step), time


def encode(obj):
    return json.dumps(obj, allow_nan=False, separators=(",", ":"), default=str)
