#!/bin/sh
# Runs the idxd suites and sums Criterion's counts into one line:
#   idxd: N passed, M failed
# $1: the directory of the test binaries, $2: Criterion's run options.
dir=$1
opts=$2
pass=0
fail=0
status=0
run() {
	label=$1
	shift
	out=$(timeout 900 "$@" $opts 2>&1)
	rc=$?
	line=$(printf '%s\n' "$out" | grep 'Synthesis:' | tail -1)
	p=$(printf '%s\n' "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(printf '%s\n' "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	if [ -z "$p" ]; then
		p=0
		f=1
		c=0
	fi
	if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ] || [ "$c" -ne 0 ]; then
		printf '%s\n' "$out" | grep -v '^\[----\] *$' | tail -40
		status=1
	fi
	echo "idxd: $label: $p passed, $((f + c)) failed"
	pass=$((pass + p))
	fail=$((fail + f + c))
}
run "discovery and submission" env ACCEL_BACKEND= "$dir/idxd-unit"
for cfg in shared-write shared-portal dedicated-portal dedicated-write; do
	run "conformance on $cfg" env IDXD_DOUBLE=$cfg ACCEL_TEST_BACKENDS=idxd \
		"$dir/conformance-idxd"
done
echo "idxd: $pass passed, $fail failed"
exit $status
