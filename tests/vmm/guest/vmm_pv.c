// SPDX-License-Identifier: MIT
/*
 * In the QEMU 11.1 guest (tests/vmm/vmm-guest.sh), against the virtual
 * DSA that accel-vfio-user serves: what the paravirtual extension gives
 * the driver (kernel/dsa_pci/dsa_pci_pv.c), seen from user space.  The
 * queues are named as in tests/hw/guest (HW_V1_SWQ, HW_V2_DWQ, HW_V2_SWQ),
 * here on the two virtual functions (DSA 1.0 and 2.0).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hwg.h"

#define PG 4096

static const char *const all_queues[] = { "HW_V1_SWQ", "HW_V2_DWQ", "HW_V2_SWQ" };

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* PORTAL_8X8: the queues offer write(2) only, and the portal is not
 * mapped (the kernel's 8-byte pieces must not interleave with a user's). */
Test(vmm, portal_is_write_only_and_never_mapped)
{
	for (int i = 0; i < 3; i++) {
		struct kt_q q;
		void *p;

		hwg_open(&q, all_queues[i]);
		/* DSA 1.0 queues also say that write(2) refuses BATCH. */
		cr_assert_eq(q.qi.submit,
			     UACCE_DSA_SUBMIT_WRITE |
				     (i == 0 ? UACCE_DSA_SUBMIT_WRITE_NOBATCH : 0),
			     "%s: submit %#x", all_queues[i], q.qi.submit);
		cr_assert_eq(q.qi.mmio_size, PG);
		p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, q.fd,
			 UACCE_QFRT_MMIO * PG);
		cr_assert_eq(p, MAP_FAILED, "%s: portal mapped", all_queues[i]);
		cr_assert_eq(errno, EOPNOTSUPP, "%s: %s", all_queues[i],
			     strerror(errno));
		kt_close(&q);
	}
}

/* PASID_ROOT: every open file gets a PASID of the driver's own. */
Test(vmm, each_open_file_gets_its_own_pasid)
{
	struct kt_q a, b;

	hwg_open(&a, "HW_V2_SWQ");
	hwg_open(&b, "HW_V2_SWQ");
	cr_assert_neq(a.qi.pasid, 0);
	cr_assert_neq(b.qi.pasid, 0);
	cr_assert_neq(a.qi.pasid, b.qi.pasid);
	cr_assert_lt(a.qi.pasid, 1u << 20);
	kt_close(&a);
	kt_close(&b);
}

/* The device reads and writes this process's virtual addresses: buffers
 * scattered over pages (every other page, so that no two neighbours are
 * physically contiguous by accident) and inside a huge page when the
 * kernel gives one. */
Test(vmm, virtual_addresses_are_walked)
{
	const size_t n = 6 * PG + 100;
	uint8_t *raw = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *huge = (uint8_t *)(((uintptr_t)raw + (2 << 20) - 1) & ~(uintptr_t)((2 << 20) - 1));
	uint8_t *src = malloc(n + 123), *dst = malloc(n + 77);
	static _Alignas(32) struct dsa_comp c;
	struct dsa_desc d;
	struct kt_q q;

	cr_assert(raw != MAP_FAILED && src && dst);
	madvise(huge, 2 << 20, MADV_HUGEPAGE);
	memset(huge, 0, 2 << 20);
	for (size_t k = 0; k < n; k++)
		src[k] = (uint8_t)(k * 7 + 1);
	memset(dst, 0, n + 77);
	for (int i = 0; i < 3; i++) {
		hwg_open(&q, all_queues[i]);
		memset(dst, 0, n);
		kt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst, (uint32_t)n, &c);
		cr_assert_eq(hwg_run(&q, &d, &c), DSA_COMP_SUCCESS, "%s",
			     all_queues[i]);
		cr_assert(!memcmp(src, dst, n), "%s: copy differs", all_queues[i]);
		/* Into the (maybe huge) page and back out of it. */
		kt_desc(&d, DSA_OP_MEMMOVE, 0, src, huge + (1 << 20) - 50,
			(uint32_t)n, &c);
		cr_assert_eq(hwg_run(&q, &d, &c), DSA_COMP_SUCCESS);
		memset(dst, 0, n);
		kt_desc(&d, DSA_OP_MEMMOVE, 0, huge + (1 << 20) - 50, dst,
			(uint32_t)n, &c);
		cr_assert_eq(hwg_run(&q, &d, &c), DSA_COMP_SUCCESS);
		cr_assert(!memcmp(src, dst, n), "%s: via the huge page",
			  all_queues[i]);
		kt_close(&q);
	}
	munmap(raw, 4 << 20);
	free(src);
	free(dst);
}

/* What the process cannot touch, the device cannot either: a kernel
 * address (no user bit), an address with nothing mapped, a read-only
 * page as a destination.  Each is a page fault in the record, without
 * block-on-fault (the virtual device has no page requests). */
Test(vmm, what_the_process_cannot_touch_faults)
{
	uint8_t *ro = mmap(NULL, PG, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *gone = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			     -1, 0);
	static uint8_t buf[256];
	static _Alignas(32) struct dsa_comp c;
	struct dsa_desc d;
	struct kt_q q;
	uint8_t st;

	cr_assert(ro != MAP_FAILED && gone != MAP_FAILED);
	memset(ro, 1, PG);
	cr_assert_eq(mprotect(ro, PG, PROT_READ), 0);
	munmap(gone, PG);
	memset(buf, 0, sizeof(buf));
	hwg_open(&q, "HW_V2_DWQ");
	kt_desc(&d, DSA_OP_MEMMOVE, 0, (void *)0xffff888000001000ull, buf, 64, &c);
	st = hwg_run(&q, &d, &c);
	cr_assert_eq(st, DSA_COMP_PAGE_FAULT_NOBOF, "kernel address: %#x", st);
	cr_assert_eq(c.fault_addr, 0xffff888000001000ull);
	kt_desc(&d, DSA_OP_MEMMOVE, 0, gone + 8, buf, 64, &c);
	st = hwg_run(&q, &d, &c);
	cr_assert_eq(st, DSA_COMP_PAGE_FAULT_NOBOF, "unmapped: %#x", st);
	cr_assert_eq(c.fault_addr, (uintptr_t)gone + 8);
	kt_desc(&d, DSA_OP_MEMMOVE, 0, buf, ro + 16, 64, &c);
	st = hwg_run(&q, &d, &c);
	cr_assert_eq(st, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE,
		     "read-only: %#x", st);
	cr_assert_eq(c.fault_addr, (uintptr_t)ro + 16);
	cr_assert_eq(ro[16], 1);
	kt_close(&q);
	munmap(ro, PG);
}

/*
 * Two processes on one shared queue, each under its own PASID: the same
 * virtual address names each one's own memory.  The parent maps a secret
 * at an address after the fork; the child, whose tables have nothing
 * there, asks the device to copy from it and gets a page fault, never
 * the parent's bytes.
 */
Test(vmm, another_process_memory_is_not_reachable)
{
	uint8_t *probe = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			      -1, 0);
	int go[2], res[2];
	pid_t child;
	char r = 0;

	cr_assert(probe != MAP_FAILED);
	munmap(probe, PG); /* an address the child will not have */
	cr_assert_eq(pipe(go), 0);
	cr_assert_eq(pipe(res), 0);
	child = fork();
	cr_assert_geq(child, 0);
	if (!child) {
		static _Alignas(32) struct dsa_comp c;
		static uint8_t out[64];
		struct dsa_desc d;
		struct kt_q q;
		char ok = 'F';

		alarm(30);
		if (read(go[0], &r, 1) != 1 ||
		    kt_open(&q, getenv("HW_V2_SWQ"), true, false))
			_exit(2);
		kt_desc(&d, DSA_OP_MEMMOVE, 0, probe, out, 64, &c);
		if (!kt_write(&q, &d) &&
		    kt_wait(&c, 5000) == DSA_COMP_PAGE_FAULT_NOBOF &&
		    c.fault_addr == (uintptr_t)probe && out[0] == 0)
			ok = 'P';
		if (write(res[1], &ok, 1) != 1)
			_exit(3);
		_exit(0);
	}
	/* Now the parent's secret at that address, and a queue of its own
	 * open at the same time. */
	cr_assert_eq(mmap(probe, PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		     probe);
	memset(probe, 0x5e, PG);
	{
		static _Alignas(32) struct dsa_comp c;
		static uint8_t out[64];
		struct dsa_desc d;
		struct kt_q q;

		hwg_open(&q, "HW_V2_SWQ");
		kt_desc(&d, DSA_OP_MEMMOVE, 0, probe, out, 64, &c);
		cr_assert_eq(hwg_run(&q, &d, &c), DSA_COMP_SUCCESS);
		cr_assert_eq(out[63], 0x5e);
		cr_assert_eq(write(go[1], "g", 1), 1);
		cr_assert_eq(read(res[0], &r, 1), 1);
		kt_close(&q);
	}
	cr_assert_eq(r, 'P', "the child reached the parent's memory or failed (%c)", r);
	waitpid(child, NULL, 0);
	munmap(probe, PG);
}

struct sleeper {
	int efd;
	uint64_t woke_ms, count;
};

static void *sleep_on_eventfd(void *arg)
{
	struct sleeper *s = arg;

	/* A blocking read: this thread sleeps until the interrupt. */
	if (read(s->efd, &s->count, sizeof(s->count)) != sizeof(s->count))
		s->count = 0;
	s->woke_ms = now_ms();
	return NULL;
}

/*
 * A completion interrupt through the VMM: the device's MSI-X message
 * (the server's eventfd, QEMU's MSI injection), the guest's vector, the
 * driver's queue, the opener's eventfd.  A thread sleeps in read() before
 * the work is even submitted and wakes when it completes.
 */
Test(vmm, completion_interrupt_wakes_a_sleeper)
{
	for (int i = 0; i < 3; i++) {
		static _Alignas(32) struct dsa_comp c;
		struct sleeper s = { 0 };
		struct dsa_desc d;
		pthread_t t;
		uint64_t sent;
		struct kt_q q;
		int32_t efd;

		hwg_open(&q, all_queues[i]);
		efd = eventfd(0, EFD_CLOEXEC);
		cr_assert_geq(efd, 0);
		cr_assert_eq(ioctl(q.fd, UACCE_CMD_DSA_EVENTFD, &efd), 0);
		s.efd = efd;
		cr_assert_eq(pthread_create(&t, NULL, sleep_on_eventfd, &s), 0);
		usleep(200000); /* the reader is asleep by now */
		kt_desc(&d, DSA_OP_NOOP, DSA_FLAG_RCI, NULL, NULL, 0, &c);
		sent = now_ms();
		cr_assert_eq(kt_write(&q, &d), 0);
		cr_assert_eq(pthread_join(t, NULL), 0);
		cr_assert_geq(s.count, 1, "%s: woken without a count", all_queues[i]);
		cr_assert_eq(c.status, DSA_COMP_SUCCESS);
		cr_log_info("%s: woken %llu ms after the write", all_queues[i],
			    (unsigned long long)(s.woke_ms - sent));
		close(efd);
		kt_close(&q);
	}
}

/*
 * A process that exits with its queue open and work queued: its address
 * space goes first (exit_mmap; the driver's MMU notifier drains the
 * PASID and clears its root before the tables are freed), the file
 * after.  The queue serves the next opener.
 */
Test(vmm, exit_with_the_queue_open)
{
	for (int round = 0; round < 3; round++) {
		pid_t child = fork();
		int st;

		cr_assert_geq(child, 0);
		if (!child) {
			static _Alignas(32) struct dsa_comp c[8];
			static uint8_t a[1 << 16], b[1 << 16];
			struct dsa_desc d;
			struct kt_q q;

			if (kt_open(&q, getenv(all_queues[round]), true, false))
				_exit(2);
			memset(a, 3, sizeof(a));
			memset(b, 0, sizeof(b));
			for (int k = 0; k < 8; k++) {
				kt_desc(&d, DSA_OP_MEMMOVE, 0, a, b, sizeof(a), &c[k]);
				(void)kt_write(&q, &d);
			}
			_exit(0); /* file still open */
		}
		cr_assert_eq(waitpid(child, &st, 0), child);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child: %#x", st);
	}
	for (int i = 0; i < 3; i++) {
		static _Alignas(32) struct dsa_comp c;
		struct dsa_desc d;
		struct kt_q q;

		hwg_open(&q, all_queues[i]);
		kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &c);
		cr_assert_eq(hwg_run(&q, &d, &c), DSA_COMP_SUCCESS, "%s after",
			     all_queues[i]);
		kt_close(&q);
	}
}
