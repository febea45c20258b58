#!/bin/sh
# SPDX-License-Identifier: MIT
# A real program's run time with and without libaccel-preload.so:
#   sh tests/preload/pl_time.sh [-n RUNS] [-b BUILD] -- COMMAND [ARGS...]
# Runs COMMAND RUNS times (default 5) each way, alternating, and prints
# the median wall time of each and their ratio (plain / preloaded: above 1
# means the preload made it faster).  The preload's variables
# (ACCEL_PRELOAD_*, ACCEL_BACKEND) are taken from the environment.  On a
# machine shared with other work the medians move from run to run: say so
# with the numbers.
set -eu
runs=5
B=build
while [ $# -gt 0 ]; do
	case $1 in
	-n) runs=$2; shift 2 ;;
	-b) B=$2; shift 2 ;;
	--) shift; break ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: $0 [-n RUNS] [-b BUILD] -- COMMAND..." >&2; exit 2; }
PRELOAD=$(realpath "$B/libaccel-preload.so")
plain=""
pre=""
ns() { date +%s%N; }
i=0
while [ $i -lt "$runs" ]; do
	t0=$(ns); "$@" >/dev/null; t1=$(ns)
	plain="$plain $(((t1 - t0) / 1000))"
	t0=$(ns); LD_PRELOAD="$PRELOAD" "$@" >/dev/null; t1=$(ns)
	pre="$pre $(((t1 - t0) / 1000))"
	i=$((i + 1))
done
median() { printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mp=$(median "$plain")
mq=$(median "$pre")
echo "plain:     median $mp us  (runs:$plain)"
echo "preloaded: median $mq us  (runs:$pre)"
awk -v a="$mp" -v b="$mq" 'BEGIN { printf "ratio plain/preloaded: %.2fx\n", a / b }'
