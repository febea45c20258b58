#!/bin/sh
# accel-bench against /dev/uacce in the guest: every mode runs on the
# uacce backend (never silently on another), and each JSON object has the
# keys the CLI promises.  Ends with "guest-bench: N passed, M failed".
pass=0
fail=0
keys='"op" "size" "backend" "path" "gbps" "baseline_gbps" "ratio" "lat_p50_ns" "lat_p99_ns" "cpu_ns_per_op"'

check() {
	name=$1
	shift
	if ! "$@" --json >/tmp/bench.out 2>/tmp/bench.err; then
		fail=$((fail + 1))
		echo "FAIL $name: exit $? $(head -c 300 /tmp/bench.err)"
		return
	fi
	lines=$(grep -c . /tmp/bench.out)
	bad=$(grep -vc '"backend":"uacce"' /tmp/bench.out)
	for k in $keys; do
		grep -q "$k:" /tmp/bench.out || bad=$((bad + 1))
	done
	if [ "$lines" -gt 0 ] && [ "$bad" -eq 0 ]; then
		pass=$((pass + 1))
		echo "PASS $name ($lines points)"
	else
		fail=$((fail + 1))
		echo "FAIL $name: $(head -c 300 /tmp/bench.out)"
	fi
}

B="accel-bench --backend uacce"
check "sync sweep" $B --op memcpy --sweep 4K:4M --duration 0.02
check "async dedicated" $B --mode async --wq dedicated --op memcpy --size 8K --qd 4 --iters 200
check "async shared" $B --mode async --wq shared --op fill --size 8K --qd 4 --iters 200
check "async batches" $B --mode async --op copy_crc --size 4K --batch 8 --qd 2 --iters 40
check "batch-cost" $B --mode batch-cost --op noop --batch 16
check "submit-cost" $B --mode submit-cost --op noop --iters 500
check "overlap" $B --mode overlap --size 1M
check "event wait" $B --mode async --op crc --size 4K --wait event --iters 100
echo "guest-bench: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
