#!/usr/bin/env bash
# Regenerates the golden VRRP packets of pkg/vrrp/testdata/golden: real
# adverts sent by Debian's keepalived 2.2.7 (/usr/sbin/keepalived), captured
# on the wire in a two-namespace lab.
#
#   sudo test/lab/capture.sh            all scenarios
#   sudo test/lab/capture.sh v2-pass    only the named ones
#
# Lab: namespaces vc-<pid>-a (keepalived) and vc-<pid>-b (tcpdump) joined by
# a veth pair named vlab0 on both sides, with fixed MAC addresses so that the
# IPv6 link-local sources (EUI-64) are the same on every run:
#   a: 02:00:00:00:00:0a  192.0.2.1/24  2001:db8::1/64  fe80::ff:fe00:a
#   b: 02:00:00:00:00:0b  192.0.2.2/24  2001:db8::2/64  fe80::ff:fe00:b
# Each scenario writes testdata/golden/<name>.conf (the configuration used)
# and <name>.pcap (every VRRP/AH packet seen on b, Ethernet link type): the
# adverts of the MASTER and, last, the priority-0 advert it sends when
# stopped with SIGTERM. testdata/golden/INDEX lists the scenarios.
#
# Traffic stays inside the two namespaces; they, the veth pair and every
# process started here are removed on exit, pass or fail.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/pkg/vrrp/testdata/golden
keepalived=${KEEPALIVED:-/usr/sbin/keepalived}

if [ "$(id -u)" -ne 0 ]; then
	echo "capture.sh: needs root (network namespaces)" >&2
	exit 1
fi
if ! command -v tcpdump >/dev/null; then
	apt-get install -y tcpdump >/dev/null
fi
kversion=$("$keepalived" -v 2>&1 | head -1 || true)
if [[ $kversion != "Keepalived v2.2.7 "* ]]; then
	echo "capture.sh: $keepalived is not keepalived 2.2.7" >&2
	exit 1
fi

nsa=vc-$$-a
nsb=vc-$$-b
work=$(mktemp -d /tmp/vc-$$-XXXXXX)
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		waitgone "$p" 30 || kill -KILL "$p" 2>/dev/null || true
	done
	ip netns del "$nsa" 2>/dev/null || true
	ip netns del "$nsb" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the lab -----------------------------------------------------------------
ip netns add "$nsa"
ip netns add "$nsb"
for ns in "$nsa" "$nsb"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip -n "$ns" link set lo up
done
ip link add "vc$$a" netns "$nsa" type veth peer name "vc$$b" netns "$nsb"
ip -n "$nsa" link set "vc$$a" name vlab0 address 02:00:00:00:00:0a
ip -n "$nsb" link set "vc$$b" name vlab0 address 02:00:00:00:00:0b
ip -n "$nsa" addr add 192.0.2.1/24 dev vlab0
ip -n "$nsb" addr add 192.0.2.2/24 dev vlab0
ip -n "$nsa" addr add 2001:db8::1/64 dev vlab0 nodad
ip -n "$nsb" addr add 2001:db8::2/64 dev vlab0 nodad
ip -n "$nsa" link set vlab0 up
ip -n "$nsb" link set vlab0 up
# Wait for the link-local addresses (the IPv6 adverts' source).
for _ in $(seq 50); do
	if ip -n "$nsa" -6 addr show dev vlab0 scope link | grep -q 'fe80::ff:fe00:a' &&
		ip -n "$nsb" -6 addr show dev vlab0 scope link | grep -q 'fe80::ff:fe00:b'; then
		break
	fi
	sleep 0.1
done

# --- scenarios -----------------------------------------------------------------
# name | seconds to run as MASTER before SIGTERM | one-line description
scenarios=(
	"v2-pass|2.2|VRRPv2 IPv4 multicast, auth PASS (7-byte password), 2 VIPs"
	"v2-none|2.2|VRRPv2 IPv4 multicast, no auth, 1 VIP, priority 255 (owner)"
	"v2-ah|2.2|VRRPv2 IPv4 multicast, auth AH (IPsec AH HMAC-MD5-96)"
	"v2-ah-unicast|2.2|VRRPv2 IPv4 unicast to 192.0.2.2, auth AH"
	"v2-unicast|4.5|VRRPv2 IPv4 unicast to 192.0.2.2, auth PASS"
	"v3-ipv4|1.2|VRRPv3 IPv4 multicast, advert_int 0.5 (50 cs), 3 VIPs"
	"v3-ipv6|2.2|VRRPv3 IPv6 multicast ff02::12, 2 VIPs"
	"v3-unicast|2.2|VRRPv3 IPv4 unicast to 192.0.2.2"
	"v3-unicast-old|2.2|VRRPv3 IPv4 unicast, old_unicast_checksum (pseudo-header dst 224.0.0.18)"
	"v3-ipv6-unicast|2.2|VRRPv3 IPv6 unicast to 2001:db8::2"
)

# conf NAME: prints the keepalived.conf of a scenario.
conf() {
	local g='global_defs {
    router_id vlab
}
'
	case $1 in
	v2-pass) cat <<EOF
$g
vrrp_instance VI_PASS {
    state MASTER
    interface vlab0
    virtual_router_id 51
    priority 150
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass secret7
    }
    virtual_ipaddress {
        192.0.2.100/24
        192.0.2.101/24
    }
}
EOF
		;;
	v2-none) cat <<EOF
$g
vrrp_instance VI_NONE {
    state MASTER
    interface vlab0
    virtual_router_id 52
    priority 255
    advert_int 1
    virtual_ipaddress {
        192.0.2.102/24
    }
}
EOF
		;;
	v2-ah) cat <<EOF
$g
vrrp_instance VI_AH {
    state BACKUP
    interface vlab0
    virtual_router_id 53
    priority 120
    advert_int 1
    authentication {
        auth_type AH
        auth_pass ahsecret
    }
    virtual_ipaddress {
        192.0.2.103/24
    }
}
EOF
		;;
	v2-ah-unicast) cat <<EOF
$g
vrrp_instance VI_AHU {
    state BACKUP
    interface vlab0
    virtual_router_id 54
    priority 110
    advert_int 1
    unicast_src_ip 192.0.2.1
    unicast_peer {
        192.0.2.2
    }
    authentication {
        auth_type AH
        auth_pass unisec
    }
    virtual_ipaddress {
        192.0.2.104/24
    }
}
EOF
		;;
	v2-unicast) cat <<EOF
$g
vrrp_instance VI_UNI2 {
    state MASTER
    interface vlab0
    virtual_router_id 55
    priority 100
    advert_int 2
    unicast_src_ip 192.0.2.1
    unicast_peer {
        192.0.2.2
    }
    authentication {
        auth_type PASS
        auth_pass 12345678
    }
    virtual_ipaddress {
        192.0.2.105/24
    }
}
EOF
		;;
	v3-ipv4) cat <<EOF
$g
vrrp_instance VI_V3 {
    version 3
    state MASTER
    interface vlab0
    virtual_router_id 56
    priority 200
    advert_int 0.5
    virtual_ipaddress {
        192.0.2.106/24
        192.0.2.107/24
        198.51.100.7/32
    }
}
EOF
		;;
	v3-ipv6) cat <<EOF
$g
vrrp_instance VI_V6 {
    version 3
    state MASTER
    interface vlab0
    virtual_router_id 57
    priority 100
    advert_int 1
    virtual_ipaddress {
        2001:db8::100/64
        2001:db8::101/64
    }
}
EOF
		;;
	v3-unicast) cat <<EOF
$g
vrrp_instance VI_UNI3 {
    version 3
    state MASTER
    interface vlab0
    virtual_router_id 58
    priority 90
    advert_int 1
    unicast_src_ip 192.0.2.1
    unicast_peer {
        192.0.2.2
    }
    virtual_ipaddress {
        192.0.2.108/24
    }
}
EOF
		;;
	v3-unicast-old) cat <<EOF
$g
vrrp_instance VI_OLD {
    version 3
    state MASTER
    interface vlab0
    virtual_router_id 59
    priority 100
    advert_int 1
    old_unicast_checksum
    unicast_src_ip 192.0.2.1
    unicast_peer {
        192.0.2.2
    }
    virtual_ipaddress {
        192.0.2.109/24
    }
}
EOF
		;;
	v3-ipv6-unicast) cat <<EOF
$g
vrrp_instance VI_UNI6 {
    version 3
    state MASTER
    interface vlab0
    virtual_router_id 60
    priority 100
    advert_int 1
    unicast_src_ip 2001:db8::1
    unicast_peer {
        2001:db8::2
    }
    virtual_ipaddress {
        2001:db8::110/64
    }
}
EOF
		;;
	*)
		echo "capture.sh: no scenario $1" >&2
		return 1
		;;
	esac
}

# forget PID: drops an ended process from the clean-up list.
forget() {
	local p keep=()
	for p in "${pids[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	pids=("${keep[@]}")
}

# alive PID: true while the process runs.
alive() { kill -0 "$1" 2>/dev/null; }

# waitgone PID TENTHS: waits up to TENTHS/10 s for the process to end.
waitgone() {
	local i
	for ((i = 0; i < $2; i++)); do
		alive "$1" || return 0
		sleep 0.1
	done
	return 1
}

run() {
	local name=$1 secs=$2 d=$work/$1 kpid tpid
	mkdir -p "$d"
	conf "$name" >"$d/keepalived.conf"

	ip netns exec "$nsb" tcpdump -n -U -i vlab0 -c 40 -w "$d/cap.pcap" \
		'ip proto 112 or ip proto 51 or ip6 proto 112' 2>"$d/tcpdump.err" &
	tpid=$!
	pids+=("$tpid")
	for _ in $(seq 50); do
		grep -q 'listening on' "$d/tcpdump.err" 2>/dev/null && break
		sleep 0.1
	done

	ip netns exec "$nsa" "$keepalived" -n -l -D -f "$d/keepalived.conf" \
		-p "$d/k.pid" -r "$d/v.pid" -c "$d/c.pid" >"$d/keepalived.log" 2>&1 &
	kpid=$!
	pids+=("$kpid")

	# keepalived 2.2.7 starts in BACKUP (init) unless the priority is 255,
	# and becomes MASTER when its master-down timer runs out.
	for _ in $(seq 150); do
		grep -qs 'Entering MASTER STATE' "$d/keepalived.log" && break
		sleep 0.1
	done
	if ! grep -q 'Entering MASTER STATE' "$d/keepalived.log"; then
		echo "capture.sh: $name: keepalived did not become MASTER" >&2
		cat "$d/keepalived.log" >&2
		return 1
	fi
	sleep "$secs"
	# SIGTERM while MASTER: keepalived sends a priority-0 advert.
	kill -TERM "$kpid"
	if ! waitgone "$kpid" 100; then
		echo "capture.sh: $name: keepalived did not stop" >&2
		return 1
	fi
	wait "$kpid" 2>/dev/null || true
	forget "$kpid"
	sleep 0.5
	kill -INT "$tpid" 2>/dev/null || true
	waitgone "$tpid" 50 || kill -KILL "$tpid" 2>/dev/null || true
	wait "$tpid" 2>/dev/null || true
	forget "$tpid"
	if ! grep -q 'sent 0 priority' "$d/keepalived.log"; then
		echo "capture.sh: $name: no priority-0 advert logged" >&2
		cat "$d/keepalived.log" >&2
		return 1
	fi

	cp "$d/keepalived.conf" "$out/$name.conf"
	cp "$d/cap.pcap" "$out/$name.pcap"
	echo "$name: $(tcpdump -n -r "$out/$name.pcap" 2>/dev/null | wc -l) packets"
}

mkdir -p "$out"
want=("$@")
index=$out/INDEX
{
	echo "# Golden VRRP packets: real adverts of Debian's keepalived 2.2.7,"
	echo "# captured by test/lab/capture.sh (see its header for the lab)."
	echo "# Each <name>.pcap holds the MASTER's adverts, then the priority-0"
	echo "# advert sent on SIGTERM; <name>.conf is the configuration used."
	echo "# $kversion"
	echo "# name | description"
} >"$work/INDEX"
for s in "${scenarios[@]}"; do
	IFS='|' read -r name secs desc <<<"$s"
	echo "$name | $desc" >>"$work/INDEX"
	if [ ${#want[@]} -gt 0 ] && ! printf '%s\n' "${want[@]}" | grep -qx "$name"; then
		continue
	fi
	run "$name" "$secs"
done
cp "$work/INDEX" "$index"
