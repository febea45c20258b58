#!/bin/sh
# Boot Debian's packaged kernel in QEMU with the test initramfs, and judge
# the run from the host: the guest's own tally, QEMU's exit status (the
# guest writes to isa-debug-exit: 0 -> exit 1 means pass, 1 -> exit 3
# means fail; a panic with -no-reboot exits 0) and the serial log, which
# must hold no kernel warning, oops, BUG, lockup or slab corruption.
# Prints one closing line: "guest: N passed, M failed".
#
# Usage: run-guest.sh OUTDIR MANIFEST "MODULES" PROGRAM...
# Environment: QEMU_ACCEL (tcg), GUEST_TIMEOUT (s, 900), GUEST_MEM (1024),
# GUEST_QEMU, GUEST_QEMU_ARGS (below),
# GUEST_KVER (the kernel to boot; the newest installed by default),
# GUEST_TEST_MODULES (see mkinitramfs.sh).
set -eu
outdir=$1
manifest=$2
modules=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$outdir"

if [ -n "${GUEST_KVER:-}" ]; then
	bz=/boot/vmlinuz-$GUEST_KVER
	[ -e "$bz" ] || bz=
else
	bz=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -1)
fi
[ -n "$bz" ] || { echo "guest: no /boot/vmlinuz-*-amd64 (apt-get install linux-image-amd64)" >&2; exit 1; }
kernel=$outdir/vmlinux-$(basename "$bz" | sed 's/^vmlinuz-//')
if [ ! -s "$kernel" ]; then
	"$here/extract-vmlinux.sh" "$bz" "$kernel" || kernel=$bz
fi
# The modules must match the kernel that boots.
kver=$(basename "$bz" | sed 's/^vmlinuz-//')
for m in $modules; do
	mv=$(modinfo -F vermagic "$m" 2>/dev/null | cut -d' ' -f1)
	if [ -n "$mv" ] && [ "$mv" != "$kver" ]; then
		echo "guest: $m is built for $mv, the guest boots $kver" >&2
		exit 1
	fi
done

initrd=$outdir/initramfs.cpio.gz
"$here/mkinitramfs.sh" "$initrd" "$manifest" "$modules" "$@"

# no_timer_check: on a loaded host a TCG guest can miss the boot-time
# check of the timer interrupt and panic ("IO-APIC + timer doesn't work",
# seen here with a load average near 28); the check proves nothing about
# the modules.
log=$outdir/serial.log
start=$(date +%s)
set +e
# GUEST_QEMU: another QEMU (tests/vmm: QEMU 11.1 from its chroot);
# GUEST_QEMU_ARGS: more options, split at blanks (no quoting).
# shellcheck disable=SC2086
timeout "${GUEST_TIMEOUT:-900}" ${GUEST_QEMU:-qemu-system-x86_64} \
	-accel "${QEMU_ACCEL:-tcg}" -cpu max -smp 2 -m "${GUEST_MEM:-1024}" \
	-nographic -no-reboot -nodefaults -serial "file:$log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1 oops=panic softlockup_panic=1 slub_debug=FZPU no_timer_check" \
	${GUEST_QEMU_ARGS:-}
qrc=$?
set -e
secs=$(($(date +%s) - start))
echo "guest: boot to power-off took ${secs}s (log: $log)"

problems=0
complain() {
	echo "guest: FAIL: $*" >&2
	problems=$((problems + 1))
}

# Failed suites and tests, for the reader.
grep -a -E 'GUEST-FAIL|GUEST-SUITE|^\[FAIL\]|^FAIL:|^campaign ' "$log" || true

pattern='WARNING:|BUG: |BUG kmalloc|BUG kmem|Oops|general protection fault|Kernel panic|soft lockup|hard LOCKUP|blocked for more than|hung_task|Call Trace:|UBSAN:|Redzone|Poison overwritten|Object padding|kernel BUG'
if grep -a -n -E "$pattern" "$log" > "$outdir/kernel-problems.txt"; then
	complain "kernel problems in the log:"
	grep -a -n -E -B2 -A12 "$pattern" "$log" | head -80 >&2
fi

result=$(grep -a '^GUEST-RESULT:' "$log" | tail -1 || true)
if [ -z "$result" ]; then
	if [ "$qrc" -eq 124 ]; then
		complain "timed out after ${GUEST_TIMEOUT:-900}s"
	else
		complain "no result line (QEMU exit $qrc); the log ends:"
	fi
	tail -30 "$log" >&2
	n=0
	m=1
else
	n=$(echo "$result" | sed 's/.*: \([0-9]*\) passed.*/\1/')
	m=$(echo "$result" | sed 's/.* \([0-9]*\) failed.*/\1/')
	[ "$qrc" -eq 1 ] || complain "QEMU exit status $qrc (the guest reports pass as 1)"
	[ "$m" -eq 0 ] || complain "$m failed in the guest"
	[ "$n" -gt 0 ] || complain "nothing passed"
fi
if [ "$problems" -gt 0 ] && [ "$m" -eq 0 ]; then
	m=$problems
fi
echo "guest: $n passed, $m failed"
[ "$problems" -eq 0 ]
