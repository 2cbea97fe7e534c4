#!/usr/bin/env bash
# The demo (make demo, as root): a VRRP failover seen from a client.
#
# test/cmd/demo builds a network-namespace lab (a client on a bridge, two
# routers), runs bin/keepalived in both routers with the seed notes'
# MASTER 100 / BACKUP 80 pair (seed 001 §3), an HTTP server in each, and a
# client asking http://192.168.0.248/ every 50 ms. It kills the master
# (SIGKILL, cable cut), shows the answers move to the backup, brings the
# master back, prints the client-seen gaps, and removes everything, also
# on Ctrl-C.
#
# Needs root, Go and iproute2 (installed by scripts/test-deps.sh when
# missing). Nothing is created outside the lab's namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "demo: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (it makes network namespaces): sudo make demo"
command -v go >/dev/null || die "needs Go (https://go.dev/dl/)"
command -v ip >/dev/null || bash scripts/test-deps.sh
command -v ip >/dev/null || die "needs ip (apt-get install iproute2)"
[ -x bin/keepalived ] || make -s build
go build -o bin/gokeepalived-demo ./test/cmd/demo
# exec: Ctrl-C goes to the demo, which removes its lab.
exec bin/gokeepalived-demo -keepalived bin/keepalived "$@"
