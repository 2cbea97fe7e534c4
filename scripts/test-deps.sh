#!/usr/bin/env bash
# Installs what `make test` needs when it is missing: Debian's keepalived
# 2.2.7 (the reference for -t verdicts), iproute2, tcpdump.
set -euo pipefail
need=()
[ -x /usr/sbin/keepalived ] || need+=(keepalived)
command -v ip >/dev/null || need+=(iproute2)
command -v tcpdump >/dev/null || need+=(tcpdump)
command -v nft >/dev/null || need+=(nftables)
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "test-deps: missing ${need[*]} and not root; tests that need them will skip" >&2
		exit 0
	fi
	echo "test-deps: installing ${need[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# keepalived's package would start the service on install; keep it off.
	made_policy=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
		made_policy=1
	fi
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
	[ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
fi
if [ -x /usr/sbin/keepalived ] && ! /usr/sbin/keepalived -v 2>&1 | grep -q 'Keepalived v2.2.7'; then
	echo "test-deps: /usr/sbin/keepalived is not Debian's 2.2.7; comparison tests will skip" >&2
fi
