#!/usr/bin/env bash
# scripts/fuzz.sh: builds the libFuzzer targets (Fuzz/Targets) and runs each one in turn, starting
# from its seed corpus (Fuzz/Corpus/TARGET; what the fuzzer finds is kept under .build-fuzz/corpus).
# Prints one line per target, "TARGET: N runs, 0 crashes", and exits non-zero on any crash, leak
# of a timeout or memory limit; the input that did it is saved as .build-fuzz/crash-TARGET-*.
#
# Environment: FUZZ_SECONDS [60] per target; FUZZ_RUNS (inputs per target, instead of a time);
#              FUZZ_TARGETS [all]; FUZZ_MAX_LEN [16384] (longest input tried, bytes: as long as a
#              request head may be; longer inputs only slow the fuzzer down).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-"http announce scrape bencode resp moderation address udp torrent"}
SCRATCH=.build-fuzz
swift build -c release --product trackertui-fuzz --scratch-path "$SCRATCH" -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING >&2
BIN=$SCRATCH/release/trackertui-fuzz
failed=0
for target in $TARGETS; do
  work=$SCRATCH/corpus/$target
  mkdir -p "$work"
  log=$SCRATCH/$target.log
  limit=(-max_total_time="$SECONDS_EACH")
  [[ -n ${FUZZ_RUNS:-} ]] && limit=(-runs="$FUZZ_RUNS")
  set +e
  FUZZ_TARGET=$target "$BIN" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len="${FUZZ_MAX_LEN:-16384}" -print_final_stats=1 \
    -artifact_prefix="$SCRATCH/crash-$target-" "$work" "Fuzz/Corpus/$target" >"$log" 2>&1
  status=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  seconds=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | grep -o 'in [0-9]*' | grep -o '[0-9]*' || true)
  if [[ $status -eq 0 ]]; then
    echo "$target: ${runs:-?} runs, 0 crashes (${seconds:-?} s)"
  else
    failed=1
    artifact=$(grep -o "$SCRATCH/crash-$target-[^ ]*" "$log" | tail -1 || true)
    echo "$target: ${runs:-?} runs, 1 crash: ${artifact:-see $log}"
    grep -m3 -E 'ERROR|panic|Fatal error|deadly signal' "$log" | sed 's/^/  /' || true
  fi
done
exit $failed
