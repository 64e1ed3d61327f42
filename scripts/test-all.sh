#!/usr/bin/env bash
# The README's first command: installs everything the tests need on a fresh machine, then runs unit, integration and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
# Python peers of the MLflow and TensorBoard tests (.venv/, pinned in requirements-peers.txt); fast when already there.
bash scripts/setup-python.sh
npm test
# The integration suite (test/integration/): mocha inside the extension host of code-server, calling the
# vscode API against the installed .vsix. Installs code-server and chromium first if missing, like the e2e run.
npm run test:integration
# End-to-end: installs chromium, ripgrep and code-server (scripts/install-e2e.sh) if missing, then drives
# the extension in a real VS Code workbench. A missing browser or code-server fails the run, never skips it.
npm run test:e2e
