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
    if "ratio_q1" in d:  # sync: the per-round pairs' figure (measure.c)
        assert 0 <= d["ratio_q1"] <= d["ratio_q3"] and d["ratio"] >= 0, l
        assert d["rounds"] >= 1, l
    else:
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

# --- issue 11: every bad input answered, before anything is measured ---

# expect_refused NAME PATTERN ARGS...: a non-zero exit within 20 s, PATTERN
# on stderr, nothing measured on stdout.
expect_refused() {
	name=$1 pat=$2
	shift 2
	timeout 20 "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q -- "$pat" "$tmp/err" &&
		! grep -q '^ *[0-9]' "$tmp/out"; then
		ok "$name"
	else
		ko "$name (exit $rc, stderr: $(head -c 200 "$tmp/err"))"
	fi
}

expect_usage_error "size that overflows with its suffix" "not a size" --size 17179869185G
expect_usage_error "size with a blank and a sign" "not a size" --size " -1"
expect_usage_error "size 2^67" "not a size" --size 147573952589676412928
expect_usage_error "size in hex" "not a size" --size 0x10
expect_usage_error "empty size" "not a size" --size ""
expect_usage_error "sweep bound with a sign" "MIN:MAX" --sweep 64:-1
expect_usage_error "bufs with a sign" "1..4096" --bufs +3
expect_usage_error "png plot" "only SVG" --plot "$tmp/p.png"
expect_usage_error "bad cpu list" "CPU list" --cpus 0,,1
expect_usage_error "threads 0" "1..256" --threads 0
expect_usage_error "verify where nothing is checked" "verify" --verify --mode batch-cost
expect_usage_error "unknown page kind" "small, thp or huge" --pages giant

expect_refused "sweep to 2^64-1: memory refused with numbers" \
	"needs .* the machine has .* available" --backend emul --sweep 64:18446744073709551615
expect_refused "4096 bufs of 1G: memory refused with numbers" \
	"needs 8.0 TiB (2 buffers of 1073741824 bytes x 4096 bufs" \
	--backend emul --bufs 4096 --size 1G
expect_refused "crc counts one buffer" "needs .*(1 buffer of" \
	--backend emul --op crc --size 1T
"$BIN" --backend emul --op noop --size 1T --iters 5 >/dev/null 2>"$tmp/err" &&
	ok "noop needs no buffers" || ko "noop needs no buffers: $(head -c 200 "$tmp/err")"
expect_refused "--device on emul" "does not apply" --backend emul --device foo --size 4K --iters 10
expect_refused "unwritable plot path, before the run" "No such file or directory" \
	--backend emul --sweep 4K:16K --iters 10 --plot "$tmp/nodir/p.svg"
[ ! -e "$tmp/nodir" ] || ko "plot directory created"
expect_refused "huge pages the pool lacks" "needs .* huge-page pool" \
	--backend emul --pages huge --size 64M --bufs 64
expect_refused "a NUMA node that does not exist" "no such NUMA node" \
	--backend emul --numa-dst 999 --size 4K --iters 10

# Only the buffers an operation touches are allocated: peak RSS of a 64 MiB
# CRC (one source) is well under that of a copy (source and destination).
rss() {
	python3 - "$BIN" "$@" <<'PY'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PY
}
crc_mb=$(rss --backend cpu --op crc --size 64M --iters 2 --no-baseline)
copy_mb=$(rss --backend cpu --op memcpy --size 64M --iters 2 --no-baseline)
if [ -n "$crc_mb" ] && [ "$crc_mb" -lt 100 ] && [ "$copy_mb" -ge 128 ] && [ "$copy_mb" -lt 170 ]; then
	ok "only the buffers the op needs (crc ${crc_mb} MiB, memcpy ${copy_mb} MiB)"
else
	ko "only the buffers the op needs (crc ${crc_mb} MiB, memcpy ${copy_mb} MiB)"
fi

# Write errors on stdout are errors.
"$BIN" --backend emul --size 4K --iters 10 >/dev/full 2>"$tmp/err"
rc=$?
if [ $rc -ne 0 ] && grep -q "standard output" "$tmp/err"; then ok "stdout to /dev/full fails"; else ko "stdout to /dev/full fails (exit $rc)"; fi
"$BIN" --help >/dev/full 2>/dev/null && ko "--help to /dev/full fails" || ok "--help to /dev/full fails"

if [ "$("$BIN" --version)" = "accel-bench 0.1.0" ]; then ok "--version"; else ko "--version"; fi

# JSON: what was not measured is null, never 0.
"$BIN" --backend emul --size 4K --iters 20 --no-baseline --json >"$tmp/nb.json" &&
"$BIN" --backend emul --op noop --mode batch-cost --batch 4 --json >"$tmp/bc.json" &&
python3 - "$tmp/nb.json" "$tmp/bc.json" <<'PY' && ok "unmeasured JSON metrics are null" || ko "unmeasured JSON metrics are null"
import json, sys
a = json.loads(open(sys.argv[1]).read())
assert a["baseline_gbps"] is None and a["ratio"] is None and a["baseline"] is None, a
assert a["gbps"] > 0 and a["thread"] is None, a
b = json.loads(open(sys.argv[2]).read())
for k in ("gbps", "ops_per_s", "baseline_gbps", "ratio", "lat_p50_ns", "baseline_ns_per_op"):
    assert b[k] is None, (k, b)
assert b["batch_cost_ratio"] > 0 and b["op_array_cost_ratio"] > 0, b
PY

# The CPU baseline is named, and for CRC it is the fastest the CPU has.
"$BIN" --backend cpu --op crc --size 64K --iters 50 >"$tmp/crc.txt" 2>&1
"$BIN" --backend cpu --op crc --size 64K --iters 50 --json >"$tmp/crc.json" 2>&1
want="byte table"
grep -qw sse4_2 /proc/cpuinfo && want="sse4.2 crc32 x3 streams"
if grep -q "^# CPU baseline: $want" "$tmp/crc.txt" &&
	grep -q "\"baseline\":\"$want\"" "$tmp/crc.json"; then
	ok "crc baseline named ($want)"
else
	ko "crc baseline named ($want): $(head -c 300 "$tmp/crc.txt")"
fi
for op in compare fill; do
	"$BIN" --backend cpu --op $op --size 4K --iters 20 --json >"$tmp/b.json" 2>&1
	case $op in compare) w="glibc memcmp" ;; fill) w="glibc memset" ;; esac
	grep -q "\"baseline\":\"$w\"" "$tmp/b.json" && ok "$op baseline is $w" || ko "$op baseline is $w"
done
CRCT=${CRC_TEST:-$(dirname "$BIN")/tests/crc_baseline_test}
if [ -x "$CRCT" ] && "$CRCT" >"$tmp/crct" 2>&1; then ok "fast crc baseline equals the byte table ($(tail -1 "$tmp/crct"))"; else ko "fast crc baseline equals the byte table: $(tail -3 "$tmp/crct" 2>/dev/null)"; fi
CRC16T=$(dirname "$BIN")/tests/crc16_baseline_test
if [ -x "$CRC16T" ] && "$CRC16T" >"$tmp/crc16t" 2>&1; then ok "fast crc16 baseline equals the byte table ($(tail -1 "$tmp/crc16t"))"; else ko "fast crc16 baseline equals the byte table: $(tail -3 "$tmp/crc16t" 2>/dev/null)"; fi
for op in dif_check dif_insert dif_strip dif_update; do
	for mode in "sync" "async --qd 2"; do
		# shellcheck disable=SC2086
		if "$BIN" --backend emul --op $op --mode $mode --size 12K --bufs 3 \
			--iters 30 --verify --json >"$tmp/d.json" 2>"$tmp/err" &&
			grep -q '"verified":true' "$tmp/d.json"; then
			ok "verify $op $mode"
		else
			ko "verify $op $mode: $(head -c 200 "$tmp/err")"
		fi
	done
done

# --verify: runs on both backends, every op with a result ...
for be in emul cpu; do
	for op in memcpy fill compare compval crc copy_crc dualcast; do
		for mode in "sync" "async --qd 2"; do
			# shellcheck disable=SC2086
			if ! "$BIN" --backend $be --op $op --mode $mode --size 12K \
				--bufs 3 --iters 40 --verify --json >"$tmp/v.json" 2>"$tmp/err" ||
				! grep -q '"verified":true' "$tmp/v.json"; then
				ko "verify $op $mode on $be: $(head -c 200 "$tmp/err")"
				continue 2
			fi
		done
	done
	ok "verify every op, sync and async, on $be"
done 2>/dev/null
# ... and catches a wrong one (a build whose library calls are corrupted).
CORRUPT=$(dirname "$BIN")/tests/accel-bench-corrupt
if [ -x "$CORRUPT" ]; then
	for args in "--op crc" "--op crc --mode async --qd 2" "--op fill" "--op memcpy --size 2M"; do
		# shellcheck disable=SC2086
		"$CORRUPT" --backend emul $args --iters 20 --verify >/dev/null 2>"$tmp/err"
		rc=$?
		if [ $rc -eq 1 ] && grep -q -- "--verify: .*differs\|--verify: CRC" "$tmp/err"; then
			ok "verify catches a wrong result ($args)"
		else
			ko "verify catches a wrong result ($args): exit $rc $(head -c 200 "$tmp/err")"
		fi
		# shellcheck disable=SC2086
		"$CORRUPT" --backend emul $args --iters 20 >/dev/null 2>&1 ||
			ko "without --verify the corrupt build runs ($args)"
	done
else
	ko "corrupting build missing ($CORRUPT)"
fi

# --threads/--cpus: a row per thread and their sum.
ncpu=$(nproc)
cpus=0; [ "$ncpu" -gt 1 ] && cpus=0,1
if "$BIN" --backend emul --threads 2 --cpus $cpus --op memcpy --sweep 64K:128K \
	--iters 200 --json >"$tmp/t.json" 2>"$tmp/err" &&
	python3 - "$tmp/t.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 6, len(rows)
for k in range(2):
    t0, t1, agg = rows[3 * k: 3 * k + 3]
    assert (t0["thread"], t1["thread"], agg["thread"]) == (0, 1, None), rows
    assert abs(agg["gbps"] - t0["gbps"] - t1["gbps"]) < 1e-3, agg
    assert agg["threads"] == 2 and agg["n"] == t0["n"] + t1["n"], agg
PY
then ok "threads: per-thread rows and their sum"; else ko "threads: $(head -c 300 "$tmp/err")"; fi
if "$BIN" --backend emul --threads 2 --size 4K --iters 50 >"$tmp/t.txt" 2>&1 &&
	grep -q "^ *all " "$tmp/t.txt" && grep -q "^ *1 " "$tmp/t.txt"; then
	ok "threads table"
else
	ko "threads table: $(head -c 300 "$tmp/t.txt")"
fi
expect_refused "a CPU that does not exist" "cannot run on CPU" --backend emul --cpus 1000 --size 4K --iters 5

# Pages and per-buffer NUMA placement.
if "$BIN" --backend emul --pages thp --size 4M --iters 20 --verify --json 2>"$tmp/err" | grep -q '"pages":"thp"'; then
	ok "thp buffers"; else ko "thp buffers: $(head -c 200 "$tmp/err")"; fi
if "$BIN" --backend emul --numa-src 0 --numa-dst 0 --size 64K --iters 20 --verify >/dev/null 2>"$tmp/err"; then
	ok "per-buffer NUMA nodes"; else ko "per-buffer NUMA nodes: $(head -c 200 "$tmp/err")"; fi
hfree=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
if [ "${hfree:-0}" -ge 2 ]; then
	"$BIN" --backend emul --pages huge --size 2M --iters 20 --verify >/dev/null 2>"$tmp/err" &&
		ok "huge-page buffers" || ko "huge-page buffers: $(head -c 200 "$tmp/err")"
else
	echo "SKIP huge-page buffers run: the pool is empty (refusal tested above)"
fi

# The plot: one point is a readable picture (a marker, a labelled axis),
# the axes carry units, not "1e1.8".
if "$BIN" --backend emul --size 64K --iters 20 --plot "$tmp/one.svg" >/dev/null 2>"$tmp/err" &&
	grep -q "<circle" "$tmp/one.svg" && grep -q "transfer size" "$tmp/one.svg" &&
	grep -q ">64K<" "$tmp/one.svg" && ! grep -q ">1e" "$tmp/one.svg" &&
	grep -q "s</text>" "$tmp/one.svg"; then
	ok "one-point plot is readable"
else
	ko "one-point plot is readable"
fi
if command -v rsvg-convert >/dev/null; then
	rsvg-convert "$tmp/one.svg" -o "$tmp/one.png" && ok "plot renders" || ko "plot renders"
fi
# A failed run leaves no plot behind.
"$BIN" --backend uacce --device nosuchdev --size 4K --plot "$tmp/f.svg" >/dev/null 2>&1
[ -e /dev/uacce ] || { [ ! -e "$tmp/f.svg" ] && ok "no plot file from a failed run" || ko "plot file from a failed run"; }

# The progress bar is on the terminal while a sweep runs (tmux plays it).
if command -v tmux >/dev/null; then
	sock="$tmp/tmux.sock"
	tmux -S "$sock" new-session -d -x 120 -y 40 \
		"$BIN --backend emul --sweep 4K:64K --duration 1; sleep 5"
	# Look while it runs (a loaded machine may start it late): the bar
	# must be on the screen, not drawn and erased at once.
	seen=0
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.5
		tmux -S "$sock" capture-pane -p >"$tmp/pane" 2>/dev/null
		if grep -q "\[#*  *\] *[0-9]*%  measuring" "$tmp/pane"; then
			seen=1
			break
		fi
	done
	tmux -S "$sock" kill-server 2>/dev/null
	if [ $seen -eq 1 ]; then
		ok "progress bar visible while running"
	else
		ko "progress bar visible while running: $(tail -3 "$tmp/pane")"
	fi
else
	echo "SKIP progress bar on a terminal: no tmux"
fi

# The man page names every option and every JSON key the program has.
MAN=${MAN_PAGE:-$(dirname "$0")/../../bench/accel-bench.1}
missing=""
for o in $("$BIN" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$MAN" || missing="$missing $o"
done
for f in "$tmp"/*.json; do
	python3 -c 'import json,sys; [print(k) for l in open(sys.argv[1]) for k in json.loads(l)]' "$f"
done 2>/dev/null | sort -u >"$tmp/keys"
"$BIN" --backend emul --mode overlap --size 64K --json 2>/dev/null |
	python3 -c 'import json,sys; [print(k) for k in json.loads(sys.stdin.read())]' >>"$tmp/keys"
for k in $(sort -u "$tmp/keys"); do
	grep -qF "\\fB$k\\fR" "$MAN" || missing="$missing $k"
done
[ -z "$missing" ] && ok "man page lists every option and JSON key" || ko "man page lacks:$missing"

# Not a terminal: no progress bar on stderr.
"$BIN" --backend emul --size 4K --duration 1.2 >/dev/null 2>"$tmp/err"
if [ ! -s "$tmp/err" ]; then ok "no progress bar off a terminal"; else ko "progress bar off a terminal"; fi

echo "bench-cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
