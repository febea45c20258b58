#!/bin/sh
# The five figures of docs/performance.md, measured side by side with
# accel-bench on this machine.  Usage: scripts/perf-figures.sh [RUNS]
# (default 3 runs of each figure; see section 1 for what varies in the
# instruction count).
# Needs build/accel-bench (make) and valgrind; python3 summarises.
set -eu
runs=${1:-3}
bench=build/accel-bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, $(uname -r)"

echo "## 1. submission cost (callgrind, instructions per descriptor)"
# The count repeats exactly except for one thing: the emul engine sleeps
# after 50 us of wall-clock idleness, and under callgrind (~50x slower) a
# submission may or may not find it asleep, depending on the machine's
# load.  One that does also pays the wake-up (engine_wake_slow and its
# futex call, plus a few instructions at the call site).  So each run
# reports the wake-ups apart, and the runs together give the count with
# the engine awake, which is the same in every run.
for args in "--op noop" "--op memcpy --size 64" "--op noop --batch 32"; do
	for i in $(seq "$runs"); do
		valgrind --tool=callgrind --collect-atstart=no --fair-sched=yes \
			--callgrind-out-file="$out/cg.$i" $bench --backend emul \
			--mode submit-cost $args --iters 32000 >/dev/null 2>&1
		callgrind_annotate "$out/cg.$i" >"$out/cg.$i.txt" 2>/dev/null
	done
	python3 - "$out" "$runs" "$args" <<'PY'
import re, sys
out, runs, args = sys.argv[1], int(sys.argv[2]), sys.argv[3]
N = 32000

def one(i):
    tot = harness = 0
    for line in open(f"{out}/cg.{i}.txt"):
        m = re.match(r'\s*([\d,]+) .*PROGRAM TOTALS', line)
        if m: tot = int(m.group(1).replace(',', ''))
        m = re.match(r'\s*([\d,]+) \(.*\)\s+\S*bench/measure\.c:', line)
        if m: harness += int(m.group(1).replace(',', ''))
    # Calls to engine_wake_slow and their inclusive cost, from the raw file.
    names, calls, incl, cfn, pending = {}, 0, 0, None, False
    for line in open(f"{out}/cg.{i}"):
        m = re.match(r'(c?fn)=\((\d+)\)(?: (.*))?', line)
        if m:
            if m.group(3): names[m.group(2)] = m.group(3).strip()
            if m.group(1) == 'cfn': cfn = names.get(m.group(2))
            continue
        m = re.match(r'calls=(\d+)', line)
        if m:
            pending = cfn == 'engine_wake_slow'
            if pending: calls += int(m.group(1))
            continue
        if pending:
            incl += int(line.split()[1]); pending = False
    return tot - harness, calls, incl

rs = [one(i) for i in range(1, runs + 1)]
# y = N * awake + (incl + site * calls): fit awake and the call site's
# instructions per wake-up when the wake-up count varies between runs.
ys = [y - incl for y, c, incl in rs]
cs = [c for y, c, incl in rs]
site = None
if len(set(cs)) > 1:
    mc, my = sum(cs) / len(cs), sum(ys) / len(ys)
    site = sum((c - mc) * (y - my) for c, y in zip(cs, ys)) / sum((c - mc) ** 2 for c in cs)
for y, c, incl in rs:
    line = f"  {args:24s} {y / N:6.1f} instructions/descriptor, {c:5d} engine wake-ups"
    if c:
        line += f" ({incl / c:.1f} instructions inside each)"
    print(line)
if site is not None:
    awake = [(y - site * c) / N for y, c in zip(ys, cs)]
    print(f"  {'':24s} engine awake: {min(awake):.2f} to {max(awake):.2f} instructions/descriptor "
          f"(call site {site:.2f} per wake-up, fitted over {runs} runs)")
elif cs[0] == 0:
    print(f"  {'':24s} engine awake: {ys[0] / N:.2f} instructions/descriptor (no wake-ups)")
else:
    print(f"  {'':24s} engine awake: at most {max(ys) / N:.2f} instructions/descriptor "
          f"(every run woke it {cs[0]} times: call site not fitted)")
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
