#!/bin/sh
# Installs the production dependencies of one workspace package and the
# workspace packages it uses, in an image build's dependency stage: the pnpm
# version the repository pins (packageManager), then `pnpm install --prod`
# filtered to that package, from the lockfile only. Build stages only.
#
# Usage: install-production-deps.sh PACKAGE   (e.g. @groupcall/control-plane)
# Run in the directory holding the workspace manifests (/app). EXTRA_CA_CERTS
# (PEM, optional): certificates to trust for the npm registry (a TLS-inspecting
# proxy's CA); they never outlive this script.
set -eu
package=${1:?usage: install-production-deps.sh PACKAGE}
if [ -n "${EXTRA_CA_CERTS:-}" ]; then
  printf '%s\n' "$EXTRA_CA_CERTS" > /tmp/build-ca.pem
  export NODE_EXTRA_CA_CERTS=/tmp/build-ca.pem
fi
pnpm_version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
npm install --global --no-fund --no-audit --loglevel=error "pnpm@$pnpm_version"
pnpm install --frozen-lockfile --prod --filter "$package..." --reporter=append-only
rm -f /tmp/build-ca.pem
