#!/usr/bin/env bash
# bench/udp.sh [seconds]: the UDP tracker under the project's own load generator
# (`trackertui bench-udp`), beside Debian's opentracker serving UDP, in one run.
#
# For each tracker: start it on 127.0.0.1 (opentracker, then trackertui with the memory store,
# then with the Redis store and its managed redis-server), pin it (and its redis-server) to
# TRACKER_CPU and the generator to GEN_CPU, announce every one of TORRENTS × PEERS peers once
# (warm-up), then ROUNDS rounds of random announces for SECS seconds each. CPU µs per answered
# announce = the tracker processes' user + system CPU during the round / answers.
#
# Environment: ROUNDS [2]  TORRENTS [1000]  PEERS [100]  SOCKETS [32]  WINDOW [8]
#              TRACKER_CPU [0]  GEN_CPU [1]  PORT [6980]  OUT [/tmp/trackerbench/results/udp-<date>]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SECS=${1:-10}
ROUNDS=${ROUNDS:-2} TORRENTS=${TORRENTS:-1000} PEERS=${PEERS:-100} SOCKETS=${SOCKETS:-32} WINDOW=${WINDOW:-8}
TRACKER_CPU=${TRACKER_CPU:-0} GEN_CPU=${GEN_CPU:-1} PORT=${PORT:-6980}
OUT=${OUT:-/tmp/trackerbench/results/udp-$(date +%Y%m%d-%H%M%S)}
BIN=$ROOT/.build/release/trackertui
WORKDIR=${WORKDIR:-/tmp/trackerbench}
mkdir -p "$OUT" "$WORKDIR"
[[ -x $BIN ]] || { echo "build first: swift build -c release" >&2; exit 1; }
HASHES=$WORKDIR/hashes-udp-$TORRENTS.txt
python3 "$HERE/gen_hashes.py" $((TORRENTS + 16)) 1 > "$HASHES"
TICK=$(getconf CLK_TCK)

ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
pin() { for p in "$@"; do taskset -a -p -c "$TRACKER_CPU" "$p" > /dev/null; done; }
generator() { taskset -c "$GEN_CPU" "$BIN" bench-udp --port "$PORT" --hashes "$HASHES" --torrents "$TORRENTS" --peers "$PEERS" \
                --sockets "$SOCKETS" --window "$WINDOW" "$@"; }

# measure LABEL PID...: warm-up, then ROUNDS rounds; one line per round into $OUT/results.tsv.
measure() {
  local label=$1; shift
  pin "$@"
  generator --warm --seconds 0 | sed "s/^/$label /"
  for round in $(seq "$ROUNDS"); do
    local before after line replies
    before=$(ticks "$@")
    line=$(generator --seconds "$SECS" | grep phase=measure)
    after=$(ticks "$@")
    replies=$(sed -n 's/.*replies=\([0-9]*\).*/\1/p' <<< "$line")
    echo "$label round=$round $line cpu_us_per_announce=$(python3 -c "print(round(($after - $before) / $TICK * 1e6 / max(1, $replies), 1))")" \
      | tee -a "$OUT/results.tsv"
  done
}

echo "== opentracker ($(dpkg-query -W -f='${Version}' opentracker)) on udp 127.0.0.1:$PORT"
OT_PORT=$((PORT + 1))
UDP_PORT=$PORT PORT=$OT_PORT TORRENTS=$TORRENTS "$HERE/opentracker.sh" start > /dev/null
OT_PID=$(cat "$WORKDIR/ot-$OT_PORT/pid")
measure opentracker "$OT_PID"
PORT=$OT_PORT "$HERE/opentracker.sh" stop > /dev/null

echo "== trackertui ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)), memory store, 1 thread, udp 127.0.0.1:$PORT"
"$BIN" serve --store memory --udp "127.0.0.1:$PORT" --threads 1 --log-level warning > "$OUT/memory.log" 2>&1 &
TT=$!
sleep 1
measure memory "$TT"
kill "$TT"; wait "$TT" 2>/dev/null || true

echo "== trackertui, Redis store (managed redis-server), 1 thread, udp 127.0.0.1:$PORT"
REDIS_DIR=$(mktemp -d /tmp/tt-bench-udp-XXXXXX)
"$BIN" serve --store redis --data-dir "$REDIS_DIR" --udp "127.0.0.1:$PORT" --threads 1 --log-level warning > "$OUT/redis.log" 2>&1 &
TT=$!
for _ in $(seq 100); do pgrep -f "redis-server.*$REDIS_DIR" > /dev/null && break; sleep 0.1; done
sleep 1
measure redis "$TT" "$(pgrep -f "redis-server.*$REDIS_DIR" | head -1)"
kill "$TT"; wait "$TT" 2>/dev/null || true
rm -rf "$REDIS_DIR"

python3 - "$OUT/results.tsv" <<'PY'
import sys, statistics as st, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    parts = line.split()
    fields = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
    rows[parts[0]].append(fields)
base = st.median(float(r["cpu_us_per_announce"]) for r in rows["opentracker"])
print(f"{'tracker':12} {'announces/s':>12} {'CPU µs/announce':>16} {'vs opentracker':>15} {'errors':>7} {'lost':>5}")
for name in ("opentracker", "memory", "redis"):
    rs = rows[name]
    us = st.median(float(r["cpu_us_per_announce"]) for r in rs)
    print(f"{name:12} {int(st.median(int(r['rps']) for r in rs)):12d} {us:16.1f} {us / base:14.2f}x "
          f"{sum(int(r['errors']) for r in rs):7d} {sum(int(r['lost']) for r in rs):5d}")
PY
echo "results: $OUT"
