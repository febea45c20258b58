#!/bin/sh
# In the QEMU 11.1 guest (tests/vmm/vmm.sh): two virtual DSA functions
# served by accel-vfio-user (DSA 1.0 and 2.0), our driver probing them
# through their PCI config space and BAR MMIO, the tests through
# /dev/uacce against them.  Prints "vmm: N passed, M failed".
#
# Usage: vmm-guest.sh full|short|load
#   full   everything (the 6.12 boot)
#   short  what the PCI probe, the paravirtual extension, interrupts and
#          removal need, without the conformance suite (the 6.1 boot)
#   load   bring up, then submit work until the host kills the VMM
mode=${1:-full}
S=/sys/class/dsa_pci
passed=0
failed=0

pass() { echo "vmm: PASS: $*"; passed=$((passed + 1)); }
fail() { echo "vmm: FAIL: $*"; failed=$((failed + 1)); }
check() { d=$1; shift; if "$@" > /tmp/vmm.out 2>&1; then pass "$d"; else fail "$d"; cat /tmp/vmm.out; fi; }

# Add the counts of a Criterion run's summary in file $1 (named $2).
count() {
	line=$(grep 'Synthesis: Tested' "$1" | tail -1)
	p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${c:-0}))
	[ -n "$line" ] || fail "no summary from $2"
}

# A Criterion program, its output shown and counted.
suite() {
	name=$1
	shift
	"$@" > /tmp/vmm.suite 2>&1
	cat /tmp/vmm.suite
	count /tmp/vmm.suite "$name"
}

finish() {
	echo "vmm: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

if ! insmod /bin/dsa_pci.ko; then
	fail "insmod dsa_pci"
	finish
fi

# ---- what the guest sees (lspci without lspci) ----
echo "vmm: PCI functions:"
fns=0
for f in /sys/bus/pci/devices/*; do
	id="$(cat "$f/vendor"):$(cat "$f/device") class $(cat "$f/class")"
	drv=$(basename "$(readlink "$f/driver" 2>/dev/null)" 2>/dev/null)
	echo "  ${f##*/} $id driver ${drv:--} irqs $(ls "$f/msi_irqs" 2>/dev/null | wc -l)"
	case "$id" in
	0x8086:0x0b25*|0x8086:0x11fb*)
		[ "$drv" = dsa_pci ] && fns=$((fns + 1)) ;;
	esac
done
[ "$fns" -eq 2 ] && pass "two virtual DSA functions bound to dsa_pci" ||
	fail "virtual DSA functions bound: $fns"
dmesg | grep -E 'dsa_pci|uacce' | sed 's/^/  /'
n=$(dmesg | grep -c 'paravirtual DSA: features 0x3 offered, 0x3 used')
[ "$n" -eq 2 ] && pass "both use the paravirtual extension (8x8 portal, PASID roots)" ||
	fail "paravirtual extension in use on $n functions"

# The queues, named as tests/hw/guest names them.
queue_of() {
	dmesg | sed -n "s/.*uacce \(dsa_pci-[0-9]*\): DSA $1 queue [0-9]*: $2,.*/\1/p" |
		tail -1
}
HW_V1_SWQ=$(queue_of 1.0 shared)
HW_V2_DWQ=$(queue_of 2.0 dedicated)
HW_V2_SWQ=$(queue_of 2.0 shared)
export HW_V1_SWQ HW_V2_DWQ HW_V2_SWQ
echo "vmm: queues: 1.0 shared $HW_V1_SWQ, 2.0 dedicated $HW_V2_DWQ, 2.0 shared $HW_V2_SWQ"
if [ -n "$HW_V1_SWQ" ] && [ -n "$HW_V2_DWQ" ] && [ -n "$HW_V2_SWQ" ]; then
	pass "three queues offer write(2)"
else
	fail "queues missing"
	finish
fi

if [ "$mode" = load ]; then
	# The host kills the VMM once it sees this line (on the console
	# itself: init shows a command's output only when it ends).
	echo "VMM-LOAD-RUNNING" > /dev/console
	while :; do
		/bin/vmm_pv --jobs 1 --filter 'vmm/virtual_addresses_are_walked' >/dev/null 2>&1
	done
fi

# ---- the paravirtual extension from user space; interrupts ----
suite vmm_pv /bin/vmm_pv --jobs 1
# The driver's own guest tests that need no simulated-device injection.
suite hw_guest /bin/hw_guest --jobs 1 --filter '@(hw_write|hw_irq|hw_close)/*'

if [ "$mode" = full ]; then
	# ---- conformance through libaccel's uacce backend ----
	# No ACCEL_UACCE_SUBMIT: the backend picks write(2) by itself, the
	# queues offering nothing else.  Left out, as on the simulated device
	# (docs/hw.md): fork (one opener on a dedicated queue), the
	# misaligned record (write(2) refuses it).  Left out here: what needs
	# the device to bring in a page that is not present (block-on-fault,
	# a record or batch member in a page never touched), since the
	# virtual device has no page requests (docs/vmm.md); and the two
	# block-on-fault statuses of faults/* (the server's, see docs/vmm.md).
	skip='fork/*|status/completion_record_misaligned_is_not_written'
	skip="$skip|status/completion_record_the_device_cannot_write"
	skip="$skip|faults/block_on_fault_resolves_not_present_pages"
	skip="$skip|faults/read_only_destination_faults"
	skip="$skip|faults/unmapped_address_is_a_status_not_a_crash"
	skip="$skip|dsa2/dsa2_runs_dix_and_translation_fetch"
	skip="$skip|batch_inplace/abandoned_members_read_as_not_run"
	skip="$skip|batch_inplace/a_bad_member_fails_the_batch_not_the_process"
	ACCEL_TEST_BACKENDS=uacce ACCEL_TEST_DEVICE="$HW_V2_DWQ" \
		suite conformance /bin/conformance --jobs 1 --filter "!($skip)"

	# ---- the kernel ABI tests (tests/kernel/kt_abi.c), write(2) ----
	# On the first dedicated and the first shared queue.  Left out: the
	# ring's own tests, as on the simulated device (the portal is never
	# mapped: no ring, no regions); block_on_fault_brings_pages_in, the
	# virtual device having no page requests (docs/vmm.md).
	skip='uacce/mmap_rules|uacce/worker_sleeps_and_doorbell_wakes_it'
	skip="$skip|uacce/block_on_fault_brings_pages_in"
	suite kt_abi /bin/kt_abi --jobs 1 --filter "!($skip)"

	# ---- the cost of one descriptor through the VMM (docs/vmm.md) ----
	check "cost per descriptor measured" /bin/vmm_cost "$HW_V2_DWQ"
	cat /tmp/vmm.out

	# ---- queue configuration from inside the guest ----
	v2=
	for d in "$S"/dsa*; do
		[ "$(cat "$d/version")" = 0x200 ] && v2=${d##*/}
	done
	b=${v2#dsa}
	check "dsactl list" /bin/dsactl list
	cat /tmp/vmm.out
	check "disable wq$b.1" /bin/dsactl disable "wq$b.1"
	check "set wq$b.1 threshold 8 priority 3" /bin/dsactl set "wq$b.1" threshold=8 priority=3
	check "enable wq$b.1" /bin/dsactl enable "wq$b.1"
	[ "$(cat "$S/wq$b.1/threshold")" = 8 ] && pass "wq$b.1 threshold is 8" ||
		fail "wq$b.1 threshold $(cat "$S/wq$b.1/threshold")"
	check "memmove on reconfigured wq$b.1" /bin/cfg_submit run "$(cat "$S/wq$b.1/uacce")"
	check "disable wq$b.0" /bin/dsactl disable "wq$b.0"
	check "set wq$b.0 shared" /bin/dsactl set "wq$b.0" mode=shared threshold=4
	check "enable wq$b.0 shared" /bin/dsactl enable "wq$b.0"
	check "memmove on wq$b.0, now shared" /bin/cfg_submit run "$(cat "$S/wq$b.0/uacce")"
	check "disable wq$b.0 again" /bin/dsactl disable "wq$b.0"
	check "set wq$b.0 dedicated" /bin/dsactl set "wq$b.0" mode=dedicated
	check "enable wq$b.0 dedicated" /bin/dsactl enable "wq$b.0"
	check "memmove on wq$b.0, dedicated again" /bin/cfg_submit run "$(cat "$S/wq$b.0/uacce")"
	# The nodes may have new numbers: name the queues again for the end.
	HW_V2_DWQ=$(cat "$S/wq$b.0/uacce")
	HW_V2_SWQ=$(cat "$S/wq$b.1/uacce")
fi

# ---- rmmod with files open and work in flight ----
suite hw_remove /bin/hw_guest --jobs 1 --filter 'hw_remove/*'
if grep -q '^dsa_pci ' /proc/modules; then
	fail "dsa_pci still loaded"
	rmmod dsa_pci
fi
[ -e /sys/class/uacce/dsa_pci-0 ] && fail "nodes left after rmmod"
# Bound again, the functions come back from reset with the default
# configuration, and work.
if insmod /bin/dsa_pci.ko; then
	HW_V2_DWQ=$(queue_of 2.0 dedicated)
	check "memmove after reload" /bin/cfg_submit run "$HW_V2_DWQ"
	check "rmmod idle" rmmod dsa_pci
else
	fail "insmod after rmmod"
fi
finish
