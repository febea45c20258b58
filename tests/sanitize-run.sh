#!/bin/sh
# Run one test program under a checker so that EVERY report fails the run,
# wherever it happens: in the program, in Criterion's forked test children
# (whose exit status Criterion does not pass on once a test has reported
# its result), or in any process they start.  Each checker writes its
# reports into files of its own (one per process) under LOGDIR; after the
# run, any report file fails the run, whatever the exit status said.
#
#   tests/sanitize-run.sh KIND LOGDIR PROGRAM [ARGS...]
#
# KIND: asan      ASan + UBSan + LeakSanitizer (a -fsanitize=address,undefined build)
#       tsan      ThreadSanitizer (a -fsanitize=thread build; ASLR off, see below)
#       valgrind  memcheck over a plain build, children traced
# Options already in the environment are kept; ours are appended, so they win.
set -u
kind=$1
logdir=$2
shift 2
rm -rf "$logdir"
mkdir -p "$logdir"

# Run the command with its output shown and kept (for the scan below); rc
# is its exit status.
run() {
	{ "$@" 2>&1; echo $? >"$logdir/rc"; } | tee "$logdir/output.txt"
	rc=$(cat "$logdir/rc")
	rm -f "$logdir/rc"
}

case $kind in
asan)
	# abort_on_error: a report kills the test child, so Criterion counts
	# the test as crashed; log_path: the report is also on file, which
	# catches what Criterion cannot see (a leak found at a child's exit).
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:abort_on_error=1:exitcode=66:log_path=$logdir/asan"
	UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1:abort_on_error=1:exitcode=66:log_path=$logdir/ubsan"
	export ASAN_OPTIONS UBSAN_OPTIONS
	run "$@"
	;;
tsan)
	# TSan wants ASLR off on newer kernels (high-entropy mmap): setarch -R.
	TSAN_OPTIONS="${TSAN_OPTIONS:+$TSAN_OPTIONS:}halt_on_error=1:exitcode=66:log_path=$logdir/tsan"
	export TSAN_OPTIONS
	run setarch -R "$@"
	;;
valgrind)
	# -q: valgrind writes nothing but errors, so any non-empty log is one.
	run valgrind -q --error-exitcode=66 --trace-children=yes \
		--child-silent-after-fork=no --log-file="$logdir/vg.%p" "$@"
	;;
*)
	echo "sanitize-run.sh: unknown kind '$kind' (asan, tsan, valgrind)" >&2
	exit 2
	;;
esac

# A report that reached stdout/stderr instead of its file (UBSan's, in a
# build combined with ASan, keeps ASan's log_path setting only in part).
if grep -q -E 'runtime error:|ERROR: (Address|Leak|Thread|UndefinedBehavior)Sanitizer|WARNING: ThreadSanitizer' "$logdir/output.txt"; then
	echo "sanitize-run.sh: a $kind report is in the program's output: FAIL" >&2
	[ "$rc" -ne 0 ] || rc=1
fi
rm -f "$logdir/output.txt"
reports=$(find "$logdir" -type f -size +0c | sort)
if [ -n "$reports" ]; then
	for f in $reports; do
		echo "==== $kind report: $f"
		cat "$f"
	done
	echo "sanitize-run.sh: $kind reported errors ($(echo "$reports" | wc -l) report file(s) in $logdir): FAIL" >&2
	exit 1
fi
if [ "$rc" -ne 0 ]; then
	echo "sanitize-run.sh: $* exited with status $rc: FAIL" >&2
	exit "$rc"
fi
exit 0
