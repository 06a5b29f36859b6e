#!/usr/bin/env bash
# Builds the mediasoup-worker binary from the sources shipped in the installed
# `mediasoup` npm package, against Debian 12 system libraries, with no network
# access beyond apt and the local Python wheel index.
#
# Why: mediasoup's own postinstall downloads a prebuilt worker from GitHub and
# falls back to a meson build whose subprojects are downloaded too. Neither is
# reachable on an offline machine. mediasoup 3.12.x is the newest line whose
# dependencies (libsrtp2, no FlatBuffers) Debian 12 provides.
#
# Usage: build-worker-offline.sh <mediasoup-package-dir> <output-binary-path>
set -euo pipefail

pkg_dir=$(cd "$1" && pwd)
out_bin=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/mediasoup-worker-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

log() { printf '[worker-build] %s\n' "$*" >&2; }

build_packages=(ninja-build pkg-config g++ python3-venv libssl-dev libuv1-dev libsrtp2-dev
  libusrsctp-dev libabsl-dev nlohmann-json3-dev)
missing=()
for p in "${build_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing build packages with apt: ${missing[*]}"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian 12 ships meson 1.0.1; the worker needs >= 1.1. Take it from pip into a venv.
log "preparing meson in a private virtualenv"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --retries 0 --timeout 10 'meson>=1.1'
meson="$work/venv/bin/meson"

log "copying worker sources from $pkg_dir/worker"
cp -r "$pkg_dir/worker" "$work/worker"
sub="$work/worker/subprojects"
rm -f "$sub"/*.wrap

# Each subproject becomes a shim that binds the Debian library and exports the
# variables the worker's meson.build reads. The *_lib variables are linked with
# link_whole, so they are empty static libraries: the real code comes from the
# shared libraries through the dependencies.
shim() { # name, meson.build body, [option lines]
  mkdir -p "$sub/$1"
  printf "project('%s', 'c', 'cpp')\nempty = static_library('%s-empty', [])\n%s\n" "$1" "$1" "$2" > "$sub/$1/meson.build"
  printf '%s\n' "${3:-}" > "$sub/$1/meson_options.txt"
}
shim openssl "openssl_dep = dependency('openssl')
libcrypto_lib = empty
libssl_lib = empty"
shim nlohmann_json "nlohmann_json_dep = dependency('nlohmann_json')"
shim libuv "libuv_dep = dependency('libuv')
libuv = empty" "option('build_tests', type: 'boolean', value: false)
option('build_benchmarks', type: 'boolean', value: false)"
shim libsrtp2 "libsrtp2_dep = declare_dependency(
  dependencies: dependency('libsrtp2'),
  include_directories: include_directories('/usr/include/srtp2'))
libsrtp2 = empty" "option('crypto-library', type: 'string', value: 'openssl')
option('crypto-library-kdf', type: 'string', value: 'disabled')
option('tests', type: 'string', value: 'disabled')"
shim usrsctp "usrsctp_dep = dependency('usrsctp')
usrsctp = empty" "option('sctp_build_programs', type: 'boolean', value: false)"
shim abseil-cpp "absl_container_dep = declare_dependency(dependencies: [
  dependency('absl_flat_hash_map'), dependency('absl_flat_hash_set'),
  dependency('absl_btree'), dependency('absl_inlined_vector')])
absl_strings_dep = dependency('absl_strings')
absl_types_dep = dependency('absl_optional')
absl_container_lib = empty"
shim catch2 "catch2_dep = declare_dependency()"

log "configuring (meson)"
cd "$work/worker"
"$meson" setup out --buildtype=release >"$work/meson.log" 2>&1 || { cat "$work/meson.log" >&2; exit 1; }
log "compiling mediasoup-worker with ninja on $(nproc) cores (about 5 minutes on 2 cores)"
ninja -C out mediasoup-worker | awk 'NR % 25 == 0 { print "[worker-build] " $1; fflush() }' >&2
test "${PIPESTATUS[0]}" -eq 0

mkdir -p "$(dirname "$out_bin")"
cp out/mediasoup-worker "$out_bin.tmp"
strip "$out_bin.tmp" 2>/dev/null || true
mv "$out_bin.tmp" "$out_bin"
log "built $out_bin"
