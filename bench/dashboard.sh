#!/usr/bin/env bash
# bench/dashboard.sh [seconds]: what the live dashboard costs, with a big store.
#  1. bench-dashboard: CPU per dashboard refresh (sample + state + draw) over FILL_PEERS peers in
#     FILL_TORRENTS torrents, announces landing between refreshes.
#  2. Announce throughput of an engine holding that store (memory, 1 HTTP thread, pinned to CPU 0,
#     wrk on CPU 1): headless (`serve`), then with its dashboard open in an 80x24 tmux window.
# Environment: FILL_PEERS [1000000] FILL_TORRENTS [100000] RUNS [3] TT_PORT [6971] OUT [...]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SECS=${1:-10}
FILL_PEERS=${FILL_PEERS:-1000000} FILL_TORRENTS=${FILL_TORRENTS:-100000}
export RUNS=${RUNS:-3} TORRENTS=${TORRENTS:-1000} PEERS=${PEERS:-100} SEED=${SEED:-1}
export CONFIGS="1:64" SCRIPTS="announce" PIN=pinned CONN_CLOSE=1
TT_PORT=${TT_PORT:-6971}
OUT=${OUT:-/tmp/trackerbench/results/dashboard-$(date +%Y%m%d-%H%M%S)}
BIN=$ROOT/.build/release/trackertui
DATA=$(mktemp -d /tmp/tt-bench-dash-XXXXXX)
mkdir -p "$OUT"
[[ -x $BIN ]] || { echo "build first: swift build -c release" >&2; exit 1; }
TT_PID=
cleanup() {
  [[ -n $TT_PID ]] && kill "$TT_PID" 2>/dev/null || true
  tmux -L ttbench kill-server 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

echo "== dashboard refresh over $FILL_PEERS peers in $FILL_TORRENTS torrents"
"$BIN" bench-dashboard --peers "$FILL_PEERS" --torrents "$FILL_TORRENTS" | tee "$OUT/refresh.txt"

ENGINE=(--store memory --http "127.0.0.1:$TT_PORT" --threads 1 --full-scrape off --log-level warning
        --data-dir "$DATA" --bench-prefill "$FILL_PEERS:$FILL_TORRENTS")
wait_listening() {
  for _ in $(seq 600); do curl -s -m 1 -o /dev/null "http://127.0.0.1:$TT_PORT/" && return 0; sleep 0.2; done
  echo "tracker did not start" >&2; exit 1
}

echo
echo "== headless: trackertui serve"
"$BIN" serve "${ENGINE[@]}" > "$OUT/serve.log" 2>&1 &
TT_PID=$!
wait_listening
TRACKER_PID=$TT_PID LABEL=serve OUT=$OUT/serve "$HERE/run-http.sh" "http://127.0.0.1:$TT_PORT" "$SECS" | tee "$OUT/serve.txt"
kill "$TT_PID"; wait "$TT_PID" 2>/dev/null || true; TT_PID=

echo
echo "== with the dashboard open (tmux, 80x24)"
tmux -L ttbench new-session -d -x 80 -y 24 "$BIN ${ENGINE[*]} --log-file $DATA/tui.log"
wait_listening
TT_PID=$(pgrep -f "^$BIN --store memory --http 127.0.0.1:$TT_PORT" | head -1)
TRACKER_PID=$TT_PID LABEL=dashboard OUT=$OUT/dashboard "$HERE/run-http.sh" "http://127.0.0.1:$TT_PORT" "$SECS" | tee "$OUT/dashboard.txt"
tmux -L ttbench capture-pane -p -t 0 > "$OUT/screen.txt" || true
tmux -L ttbench kill-server 2>/dev/null || true
TT_PID=

python3 - "$OUT/serve/results.tsv" "$OUT/dashboard/results.tsv" <<'PY' | tee "$OUT/compare.txt"
import sys, statistics as st
def load(path):
    rows = [dict(x.split("=", 1) for x in line.split()) for line in open(path)]
    return [r for r in rows if r.get("phase") == "measure"]
serve, tui = load(sys.argv[1]), load(sys.argv[2])
def med(rs, k): return st.median(float(r[k]) for r in rs)
for name, rows in (("serve (headless)", serve), ("with dashboard", tui)):
    print(f"{name:18} {med(rows,'rps'):8.0f} req/s  {med(rows,'trk_us_per_req'):6.1f} us/req (engine + dashboard process)")
print(f"throughput with the dashboard: {100 * (med(tui,'rps') / med(serve,'rps') - 1):+.1f}%")
PY
echo "results: $OUT"
