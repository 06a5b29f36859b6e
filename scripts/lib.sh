# shellcheck shell=bash
# Small helpers the scripts share (sourced by bootstrap.sh, build-images, chart-check).

# The major version of the node binary $1 (0 when it cannot run).
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Installs Debian packages that are missing (CI and fresh machines run as root).
ensure_apt_packages() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  local sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  printf '[%s] installing Debian packages: %s\n' "$(basename "$0")" "${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
