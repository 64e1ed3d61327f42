#!/usr/bin/env bash
# The README's first command: installs everything the tests need on a fresh machine, then runs unit and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm test
