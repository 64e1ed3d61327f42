#!/usr/bin/env bash
# npm run demo: serves VS Code (code-server) with the Tracelet extension built from this checkout,
# opened on examples/demo-workspace, and prints the address to open in a browser. Ctrl+C stops it.
#   PORT=8080 npm run demo        a fixed port instead of a free one
#   TRACELET_DEMO_DIR=...         where the extension copy, user data and log go (default .cache/demo)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DEMO="${TRACELET_DEMO_DIR:-$ROOT/.cache/demo}"
WORKSPACE="$ROOT/examples/demo-workspace"
CODE_SERVER="$ROOT/.cache/code-server/node_modules/.bin/code-server"

bash scripts/install-e2e.sh
if [ ! -x node_modules/.bin/esbuild ]; then
  echo "demo: installing the project's dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
if ! build_output="$(npm run --silent build 2>&1)"; then
  echo "$build_output" >&2
  echo "demo: npm run build failed" >&2
  exit 1
fi

# The extension as VS Code installs it: <extensions-dir>/<publisher>.<name>-<version>/.
id="$(node -p "const p = require('./package.json'); p.publisher + '.' + p.name + '-' + p.version")"
rm -rf "$DEMO/extensions"
mkdir -p "$DEMO/extensions/$id" "$DEMO/user-data/User"
for f in package.json dist media README.md CHANGELOG.md LICENSE; do
  if [ -e "$f" ]; then cp -R "$f" "$DEMO/extensions/$id/"; fi
done
# User data is kept between demos (layout, open editors); start from quiet defaults the first time.
if [ ! -f "$DEMO/user-data/User/settings.json" ]; then
  cat >"$DEMO/user-data/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "git.openRepositoryInParentFolders": "never"
}
EOF
fi
printf 'auth: none\n' >"$DEMO/code-server.yaml"

if [ -z "${PORT:-}" ]; then
  PORT="$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); })")"
fi
URL="http://127.0.0.1:$PORT/?folder=$(node -p "encodeURIComponent(process.argv[1]).replace(/%2F/g, '/')" "$WORKSPACE")"
LOG="$DEMO/code-server.log"

"$CODE_SERVER" --auth none --bind-addr "127.0.0.1:$PORT" --config "$DEMO/code-server.yaml" \
  --user-data-dir "$DEMO/user-data" --extensions-dir "$DEMO/extensions" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  "$WORKSPACE" >"$LOG" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 300); do
  if grep -q "HTTP server listening on http://127.0.0.1:$PORT" "$LOG"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$LOG" >&2
    echo "demo: code-server exited before it listened (log: $LOG)" >&2
    exit 1
  fi
  sleep 0.2
done
grep -q "HTTP server listening" "$LOG" || { cat "$LOG" >&2; echo "demo: code-server did not listen within 60 s" >&2; exit 1; }

cat <<EOF

  Tracelet demo: VS Code with the Tracelet extension $id, on examples/demo-workspace

  Open this address in a browser:

    $URL

  Then click the Tracelet icon in the activity bar, and see examples/demo-workspace/README.md.
  code-server log: $LOG
  Press Ctrl+C to stop.

EOF
wait "$pid"
