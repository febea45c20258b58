// SPDX-License-Identifier: MIT
/*
 * Why a device without block-on-fault can fault on memory the process has
 * just written: the kernel collapsing small pages into a huge page
 * (khugepaged, MADV_COLLAPSE) or splitting one leaves the page table entry
 * not present for a moment, and the device, which walks those page tables
 * (the IOMMU on hardware, the simulated device's engine here), reports a
 * page fault instead of waiting.  Memory marked MADV_NOHUGEPAGE is not
 * collapsed: tests that expect no fault without block-on-fault keep their
 * buffers so (conf_status.c).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "hwg.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* Linux 6.1 */
#endif
#define HUGE (2ul << 20)

struct churn {
	uint8_t *p;
	volatile int stop;
	long collapsed;
};

/* Collapse the 2 MiB range, then split it again (a protection change of
 * one page splits the huge page), over and over. */
static void *churn_run(void *arg)
{
	struct churn *c = arg;

	while (!c->stop) {
		if (!madvise(c->p, HUGE, MADV_COLLAPSE))
			c->collapsed++;
		mprotect(c->p + HUGE / 2, 4096, PROT_READ);
		mprotect(c->p + HUGE / 2, 4096, PROT_READ | PROT_WRITE);
	}
	return NULL;
}

/* Compares of two freshly written buffers in the range for ms while the
 * range churns; returns the faults, checking each is a read fault there. */
static long compares_under_churn(bool keep_small, int ms, long *collapsed)
{
	uint8_t *raw = mmap(NULL, 2 * HUGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct churn c = { 0 };
	struct timespec t0, t;
	pthread_t th;
	long faults = 0, n = 0;
	struct kt_q q;

	cr_assert_neq(raw, MAP_FAILED);
	c.p = (uint8_t *)(((uintptr_t)raw + HUGE - 1) & ~(HUGE - 1));
	if (keep_small)
		cr_assert_eq(madvise(c.p, HUGE, MADV_NOHUGEPAGE), 0);
	for (unsigned long i = 0; i < HUGE; i += 4096)
		c.p[i] = 1;
	hwg_open(&q, "HW_V1_SWQ");
	cr_assert_eq(pthread_create(&th, NULL, churn_run, &c), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		static _Alignas(32) struct dsa_comp comp;
		uint8_t *a = c.p + 8192, *b = c.p + 16384;
		struct dsa_desc d;
		uint8_t st;

		memset(a, (int)n, 64);
		memset(b, (int)n, 64);
		kt_desc(&d, DSA_OP_COMPARE, 0, a, b, 64, &comp);
		st = hwg_run(&q, &d, &comp);
		if (st != DSA_COMP_SUCCESS) {
			cr_assert_eq(st, DSA_COMP_PAGE_FAULT_NOBOF,
				     "status %#x", st);
			cr_assert(comp.fault_addr == (uintptr_t)a ||
				  comp.fault_addr == (uintptr_t)b);
			faults++;
		}
		n++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 +
			 (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
	c.stop = 1;
	pthread_join(th, NULL);
	kt_close(&q);
	munmap(raw, 2 * HUGE);
	cr_log_info("%s: %ld compares, %ld faults, %ld collapses",
		    keep_small ? "kept small" : "collapsible", n, faults,
		    c.collapsed);
	*collapsed = c.collapsed;
	return faults;
}

Test(hw_fault, huge_page_churn_faults_a_device_without_bof)
{
	long collapsed, faults = compares_under_churn(false, 3000, &collapsed);

	/* Each collapse and split is a window; dozens of them must have
	 * caught some reads (about one each in trials). */
	if (collapsed >= 10)
		cr_assert_gt(faults, 0, "%ld collapses, no fault", collapsed);
}

Test(hw_fault, memory_kept_small_does_not_fault)
{
	long collapsed, faults = compares_under_churn(true, 3000, &collapsed);

	cr_assert_eq(collapsed, 0, "MADV_COLLAPSE of a NOHUGEPAGE range");
	cr_assert_eq(faults, 0);
}
