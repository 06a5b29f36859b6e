#!/usr/bin/env bash
# Starts a throwaway MariaDB (Unix socket only, no TCP port), the PlanetScale
# HTTP simulator in front of it, applies control-plane/migrations and seeds the
# directory, then prints "planetscale-sim ready" and runs until SIGTERM.
#
# Environment:
#   SIMULATOR_HOST, SIMULATOR_PORT                listen address (127.0.0.1:3900)
#   SIMULATOR_USERNAME, SIMULATOR_PASSWORD        the credentials in DATABASE_URL (dev/dev)
#   DIRECTORY_FILE                                directory JSON to seed (default: the demo data)
set -euo pipefail
cd /app
log() { printf '[planetscale-sim] %s\n' "$*"; }

dir=$(mktemp -d /tmp/planetscale-sim.XXXXXX)
socket="$dir/mariadb.sock"
settings=(--no-defaults --innodb-buffer-pool-size=64M --innodb-log-file-size=16M
  --innodb-flush-log-at-trx-commit=2 --character-set-server=utf8mb4
  --collation-server=utf8mb4_unicode_ci --default-time-zone=+00:00 --skip-name-resolve)

pids=()
# shellcheck disable=SC2317  # invoked by the trap
stop() {
  trap - TERM INT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  rm -rf "$dir"
  exit 0
}
trap stop TERM INT

if ! mariadb-install-db "${settings[@]}" --datadir="$dir/data" --auth-root-authentication-method=normal \
  --skip-test-db >"$dir/install.log" 2>&1; then
  cat "$dir/install.log" >&2
  exit 1
fi
mariadbd "${settings[@]}" --skip-networking --socket="$socket" --datadir="$dir/data" \
  --pid-file="$dir/mariadb.pid" 2>"$dir/mariadb.log" &
pids+=($!)
for _ in $(seq 1 300); do
  mariadb-admin --no-defaults --socket="$socket" -uroot ping >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$dir/mariadb.log" >&2; exit 1; }
  sleep 0.1
done
mariadb --no-defaults --socket="$socket" -uroot \
  -e 'CREATE DATABASE groupcall CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'
log "MariaDB $(mariadbd --version | awk '{print $3}') up on $socket"

node control-plane/tools/planetscale-simulator/cli.ts \
  --mysql "mysql://root@localhost/groupcall?socketPath=$(node -p 'encodeURIComponent(process.argv[1])' "$socket")" \
  --host "$SIMULATOR_HOST" --port "$SIMULATOR_PORT" \
  --username "$SIMULATOR_USERNAME" --password "$SIMULATOR_PASSWORD" &
pids+=($!)
for _ in $(seq 1 300); do
  (exec 3<>"/dev/tcp/$SIMULATOR_HOST/$SIMULATOR_PORT") 2>/dev/null && break
  kill -0 "${pids[1]}" 2>/dev/null || exit 1
  sleep 0.1
done

export DATABASE_URL="http://$SIMULATOR_USERNAME:$SIMULATOR_PASSWORD@$SIMULATOR_HOST:$SIMULATOR_PORT"
node control-plane/tools/migrations/cli.ts
node control-plane/tools/seed/cli.ts ${DIRECTORY_FILE:+--file "$DIRECTORY_FILE"}
log "planetscale-sim ready on http://$SIMULATOR_HOST:$SIMULATOR_PORT"

# Runs until a signal (stop) or until MariaDB or the simulator exits (an error).
wait -n "${pids[@]}" || true
log "a process exited unexpectedly" >&2
cat "$dir/mariadb.log" >&2
exit 1
