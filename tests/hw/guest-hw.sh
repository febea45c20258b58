#!/bin/sh
# In the QEMU guest: load the DSA PCI driver with two simulated devices on
# the register twin (DSA 1.0 and 2.0), run the driver's own tests
# (hw_guest) and the conformance suite against its queues (write(2)
# submission: the guest CPU has no MOVDIR64B or ENQCMD), unload it, and
# print "dsa-hw: N passed, M failed".
# The DSA 1.0 dedicated queue offers no write(2) (its occupancy cannot be
# read), so three queues are expected: 1.0 shared, 2.0 dedicated, 2.0
# shared; the conformance suite runs on the first two.
passed=0
failed=0
sysfs=/sys/class/uacce

note_fail() {
	echo "dsa-hw: FAIL: $*"
	failed=$((failed + 1))
}

# Add the counts of a Criterion run's summary in file $1 (named $2).
count() {
	line=$(grep 'Synthesis: Tested' "$1" | tail -1)
	p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${c:-0}))
	[ -n "$line" ] || note_fail "no summary from $2"
}

# The node of the queue the driver announced as "DSA $1 queue n: $2".
queue_of() {
	dmesg | sed -n "s/.*uacce \(dsa_pci-[0-9]*\): DSA $1 queue [0-9]*: $2,.*/\1/p" |
		tail -1
}

if ! insmod /bin/dsa_pci.ko sim=1,2; then
	echo "dsa-hw: 0 passed, 1 failed"
	exit 1
fi
HW_V1_SWQ=$(queue_of 1.0 shared)
HW_V2_DWQ=$(queue_of 2.0 dedicated)
HW_V2_SWQ=$(queue_of 2.0 shared)
export HW_V1_SWQ HW_V2_DWQ HW_V2_SWQ
echo "dsa-hw: queues: 1.0 shared $HW_V1_SWQ, 2.0 dedicated $HW_V2_DWQ, 2.0 shared $HW_V2_SWQ"
queues=$(ls -d "$sysfs"/dsa_pci-* 2>/dev/null | wc -l)
[ "$queues" -eq 3 ] || note_fail "expected 3 queues, found $queues"

# The driver's tests; the halt that leaves the 2.0 device halted runs
# after the conformance suite.
/bin/hw_guest --jobs 1 --filter '!(hw_last/*|hw_remove/*)' > /tmp/hw.out 2>&1
cat /tmp/hw.out
count /tmp/hw.out hw_guest

# Conformance through libaccel's uacce backend, the whole suite: where
# write(2) refuses BATCH (DSA 1.0, as idxd) libaccel runs the batch, its
# members going to the device one by one, and a misaligned completion
# record is dropped as the device drops it (libaccel/uacce_batch_sw.c,
# backend_uacce.c).  A dedicated queue has one opener (one PASID in
# WQCFG): a forked child cannot open a second queue there while its
# parent holds it.
for q in "$HW_V1_SWQ:" \
	 "$HW_V2_DWQ:!(fork/*)"; do
	name=${q%%:*}
	filter=${q#*:}
	echo "dsa-hw: conformance on $name (${filter:-everything})"
	set -- --jobs 1
	[ -n "$filter" ] && set -- "$@" --filter "$filter"
	ACCEL_TEST_BACKENDS=uacce ACCEL_UACCE_SUBMIT=write ACCEL_TEST_DEVICE="$name" \
		/bin/conformance "$@" > /tmp/hw.out 2>&1
	cat /tmp/hw.out
	count /tmp/hw.out "conformance on $name"
done

# The kernel ABI tests (tests/kernel/kt_abi.c) against these queues: the
# first dedicated (2.0) and the first shared (1.0) queue.  They have no
# ring and no regions, so the ring's own tests are left out.
/bin/kt_abi --jobs 1 \
	--filter '!(uacce/mmap_rules|uacce/worker_sleeps_and_doorbell_wakes_it)' \
	> /tmp/hw.out 2>&1
cat /tmp/hw.out
count /tmp/hw.out kt_abi

# The soft device's robustness campaigns against these queues.
KT_ROBUST_DRIVER=dsa_pci /bin/kt_robust /bin/dsa_pci.ko > /tmp/hw.out 2>&1
cat /tmp/hw.out
line=$(grep '^robust: [0-9]* passed' /tmp/hw.out | tail -1)
p=$(echo "$line" | sed -n 's/robust: \([0-9]*\) passed, \([0-9]*\) failed/\1/p')
f=$(echo "$line" | sed -n 's/robust: \([0-9]*\) passed, \([0-9]*\) failed/\2/p')
# One test here (its thousands of checks would drown the rest): passed,
# or failed by the checks that failed.
if [ -z "$line" ]; then
	note_fail "no summary from kt_robust"
elif [ "${f:-1}" -eq 0 ] && [ "${p:-0}" -gt 0 ]; then
	passed=$((passed + 1))
else
	failed=$((failed + ${f:-1}))
fi

/bin/hw_guest --jobs 1 --filter 'hw_last/*' > /tmp/hw.out 2>&1
cat /tmp/hw.out
count /tmp/hw.out "hw_guest hw_last"

# Unload with files open and work in flight (the test runs rmmod).
/bin/hw_guest --jobs 1 --filter 'hw_remove/*' > /tmp/hw.out 2>&1
cat /tmp/hw.out
count /tmp/hw.out "hw_guest hw_remove"
if grep -q '^dsa_pci ' /proc/modules; then
	note_fail "dsa_pci still loaded"
	rmmod dsa_pci
fi
[ -e "$sysfs/dsa_pci-0" ] && note_fail "nodes left after rmmod"
echo "dsa-hw: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
