#!/usr/bin/env bash
# bench/run.sh [seconds]: trackertui and Debian's opentracker under the same wrk load, in one run.
#
# For each tracker: start it on 127.0.0.1 (its own port), pin it to TRACKER_CPU and wrk to WRK_CPU,
# warm every swarm, then RUNS rounds of announce and scrape with one request per connection
# (CONN_CLOSE=1: opentracker closes after every answer, so keep-alive would flatter us), and stop it.
# trackertui runs with one HTTP worker thread, like opentracker's one TCP thread: first with the
# memory store, then with the Redis store (its own managed redis-server, pinned to the same core,
# and counted in the CPU per request). Then the UDP tracker (bench/udp.sh), closed mode's cost
# (bench/closed.sh), the memory fills (bench/memory.sh), the dashboard's cost (bench/dashboard.sh) and the web pages'
# (bench/stats.sh). Prints both summaries and a side-by-side table;
# raw output stays under $OUT.
#
# Environment: RUNS [2]  TORRENTS [1000]  PEERS [100]  CONFIGS ["1:64"]  SCRIPTS ["announce scrape"]
#              OT_PORT [6969]  TT_PORT [6970]  OUT [/tmp/trackerbench/results/run-<date>]  UDP [1]  MEMORY [1]  DASHBOARD [1]  STATS [1]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SECS=${1:-10}
export RUNS=${RUNS:-2} TORRENTS=${TORRENTS:-1000} PEERS=${PEERS:-100} SEED=${SEED:-1}
export CONFIGS=${CONFIGS:-"1:64"} SCRIPTS=${SCRIPTS:-"announce scrape"} PIN=${PIN:-pinned}
export CONN_CLOSE=1
OT_PORT=${OT_PORT:-6969}
TT_PORT=${TT_PORT:-6970}
OUT=${OUT:-/tmp/trackerbench/results/run-$(date +%Y%m%d-%H%M%S)}
BIN=$ROOT/.build/release/trackertui
mkdir -p "$OUT"
[[ -x $BIN ]] || { echo "build first: swift build -c release" >&2; exit 1; }

TT_PID=
cleanup() {
  [[ -n $TT_PID ]] && kill "$TT_PID" 2>/dev/null && wait "$TT_PID" 2>/dev/null || true
  PORT=$OT_PORT "$HERE/opentracker.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== opentracker ($(dpkg-query -W -f='${Version}' opentracker)) on 127.0.0.1:$OT_PORT"
PORT=$OT_PORT "$HERE/opentracker.sh" start
OT_PID=$(cat "${WORKDIR:-/tmp/trackerbench}/ot-$OT_PORT/pid")
TRACKER_PID=$OT_PID LABEL=opentracker OUT=$OUT/opentracker "$HERE/run-http.sh" "http://127.0.0.1:$OT_PORT" "$SECS" | tee "$OUT/opentracker.txt"
PORT=$OT_PORT "$HERE/opentracker.sh" stop

echo
echo "== trackertui ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)) on 127.0.0.1:$TT_PORT, memory store, 1 event-loop thread"
"$BIN" serve --store memory --http "127.0.0.1:$TT_PORT" --threads 1 --full-scrape off --log-level warning \
  > "$OUT/trackertui.log" 2>&1 &
TT_PID=$!
for _ in $(seq 50); do curl -s -m 1 -o /dev/null "http://127.0.0.1:$TT_PORT/" && break; sleep 0.1; done
TRACKER_PID=$TT_PID LABEL=trackertui OUT=$OUT/trackertui "$HERE/run-http.sh" "http://127.0.0.1:$TT_PORT" "$SECS" | tee "$OUT/trackertui.txt"
echo "trackertui rss: $(awk '/VmRSS/{print $2, $3}' /proc/$TT_PID/status)"
kill "$TT_PID"; wait "$TT_PID" 2>/dev/null || true; TT_PID=

echo
echo "== trackertui with the Redis store (managed redis-server) on 127.0.0.1:$TT_PORT"
REDIS_DIR=$(mktemp -d /tmp/tt-bench-redis-XXXXXX)
"$BIN" serve --store redis --data-dir "$REDIS_DIR" --http "127.0.0.1:$TT_PORT" --threads 1 --full-scrape off --log-level warning \
  > "$OUT/trackertui-redis.log" 2>&1 &
TT_PID=$!
for _ in $(seq 100); do curl -s -m 1 -o /dev/null "http://127.0.0.1:$TT_PORT/" && break; sleep 0.1; done
REDIS_PID=$(pgrep -f "redis-server.*$REDIS_DIR" | head -1)
TRACKER_PID="$TT_PID $REDIS_PID" LABEL=trackertui-redis OUT=$OUT/trackertui-redis "$HERE/run-http.sh" "http://127.0.0.1:$TT_PORT" "$SECS" | tee "$OUT/trackertui-redis.txt"
kill "$TT_PID"; wait "$TT_PID" 2>/dev/null || true; TT_PID=
rm -rf "$REDIS_DIR"

echo
python3 - "$OUT/opentracker/results.tsv" "$OUT/trackertui/results.tsv" "$OUT/trackertui-redis/results.tsv" <<'PY' | tee "$OUT/compare.txt"
import sys, statistics as st, collections
def load(path):
    g = collections.defaultdict(list)
    for line in open(path):
        r = dict(x.split("=", 1) for x in line.split())
        if r.get("phase") == "measure":
            g[(r["script"], r["pin"], r["tc"])].append(r)
    return g
ot, tt, tr = load(sys.argv[1]), load(sys.argv[2]), load(sys.argv[3])
def med(rs, k): return st.median(float(r[k]) for r in rs)
def bad(rs): return sum(int(r.get(k, 0)) for r in rs for k in ("non200", "failures", "err_connect", "err_write", "err_timeout", "err_status"))
print(f"{'script':9} {'tracker':22} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'us/req':>7} {'bad':>5} {'CPU vs opentracker':>19}")
for key in sorted(set(ot) & set(tt) & set(tr)):
    base = med(ot[key], "trk_us_per_req")
    for name, rows in (("opentracker", ot[key]), ("trackertui memory", tt[key]), ("trackertui redis", tr[key])):
        print(f"{key[0]:9} {name:22} {med(rows,'rps'):8.0f} {med(rows,'p50_ms'):7.2f} {med(rows,'p99_ms'):7.2f} "
              f"{med(rows,'trk_us_per_req'):7.1f} {bad(rows):5d} {med(rows,'trk_us_per_req') / base:18.2f}x")
print("us/req = CPU microseconds (user+sys) per answered request of the tracker (with redis: trackertui + redis-server);"
      " pinned: tracker (and redis-server) on CPU 0, wrk on CPU 1; lower is better.")
PY

if [[ ${UDP:-1} == 1 ]]; then
  echo
  OUT=$OUT/udp "$HERE/udp.sh" "$SECS" | tee "$OUT/udp.txt"
fi
if [[ ${CLOSED:-1} == 1 ]]; then
  echo
  echo "== closed mode against open mode, a 1,000-torrent catalog (bench/closed.sh)"
  OUT=$OUT/closed PAIRS=${PAIRS:-3} "$HERE/closed.sh" "$SECS" | tail -4 | tee "$OUT/closed.txt"
fi
if [[ ${MEMORY:-1} == 1 ]]; then
  echo
  "$HERE/memory.sh" | tee "$OUT/memory.txt"
fi
if [[ ${DASHBOARD:-1} == 1 ]]; then
  echo
  OUT=$OUT/dashboard "$HERE/dashboard.sh" "$SECS" | tee "$OUT/dashboard.txt"
fi
if [[ ${STATS:-1} == 1 ]]; then
  echo
  OUT=$OUT/stats "$HERE/stats.sh" "$SECS" | tee "$OUT/stats.txt"
fi
echo "results: $OUT"
