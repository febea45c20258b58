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
# accel-bench --backend idxd on the double: it opens the queue, says which,
# and measures.
for cfg in shared-write dedicated-portal; do
	out=$(IDXD_DOUBLE=$cfg timeout 300 "$dir/accel-bench-idxd" --backend idxd \
		--sweep 4K:64K --iters 200 --mode async --qd 8 2>&1)
	if [ $? -eq 0 ] && printf '%s\n' "$out" | grep -q '^# idxd queue wq0.0 (' &&
	   [ "$(printf '%s\n' "$out" | grep -c '^ *[0-9]')" -ge 5 ]; then
		pass=$((pass + 1))
		echo "idxd: accel-bench --backend idxd on $cfg: 1 passed, 0 failed"
	else
		printf '%s\n' "$out" | tail -20
		fail=$((fail + 1))
		status=1
		echo "idxd: accel-bench --backend idxd on $cfg: 0 passed, 1 failed"
	fi
done
echo "idxd: $pass passed, $fail failed"
exit $status
