"""The last step a W&B run file holds, read by the file's documented format (docs/python-bridge.md):
a 7-byte header, 32 KiB blocks of CRC-checked records, each a wandb_internal_pb2.Record."""

import struct
import zlib

BLOCK = 32768
HEADER = 7


def records(data):
    """The payloads of the records that read; stops at a torn or damaged tail."""
    if data[:4] != b":W&B":
        return
    pos, pending = HEADER, b""
    while pos + HEADER <= len(data):
        left = BLOCK - pos % BLOCK
        if left < HEADER:
            pos += left
            continue
        checksum, length, kind = struct.unpack_from("<IHB", data, pos)
        if kind == 0 and length == 0:
            pos += left
            continue
        payload = data[pos + HEADER : pos + HEADER + length]
        if len(payload) < length or zlib.crc32(payload, zlib.crc32(bytes([kind]))) & 0xFFFFFFFF != checksum:
            return
        pos += HEADER + length
        if kind == 1:
            yield payload
        elif kind == 2:
            pending = payload
        elif kind == 3:
            pending += payload
        elif kind == 4:
            yield pending + payload
            pending = b""


def last_history_step(path):
    """The `_step` of the last history row in the file, or None when it holds none."""
    from wandb.proto import wandb_internal_pb2 as pb

    with open(path, "rb") as f:
        data = f.read()
    last = None
    record = pb.Record()
    for raw in records(data):
        record.ParseFromString(raw)
        if record.WhichOneof("record_type") == "history":
            if record.history.HasField("step"):
                last = record.history.step.num
            else:
                for item in record.history.item:
                    if item.key == "_step":
                        last = int(float(item.value_json))
    return last
