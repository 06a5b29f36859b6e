#!/bin/sh
# Runtime stage of the images with a mediasoup-worker: installs the Debian
# packages of the shared libraries the binary links (the worker stage listed
# them in runtime-packages beside it: none beyond libc for mediasoup's static
# prebuilt worker, libuv1 libusrsctp2 libabsl20220623 for the offline build,
# which links OpenSSL and libsrtp2 statically), then leaves no apt state behind: `apt-get update` alone
# writes ~80 MB of package caches into the layer.
#
# Usage: install-worker-libraries.sh DIR   (DIR holds mediasoup-worker and runtime-packages)
set -eu
dir=${1:?usage: install-worker-libraries.sh DIR}
missing=
for package in $(cat "$dir/runtime-packages"); do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  apt-get clean
  rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log
fi
if ldd "$dir/mediasoup-worker" | grep 'not found'; then exit 1; fi
echo "mediasoup-worker libraries installed:${missing:- none needed}"
