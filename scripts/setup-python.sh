#!/usr/bin/env bash
# Creates the git-ignored .venv/ holding the Python peers of the tests (MLflow server and client,
# TensorBoard, tensorboardX) pinned in requirements-peers.txt. Idempotent: a stamp file records the
# hash of the pins and the venv's Python version, so a second run returns at once. pip's own cache
# (~/.cache/pip) is used, so a rebuilt venv downloads nothing.
# Environment: TRACELET_PYTHON picks the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=requirements-peers.txt
venv=.venv
stamp=$venv/.tracelet-peers-stamp
python=${TRACELET_PYTHON:-python3}

if ! command -v "$python" >/dev/null 2>&1; then
  echo "setup-python: '$python' not found; install Python 3.9 or newer (or set TRACELET_PYTHON) to run the MLflow and TensorBoard tests" >&2
  exit 1
fi

pins_hash=$(sha256sum "$requirements" | cut -d' ' -f1)
want() { echo "$pins_hash $("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo none)"; }

if [[ -x $venv/bin/python && -f $stamp && "$(cat "$stamp")" == "$(want)" ]]; then
  echo "setup-python: $venv is up to date ($(grep -v '^#' "$requirements" | paste -sd' '))"
  exit 0
fi

started=$(date +%s)
if ! "$venv/bin/python" -c '' >/dev/null 2>&1; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet --requirement "$requirements"
"$venv/bin/python" -c 'import mlflow, tensorboard, tensorboardX' # fail here, not in the tests, if an import is broken
want >"$stamp"
echo "setup-python: installed $requirements into $venv in $(($(date +%s) - started)) s"
