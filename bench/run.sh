#!/usr/bin/env bash
# bench/run.sh [seconds]: trackertui and Debian's opentracker under the same wrk load, in one run.
#
# For each tracker: start it on 127.0.0.1 (its own port), pin it to TRACKER_CPU and wrk to WRK_CPU,
# warm every swarm, then RUNS rounds of announce and scrape with one request per connection
# (CONN_CLOSE=1: opentracker closes after every answer, so keep-alive would flatter us), and stop it.
# trackertui runs with one event-loop thread, like opentracker's one TCP thread.
# Then the memory fill (bench/memory.sh). Prints both summaries and a side-by-side table;
# raw output stays under $OUT.
#
# Environment: RUNS [2]  TORRENTS [1000]  PEERS [100]  CONFIGS ["1:64"]  SCRIPTS ["announce scrape"]
#              OT_PORT [6969]  TT_PORT [6970]  OUT [/tmp/trackerbench/results/run-<date>]  MEMORY [1]
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
python3 - "$OUT/opentracker/results.tsv" "$OUT/trackertui/results.tsv" <<'PY' | tee "$OUT/compare.txt"
import sys, statistics as st, collections
def load(path):
    g = collections.defaultdict(list)
    for line in open(path):
        r = dict(x.split("=", 1) for x in line.split())
        if r.get("phase") == "measure":
            g[(r["script"], r["pin"], r["tc"])].append(r)
    return g
ot, tt = load(sys.argv[1]), load(sys.argv[2])
def med(rs, k): return st.median(float(r[k]) for r in rs)
def bad(rs): return sum(int(r.get(k, 0)) for r in rs for k in ("non200", "failures", "err_connect", "err_write", "err_timeout", "err_status"))
print(f"{'script':9} {'pin':7} {'t:c':5} | {'opentracker req/s':>17} {'p50':>5} {'p99':>5} {'us/req':>6} {'bad':>4} | {'trackertui req/s':>16} {'p50':>5} {'p99':>5} {'us/req':>6} {'bad':>4} | CPU ratio")
for key in sorted(set(ot) & set(tt)):
    o, t = ot[key], tt[key]
    ratio = med(t, "trk_us_per_req") / med(o, "trk_us_per_req")
    print(f"{key[0]:9} {key[1]:7} {key[2]:5} | {med(o,'rps'):17.0f} {med(o,'p50_ms'):5.2f} {med(o,'p99_ms'):5.2f} {med(o,'trk_us_per_req'):6.1f} {bad(o):4d} | "
          f"{med(t,'rps'):16.0f} {med(t,'p50_ms'):5.2f} {med(t,'p99_ms'):5.2f} {med(t,'trk_us_per_req'):6.1f} {bad(t):4d} | {ratio:.2f}x")
print("us/req = tracker CPU microseconds (user+sys) per answered request; CPU ratio = trackertui / opentracker (lower is better).")
PY

if [[ ${MEMORY:-1} == 1 ]]; then
  echo
  "$HERE/memory.sh" | tee "$OUT/memory.txt"
fi
echo "results: $OUT"
