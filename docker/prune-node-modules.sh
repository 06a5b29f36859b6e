#!/bin/sh
# Deletes what a production node_modules ships but Node never loads at run
# time: source maps, TypeScript declarations and Markdown documentation
# (licence files stay). About half of the services' dependency trees by size
# (@kubernetes/client-node alone carries ~45 MB of declarations and maps).
# Used by the image builds' dependency stages; never run it on a checkout.
#
# Usage: prune-node-modules.sh DIR   (DIR holds node_modules, e.g. /app)
# pnpm keeps every package's files under DIR/node_modules/.pnpm; the links
# beside it and in the workspace packages' node_modules are not followed.
set -eu
dir=${1:?usage: prune-node-modules.sh DIR}
before=$(du -sk "$dir/node_modules" | cut -f1)
find "$dir/node_modules" -type f \( \
  -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o \
  \( -iname '*.md' ! -iname 'licen[cs]e*' ! -iname 'copying*' \) \
  \) -delete
after=$(du -sk "$dir/node_modules" | cut -f1)
echo "prune-node-modules: $dir/node_modules $((before / 1024)) MB -> $((after / 1024)) MB"
