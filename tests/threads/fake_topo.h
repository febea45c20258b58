/* SPDX-License-Identifier: MIT */
/*
 * The fake three-node topology of the NUMA tests (the build machines have
 * one node): node 0 has CPUs 0-1, node 1 CPUs 2-3, node 2 CPUs 4-5, and
 * node 2 is nearer node 1 (20) than node 0 (30), so a thread there with
 * nothing on its own node must get node 1's.  A thread "runs" on the CPU
 * it stores in my_cpu, which the topology's hook reports.
 */
#ifndef UACCEL_TESTS_FAKE_TOPO_H
#define UACCEL_TESTS_FAKE_TOPO_H

#include "internal.h"

static const int node_of_cpu[6] = { 0, 0, 1, 1, 2, 2 };
static const int dist[9] = {
	10, 20, 30,
	20, 10, 20,
	30, 20, 10,
};
static __thread int my_cpu;

static int fake_cpu(void)
{
	return my_cpu;
}

static const struct accel_numa_topo topo = {
	.ncpus = 6, .nnodes = 3, .node_of_cpu = node_of_cpu,
	.distance = dist, .current_cpu = fake_cpu,
};

#endif /* UACCEL_TESTS_FAKE_TOPO_H */
