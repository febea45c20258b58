// SPDX-License-Identifier: MIT
/*
 * Which NUMA node the calling thread runs on, and how far one node is from
 * another: what a queue choice "nearest the caller" needs (idxd_sysfs.c
 * picks the work queue with it when several exist).  The machine's own
 * topology comes from getcpu(2) and libnuma's distance table (the
 * kernel's /sys/devices/system/node/nodeN/distance: 10 local, larger
 * farther); a test can put a fake one in its place (accel_numa_fake), as
 * the build machines have a single node.
 */
#include <numa.h>
#include <sched.h>

#include "internal.h"

const struct accel_numa_topo *accel_numa_fake;

int accel_numa_caller_node(void)
{
	const struct accel_numa_topo *t = accel_numa_fake;
	unsigned cpu, node;

	if (t) {
		int c = t->current_cpu();

		return c >= 0 && c < t->ncpus ? t->node_of_cpu[c] : -1;
	}
	if (getcpu(&cpu, &node))
		return -1;
	return (int)node;
}

int accel_numa_distance(int a, int b)
{
	const struct accel_numa_topo *t = accel_numa_fake;

	if (a < 0 || b < 0)
		return 1000; /* unknown: after every known one */
	if (a == b)
		return 0;
	if (t)
		return a < t->nnodes && b < t->nnodes ?
			       t->distance[a * t->nnodes + b] :
			       1000;
	if (numa_available() >= 0) {
		int d = numa_distance(a, b);

		if (d > 0)
			return d;
	}
	return 100;
}
