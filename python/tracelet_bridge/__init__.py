"""Tracelet's bridge to the Python SDKs of experiment trackers (W&B, ClearML, Aim).

Started by the extension as ``python -m tracelet_bridge <backend>``; speaks the JSON-lines protocol
described in docs/python-bridge.md over stdin/stdout. Nothing here is imported by user code.
"""

PROTOCOL_VERSION = 1
