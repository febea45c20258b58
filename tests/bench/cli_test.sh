#!/bin/sh
# accel-bench CLI behaviour: argument errors (exit 2, a message naming the
# problem), JSON Lines shape, a short run per backend, the plot file.
# Prints "bench-cli: N passed, M failed"; exits non-zero on any failure.
BIN=${1:-build/accel-bench}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }

# expect_usage_error NAME PATTERN ARGS...: exit 2 and PATTERN on stderr
expect_usage_error() {
	name=$1 pat=$2
	shift 2
	"$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 2 ] && grep -q -- "$pat" "$tmp/err"; then
		ok "$name"
	else
		ko "$name (exit $rc, stderr: $(head -c 200 "$tmp/err"))"
	fi
}

expect_usage_error "unknown op" "unknown operation" --op frobnicate
expect_usage_error "bad size" "not a size" --size 12Q
expect_usage_error "bad sweep" "MIN:MAX" --sweep 4K
expect_usage_error "inverted sweep" "MIN <= MAX" --sweep 1M:4K
expect_usage_error "unknown backend" "expected emul, cpu, uacce" --backend gpu
expect_usage_error "bad wait" "expected spin, pause" --wait sleepy
expect_usage_error "bad batch" "1..1024" --batch 5000 --mode async
expect_usage_error "qd needs async" "need --mode async" --qd 4
expect_usage_error "unknown option" "unknown option" --frob
expect_usage_error "missing value" "needs a value" --size
expect_usage_error "bad duration" "seconds" --duration -1
expect_usage_error "stray argument" "unexpected argument" extra

# A backend that cannot open is an error, never a silent substitute.
"$BIN" --backend uacce --device nosuchdev --size 4K --iters 10 \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
if [ -e /dev/uacce ] || { [ $rc -eq 1 ] && grep -q "cannot open backend 'uacce'" "$tmp/err"; }; then
	ok "missing device is an error"
else
	ko "missing device is an error (exit $rc)"
fi

check_json() {
	python3 - "$1" "$2" <<'PY'
import json, sys
want = {"op", "size", "backend", "path", "gbps", "baseline_gbps", "ratio",
        "lat_p50_ns", "lat_p99_ns", "cpu_ns_per_op"}
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == int(sys.argv[2]), "%d lines, want %s" % (len(lines), sys.argv[2])
for l in lines:
    d = json.loads(l)
    missing = want - d.keys()
    assert not missing, "missing keys %s" % missing
    assert d["gbps"] > 0 and d["baseline_gbps"] > 0, l
    assert abs(d["ratio"] - d["gbps"] / d["baseline_gbps"]) < 1e-3 * max(1, d["ratio"]), l
    assert d["lat_p50_ns"] <= d["lat_p99_ns"], l
PY
}

for be in emul cpu; do
	if "$BIN" --backend $be --op memcpy --sweep 4K:16K --iters 200 --json \
		>"$tmp/$be.json" 2>"$tmp/err" &&
		check_json "$tmp/$be.json" 3 &&
		grep -q "\"backend\":\"$be\"" "$tmp/$be.json"; then
		ok "json sweep on $be"
	else
		ko "json sweep on $be: $(head -c 300 "$tmp/err")"
	fi
	if "$BIN" --backend $be --op crc --mode async --qd 4 --size 8K \
		--iters 200 >"$tmp/out" 2>"$tmp/err" && grep -q "device" "$tmp/out"; then
		ok "async crc table on $be"
	else
		ko "async crc table on $be: $(head -c 300 "$tmp/err")"
	fi
done

for op in memmove fill compare compval copy_crc dualcast cflush noop; do
	if "$BIN" --backend emul --op $op --size 8K --iters 50 --json \
		>"$tmp/op.json" 2>"$tmp/err" && check_json "$tmp/op.json" 1; then
		ok "op $op"
	else
		ko "op $op: $(head -c 300 "$tmp/err")"
	fi
done

if "$BIN" --backend emul --op memcpy --mode async --batch 8 --qd 2 --size 4K \
	--iters 20 >"$tmp/out" 2>"$tmp/err"; then
	ok "async batches"
else
	ko "async batches: $(head -c 300 "$tmp/err")"
fi

if "$BIN" --backend emul --sweep 4K:64K --iters 50 --plot "$tmp/p.svg" \
	>/dev/null 2>"$tmp/err" && grep -q "<svg" "$tmp/p.svg" &&
	grep -q "polyline" "$tmp/p.svg"; then
	ok "svg plot"
else
	ko "svg plot"
fi

if "$BIN" --backend emul --op noop --mode submit-cost --iters 2000 --json \
	>"$tmp/sc.json" 2>"$tmp/err" &&
	python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read()); assert d["mode"]=="submit-cost" and d["n"]==2000 and d["cpu_ns_per_op"]>0, d' "$tmp/sc.json"; then
	ok "submit-cost mode"
else
	ko "submit-cost mode: $(head -c 300 "$tmp/err")"
fi

if "$BIN" --backend emul --op noop --mode submit-cost --batch 16 --iters 320 \
	--json >"$tmp/sb.json" 2>"$tmp/err" &&
	python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read()); assert d["batch"]==16 and d["n"]==320 and d["cpu_ns_per_op"]>0, d' "$tmp/sb.json"; then
	ok "submit-cost of batches"
else
	ko "submit-cost of batches: $(head -c 300 "$tmp/err")"
fi

for be in emul cpu; do
	if "$BIN" --backend $be --op memcpy --size 4K --mode batch-cost --batch 8 \
		--json >"$tmp/bc.json" 2>"$tmp/err" &&
		python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read()); assert d["mode"]=="batch-cost" and d["batch"]==8 and 0<d["batch_cost_ratio"] and 0<d["op_array_cost_ratio"], d' "$tmp/bc.json"; then
		ok "batch-cost on $be"
	else
		ko "batch-cost on $be: $(head -c 300 "$tmp/err")"
	fi
done

# UMWAIT runs where the CPU has WAITPKG, and is refused up front elsewhere.
if grep -qw waitpkg /proc/cpuinfo; then
	if "$BIN" --backend emul --mode async --wait umwait --size 4K --iters 50 \
		>/dev/null 2>"$tmp/err"; then
		ok "umwait wait"
	else
		ko "umwait wait: $(head -c 300 "$tmp/err")"
	fi
else
	expect_usage_error "umwait without WAITPKG" "needs WAITPKG" \
		--backend emul --mode async --wait umwait --size 4K --iters 50
	[ ! -s "$tmp/out" ] || ko "umwait without WAITPKG measured something"
fi

# Not a terminal: no progress bar on stderr.
"$BIN" --backend emul --size 4K --duration 1.2 >/dev/null 2>"$tmp/err"
if [ ! -s "$tmp/err" ]; then ok "no progress bar off a terminal"; else ko "progress bar off a terminal"; fi

echo "bench-cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
