#!/bin/sh
# Regenerates keepalived 2.2.7's dump files for one case directory
# (keepalived.data, keepalived_parent.data, keepalived.stats,
# keepalived.json, capture.log) from Debian's /usr/sbin/keepalived, run in
# a private network namespace on the case's keepalived.conf. As root:
#
#   sh internal/dump/testdata/capture.sh basic
#   sh internal/dump/testdata/capture.sh full
#   sh internal/dump/testdata/capture.sh states
#
# The namespace gvdump-<pid> has a veth pair (va0 <-> vb0) inside it:
# VI_1 (priority 150, va0) becomes MASTER, VI_2 (same VRID, priority 100,
# vb0) hears it and stays BACKUP, so the counters move in both. The
# namespace and the keepalived started here are removed on exit. The
# configuration's paths are fixed (/tmp/gvdump/...), so the files do not
# depend on where the capture ran; scripts it names are written there.
set -eu
here=$(cd "$(dirname "$0")" && pwd)/${1:?usage: capture.sh CASE}
[ -f "$here/keepalived.conf" ] || { echo "no $here/keepalived.conf" >&2; exit 1; }
ns=gvdump-$$
tmp=$(mktemp -d)
kpid=

cleanup() {
	if [ -n "$kpid" ] && kill -0 "$kpid" 2>/dev/null; then
		kill -TERM "$kpid"
		i=0
		while kill -0 "$kpid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	fi
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp" /tmp/gvdump
}
trap cleanup EXIT INT TERM

mkdir -p /tmp/gvdump
printf '#!/bin/sh\nexit 0\n' >/tmp/gvdump/ok.sh
printf '#!/bin/sh\nexit 1\n' >/tmp/gvdump/bad.sh
echo 0 >/tmp/gvdump/tf
chmod 755 /tmp/gvdump/ok.sh /tmp/gvdump/bad.sh
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add va0 type veth peer name vb0
ip -n "$ns" addr add 192.168.77.1/24 dev va0
ip -n "$ns" addr add 192.168.77.2/24 dev vb0
ip -n "$ns" addr add fd77::1/64 dev va0 nodad
ip -n "$ns" addr add fd77::2/64 dev vb0 nodad
# Both ends of the pair are local: without accept_local the kernel drops
# adverts whose source is an address of this namespace.
for d in all va0 vb0; do
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.$d.accept_local=1 net.ipv4.conf.$d.rp_filter=0
done
ip -n "$ns" link set va0 up
ip -n "$ns" link set vb0 up
# dn0 stays down: an instance on it is in FAULT.
ip -n "$ns" link add dn0 type veth peer name dn1
ip -n "$ns" addr add 192.168.78.1/24 dev dn0

cp "$here/keepalived.conf" "$tmp/keepalived.conf"
ip netns exec "$ns" env TMPDIR="$tmp" /usr/sbin/keepalived -n -l -D \
	-f "$tmp/keepalived.conf" -p "$tmp/k.pid" -r "$tmp/v.pid" -c "$tmp/c.pid" \
	>"$tmp/log" 2>&1 &
kpid=$!

# Wait for VI_1 to become master, then let adverts flow for a few seconds.
i=0
until grep -q '(VI_1) Entering MASTER STATE' "$tmp/log"; do
	sleep 0.2
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$tmp/log"; echo "VI_1 never became master" >&2; exit 1; }
done
sleep ${CAPTURE_SETTLE:-3}

for sig in USR1 USR2 36; do
	kill -s "$sig" "$kpid" 2>/dev/null || kill "-$sig" "$kpid"
done
sleep 1
for f in keepalived.data keepalived_parent.data keepalived.stats keepalived.json; do
	cp "$tmp/$f" "$here/$f"
done
cp "$tmp/log" "$here/capture.log"
echo "captured into $here"
