#!/bin/sh
# make check-vmm: our virtual DSA under a real VMM.  QEMU 11.1 (from the
# trixie chroot qemu11.sh keeps) attaches two virtual DSA functions, each
# served by its own accel-vfio-user (DSA 1.0 and 2.0); our guest kernel
# boots with uaccel.ko and dsa_pci.ko, which probes them through their
# config space and BAR MMIO; tests/vmm/vmm-guest.sh runs the tests.  The
# host judges each boot as every guest run is judged (run-guest.sh: the
# guest's tally, QEMU's exit status, no kernel warning in the serial
# log), then checks the servers: still running, and their accounting of
# the client that went shows nothing held.
#
# First two guests share the servers (and so the host queues), and one of
# them is killed with work in flight (kill -9 of QEMU); the servers must
# survive it, release everything, and serve the other and the next guests.
#
# Usage: vmm.sh OUTDIR SERVER "KVER:MODE ..." "MODULES" PROGRAM...
#   MODE full or short (vmm-guest.sh); the killed guest boots the first
#   KVER, beside the first short one.
# Environment: VMM_GUEST_MEM (MiB, 512), VMM_KILL (1; 0 leaves the kill out).
# Prints "vmm: N passed, M failed" (host checks and guest tallies).
set -eu
out=$1
server=$2
boots=$3
modules=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
mem=${VMM_GUEST_MEM:-512}
mkdir -p "$out"
passed=0
failed=0
pass() { echo "vmm: PASS: $*"; passed=$((passed + 1)); }
fail() { echo "vmm: FAIL: $*" >&2; failed=$((failed + 1)); }

t=$(date +%s)
sh "$here/qemu11.sh" prepare
echo "vmm: QEMU 11.1 chroot ready in $(($(date +%s) - t))s ($(sh "$here/qemu11.sh" path))"

# The servers, one per virtual function, serving guests one after another.
# Socket paths stay relative (sun_path holds 108 bytes; a clone may live
# deep): the servers and QEMU both run from the top of the tree.
pids=
for v in 1 2; do
	rm -f "$out/dsa$v.sock"
	"$server" -s "$out/dsa$v.sock" -d "$v" -c 2 > "$out/server$v.log" 2>&1 &
	pids="$pids $!"
	echo "$!" > "$out/server$v.pid"
done
stop_servers() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
}
trap stop_servers EXIT
for v in 1 2; do
	n=0
	while [ ! -S "$out/dsa$v.sock" ] && [ "$n" -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
done

qemu_args() {
	a="-object memory-backend-memfd,id=mem,size=${mem}M,share=on"
	a="$a -machine q35,memory-backend=mem"
	for v in 1 2; do
		a="$a -device {\"driver\":\"vfio-user-pci\",\"socket\":{\"path\":\"$out/dsa$v.sock\",\"type\":\"unix\"}}"
	done
	echo "$a $*"
}

# After a guest: both servers alive, and the last accounting line of each
# (the client that just went) shows nothing held.
check_servers() {
	for v in 1 2; do
		p=$(cat "$out/server$v.pid")
		if kill -0 "$p" 2>/dev/null; then
			pass "$1: server $v survived"
		else
			fail "$1: server $v is gone"
			cat "$out/server$v.log" >&2
			continue
		fi
		line=$(grep 'vfu-accounting:.*when=disconnect' "$out/server$v.log" | tail -1)
		case "$line" in
		*"regions=0 eventfds=0 pasids=0 partial=0 inflight=0 "*)
			pass "$1: server $v holds nothing of its client ($line)" ;;
		"")
			fail "$1: server $v printed no accounting" ;;
		*)
			fail "$1: server $v still holds: $line" ;;
		esac
	done
}

# Wait (up to $2 s) until the servers printed $1 accounting lines each.
wait_accounting() {
	n=0
	while [ "$n" -lt "$2" ]; do
		c1=$(grep -c 'when=disconnect' "$out/server1.log" || true)
		c2=$(grep -c 'when=disconnect' "$out/server2.log" || true)
		[ "$c1" -ge "$1" ] && [ "$c2" -ge "$1" ] && return 0
		sleep 1
		n=$((n + 1))
	done
	return 1
}

guest() { # OUTDIR KVER MODE [QEMU ARGS...]
	o=$1 k=$2 m=$3
	shift 3
	mkdir -p "$o"
	echo "/bin/vmm-guest.sh $m" > "$o/manifest.txt"
	GUEST_KVER=$k GUEST_MEM=$mem GUEST_TIMEOUT=${VMM_GUEST_TIMEOUT:-900} \
		GUEST_QEMU="sh $here/qemu11.sh run" \
		GUEST_QEMU_ARGS="$(qemu_args "$@")" \
		sh "$here/../guest/run-guest.sh" "$o" "$o/manifest.txt" \
		"$(echo "$modules" | sed "s|@KVER@|$k|g")" \
		$(for p in $progs; do echo "$p" | sed "s|@KVER@|$k|g"; done)
}
progs="$*"
clients=0

# One guest's verdict: run-guest.sh's, and its own tally in the total.
judge() { # OUTDIR KVER MODE RC START
	o=$1 k=$2 m=$3
	if [ "$4" -eq 0 ]; then pass "guest $k ($m)"; else fail "guest $k ($m)"; fi
	grep -a -E '^vmm: FAIL|^guest: |GUEST-FAIL|^\[FAIL\]' "$o.log" |
		grep -v 'vfio_user' || true
	line=$(grep -a '^vmm: [0-9]* passed, [0-9]* failed' "$o/serial.log" | tail -1)
	gp=$(echo "$line" | sed -n 's/vmm: \([0-9]*\) passed.*/\1/p')
	gf=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	passed=$((passed + ${gp:-0}))
	failed=$((failed + ${gf:-1}))
	echo "vmm: guest $k ($m): ${gp:-0} passed, ${gf:-?} failed, $(($(date +%s) - $5))s"
}

# ---- phase 1: two guests on one host queue, one killed mid-work ----
# The first KERNEL:short boot runs its tests while a second guest (the
# first kernel listed) loads the same servers' host queues from its own
# place (-c 2) until the host kills its QEMU with work in flight.  The
# survivor's tests check every byte the device moved for it: a server
# that reached the other guest's memory would fail them.  Then both
# servers must account for the killed client with nothing held, and
# serve the next guests.  VMM_KILL=0 leaves the killed guest out.
first=${boots%% *}
short=
for b in $boots; do
	case "$b" in *:short) [ -z "$short" ] && short=$b ;; esac
done
rest=
for b in $boots; do
	[ "$b" = "$short" ] || rest="$rest $b"
done
if [ -n "$short" ]; then
	k=${short%%:*}
	ts=$(date +%s)
	guest "$out/$k" "$k" short > "$out/$k.log" 2>&1 &
	srunner=$!
fi
if [ "${VMM_KILL:-1}" != 0 ]; then
	k=${first%%:*}
	o=$out/kill-$k
	mkdir -p "$o"
	rm -f "$o/serial.log" "$o/qemu.pid"
	t=$(date +%s)
	guest "$o" "$k" load -pidfile "$o/qemu.pid" > "$o/run.log" 2>&1 &
	runner=$!
	n=0
	while ! grep -q VMM-LOAD-RUNNING "$o/serial.log" 2>/dev/null &&
		[ "$n" -lt 900 ] && kill -0 "$runner" 2>/dev/null; do
		sleep 1
		n=$((n + 1))
	done
	if grep -q VMM-LOAD-RUNNING "$o/serial.log" 2>/dev/null; then
		sleep 5 # work in flight
		kill -9 "$(cat "$o/qemu.pid")"
		pass "guest $k killed with work in flight, $(($(date +%s) - t))s after its start"
	else
		fail "the load guest never ran (see $o/run.log)"
		[ -s "$o/qemu.pid" ] && kill -9 "$(cat "$o/qemu.pid")" 2>/dev/null
	fi
	wait "$runner" || true # its verdict is moot: it was killed
	clients=$((clients + 1))
	if wait_accounting "$clients" 20; then
		check_servers "after the killed guest"
	else
		fail "the servers did not account for the killed guest"
	fi
fi
if [ -n "$short" ]; then
	k=${short%%:*}
	rc=0
	wait "$srunner" || rc=$?
	judge "$out/$k" "$k" short "$rc" "$ts"
	clients=$((clients + 1))
	if wait_accounting "$clients" 20; then
		check_servers "after guest $k"
	else
		fail "the servers did not account for guest $k"
	fi
fi

# ---- phase 2: the other guests, one at a time ----
for b in $rest; do
	k=${b%%:*}
	m=${b#*:}
	t=$(date +%s)
	rc=0
	guest "$out/$k" "$k" "$m" > "$out/$k.log" 2>&1 || rc=$?
	judge "$out/$k" "$k" "$m" "$rc" "$t"
	clients=$((clients + 1))
	if wait_accounting "$clients" 20; then
		check_servers "after guest $k"
	else
		fail "the servers did not account for guest $k"
	fi
done

stop_servers
trap - EXIT
echo "vmm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
