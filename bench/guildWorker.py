# The Guild AI contender of bench/stdout.bench.ts: Guild's own output-scalar code, OutputScalars from
# guild/summary.py with DEFAULT_OUTPUT_SCALARS (what `guild run` applies to every line a run prints),
# on the same log file as ours, in its own process. Lines are cut as guild's RunOutput cuts them
# (bytes below 9 dropped, a line ends at LF), but with bytes.split rather than its per-byte loop, so
# Guild's figure leaves out a cost it has in use. Only the TensorBoard event writer is replaced, by a
# recorder: ours is timed parsing alone too.
# Args: log file, timed passes, file for the records (round 0 only) or -. Prints one JSON line.
import json
import math
import os
import sys
import tempfile
import time

from guild import summary

DROPPED = bytes(range(9))


class Recorder:
    """Takes add_scalar() calls in place of OutputScalars' event-file writer."""

    def __init__(self, keep):
        self.count = 0
        self.line = 0
        self.keep = keep

    def add_scalar(self, key, val, step=None):
        self.count += 1
        if self.keep is not None:
            self.keep.append((self.line, key, val, step))

    def flush(self):
        pass

    def close(self):
        pass


def parse(lines, keep=None):
    scalars = summary.OutputScalars(summary.DEFAULT_OUTPUT_SCALARS, tempfile.gettempdir())
    recorder = scalars._writer = Recorder(keep)
    for number, line in enumerate(lines, 1):
        recorder.line = number
        scalars.write(line)
    return recorder.count


def split(data):
    lines = data.translate(None, DROPPED).split(b"\n")
    return lines if lines[-1] else lines[:-1]


def value(v):
    return v if math.isfinite(v) else ("NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity"))


def median(xs):
    s = sorted(xs)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def main():
    log_file, passes, records_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(log_file, "rb") as f:
        data = f.read()
    megabytes = len(data) / 1e6
    parse(split(data[:4_000_000]))
    wall, cpu, count = [], [], 0
    for _ in range(passes):
        c0, t0 = time.process_time(), time.perf_counter()
        count = parse(split(data))
        wall.append(megabytes / (time.perf_counter() - t0))
        cpu.append(megabytes / (time.process_time() - c0))
    if os.environ.get("BENCH_ROUND") == "0" and records_file != "-":
        kept = []
        parse(split(data), kept)
        with open(records_file, "w") as f:
            f.writelines(json.dumps([line, key, value(val), step]) + "\n" for line, key, val, step in kept)
    print(json.dumps({"figures": {"mbs": median(wall), "cpuMbs": median(cpu), "records": count}}))


main()
