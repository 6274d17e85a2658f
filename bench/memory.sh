#!/usr/bin/env bash
# bench/memory.sh: memory per peer of the memory store (resident growth) and of the Redis store
# (used_memory growth); filled with synthetic peers that
# carry full peer detail (peer id, key, up/down/left, times), as real announces leave them.
# Environment: MEMORY_PEERS [1000000]  SHAPES ["10000 1000 100000"] (torrents to spread the peers over)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/.build/release/trackertui
PEERS=${MEMORY_PEERS:-1000000}
for torrents in ${SHAPES:-10000 1000 100000}; do
  timeout 300 "$BIN" bench-memory --peers "$PEERS" --torrents "$torrents"
done
timeout 300 "$BIN" bench-memory --peers "$PEERS" --torrents 10000 --ipv6-percent 100
# The Redis store: the managed redis-server's used_memory growth for 100,000 peers.
for torrents in 1000 10000; do
  timeout 300 "$BIN" bench-memory --store redis --peers 100000 --torrents "$torrents" 2>&1 | grep '^RESULT'
done
