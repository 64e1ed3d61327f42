#!/usr/bin/env bash
# Creates the git-ignored .venv/ holding the Python peers of the tests (MLflow server and client,
# TensorBoard, tensorboardX) pinned in requirements-peers.txt. Idempotent: a stamp file records the
# hash of the pins and the venv's Python version, so a second run returns at once. pip's own cache
# (~/.cache/pip) is used, so a rebuilt venv downloads nothing.
# Environment: TRACELET_PYTHON picks the interpreter (default python3). Without Python or PyPI the script
# warns and succeeds, and the peer tests skip with the reason; under TRACELET_REQUIRE_PEERS=1 (.ci/run) it fails.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=requirements-peers.txt
venv=.venv
stamp=$venv/.tracelet-peers-stamp
python=${TRACELET_PYTHON:-python3}

give_up() {
  if [[ ${TRACELET_REQUIRE_PEERS:-} == 1 ]]; then
    echo "setup-python: $1 (TRACELET_REQUIRE_PEERS=1: the peers are required)" >&2
    exit 1
  fi
  echo "setup-python: $1; the MLflow and TensorBoard peer tests will be skipped" >&2
  exit 0
}

command -v "$python" >/dev/null 2>&1 || give_up "'$python' not found; install Python 3.9 or newer (or set TRACELET_PYTHON)"

pins_hash=$(sha256sum "$requirements" | cut -d' ' -f1)
want() { echo "$pins_hash $("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo none)"; }

if [[ -x $venv/bin/python && -f $stamp && "$(cat "$stamp")" == "$(want)" ]]; then
  echo "setup-python: $venv is up to date ($(grep -v '^#' "$requirements" | paste -sd' '))"
  exit 0
fi

started=$(date +%s)
rm -f "$stamp"
if ! "$venv/bin/python" -c '' >/dev/null 2>&1; then
  rm -rf "$venv"
  "$python" -m venv "$venv" || give_up "'$python -m venv' failed (on Debian: apt-get install python3-venv)"
fi
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet --requirement "$requirements" || give_up "pip install -r $requirements failed"
"$venv/bin/python" -c 'import mlflow, tensorboard, tensorboardX' || give_up "the installed peers do not import"
want >"$stamp"
echo "setup-python: installed $requirements into $venv in $(($(date +%s) - started)) s"
