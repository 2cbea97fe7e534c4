#!/bin/bash
# Runs Debian's keepalived 2.2.7 on CONF in a throw-away namespace pair and
# records what it does to the host and the wire, for the golden files of
# internal/netif and internal/announce:
#
#   keepalived-lab.sh CONF OUTDIR [SECONDS] [TCPDUMP-FILTER]
#
# Namespace A holds kv0 (02:00:00:00:77:01, ifindex 2, 192.168.77.1/24,
# fd00:77::1/64), namespace B its veth peer pv0 (02:00:00:00:77:02), where
# tcpdump writes OUTDIR/cap.pcap. keepalived runs under strace, which dumps
# every netlink request it sends on its command socket (fd 11) in hex:
# OUTDIR/netlink.txt holds them, one "TYPE HEX" line each, sequence numbers
# zeroed. keepalived is stopped with SIGTERM by its pid file, the
# namespaces are deleted whatever happens. Needs root, keepalived, strace,
# tcpdump.
#
# KALAB_PRE="command" runs a shell command in namespace A first (e.g.
# "sysctl -qw net.ipv6.conf.all.forwarding=1"); KALAB_NOSTRACE=1 runs
# keepalived without strace, for captures whose timing matters.
set -u
CONF=$(readlink -f "$1"); OUT=$2; SECS=${3:-7}
FILTER=${4:-arp or (icmp6 and ip6[40] == 136)}
A=kalab-$$-a; B=kalab-$$-b
mkdir -p "$OUT"; OUT=$(readlink -f "$OUT")
TD=; KP=
cleanup() {
	[ -n "$KP" ] && [ -f "$OUT/k.pid" ] && kill -TERM "$(cat "$OUT/k.pid")" 2>/dev/null
	[ -n "$KP" ] && wait "$KP" 2>/dev/null
	[ -n "$TD" ] && kill -INT "$TD" 2>/dev/null && wait "$TD" 2>/dev/null
	ip netns del "$A" 2>/dev/null; ip netns del "$B" 2>/dev/null
	rm -f "$OUT/k.pid" "$OUT/v.pid" "$OUT/c.pid"
}
trap cleanup EXIT
ip netns add "$A"; ip netns add "$B"
ip -n "$A" link add kv0 address 02:00:00:00:77:01 type veth peer name pv0 address 02:00:00:00:77:02 netns "$B"
ip -n "$A" link set lo up; ip -n "$B" link set lo up
ip -n "$A" addr add 192.168.77.1/24 dev kv0; ip -n "$B" addr add 192.168.77.2/24 dev pv0
ip -n "$A" addr add fd00:77::1/64 dev kv0 nodad; ip -n "$B" addr add fd00:77::2/64 dev pv0 nodad
ip -n "$A" link set kv0 up; ip -n "$B" link set pv0 up
sleep 2 # link-local DAD
ip netns exec "$B" tcpdump -i pv0 -U -s 0 -w "$OUT/cap.pcap" "$FILTER" 2>/dev/null & TD=$!
sleep 1
[ -n "${KALAB_PRE:-}" ] && ip netns exec "$A" sh -c "$KALAB_PRE"
TRACE="strace -f -o $OUT/strace.txt -s 4096 -xx -e write=11 -e trace=sendmsg,sendto,openat,write"
[ -n "${KALAB_NOSTRACE:-}" ] && TRACE=
ip netns exec "$A" $TRACE \
	/usr/sbin/keepalived -n -l -D -f "$CONF" -p "$OUT/k.pid" -r "$OUT/v.pid" -c "$OUT/c.pid" \
	>"$OUT/log.txt" 2>&1 & KP=$!
sleep "$SECS"
ip -n "$A" -d addr >"$OUT/addr.txt"
kill -TERM "$(cat "$OUT/k.pid")"; wait "$KP"; KP=
sleep 0.5
[ -n "${KALAB_NOSTRACE:-}" ] && exit 0
# One line per netlink request on keepalived's command socket.
awk '
/sendmsg\(11, / { if (hex != "") print type, hex; type = ""; hex = "";
	if (match($0, /nlmsg_type=[A-Z_]+/)) type = substr($0, RSTART + 11, RLENGTH - 11); next }
/^ \* [0-9]+ bytes in buffer/ { next }
/^ \| [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / && type != "" { for (i = 3; i <= 18 && $i ~ /^[0-9a-f][0-9a-f]$/; i++) hex = hex $i; next }
{ if (hex != "") print type, hex; type = ""; hex = "" }
END { if (hex != "") print type, hex }' "$OUT/strace.txt" |
	awk '{ print $1, substr($2, 1, 16) "00000000" substr($2, 25) }' >"$OUT/netlink.txt"
