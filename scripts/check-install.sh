#!/bin/bash
# `make install` into a scratch DESTDIR, checked: the binary runs, the unit names it and passes
# `systemd-analyze verify`, the example config is there and a second install keeps an edited one.
# Run by `make test` after the release build.
set -euo pipefail
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail() { echo "check-install: $*" >&2; exit 1; }

make --no-print-directory -s install DESTDIR="$root" PREFIX=/opt/tt UNITDIR=/lib/systemd/system >/dev/null
binary="$root/opt/tt/bin/trackertui"
unit="$root/lib/systemd/system/trackertui.service"
config="$root/etc/trackertui.toml"
[ -x "$binary" ] || fail "no executable $binary"
"$binary" serve --help | grep -q -- "--stats-allow" || fail "$binary serve --help does not run"
[ "$(stat -c %a "$unit")" = 644 ] || fail "$unit is not 0644"
grep -qx "ExecStart=/opt/tt/bin/trackertui serve --config /etc/trackertui.toml --data-dir /var/lib/trackertui" "$unit" \
    || fail "$unit does not start /opt/tt/bin/trackertui: $(grep ExecStart "$unit")"
! grep -q "@BINDIR@" "$unit" || fail "$unit still has @BINDIR@"
cmp -s trackertui.toml "$config" || fail "$config is not the example config"
# systemd-analyze checks the ExecStart binary exists: point the unit at the DESTDIR copy.
sed "s|/opt/tt/bin|$root/opt/tt/bin|" "$unit" > "$root/trackertui.service"
out=$(systemd-analyze verify "$root/trackertui.service" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify warns: $out"
echo "# edited" >> "$config"
make --no-print-directory -s install DESTDIR="$root" PREFIX=/opt/tt UNITDIR=/lib/systemd/system >/dev/null
tail -n 1 "$config" | grep -qx "# edited" || fail "a second install replaced an edited $config"
echo "check-install: make install into a DESTDIR works"
