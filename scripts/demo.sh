#!/usr/bin/env bash
# The demo (make demo, as root). For now it shows the configuration
# checker; the failover demo comes with the daemon.
#
#  1. a configuration from the user's seed notes, unchanged;
#  2. `keepalived -t` on it, in a throw-away network namespace that has its
#     interfaces: exit 0 (it uses vrrp_garp_interval 0, which keepalived
#     2.2.7 rejects and we accept as "no delay", see the README);
#  3. the same file with a typo ('prority'): the message, the did-you-mean
#     hint and the exit code 5, as keepalived's `-t` would exit;
#  4. the parsed model as JSON (`--dump-conf=json`).
#
# Needs root and iproute2; everything it makes is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-bin/keepalived}
CONF=${DEMO_CONF:-test/testdata/seeds/001_c0dd877eb076e720_4.1-unicast-162.conf}

die() { echo "demo: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (it makes a network namespace): sudo make demo"
command -v ip >/dev/null || die "needs ip (apt-get install iproute2)"
[ -x "$BIN" ] || make -s build
[ -r "$CONF" ] || die "cannot read $CONF"

ns="gkdemo-$$"
tmp=$(mktemp -d /tmp/gkdemo.XXXXXX)
cleanup() {
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bold= norm=
if [ -t 1 ]; then
	bold=$(tput bold 2>/dev/null || true)
	norm=$(tput sgr0 2>/dev/null || true)
fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$norm"; }
show() { printf '%s$ %s%s\n' "$bold" "$*" "$norm"; }

# The interfaces the file names (interface X, dev X), made as veth pairs.
ifaces=$(sed 's/[#!].*//' "$CONF" | { grep -oE '(^|[[:space:]])(interface|dev)[[:space:]]+[A-Za-z0-9_.-]+' || true; } |
	awk '{ print $2 }' | sort -u)
ip netns add "$ns"
i=0
for ifname in $ifaces; do
	ip -n "$ns" link add "$ifname" type veth peer name "gkdp$i"
	i=$((i + 1))
done

step "A configuration from the seed notes ($CONF)"
cat "$CONF"

step "Check it in a network namespace with interface(s): $(echo $ifaces)"
show "ip netns exec $ns $BIN -t -f $CONF"
rc=0
ip netns exec "$ns" "$BIN" -t -f "$CONF" || rc=$?
echo "exit code: $rc"

step "The same file with a typo: 'priority' written 'prority'"
typo="$tmp/keepalived.conf"
sed '0,/priority/s//prority/' "$CONF" >"$typo"
diff -u --label "$CONF" --label "$typo" "$CONF" "$typo" || true
show "ip netns exec $ns $BIN -t -f $typo"
rc=0
ip netns exec "$ns" "$BIN" -t -f "$typo" || rc=$?
echo "exit code: $rc   (keepalived -t: 0 ok, 4 cannot run, 5 errors, 6 script security)"

step "The parsed configuration as JSON (first 40 lines)"
show "ip netns exec $ns $BIN -t --dump-conf=json -f $CONF | head -40"
ip netns exec "$ns" "$BIN" -t --dump-conf=json -f "$CONF" 2>/dev/null | head -40 || true

step "Done; namespace $ns and $tmp are removed on exit."
