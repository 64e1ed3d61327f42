#!/usr/bin/env bash
# Creates the git-ignored .cache/venv-corpus/ holding the training libraries whose real terminal output makes the
# stdout corpus (XGBoost, LightGBM, CatBoost, scikit-learn, Keras 3 on JAX, river, Optuna, …); CPU wheels only, no
# PyTorch.
#   scripts/setup-corpus.sh        the full list, requirements-corpus.txt (~1.5 GB: jax, catboost, …), for
#                                  re-capturing the corpus by hand (test/corpus/capture.py)
#   scripts/setup-corpus.sh live   only what the live corpus test runs, requirements-corpus-live.txt (XGBoost,
#                                  LightGBM and their numpy/scipy); what the unit tests and CI install
# Both go into the same venv (the live pins are a subset of the full ones, at the same versions). Idempotent: a stamp
# file per list records the hash of its pins and the venv's Python version, so a second run returns at once. pip's
# own cache (~/.cache/pip) is used, so a rebuilt venv downloads nothing. The committed captures in
# test/fixtures/stdout-corpus/ need none of this.
# Environment: TRACELET_PYTHON picks the interpreter (default python3). Without Python or PyPI the script warns and
# succeeds, and the live corpus test skips with the reason; under TRACELET_REQUIRE_CORPUS=1 it fails instead.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.cache/venv-corpus
case ${1:-full} in
  full)
    requirements=requirements-corpus.txt
    stamp=$venv/.tracelet-corpus-stamp
    modules='xgboost, lightgbm, catboost, sklearn, keras, jax, river, statsmodels, optuna, vowpalwabbit'
    ;;
  live)
    requirements=requirements-corpus-live.txt
    stamp=$venv/.tracelet-corpus-live-stamp
    modules='xgboost, lightgbm'
    ;;
  *)
    echo "usage: $0 [full|live]" >&2
    exit 2
    ;;
esac
python=${TRACELET_PYTHON:-python3}

give_up() {
  if [[ ${TRACELET_REQUIRE_CORPUS:-} == 1 ]]; then
    echo "setup-corpus: $1 (TRACELET_REQUIRE_CORPUS=1: the corpus libraries are required)" >&2
    exit 1
  fi
  echo "setup-corpus: $1; the live stdout-corpus test will be skipped" >&2
  exit 0
}

command -v "$python" >/dev/null 2>&1 || give_up "'$python' not found; install Python 3.10 or newer (or set TRACELET_PYTHON)"

pins_hash=$(sha256sum "$requirements" | cut -d' ' -f1)
want() { echo "$pins_hash $("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo none)"; }

if [[ -x $venv/bin/python && -f $stamp && "$(cat "$stamp")" == "$(want)" ]]; then
  echo "setup-corpus: $venv is up to date"
  exit 0
fi

started=$(date +%s)
rm -f "$stamp"
mkdir -p .cache
if ! "$venv/bin/python" -c '' >/dev/null 2>&1; then
  rm -rf "$venv"
  "$python" -m venv "$venv" || give_up "'$python -m venv' failed (on Debian: apt-get install python3-venv)"
fi
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet --requirement "$requirements" || give_up "pip install -r $requirements failed"
KERAS_BACKEND=jax "$venv/bin/python" -c "import $modules" ||
  give_up "the installed corpus libraries do not import"
want >"$stamp"
echo "setup-corpus: installed $requirements into $venv in $(($(date +%s) - started)) s"
