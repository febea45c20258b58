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
#if __has_include(<sys/rseq.h>)
#include <sys/rseq.h>
#define ACCEL_HAVE_RSEQ 1
#endif

#include "internal.h"

const struct accel_numa_topo *accel_numa_fake;

/*
 * The CPU the caller runs on, without a system call: what the per-thread
 * queue cache compares on every submission to a context that spans
 * several nodes (internal.h).  glibc 2.35 and later register an rseq area
 * for every thread, whose cpu_id the kernel keeps current: one load (3 ns
 * measured here).  glibc 2.36's sched_getcpu() does not read it and goes
 * to the vDSO (15 to 35 ns here): the fallback where rseq is off
 * (__rseq_size 0, e.g. GLIBC_TUNABLES=glibc.pthread.rseq=0).
 */
int accel_numa_cpu(void)
{
	const struct accel_numa_topo *t = accel_numa_fake;

	if (t && t->current_cpu)
		return t->current_cpu();
#ifdef ACCEL_HAVE_RSEQ
	if (__rseq_size) {
		const struct rseq *r =
			(const void *)((const char *)__builtin_thread_pointer() +
				       __rseq_offset);
		int cpu = (int)__atomic_load_n(&r->cpu_id, __ATOMIC_RELAXED);

		if (cpu >= 0)
			return cpu;
	}
#endif
	return sched_getcpu();
}

int accel_numa_node_of_cpu(int cpu)
{
	const struct accel_numa_topo *t = accel_numa_fake;
	unsigned c, node;

	if (t)
		return cpu >= 0 && cpu < t->ncpus ? t->node_of_cpu[cpu] : -1;
	/* getcpu answers both at once; cpu is the caller's own in practice. */
	if (getcpu(&c, &node) == 0 && (int)c == cpu)
		return (int)node;
	if (cpu >= 0 && numa_available() >= 0)
		return numa_node_of_cpu(cpu);
	return -1;
}

int accel_numa_caller_node(void)
{
	const struct accel_numa_topo *t = accel_numa_fake;
	unsigned cpu, node;

	if (t)
		return accel_numa_node_of_cpu(accel_numa_cpu());
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
