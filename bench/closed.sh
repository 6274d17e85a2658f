#!/usr/bin/env bash
# bench/closed.sh [seconds]: what closed mode costs an announce. The memory store with a catalog
# of TORRENTS .torrent files (bench/gen_catalog.py), in open mode and in closed mode, started
# alternately PAIRS times under make bench's wrk load (run-http.sh: announces only, one request
# per connection, 1 thread × 64 connections, tracker pinned to CPU 0, wrk to CPU 1, one round of
# <seconds> each); the announces go to the catalog's torrents, so closed mode refuses none.
# Prints each run's CPU µs per announce and the medians' ratio.
#
# Environment: PAIRS [4]  TORRENTS [1000]  PORT [6972]  OUT [/tmp/trackerbench/results/closed-<date>]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SECS=${1:-10}
PAIRS=${PAIRS:-4} TORRENTS=${TORRENTS:-1000} PORT=${PORT:-6972}
OUT=${OUT:-/tmp/trackerbench/results/closed-$(date +%Y%m%d-%H%M%S)}
BIN=$ROOT/.build/release/trackertui
[[ -x $BIN ]] || { echo "build first: swift build -c release" >&2; exit 1; }
CATALOG=${WORKDIR:-/tmp/trackerbench}/catalog-$TORRENTS
rm -rf "$CATALOG"
mkdir -p "$OUT"
export CONN_CLOSE=1 CONFIGS="1:64" SCRIPTS=announce PIN=pinned RUNS=1
python3 "$HERE/gen_catalog.py" "$TORRENTS" "$CATALOG" > "$CATALOG.hashes"

TT_PID=
cleanup() { [[ -n $TT_PID ]] && kill "$TT_PID" 2>/dev/null && wait "$TT_PID" 2>/dev/null || true; }
trap cleanup EXIT

for pair in $(seq "$PAIRS"); do
  for mode in open closed; do
    "$BIN" serve --store memory --http "127.0.0.1:$PORT" --threads 1 --full-scrape off --log-level warning \
      --torrents "$CATALOG" --mode "$mode" > "$OUT/$mode-$pair.log" 2>&1 &
    TT_PID=$!
    for _ in $(seq 50); do curl -s -m 1 -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
    TRACKER_PID=$TT_PID LABEL=$mode HASHES_FILE=$CATALOG.hashes TORRENTS=$TORRENTS \
      OUT=$OUT/$mode-$pair "$HERE/run-http.sh" "http://127.0.0.1:$PORT" "$SECS" > "$OUT/$mode-$pair.txt"
    kill "$TT_PID"; wait "$TT_PID" 2>/dev/null || true; TT_PID=
    grep -h "phase=measure" "$OUT/$mode-$pair/results.tsv" | sed "s/^/access=$mode pair=$pair /" | tee -a "$OUT/results.tsv"
  done
done

python3 - "$OUT/results.tsv" <<'PY'
import sys, statistics as st, collections
runs = collections.defaultdict(list)
bad = 0
for line in open(sys.argv[1]):
    r = dict(x.split("=", 1) for x in line.split() if "=" in x)
    runs[r["access"]].append(float(r["trk_us_per_req"]))
    bad += sum(int(r.get(k, 0)) for k in ("non200", "failures"))
for mode in ("open", "closed"):
    print(f"{mode:7} CPU us/announce: " + ", ".join(f"{v:.1f}" for v in runs[mode]) + f"   median {st.median(runs[mode]):.1f}")
print(f"closed / open: {st.median(runs['closed']) / st.median(runs['open']):.3f}   failed replies: {bad}")
PY
echo "results: $OUT"
