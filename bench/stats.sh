#!/usr/bin/env bash
# bench/stats.sh [seconds]: what the web pages cost, with a big store.
#  1. /stats.json, /stats and /metrics over FILL_PEERS peers in FILL_TORRENTS torrents (memory
#     store, 1 HTTP thread): curl's total time of each, SAMPLES requests 1.1 s apart (each reads
#     the store again: the listing is kept for a second), median and worst.
#  2. Announce throughput and CPU per announce of that engine under wrk (pinned as make bench
#     pins), without and then with a client polling /stats.json every second.
# Environment: FILL_PEERS [1000000] FILL_TORRENTS [100000] SAMPLES [10] RUNS [3] TT_PORT [6973] OUT [...]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SECS=${1:-10}
FILL_PEERS=${FILL_PEERS:-1000000} FILL_TORRENTS=${FILL_TORRENTS:-100000} SAMPLES=${SAMPLES:-10}
export RUNS=${RUNS:-3} TORRENTS=${TORRENTS:-1000} PEERS=${PEERS:-100} SEED=${SEED:-1}
export CONFIGS="1:64" SCRIPTS="announce" PIN=pinned CONN_CLOSE=1
TT_PORT=${TT_PORT:-6973}
OUT=${OUT:-/tmp/trackerbench/results/stats-$(date +%Y%m%d-%H%M%S)}
BIN=$ROOT/.build/release/trackertui
DATA=$(mktemp -d /tmp/tt-bench-stats-XXXXXX)
mkdir -p "$OUT"
[[ -x $BIN ]] || { echo "build first: swift build -c release" >&2; exit 1; }
TT_PID= POLL_PID=
cleanup() {
  [[ -n $POLL_PID ]] && kill "$POLL_PID" 2>/dev/null || true
  [[ -n $TT_PID ]] && kill "$TT_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

"$BIN" serve --store memory --http "127.0.0.1:$TT_PORT" --threads 1 --full-scrape off --log-level warning \
  --data-dir "$DATA" --bench-prefill "$FILL_PEERS:$FILL_TORRENTS" > "$OUT/serve.log" 2>&1 &
TT_PID=$!
for _ in $(seq 600); do curl -s -m 1 -o /dev/null "http://127.0.0.1:$TT_PORT/" && break; sleep 0.2; done

echo "== pages over $FILL_PEERS peers in $FILL_TORRENTS torrents (ms: median, worst of $SAMPLES)"
for page in "/stats.json" "/stats.json?sort=name&offset=50000" "/stats" "/metrics"; do
  times=()
  for _ in $(seq "$SAMPLES"); do
    sleep 1.1
    times+=("$(curl -s -o "$OUT/page.out" -w '%{time_total}' "http://127.0.0.1:$TT_PORT$page")")
  done
  printf '%s\n' "${times[@]}" | python3 -c "
import sys, statistics as st
t = [float(x) * 1000 for x in sys.stdin.read().split()]
print(f'{sys.argv[1]:38} {st.median(t):7.1f} {max(t):7.1f}   ({$(wc -c < "$OUT/page.out")} bytes)')" "$page" | tee -a "$OUT/pages.txt"
done

echo
echo "== announces, then announces with /stats.json polled every second"
TRACKER_PID=$TT_PID LABEL=quiet OUT=$OUT/quiet "$HERE/run-http.sh" "http://127.0.0.1:$TT_PORT" "$SECS" > "$OUT/quiet.txt"
( while true; do curl -s -o /dev/null "http://127.0.0.1:$TT_PORT/stats.json"; sleep 1; done ) &
POLL_PID=$!
TRACKER_PID=$TT_PID LABEL=polled OUT=$OUT/polled "$HERE/run-http.sh" "http://127.0.0.1:$TT_PORT" "$SECS" > "$OUT/polled.txt"
kill "$POLL_PID"; POLL_PID=

python3 - "$OUT/quiet/results.tsv" "$OUT/polled/results.tsv" <<'PY' | tee "$OUT/compare.txt"
import sys, statistics as st
def load(path):
    rows = [dict(x.split("=", 1) for x in line.split()) for line in open(path)]
    return [r for r in rows if r.get("phase") == "measure"]
quiet, polled = load(sys.argv[1]), load(sys.argv[2])
def med(rs, k): return st.median(float(r[k]) for r in rs)
for name, rows in (("announces alone", quiet), ("polled every second", polled)):
    print(f"{name:20} {med(rows,'rps'):8.0f} req/s  {med(rows,'trk_us_per_req'):6.1f} us/req")
print(f"CPU per announce while polled: {100 * (med(polled,'trk_us_per_req') / med(quiet,'trk_us_per_req') - 1):+.1f}%  "
      f"throughput: {100 * (med(polled,'rps') / med(quiet,'rps') - 1):+.1f}%")
PY
echo "results: $OUT"
