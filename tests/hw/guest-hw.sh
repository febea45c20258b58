#!/bin/sh
# In the QEMU guest: load the DSA PCI driver with two simulated devices on
# the register twin (DSA 1.0 and 2.0), run the conformance suite against
# every queue it registers (write(2) submission: the guest CPU has no
# MOVDIR64B or ENQCMD), unload it, and print "dsa-hw: N passed, M failed".
# The DSA 1.0 dedicated queue offers no write(2) (its occupancy cannot be
# read), so three queues are expected: 1.0 shared, 2.0 dedicated, 2.0 shared;
# the suite runs on the first queue of each mode.
passed=0
failed=0
sysfs=/sys/class/uacce

note_fail() {
	echo "dsa-hw: FAIL: $*"
	failed=$((failed + 1))
}

if ! insmod /bin/dsa_pci.ko sim=1,2; then
	echo "dsa-hw: 0 passed, 1 failed"
	exit 1
fi
queues=0
done_modes=
for d in "$sysfs"/dsa_pci-*; do
	[ -e "$d" ] || continue
	name=$(basename "$d")
	queues=$((queues + 1))
	mode=$(cat "$d/dsa_mode" 2>/dev/null)
	# One run per mode (the first queue of each: 1.0 shared, 2.0
	# dedicated) keeps the guest within its time budget under TCG.
	case " $done_modes " in *" $mode "*) continue ;; esac
	done_modes="$done_modes $mode"
	echo "dsa-hw: conformance on $name (mode $mode)"
	# A dedicated queue has one opener (one PASID in WQCFG): a forked
	# child cannot open a second queue there while its parent holds it.
	filter='*'
	[ "$mode" = 1 ] && filter='!(fork/*)'
	ACCEL_TEST_BACKENDS=uacce ACCEL_UACCE_SUBMIT=write ACCEL_TEST_DEVICE="$name" \
		/bin/conformance --jobs 1 --filter "$filter" > /tmp/hw.out 2>&1
	rc=$?
	cat /tmp/hw.out
	line=$(grep 'Synthesis: Tested' /tmp/hw.out | tail -1)
	p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${c:-0}))
	[ -n "$line" ] || note_fail "no summary from $name (exit $rc)"
done
[ "$queues" -eq 3 ] || note_fail "expected 3 queues, found $queues"
# Unload with nothing open: every queue drained, the devices reset.
rmmod dsa_pci || note_fail "rmmod dsa_pci"
[ -e "$sysfs/dsa_pci-0" ] && note_fail "nodes left after rmmod"
echo "dsa-hw: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
