#!/usr/bin/env bash
# bench/stats.sh [seconds]: what the web pages cost, with a big store.
#  1. /stats.json, /stats and /metrics over FILL_PEERS peers in FILL_TORRENTS torrents (memory
#     store, 1 HTTP thread): curl's total time of each, SAMPLES requests 1.1 s apart (each reads
#     the store again: the listing is kept for a second), median and worst.
#  2. Announce throughput and CPU per announce of that engine under wrk (pinned as make bench
#     pins), alone and with a client polling /stats.json every second: PAIRS pairs of runs, the
#     order alternated so the machine's drift falls on both; the median of the pairs' ratios.
# Environment: FILL_PEERS [1000000] FILL_TORRENTS [100000] SAMPLES [10] PAIRS [4] TT_PORT [6973] OUT [...]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SECS=${1:-10}
FILL_PEERS=${FILL_PEERS:-1000000} FILL_TORRENTS=${FILL_TORRENTS:-100000} SAMPLES=${SAMPLES:-10}
PAIRS=${PAIRS:-4}
export TORRENTS=${TORRENTS:-1000} PEERS=${PEERS:-100} SEED=${SEED:-1}
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
echo "== announces alone and with /stats.json polled every second, $PAIRS pairs, the order alternated"
poll() { while true; do curl -s -o /dev/null "http://127.0.0.1:$TT_PORT/stats.json"; sleep 1; done; }
measure() {  # measure LABEL PAIR WARM
  if [[ $1 == polled ]]; then poll & POLL_PID=$!; fi
  WARM=$3 RUNS=1 TRACKER_PID=$TT_PID LABEL=$1 OUT=$OUT/$1-$2 "$HERE/run-http.sh" "http://127.0.0.1:$TT_PORT" "$SECS" > "$OUT/$1-$2.txt"
  if [[ -n ${POLL_PID:-} ]]; then kill "$POLL_PID"; wait "$POLL_PID" 2>/dev/null || true; POLL_PID=; fi
}
for pair in $(seq "$PAIRS"); do
  warm=$([[ $pair == 1 ]] && echo 1 || echo 0)
  if (( pair % 2 )); then measure quiet "$pair" "$warm"; measure polled "$pair" 0
  else measure polled "$pair" "$warm"; measure quiet "$pair" 0; fi
done

python3 - "$OUT" "$PAIRS" <<'PY' | tee "$OUT/compare.txt"
import sys, statistics as st
def load(path):
    rows = [dict(x.split("=", 1) for x in line.split()) for line in open(path)]
    return [r for r in rows if r.get("phase") == "measure"][0]
out, pairs = sys.argv[1], int(sys.argv[2])
cpu, rps = [], []
for p in range(1, pairs + 1):
    quiet, polled = load(f"{out}/quiet-{p}/results.tsv"), load(f"{out}/polled-{p}/results.tsv")
    cpu.append(float(polled["trk_us_per_req"]) / float(quiet["trk_us_per_req"]) - 1)
    rps.append(float(polled["rps"]) / float(quiet["rps"]) - 1)
    print(f"pair {p}: alone {float(quiet['trk_us_per_req']):5.1f} us/req {float(quiet['rps']):6.0f} req/s   "
          f"polled {float(polled['trk_us_per_req']):5.1f} us/req {float(polled['rps']):6.0f} req/s")
print(f"CPU per announce while polled: {100 * st.median(cpu):+.1f}% (median of {pairs} pairs)  "
      f"throughput: {100 * st.median(rps):+.1f}%")
PY
echo "results: $OUT"
