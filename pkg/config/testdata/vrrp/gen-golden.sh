#!/bin/bash
# Regenerates the .golden files next to each cases/*.conf by running
# Debian's keepalived 2.2.7 in -t mode inside a throwaway network namespace
# that has the interfaces the cases use (eth0, eth1, bond0 as veth pairs).
# Each golden file holds keepalived's distinct stderr lines, then "exit=N".
# Needs root; the namespace is removed afterwards.
set -u
cd "$(dirname "$0")/cases"
NS=gk-vrrp-golden-$$
ip netns add "$NS" || exit 1
trap 'ip netns del "$NS"' EXIT
for i in eth0 eth1 bond0; do
	ip -n "$NS" link add "$i" type veth peer name "${i}p"
	ip -n "$NS" link set "$i" up
done
ip -n "$NS" link set lo up
ip -n "$NS" addr add 192.168.1.10/24 dev eth0
ip -n "$NS" addr add 10.1.1.10/24 dev eth1
for f in *.conf; do
	out=$(ip netns exec "$NS" timeout 10 /usr/sbin/keepalived -t -f "$f" 2>&1)
	rc=$?
	{ printf '%s\n' "$out" | awk 'NF && !seen[$0]++'; echo "exit=$rc"; } > "${f%.conf}.golden"
done
