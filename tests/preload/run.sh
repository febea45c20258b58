#!/bin/sh
# SPDX-License-Identifier: MIT
# check-preload: programs nobody here wrote (sort, cp, python3) and small
# ordinary programs (threads, signals, fork and exec, dlopen) run with and
# without libaccel-preload.so; their outputs must be identical, and the
# preload's statistics must show that the calls above the thresholds went
# through libaccel.
#   sh tests/preload/run.sh [build-dir]
# Backend: $PRELOAD_BACKEND (default emul).  Prints "preload: N passed,
# M failed"; exit status 0 when none failed.
set -u
B=${1:-build}
PRELOAD=$(realpath "$B/libaccel-preload.so")
P=$(realpath "$B/tests/preload")
PY=/usr/bin/python3 # not a PATH lookup: a shim there would fork a shell
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export ACCEL_BACKEND="${PRELOAD_BACKEND:-emul}"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# calls FILE CALL KIND-REGEX: calls counted in a statistics file.
calls() {
	awk -v c="$2" -v k="^($3)\$" \
		'$2 ~ ("^(" c ")$") && $3 ~ k { sub("calls=", "", $4); s += $4 } END { print s + 0 }' "$1"
}
OFF='offload-cpu|offload-device|offload-split'
DEV='offload-device|offload-split'

# same NAME STATS CMD...: CMD's stdout with and without the preload
# (statistics into STATS) must be identical and both runs must succeed.
same() {
	name=$1 stats=$2
	shift 2
	rm -f "$stats"
	timeout 300 "$@" >"$T/plain.out" 2>"$T/plain.err"
	rc1=$?
	timeout 300 env LD_PRELOAD="$PRELOAD" ACCEL_PRELOAD_STATS="$stats" "$@" \
		>"$T/pre.out" 2>"$T/pre.err"
	rc2=$?
	if [ $rc1 -ne 0 ] || [ $rc2 -ne 0 ]; then
		bad "$name: exit status $rc1 plain, $rc2 preloaded"
		sed 's/^/     /' "$T/pre.err" | head -20
		return 1
	fi
	if cmp -s "$T/plain.out" "$T/pre.out"; then
		ok "$name: identical output ($(wc -c <"$T/pre.out") bytes)"
	else
		bad "$name: output differs"
		return 1
	fi
	[ -f "$stats" ] || { bad "$name: no statistics"; return 1; }
}

# atleast NAME N STATS CALL KINDS: the statistics count at least N calls.
atleast() {
	got=$(calls "$3" "$4" "$5")
	if [ "$got" -ge "$2" ]; then
		ok "$1: $4 $5: $got calls (at least $2)"
	else
		bad "$1: $4 $5: $got calls, wanted at least $2"
		sed 's/^/     /' "$3"
	fi
}
exactly() {
	got=$(calls "$3" "$4" "$5")
	if [ "$got" -eq "$2" ]; then
		ok "$1: $4 $5: $got calls"
	else
		bad "$1: $4 $5: $got calls, wanted $2"
		sed 's/^/     /' "$3"
	fi
}

start=$(date +%s)
# Inputs: random base64, three lines of 2-3 MB that start with "~", which
# sorts after every base64 character: they end up next to each other, and
# a comparison sort compares every two neighbours of its result, so sort
# compares long lines with each other (memcmp of at least 2 MB).  Random
# long lines alone met only short ones in some runs, and the check below
# saw no large memcmp.
head -c 6000000 /dev/urandom | base64 -w 3000000 | sed 's/^/~/' >"$T/in"
head -c 6000000 /dev/urandom | base64 >>"$T/in"
head -c 33554432 /dev/urandom >"$T/big"

# sort: the long lines' memcmp above 1 MiB goes to the device.  In the C
# locale sort compares with memcmp; in another it would call strcoll.
export LC_ALL=C
export ACCEL_PRELOAD_MEMCPY_MIN=1M ACCEL_PRELOAD_MEMMOVE_MIN=1M \
	ACCEL_PRELOAD_MEMSET_MIN=1M ACCEL_PRELOAD_MEMCMP_MIN=1M
same "sort" "$T/s.sort" sort "$T/in" &&
	atleast sort 1 "$T/s.sort" memcmp "$DEV"
# sort with every threshold 0: each of its million calls through libaccel,
# from sort's own threads.
tail -c 2000000 "$T/in" >"$T/in.small"
same "sort, every call offloaded" "$T/s.sort0" env ACCEL_PRELOAD_MEMCPY_MIN=0 \
	ACCEL_PRELOAD_MEMMOVE_MIN=0 ACCEL_PRELOAD_MEMSET_MIN=0 \
	ACCEL_PRELOAD_MEMCMP_MIN=0 sort --parallel=2 -S 8M "$T/in.small" &&
	atleast "sort, every call offloaded" 10000 "$T/s.sort0" memcmp "$OFF"

# cp: the file must arrive whole.  cp moves the data in the kernel
# (copy_file_range), so no large call is expected: the count is shown.
if env LD_PRELOAD="$PRELOAD" ACCEL_PRELOAD_STATS="$T/s.cp" cp "$T/big" "$T/big.cp" &&
	cmp -s "$T/big" "$T/big.cp"; then
	ok "cp: 32 MiB copy identical (cmp); offloaded calls: $(calls "$T/s.cp" memcpy "$OFF")"
else
	bad "cp: copy differs or failed"
fi

# python3: bytes, bytearray, memoryview and slice copies, fills, compares.
cat >"$T/copy.py" <<'PYEOF'
import hashlib
n = 8 << 20
src = bytearray(bytes(range(256)) * (n // 256))
a = bytes(src)
b = bytearray(a)
m = memoryview(b)
c = bytearray(n)
c[:] = m
d = bytearray(n)
d[0:n // 2] = m[n // 2:]
e = b'\x07' * n
same = a == bytes(b)
diff = a == bytes(c[:-1]) + b'x'
print(hashlib.sha256(a + b + c + d + e).hexdigest(), same, diff, len(m.tobytes()))
PYEOF
if [ -x "$PY" ]; then
	same "python3" "$T/s.py" "$PY" -I "$T/copy.py" && {
		atleast python3 4 "$T/s.py" memcpy "$OFF"
		atleast python3 1 "$T/s.py" memset "$DEV"
		atleast python3 1 "$T/s.py" memcmp "$DEV"
	}
else
	bad "python3: $PY missing (scripts/deps.sh installs python3)"
fi

# Many threads, started and ended in waves.
same "threads" "$T/s.thr" "$P/pl_threads" 8 2 2 && {
	# memcpy: libaccel itself chooses between a split and its CPU.
	atleast threads 16 "$T/s.thr" memcpy "$OFF"
	atleast threads 16 "$T/s.thr" memset "$DEV"
	atleast threads 16 "$T/s.thr" memcmp "$DEV"
	atleast threads 16 "$T/s.thr" memmove "$OFF"
	atleast threads 16 "$T/s.thr" memmove fallback-overlap
}

# fork with a second thread copying, children that exit and that exec.
same "fork and exec" "$T/s.fork" "$P/pl_forkexec" 4 && {
	pids=$(awk '$2 == "memcpy" && $3 ~ /^offload-/ { print $1 }' "$T/s.fork" | sort -u | wc -l)
	if [ "$pids" -ge 5 ]; then
		ok "fork and exec: $pids processes offloaded (parent, children, exec'd images)"
	else
		bad "fork and exec: only $pids processes offloaded, wanted 5"
		sed 's/^/     /' "$T/s.fork"
	fi
}

# Signal handlers copy and fill: never through libaccel there.
same "signal handler" "$T/s.sig" "$P/pl_signal" handler && {
	atleast "signal handler" 5 "$T/s.sig" memcpy fallback-signal
	atleast "signal handler" 6 "$T/s.sig" memset fallback-signal
	atleast "signal handler" 50 "$T/s.sig" memcpy "$OFF"
}
# A handler left by siglongjmp: the copies after it are offloaded again.
same "signal handler left by siglongjmp" "$T/s.jmp" "$P/pl_signal" longjmp && {
	exactly "siglongjmp" 0 "$T/s.jmp" memcpy fallback-signal
	atleast "siglongjmp" 8 "$T/s.jmp" memcpy "$OFF"
}

# Handlers installed through every other libc entry point are seen.
same "signal() variants" "$T/s.var" "$P/pl_signal" variants && {
	exactly "signal() variants" 6 "$T/s.var" memcpy fallback-signal
	atleast "signal() variants" 4 "$T/s.var" memcpy "$OFF"
}
# A handler installed with the raw system call cannot be seen: those that
# land inside an offloaded call go to glibc (the thread is busy), the
# others are offloaded from the handler; every result right, no hang.
same "raw rt_sigaction handler" "$T/s.raw" "$P/pl_signal" raw &&
	atleast "raw rt_sigaction handler" 1 "$T/s.raw" 'memcpy|memset' fallback-nested

# vfork: the children's copies stay off libaccel, in the parent's counts.
same "vfork" "$T/s.vf" "$P/pl_vfork" && {
	exactly vfork 2 "$T/s.vf" memcpy fallback-vfork
	atleast vfork 6 "$T/s.vf" memcpy "$OFF"
}

# exec: each exec function reports the calls made before it, once.
same "exec" "$T/s.exec" "$P/pl_exec" && {
	exactly exec 21 "$T/s.exec" memcpy "$OFF"
	n=$(grep -c ' at=exec$' "$T/s.exec")
	if [ "$n" -eq 10 ]; then
		ok "exec: 10 reports at exec (9 functions, 1 failed exec)"
	else
		bad "exec: $n reports at exec, wanted 10"
	fi
}

# A library loaded with dlopen, and copies before any constructor.
same "dlopen" "$T/s.dl" "$P/pl_dlopen" "$P/pl_dlopen_lib.so" &&
	atleast dlopen 4 "$T/s.dl" memcpy "$OFF"

# The device goes away after 5 offloaded calls: the rest on the CPU.
same "device gone" "$T/s.gone" env ACCEL_PRELOAD_TEST_GONE=5 \
	"$P/pl_threads" 4 1 2 && {
	exactly "device gone" 1 "$T/s.gone" '[a-z]*' fallback-device-error
	atleast "device gone" 20 "$T/s.gone" '[a-z]*' fallback-device-gone
}

# The per-process switch.
same "ACCEL_PRELOAD=off" "$T/s.off" env ACCEL_PRELOAD=off "$P/pl_threads" 2 1 1 &&
	exactly "ACCEL_PRELOAD=off" 0 "$T/s.off" '[a-z]*' "$OFF"

# A malformed variable is named on stderr and turns the offload off.
if env LD_PRELOAD="$PRELOAD" ACCEL_PRELOAD_MEMCPY_MIN=12Q \
	ACCEL_PRELOAD_STATS="$T/s.badenv" "$P/pl_threads" 2 1 1 \
	>"$T/bad.out" 2>"$T/bad.err" &&
	grep -q 'ACCEL_PRELOAD_MEMCPY_MIN="12Q"' "$T/bad.err" &&
	[ "$(calls "$T/s.badenv" '[a-z]*' "$OFF")" -eq 0 ]; then
	ok "ACCEL_PRELOAD_MEMCPY_MIN=12Q: named on stderr, nothing offloaded"
else
	bad "ACCEL_PRELOAD_MEMCPY_MIN=12Q: not refused"
	cat "$T/bad.err"
fi

echo "preload: $pass passed, $fail failed ($(($(date +%s) - start)) s, backend $ACCEL_BACKEND)"
[ "$fail" -eq 0 ]
