#!/usr/bin/env bash
# Makes .cache/venv-guild/ (git-ignored, as all of .cache/) with Guild AI pinned in
# bench/requirements-guild.txt, for bench/stdout.bench.ts, which runs this script itself. Idempotent:
# a stamp records the hash of the pins and the venv's Python version, so a second run returns at once.
# Environment: TRACELET_PYTHON picks the interpreter (default python3). Fails, saying why, without
# Python or PyPI: the stdout benchmark has no peer then.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=bench/requirements-guild.txt
venv=.cache/venv-guild
stamp=$venv/.tracelet-guild-stamp
python=${TRACELET_PYTHON:-python3}

command -v "$python" >/dev/null 2>&1 || { echo "setup-guild: '$python' not found; install Python 3.8 to 3.11 (or set TRACELET_PYTHON)" >&2; exit 1; }

pins_hash=$(sha256sum "$requirements" | cut -d' ' -f1)
want() { echo "$pins_hash $("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo none)"; }

if [[ -x $venv/bin/python && -f $stamp && "$(cat "$stamp")" == "$(want)" ]]; then
  exit 0
fi

started=$(date +%s)
rm -rf "$venv"
mkdir -p .cache
"$python" -m venv "$venv" || { echo "setup-guild: '$python -m venv' failed (on Debian: apt-get install python3-venv)" >&2; exit 1; }
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet --requirement "$requirements" || { echo "setup-guild: pip install -r $requirements failed" >&2; exit 1; }
"$venv/bin/python" -c 'from guild import summary; summary.OutputScalars' || { echo "setup-guild: guild.summary.OutputScalars does not import" >&2; exit 1; }
want >"$stamp"
echo "setup-guild: installed $(grep -v '^#' "$requirements" | paste -sd' ') into $venv in $(($(date +%s) - started)) s"
