#!/bin/sh
# Regenerates keepalived 2.2.7's keepalived_check.data for one case
# directory (with keepalived_parent.data beside it and capture.log) from
# Debian's /usr/sbin/keepalived, run with --all in a private network
# namespace on the case's keepalived.conf. As root:
#
#   sh internal/dump/testdata/capture_check.sh check_empty
#   sh internal/dump/testdata/capture_check.sh check_globals
#
# The host has no ip_vs module: keepalived's checker child only stays up
# without a virtual_server (--all starts it anyway), so these cases hold
# global_defs only. The namespace gvcheck-<pid> and the keepalived
# started here are removed on exit.
set -eu
here=$(cd "$(dirname "$0")" && pwd)/${1:?usage: capture_check.sh CASE}
[ -f "$here/keepalived.conf" ] || { echo "no $here/keepalived.conf" >&2; exit 1; }
ns=gvcheck-$$
tmp=$(mktemp -d)
kpid=

cleanup() {
	if [ -n "$kpid" ] && kill -0 "$kpid" 2>/dev/null; then
		kill -TERM "$kpid"
		i=0
		while kill -0 "$kpid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	fi
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ip netns add "$ns"
ip -n "$ns" link set lo up
cp "$here/keepalived.conf" "$tmp/keepalived.conf"
ip netns exec "$ns" env TMPDIR="$tmp" /usr/sbin/keepalived -n -l -D --all \
	-f "$tmp/keepalived.conf" -p "$tmp/k.pid" -r "$tmp/v.pid" -c "$tmp/c.pid" -b "$tmp/b.pid" \
	>"$tmp/log" 2>&1 &
kpid=$!

i=0
until grep -q 'Startup complete' "$tmp/log"; do
	sleep 0.2
	i=$((i + 1))
	[ $i -lt 50 ] || { cat "$tmp/log"; echo "keepalived did not start" >&2; exit 1; }
done
kill -s USR1 "$kpid"
i=0
until [ -s "$tmp/keepalived_check.data" ] && [ -s "$tmp/keepalived_parent.data" ]; do
	sleep 0.2
	i=$((i + 1))
	[ $i -lt 25 ] || { echo "no dump" >&2; exit 1; }
done
sleep 0.5
for f in keepalived_check.data keepalived_parent.data; do
	cp "$tmp/$f" "$here/$f"
done
sed "s|$tmp|TMP|g" "$tmp/log" >"$here/capture.log"
echo "captured into $here"
