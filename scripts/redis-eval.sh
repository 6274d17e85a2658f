#!/bin/sh
# Runs one of the tracker's Redis scripts by hand, as the tracker loads it (layout.lua +
# swarm.lua + the script), with redis-cli --eval:
#   scripts/redis-eval.sh sweep 'tt:{<hex>}:t' , 1700000000 1000 0 4
# Extra redis-cli options (host, port) go in REDIS_CLI_OPTS, e.g. REDIS_CLI_OPTS="-p 6380".
set -eu
name=$1; shift
lua="$(dirname "$0")/../Sources/TrackerEngine/Storage/Redis/Lua"
[ -f "$lua/$name.lua" ] || { echo "no script $name (announce, count, kick, sweep)" >&2; exit 2; }
script=$(mktemp --suffix=.lua)
trap 'rm -f "$script"' EXIT
cat "$lua/layout.lua" "$lua/swarm.lua" "$lua/$name.lua" > "$script"
# shellcheck disable=SC2086
redis-cli ${REDIS_CLI_OPTS:-} --eval "$script" "$@"
