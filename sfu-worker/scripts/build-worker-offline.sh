#!/usr/bin/env bash
# Builds the mediasoup-worker binary from the sources shipped in the installed
# `mediasoup` npm package, with no network access beyond apt (Debian's binary
# and source packages) and the local Python wheel index.
#
# Why: mediasoup's own postinstall downloads a prebuilt worker from GitHub and
# falls back to a meson build whose subprojects are downloaded too. Neither is
# reachable on an offline machine. Each subproject becomes a small shim folder
# that binds a library from Debian instead; no mediasoup source file changes.
#
#  - libuv, abseil, usrsctp, nlohmann-json: Debian 12 packages.
#  - OpenSSL 3.5: built here from trixie's source package, static. Debian 12's
#    OpenSSL 3.0 crashes mediasoup >= 3.13 on the first DTLS handshake with a
#    browser (SIGSEGV in SSL_read: those workers send DTLS from a BIO callback
#    inside OpenSSL's own write, which 3.0 does not survive; mediasoup's own
#    builds use 3.5). Static, so the image needs no OpenSSL of its own.
#  - libsrtp2: built here from Debian 12's source package, static, with its
#    OpenSSL crypto backend on that OpenSSL. (Debian's libsrtp2.so uses NSS,
#    which costs about half of the Worker's CPU per forwarded packet.)
#  - FlatBuffers (mediasoup >= 3.13): flatc and headers from trixie's 23.5.26
#    source package (no Debian suite has the 24.x mediasoup pins).
#  - liburing (mediasoup 3.13.7 to 3.20.6): trixie's 2.9 source, static.
#  - mediasoup >= 3.13.17 calls the libsrtp 3 API of versatica's fork:
#    sfu-worker/worker-compat/libsrtp3-on-libsrtp2 translates it to 2.x calls.
#  - mediasoup >= 3.21 includes ankerl::unordered_dense, packaged nowhere:
#    sfu-worker/worker-compat/unordered-dense-on-std stands in for it.
#
# What the package needs is read from its worker sources (wrap files, meson.build),
# not from its version number.
#
# Everything downloaded or built besides the worker (sources, static libraries,
# meson) is cached in $GROUPCALL_WORKER_BUILD_CACHE (default
# ${GROUPCALL_CACHE_DIR:-~/.cache/groupcall}/worker-build), so a second build needs
# no network. Next to the binary goes <binary>.build.json, the build record that
# benchmarks and logs read.
#
# Usage: build-worker-offline.sh <mediasoup-package-dir> <output-binary-path>
#        build-worker-offline.sh --libsrtp2   (only OpenSSL and libsrtp2 above; prints
#                                              the libsrtp2 prefix, then OpenSSL's, one per
#                                              line: the worker-compat tests link both)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
compat=$(cd "$here/../worker-compat" && pwd)
libsrtp2_only=0
if [ "${1:-}" = --libsrtp2 ]; then
  libsrtp2_only=1
else
  pkg_dir=$(cd "$1" && pwd)
  out_bin=$2
fi
cache=${GROUPCALL_WORKER_BUILD_CACHE:-${GROUPCALL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/groupcall}/worker-build}
work=$(mktemp -d "${TMPDIR:-/tmp}/mediasoup-worker-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
started=$SECONDS
jobs=$(nproc)

log() { printf '[worker-build %3ds] %s\n' "$((SECONDS - started))" "$*" >&2; }
# Runs a build step quietly; its log is shown only when it fails.
quiet() { # log-name, command...
  local name=$1
  shift
  "$@" >"$work/$name.log" 2>&1 || { tail -40 "$work/$name.log" >&2; log "FAILED: $name"; exit 1; }
}

# ---- versions of what is built from Debian source packages
OPENSSL=3.5.7-1~deb13u2 # trixie
LIBSRTP2=2.5.0-3 # bookworm: the same release Debian 12 ships, built with OpenSSL instead of NSS
FLATBUFFERS=23.5.26+dfsg-4 # trixie
LIBURING=2.9-1 # trixie (bookworm's 2.3 lacks io_uring_major_version)

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
ensure_packages() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  log "installing build packages with apt: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
ensure_packages ninja-build pkg-config g++ python3-venv dpkg-dev binutils perl make

mkdir -p "$cache/src" "$cache/deps"

# Downloads a Debian source package (name=version) into the cache, once, with a
# private sources list (deb-src lines for bookworm and trixie), so the machine's
# own apt configuration stays as it is. Prints the directory it unpacked to.
apt_src_dir="$cache/apt"
apt_source_opts=(-o "Dir::Etc::SourceList=$apt_src_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$apt_src_dir/lists" -o Dir::Cache="$apt_src_dir/cache" -o APT::Sandbox::User=root)
debian_source() { # name, version
  local name=$1 ver=$2 dir="$cache/src/$1-$2"
  if [ ! -f "$dir/.unpacked" ]; then
    if ! ls "$cache/src/${name}_${ver#*:}.dsc" >/dev/null 2>&1; then
      log "downloading Debian source package $name $ver (apt-get source)"
      mkdir -p "$apt_src_dir/lists/partial" "$apt_src_dir/cache"
      printf 'deb-src http://deb.debian.org/debian %s main\n' bookworm trixie >"$apt_src_dir/sources.list"
      quiet apt-update apt-get "${apt_source_opts[@]}" update
      (cd "$cache/src" && quiet "apt-source-$name" apt-get "${apt_source_opts[@]}" source --download-only "$name=$ver")
    fi
    rm -rf "$dir"
    # dpkg-source checks the tarballs against the .dsc's checksums and applies Debian's patches.
    (cd "$cache/src" && quiet "unpack-$name" dpkg-source -x "${name}_${ver#*:}.dsc" "$dir")
    touch "$dir/.unpacked"
  fi
  printf '%s\n' "$dir"
}

# ---- meson >= 1.1 (Debian 12 ships 1.0.1), from pip into a cached virtualenv
meson="$cache/meson-venv/bin/meson"
if [ ! -x "$meson" ]; then
  log "preparing meson in a private virtualenv"
  rm -rf "$cache/meson-venv"
  python3 -m venv "$cache/meson-venv"
  quiet pip "$cache/meson-venv/bin/pip" install --retries 0 --timeout 10 'meson>=1.1'
fi

# ---- OpenSSL, static: libcrypto for libsrtp2, libssl and libcrypto for the worker's DTLS
ossl_prefix="$cache/deps/openssl-${OPENSSL%%-*}"
if [ ! -f "$ossl_prefix/.done" ]; then
  dir=$(debian_source openssl "$OPENSSL")
  log "building OpenSSL ${OPENSSL%%-*} (static; about 3 minutes on 2 cores)"
  rm -rf "$ossl_prefix" "$work/openssl"
  cp -r "$dir" "$work/openssl"
  (cd "$work/openssl" &&
    quiet openssl-configure ./config no-shared no-tests no-docs no-apps --prefix="$ossl_prefix" --libdir=lib &&
    quiet openssl-build make -j "$jobs" build_libs && quiet openssl-install make install_dev)
  touch "$ossl_prefix/.done"
fi
# libsrtp2's and the worker's dependency('openssl') find it, and only it, through pkg-config.
export PKG_CONFIG_PATH="$ossl_prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
openssl_version=$(pkg-config --modversion openssl)
[ "$openssl_version" = "${OPENSSL%%-*}" ] ||
  { log "pkg-config finds OpenSSL $openssl_version, not the ${OPENSSL%%-*} built in $ossl_prefix"; exit 1; }

# ---- libsrtp2, static, OpenSSL crypto
srtp_prefix="$cache/deps/libsrtp2-$LIBSRTP2-openssl-${OPENSSL%%-*}"
if [ ! -f "$srtp_prefix/.done" ]; then
  dir=$(debian_source libsrtp2 "$LIBSRTP2")
  log "building libsrtp2 $LIBSRTP2 (static, OpenSSL crypto)"
  rm -rf "$srtp_prefix" "$work/srtp"
  quiet srtp-setup "$meson" setup "$work/srtp" "$dir" --prefix="$srtp_prefix" --libdir=lib \
    --buildtype=release -Db_ndebug=true -Ddefault_library=static -Db_staticpic=true \
    -Dcrypto-library=openssl -Dcrypto-library-kdf=disabled -Dtests=disabled -Ddoc=disabled -Dpcap-tests=disabled
  quiet srtp-build ninja -C "$work/srtp" install
fi
# The whole point of building it: its ciphers must call OpenSSL's EVP (AES-NI), not NSS.
[ "$(nm "$srtp_prefix/lib/libsrtp2.a" 2>/dev/null | grep -c ' U EVP_EncryptUpdate')" -gt 0 ] ||
  { log "libsrtp2 in $srtp_prefix does not use OpenSSL"; exit 1; }
touch "$srtp_prefix/.done"

if ((libsrtp2_only)); then
  printf '%s\n' "$srtp_prefix" "$ossl_prefix"
  exit 0
fi

version=$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$pkg_dir/package.json" | head -1)
src_worker="$pkg_dir/worker"
has_wrap() { [ -f "$src_worker/subprojects/$1.wrap" ]; }

needs_flatbuffers=0 needs_uring=0 needs_usrsctp=0 needs_abseil=0 needs_nlohmann=0
needs_dense=0 srtp_api=2 srtp_opaque_policy=0
has_wrap flatbuffers && needs_flatbuffers=1
has_wrap liburing && [ "$(uname -r | cut -d. -f1)" -ge 6 ] && needs_uring=1
has_wrap usrsctp && needs_usrsctp=1
has_wrap abseil-cpp && needs_abseil=1
has_wrap nlohmann_json && needs_nlohmann=1
grep -q "dependency('unordered_dense')" "$src_worker/meson.build" && needs_dense=1
has_wrap libsrtp3 && srtp_api=3
grep -q 'srtp_policy_create' "$src_worker/src/RTC/SrtpSession.cpp" && srtp_opaque_policy=1

build_packages=(libuv1-dev)
((needs_flatbuffers)) && build_packages+=(cmake)
((needs_usrsctp)) && build_packages+=(libusrsctp-dev)
((needs_abseil)) && build_packages+=(libabsl-dev)
((needs_nlohmann)) && build_packages+=(nlohmann-json3-dev)
ensure_packages "${build_packages[@]}"

# ---- FlatBuffers: flatc and headers
fb_prefix="$cache/deps/flatbuffers-$FLATBUFFERS"
if ((needs_flatbuffers)) && [ ! -f "$fb_prefix/.done" ]; then
  dir=$(debian_source flatbuffers "$FLATBUFFERS")
  log "building FlatBuffers $FLATBUFFERS (flatc and library; about 2 minutes on 2 cores)"
  rm -rf "$fb_prefix" "$work/fb"
  quiet fb-setup cmake -S "$dir" -B "$work/fb" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$fb_prefix" -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DFLATBUFFERS_BUILD_TESTS=OFF -DFLATBUFFERS_BUILD_FLATHASH=OFF -DFLATBUFFERS_BUILD_FLATLIB=ON \
    -DFLATBUFFERS_BUILD_FLATC=ON
  quiet fb-build ninja -C "$work/fb" -j "$jobs" install
  touch "$fb_prefix/.done"
fi

# ---- liburing, static
uring_prefix="$cache/deps/liburing-$LIBURING"
if ((needs_uring)) && [ ! -f "$uring_prefix/.done" ]; then
  dir=$(debian_source liburing "$LIBURING")
  log "building liburing $LIBURING (static)"
  rm -rf "$uring_prefix" "$work/uring"
  cp -r "$dir" "$work/uring"
  (cd "$work/uring" && quiet uring-configure ./configure --prefix="$uring_prefix" --libdir="$uring_prefix/lib" &&
    quiet uring-build make -j "$jobs" -C src install ENABLE_SHARED=0)
  touch "$uring_prefix/.done"
fi

log "copying mediasoup $version worker sources from $src_worker"
cp -r "$src_worker" "$work/worker"
sub="$work/worker/subprojects"
rm -f "$sub"/*.wrap

# Each subproject becomes a shim that binds the library built or installed above
# and exports the variables the worker's meson.build reads. The *_lib variables
# are linked with link_whole, so they are empty static libraries: the real code
# comes through the dependencies.
shim() { # name, meson.build body, [option lines]
  mkdir -p "$sub/$1"
  printf "project('%s', 'c', 'cpp')\nempty = static_library('%s-empty', [])\n%s\n" "$1" "$1" "$2" >"$sub/$1/meson.build"
  printf '%s\n' "${3:-}" >"$sub/$1/meson_options.txt"
}
shim openssl "openssl_dep = dependency('openssl', static: true)
libcrypto_lib = empty
libssl_lib = empty"
shim libuv "libuv_dep = dependency('libuv')
libuv = empty" "option('build_tests', type: 'boolean', value: false)
option('build_benchmarks', type: 'boolean', value: false)"
srtp_options="option('crypto-library', type: 'string', value: 'openssl')
option('crypto-library-kdf', type: 'string', value: 'disabled')
option('tests', type: 'string', value: 'disabled')"
# The libsrtp 3 glue comes first on the include path: its srtp.h includes the
# real one with #include_next.
srtp_includes="'-I$srtp_prefix/include/srtp2'"
((srtp_api == 3)) && srtp_includes="'-I$compat/libsrtp3-on-libsrtp2', $srtp_includes"
((srtp_opaque_policy)) && srtp_includes="$srtp_includes, '-DGROUPCALL_SRTP3_OPAQUE_POLICY=1'"
shim "libsrtp$srtp_api" "libsrtp${srtp_api}_dep = declare_dependency(
  compile_args: [$srtp_includes],
  link_args: ['$srtp_prefix/lib/libsrtp2.a'],
  dependencies: dependency('openssl', static: true))
libsrtp$srtp_api = empty" "$srtp_options"
((needs_nlohmann)) && shim nlohmann_json "nlohmann_json_dep = dependency('nlohmann_json')"
((needs_usrsctp)) && shim usrsctp "usrsctp_dep = dependency('usrsctp')
usrsctp = empty" "option('sctp_build_programs', type: 'boolean', value: false)"
((needs_abseil)) && shim abseil-cpp "absl_container_dep = declare_dependency(dependencies: [
  dependency('absl_flat_hash_map'), dependency('absl_flat_hash_set'),
  dependency('absl_btree'), dependency('absl_inlined_vector')])
absl_strings_dep = dependency('absl_strings')
absl_types_dep = dependency('absl_optional')
absl_container_lib = empty"
shim catch2 "catch2_dep = declare_dependency()"
((needs_flatbuffers)) && shim flatbuffers "meson.override_find_program('flatc', find_program('$fb_prefix/bin/flatc'))
flatbuffers_dep = declare_dependency(compile_args: ['-I$fb_prefix/include'])
flatbuffers_lib = empty"
((needs_uring)) && shim liburing "uring = declare_dependency(compile_args: ['-I$uring_prefix/include'],
  link_args: ['$uring_prefix/lib/liburing.a'])
liburing = empty"
if ((needs_dense)); then
  # dependency('unordered_dense') is looked up through pkg-config.
  mkdir -p "$work/pkgconfig"
  printf 'Name: unordered_dense\nDescription: groupcall stand-in (std containers)\nVersion: 4.8.1\nCflags: -I%s\n' \
    "$compat/unordered-dense-on-std" >"$work/pkgconfig/unordered_dense.pc"
  export PKG_CONFIG_PATH="$work/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
fi

log "configuring (meson): libsrtp API $srtp_api$( ((srtp_api == 3)) && echo ' through the glue header'), io_uring $( ((needs_uring)) && echo yes || echo no), FlatBuffers $( ((needs_flatbuffers)) && echo "${FLATBUFFERS%%+*}" || echo no), unordered_dense $( ((needs_dense)) && echo 'stand-in' || echo no)"
cd "$work/worker"
quiet meson-setup "$meson" setup out --buildtype=release -Db_ndebug=true
targets=(mediasoup-worker)
# <= 3.19: the generated FBS headers are not ordered before the sources that include them.
if ((needs_flatbuffers)) && [ "$(ninja -C out -t targets all 2>/dev/null | grep -c '^fbs/FBS:')" -gt 0 ]; then
  targets=(fbs/FBS mediasoup-worker)
fi
total=$(ninja -C out -n "${targets[@]}" 2>/dev/null | grep -c '^\[' || true)
log "compiling mediasoup-worker with ninja on $jobs cores: $total steps (3.12: ~5 min, 3.19: ~7 min, 3.27: ~8.5 min on 2 cores)"
for t in "${targets[@]}"; do
  ninja -C out -j "$jobs" "$t" | awk -v total="$total" -v t0="$started" '
    /^\[[0-9]+\/[0-9]+\]/ { n++; if (n % 50 == 0) { printf "[worker-build] %d of ~%d steps\n", n, total; fflush() } }
    /error|FAILED/ { print; fflush() }' >&2
  test "${PIPESTATUS[0]}" -eq 0 || { log "FAILED: ninja $t"; exit 1; }
done

build_seconds=$((SECONDS - started))
mkdir -p "$(dirname "$out_bin")"
cp out/mediasoup-worker "$out_bin.tmp"
# Debug info goes, the symbol table stays: profiles (perf, callgrind) name functions.
strip --strip-debug "$out_bin.tmp" 2>/dev/null || true
cat >"$out_bin.build.json" <<EOF
{
  "mediasoup": "$version",
  "origin": "built here",
  "builtAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "buildSeconds": $build_seconds,
  "cores": $jobs,
  "openssl": "OpenSSL $openssl_version (Debian source, static)",
  "srtp": "libsrtp2 $LIBSRTP2 (Debian source, static) with OpenSSL $openssl_version$( ((srtp_api == 3)) && echo ', libsrtp 3 API through worker-compat glue')",
  "ioUring": $( ((needs_uring)) && echo "\"liburing $LIBURING (Debian source, static)\"" || echo null),
  "flatbuffers": $( ((needs_flatbuffers)) && echo "\"$FLATBUFFERS (Debian source)\"" || echo null),
  "unorderedDense": $( ((needs_dense)) && echo '"stand-in: std::unordered_map/set (worker-compat)"' || echo null)
}
EOF
mv "$out_bin.tmp" "$out_bin"
log "built $out_bin in $build_seconds s"
