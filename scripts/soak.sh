#!/usr/bin/env bash
# make soak (as root): 100 reloads in a row of a 3-router cluster with a
# client connecting to the VIP every 10 ms (test/cmd/soak). Fails on a lost
# request, a state change, or memory growth. SOAK_ROUNDS=N for another
# number of rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "soak: run as root (network namespaces)" >&2; exit 1; }
command -v ip >/dev/null || bash scripts/test-deps.sh
[ -x bin/keepalived ] || make -s build
go build -o bin/gokeepalived-soak ./test/cmd/soak
exec bin/gokeepalived-soak -keepalived bin/keepalived -rounds "${SOAK_ROUNDS:-100}"
