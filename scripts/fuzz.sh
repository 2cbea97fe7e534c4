#!/usr/bin/env bash
# Runs every fuzz target of the module, one at a time, each for DURATION
# (a go test -fuzztime value: 30s, 10m, 1h, or 1000x), with two workers.
# Fails if any target fails or if there is no target at all.
#
#   scripts/fuzz.sh 10m        (make fuzz FUZZTIME=10m)
#
# Inputs that make a target fail are written by go test under the
# package's testdata/fuzz/<Target>/; commit them with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${1:-30s}
if ! [[ $duration =~ ^[0-9]+(ns|us|ms|s|m|h|x)$ ]]; then
	echo "usage: $0 DURATION   (e.g. 30s, 10m, 1000x)" >&2
	exit 2
fi

# go test's own -timeout (default 10m) would kill a long fuzz run: give
# each run its fuzz time plus slack, or no limit for an iteration count.
timeout=0
case $duration in
*h) timeout="$(( ${duration%h} * 3600 + 600 ))s" ;;
*m) timeout="$(( ${duration%m} * 60 + 600 ))s" ;;
*s) [[ $duration == *[nmu]s ]] || timeout="$(( ${duration%s} + 600 ))s" ;;
esac

targets=()
failed=()
for pkg in $(go list ./...); do
	# -list prints the matching names, then an ok/? line per package; a
	# package that does not build cannot be fuzzed, which is a failure.
	if ! out=$(go test -list '^Fuzz' "$pkg" 2>&1); then
		echo "$out" >&2
		failed+=("listing $pkg")
		continue
	fi
	while read -r name; do
		if [[ $name == Fuzz* ]]; then targets+=("$pkg $name"); fi
	done <<<"$out"
done
if [ ${#targets[@]} -eq 0 ] && [ ${#failed[@]} -eq 0 ]; then
	echo "fuzz: no fuzz targets found in $(go list -m)" >&2
	exit 1
fi

for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	echo "=== fuzz $name ($pkg) for $duration"
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$duration" -parallel 2 -timeout "$timeout" "$pkg"; then
		failed+=("$name ($pkg)")
	fi
done

echo
echo "fuzz: ${#targets[@]} target(s), ${#failed[@]} failed"
for f in "${failed[@]}"; do
	echo "  FAIL $f"
done
[ ${#failed[@]} -eq 0 ]
