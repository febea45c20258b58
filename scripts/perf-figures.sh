#!/bin/sh
# The five figures of docs/performance.md, measured side by side with
# accel-bench on this machine.  Usage: scripts/perf-figures.sh [RUNS]
# (default 3 runs of each timed figure; the instruction count is exact).
# Needs build/accel-bench (make) and valgrind; python3 summarises.
set -eu
runs=${1:-3}
bench=build/accel-bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, $(uname -r)"

echo "## 1. submission cost (callgrind, instructions per descriptor)"
for args in "--op noop" "--op memcpy --size 64" "--op noop --batch 32"; do
	valgrind --tool=callgrind --collect-atstart=no --fair-sched=yes \
		--callgrind-out-file="$out/cg" $bench --backend emul \
		--mode submit-cost $args --iters 32000 >/dev/null 2>&1
	callgrind_annotate "$out/cg" >"$out/cg.txt" 2>/dev/null
	python3 - "$out/cg.txt" "$args" <<'PY'
import re, sys
tot = harness = 0
for line in open(sys.argv[1]):
    m = re.match(r'\s*([\d,]+) .*PROGRAM TOTALS', line)
    if m: tot = int(m.group(1).replace(',', ''))
    m = re.match(r'\s*([\d,]+) \(.*\)\s+\S*bench/measure\.c:', line)
    if m: harness += int(m.group(1).replace(',', ''))
print(f"  {sys.argv[2]:24s} {(tot - harness) / 32000:6.1f} instructions/descriptor "
      f"({tot} collected, {harness} in the bench's own loop excluded)")
PY
done

echo "## 2. small copies: library call over memcpy (ns per call), ratio"
for i in $(seq "$runs"); do
	$bench --backend emul --op memcpy --sweep 64:1K --json >>"$out/small.json"
done
python3 - "$out/small.json" <<'PY'
import json, sys, statistics as st
by = {}
for l in open(sys.argv[1]):
    d = json.loads(l); by.setdefault(d["size"], []).append(d)
for s, ds in sorted(by.items()):
    ov = [d["overhead_ns_per_op"] for d in ds]; r = [d["ratio"] for d in ds]
    print(f"  {s:5d} B  overhead median {st.median(ov):5.2f} ns (min {min(ov):5.2f}, max {max(ov):5.2f})"
          f"  ratio median {st.median(r):.2f}x (min {min(r):.2f}x)")
PY

echo "## 3. copies 64 B to 256 MiB against glibc memcpy (ratio per run)"
for i in $(seq "$runs"); do
	$bench --backend emul --op memcpy --sweep 64:256M --json >>"$out/sweep.json"
done
python3 - "$out/sweep.json" <<'PY'
import json, sys, statistics as st
by = {}
for l in open(sys.argv[1]):
    d = json.loads(l); by.setdefault(d["size"], []).append(d)
for s, ds in sorted(by.items()):
    r = [d["ratio"] for d in ds]
    print(f"  {s:>10d} {ds[0]['path']:6s} median {st.median(r):.2f}x  runs "
          + " ".join(f"{x:.2f}" for x in r))
PY

echo "## 4. overlap: 16 MiB asynchronous copy behind compute (hidden %)"
for i in $(seq "$runs"); do
	$bench --backend emul --mode overlap --size 16M --json
done | python3 -c '
import json, sys, statistics as st
h = [json.loads(l)["hidden_pct"] for l in sys.stdin]
print("  median %.1f%%  runs %s" % (st.median(h), " ".join("%.1f" % x for x in h)))'

echo "## 5. batch of 32 against 32 single submissions (submitter time ratio)"
for i in $(seq "$runs"); do
	$bench --backend emul --mode batch-cost --op noop --batch 32 --json
done | python3 -c '
import json, sys, statistics as st
d = [json.loads(l) for l in sys.stdin]
b = [x["batch_cost_ratio"] for x in d]; o = [x["op_array_cost_ratio"] for x in d]
print("  in place: median %.3f  runs %s" % (st.median(b), " ".join("%.3f" % x for x in b)))
print("  op array: median %.3f  runs %s" % (st.median(o), " ".join("%.3f" % x for x in o)))'
