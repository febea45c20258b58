#!/bin/sh
# The guest's init: mount, load the modules, run each manifest line, add up
# the results, print them and the kernel log, and report through QEMU's
# isa-debug-exit port (0: pass, 1: fail).
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm

passed=0
failed=0

fail() {
	echo "GUEST-FAIL: $*"
	failed=$((failed + 1))
}

while read -r m; do
	if insmod "$m"; then
		echo "GUEST: loaded $m"
	else
		fail "insmod $m"
	fi
done < /etc/modules
# What udev would do with kernel/udev/70-uaccel.rules.
/bin/udev-apply.sh /etc/uaccel.rules || fail "udev rule"

# One manifest line: counts from its last summary line, either Criterion's
# "Synthesis: Tested: T | Passing: P | Failing: F | Crashing: C" or ours,
# "... N passed, M failed".
run_one() {
	echo "GUEST-RUN: $1"
	t0=$(cut -d. -f1 /proc/uptime)
	timeout "${GUEST_TEST_TIMEOUT:-600}" sh -c "$1" > /tmp/out 2>&1
	rc=$?
	cat /tmp/out
	line=$(grep -E 'Synthesis: Tested|[0-9]+ passed, [0-9]+ failed' /tmp/out | tail -1)
	case "$line" in
	*Synthesis*)
		p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
		f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
		c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
		f=$((f + c))
		;;
	*passed*)
		p=$(echo "$line" | sed -n 's/.* \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
		f=$(echo "$line" | sed -n 's/.* \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
		;;
	*)
		p=0
		f=0
		;;
	esac
	p=${p:-0}
	f=${f:-0}
	passed=$((passed + p))
	failed=$((failed + f))
	if [ -z "$line" ]; then
		fail "no summary from: $1 (exit $rc)"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		fail "exit status $rc from: $1"
	fi
	echo "GUEST-SUITE: $p passed, $f failed ($(($(cut -d. -f1 /proc/uptime) - t0))s): $1"
}

while read -r cmd; do
	run_one "$cmd"
done < /etc/manifest

echo "GUEST-RESULT: $passed passed, $failed failed"
echo "GUEST-DMESG-BEGIN"
dmesg
echo "GUEST-DMESG-END"
echo "GUEST-END"
sync
code='\001'
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] && code='\000'
printf "$code" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
poweroff -f
