// SPDX-License-Identifier: MIT
/*
 * The /dev/uacce interface as a program sees it (run in the QEMU guest with
 * the modules loaded): nodes and sysfs, the queue state machine, mmap
 * rules, queue information, write(2) and ring submission, the eventfd,
 * fork and the isolation between address spaces, faults and kernel
 * addresses in descriptors.
 *
 * Written for the soft device; tests/hw/guest-hw.sh also runs it against
 * the DSA PCI driver's simulated queues (dsa_pci loaded alone), which
 * offer write(2) only: no ring, no regions to map.  Where the two differ
 * the test asks the queue what it offers (qinfo's submit bits; the soft
 * device is the one with a ring); the tests of the ring and its mappings
 * alone are left out there by name (mmap_rules, worker_sleeps_...).
 *
 * tests/vmm/vmm-guest.sh runs it against our virtual DSA under QEMU 11.1
 * too (docs/vmm.md): write(2) only as above, and the device translates
 * under a PASID of its own (the driver's, dsa_pci_pv.c), so the flags
 * and the PASID follow whether the queue reports one.  That device has
 * no page requests, so block_on_fault_brings_pages_in is left out there.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kt_util.h"

static long pg(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* What a queue reports to an opener, before START_Q. */
static struct uacce_dsa_qinfo qinfo_of(const char *dev)
{
	struct kt_q q;

	cr_assert_eq(kt_open(&q, dev, false, false), 0, "%s", dev);
	kt_close(&q);
	return q.qi;
}

/* The soft device: its queues have the ring (and so both regions). */
static bool has_ring(const char *dev)
{
	return qinfo_of(dev).submit & UACCE_DSA_SUBMIT_RING;
}

Test(uacce, nodes_and_sysfs)
{
	const char *names[] = { KT_DEV_DEDICATED, KT_DEV_SHARED };
	char buf[256];
	struct stat st;

	for (int i = 0; i < 2; i++) {
		struct uacce_dsa_qinfo qi = qinfo_of(names[i]);
		bool ring = qi.submit & UACCE_DSA_SUBMIT_RING;
		long op_cap, flags;

		cr_assert_eq(stat(kt_path(names[i]), &st), 0, "%s missing",
			     kt_path(names[i]));
		cr_assert(S_ISCHR(st.st_mode));
		cr_assert_eq(kt_sysfs(names[i], "api", buf, sizeof(buf)), 0);
		cr_assert_str_eq(buf, UACCE_API_DSA);
		flags = kt_sysfs_long(names[i], "flags");
		if (qi.pasid == UACCE_PASID_NONE)
			/* The soft device and dsa_pci's simulated one reach
			 * the opener's memory by the CPU's page tables. */
			cr_assert_eq(flags, UACCE_DEV_NOIOMMU,
				     "%s: no PASID, flags %#lx", names[i],
				     flags);
		else
			/* The device translates under the opener's PASID:
			 * an IOMMU's SVA bind (UACCE_DEV_SVA), or our
			 * virtual DSA's own PASIDs (dsa_pci_pv.c, no flag). */
			cr_assert_eq(flags & ~(long)UACCE_DEV_SVA, 0,
				     "%s: PASID %u, flags %#lx", names[i],
				     qi.pasid, flags);
		cr_assert_eq(kt_sysfs(names[i], "algorithms", buf, sizeof(buf)),
			     0);
		cr_assert(strstr(buf, "memmove") && strstr(buf, "crc32c"));
		op_cap = kt_sysfs_long(names[i], "dsa_op_cap");
		if (ring) {
			cr_assert_eq(kt_sysfs_long(names[i], "region_mmio_size"),
				     pg());
			cr_assert_eq(kt_sysfs_long(names[i], "region_dus_size"),
				     pg());
			cr_assert_eq(op_cap, (long)DSA_OPCAP_DSA1);
		} else if (qi.pasid == UACCE_PASID_NONE) {
			/* dsa_pci's simulated device: no BAR, no region, so
			 * no size attribute (as upstream). */
			cr_assert_neq(kt_sysfs(names[i], "region_mmio_size", buf,
					       sizeof(buf)), 0);
			cr_assert_neq(kt_sysfs(names[i], "region_dus_size", buf,
					       sizeof(buf)), 0);
		} else {
			/* A PCI function's queue (hardware, our virtual DSA):
			 * its portal page is the MMIO region, mapped or not
			 * (queue_info); no DUS region. */
			cr_assert_eq(kt_sysfs_long(names[i], "region_mmio_size"),
				     pg());
			cr_assert_neq(kt_sysfs(names[i], "region_dus_size", buf,
					       sizeof(buf)), 0);
		}
		/* A device's OPCAP: every DSA 1.0 operation at least. */
		if (!ring)
			cr_assert_eq(op_cap & (long)DSA_OPCAP_DSA1,
				     (long)DSA_OPCAP_DSA1, "%s op_cap %#lx",
				     names[i], op_cap);
	}
	cr_assert_eq(kt_sysfs_long(KT_DEV_DEDICATED, "dsa_mode"),
		     UACCE_DSA_WQ_DEDICATED);
	cr_assert_eq(kt_sysfs_long(KT_DEV_SHARED, "dsa_mode"),
		     UACCE_DSA_WQ_SHARED);
}

Test(uacce, available_instances_counts_open_queues)
{
	long before = kt_sysfs_long(KT_DEV_DEDICATED, "available_instances");
	struct kt_q q;

	cr_assert_gt(before, 0);
	cr_assert_eq(kt_open(&q, KT_DEV_DEDICATED, false, false), 0);
	cr_assert_eq(kt_sysfs_long(KT_DEV_DEDICATED, "available_instances"),
		     before - 1);
	kt_close(&q);
	cr_assert_eq(kt_sysfs_long(KT_DEV_DEDICATED, "available_instances"),
		     before);
}

Test(uacce, queue_info)
{
	struct uacce_dsa_qinfo qi;
	struct kt_q q, q2;
	bool noiommu;

	cr_assert_eq(kt_open(&q, KT_DEV_SHARED, false, false), 0);
	cr_assert_eq(q.qi.mode, UACCE_DSA_WQ_SHARED);
	cr_assert_eq(q.qi.wq_size, kt_sysfs_long(KT_DEV_SHARED, "dsa_wq_size"));
	cr_assert(q.qi.threshold >= 1 && q.qi.threshold <= q.qi.wq_size);
	cr_assert_eq((long)q.qi.op_cap, kt_sysfs_long(KT_DEV_SHARED,
						      "dsa_op_cap"));
	/* A PASID exactly where the device does not run by the CPU's page
	 * tables; 20 bits (PCIe), 0 being the requests without one (the
	 * IOMMU's RID_PASID; dsa_pci_pv.c allocates from 1). */
	noiommu = kt_sysfs_long(KT_DEV_SHARED, "flags") == UACCE_DEV_NOIOMMU;
	cr_assert_eq(q.qi.pasid == UACCE_PASID_NONE, noiommu, "PASID %#x",
		     q.qi.pasid);
	if (!noiommu) {
		cr_assert(q.qi.pasid >= 1 && q.qi.pasid < (1u << 20),
			  "PASID %#x", q.qi.pasid);
		/* A shared queue tells its openers apart by PASID. */
		cr_assert_eq(kt_open(&q2, KT_DEV_SHARED, false, false), 0);
		cr_assert_neq(q2.qi.pasid, q.qi.pasid);
		kt_close(&q2);
	}
	/* The parent's node, the one sysfs shows an upstream client (-1 for
	 * none: dsa_pci's simulated devices are platform devices without
	 * one, and without the attribute, which reads as -1 here). */
	cr_assert_eq(q.qi.numa_node,
		     kt_sysfs_long(KT_DEV_SHARED, "device/numa_node"));
	cr_assert_geq(q.qi.numa_node,
		      (q.qi.submit & UACCE_DSA_SUBMIT_RING) ? 0 : -1);
	cr_assert(q.qi.submit & UACCE_DSA_SUBMIT_WRITE);
	if (q.qi.submit & UACCE_DSA_SUBMIT_RING) {
		cr_assert_eq(q.qi.op_cap, DSA_OPCAP_DSA1);
		cr_assert_eq(q.qi.mmio_size, (uint64_t)pg());
		cr_assert_eq(q.qi.ring_slots, UACCE_SOFT_RING_SLOTS);
		/* Its write(2) takes BATCH like any descriptor. */
		cr_assert(!(q.qi.submit & UACCE_DSA_SUBMIT_WRITE_NOBATCH));
	} else {
		/* The portal page where there is one (nodes_and_sysfs). */
		cr_assert_eq(q.qi.mmio_size, noiommu ? 0 : (uint64_t)pg());
		cr_assert_eq(q.qi.dus_size, 0);
		cr_assert_eq(q.qi.ring_slots, 0);
	}
	/* A portal not offered for submission is not mapped either (our
	 * virtual DSA's, written in 8-byte pieces: dsa_pci_pv.c). */
	if (q.qi.mmio_size && !(q.qi.submit & (UACCE_DSA_SUBMIT_PORTAL |
					       UACCE_DSA_SUBMIT_RING))) {
		cr_assert_eq(mmap(NULL, pg(), PROT_READ | PROT_WRITE,
				  MAP_SHARED, q.fd, UACCE_QFRT_MMIO * pg()),
			     MAP_FAILED);
		cr_assert_eq(errno, EOPNOTSUPP, "%s", strerror(errno));
	}
	/* Too short to hold even the limits: refused, not truncated. */
	memset(&qi, 0, sizeof(qi));
	qi.argsz = 8;
	cr_assert_eq(ioctl(q.fd, UACCE_CMD_DSA_QINFO, &qi), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(ioctl(q.fd, UACCE_CMD_DSA_QINFO, (void *)8), -1);
	cr_assert_eq(errno, EFAULT);
	kt_close(&q);
}

Test(uacce, state_machine)
{
	struct dsa_desc d;
	struct dsa_comp c;
	struct kt_q q;

	cr_assert_eq(kt_open(&q, KT_DEV_DEDICATED, false, false), 0);
	kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &c);
	/* write before START_Q: the queue does not run yet. */
	cr_assert_eq(write(q.fd, &d, sizeof(d)), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(ioctl(q.fd, UACCE_CMD_START_Q), 0);
	cr_assert_eq(ioctl(q.fd, UACCE_CMD_START_Q), -1, "START_Q twice");
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(kt_write(&q, &d), 0);
	cr_assert_eq(kt_wait(&c, 5000), DSA_COMP_SUCCESS);
	cr_assert_eq(ioctl(q.fd, UACCE_CMD_PUT_Q), 0);
	/* After PUT_Q: nothing runs, nothing maps, it cannot restart. */
	cr_assert_eq(write(q.fd, &d, sizeof(d)), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(ioctl(q.fd, UACCE_CMD_START_Q), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(mmap(NULL, pg(), PROT_READ | PROT_WRITE, MAP_SHARED, q.fd,
			  0),
		     MAP_FAILED);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(ioctl(q.fd, UACCE_CMD_PUT_Q), 0, "PUT_Q is idempotent");
	/* Unknown commands: -EINVAL, as upstream uacce answers them. */
	cr_assert_eq(ioctl(q.fd, _IO('W', 0x3f)), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(ioctl(q.fd, _IO('X', 0)), -1);
	cr_assert_eq(errno, EINVAL);
	kt_close(&q);
}

Test(uacce, mmap_rules)
{
	int prot = PROT_READ | PROT_WRITE;
	struct kt_q q;
	void *a;

	cr_assert_eq(kt_open(&q, KT_DEV_DEDICATED, false, false), 0);
	cr_assert_eq(mmap(NULL, 2 * pg(), prot, MAP_SHARED, q.fd, 0), MAP_FAILED,
		     "wrong size");
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(mmap(NULL, pg(), prot, MAP_SHARED, q.fd, 2 * pg()),
		     MAP_FAILED, "no region 2");
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(mmap(NULL, pg(), prot, MAP_PRIVATE, q.fd, 0), MAP_FAILED,
		     "private mapping");
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(mmap(NULL, pg(), prot | PROT_EXEC, MAP_SHARED, q.fd, 0),
		     MAP_FAILED, "executable mapping");
	a = mmap(NULL, pg(), prot, MAP_SHARED, q.fd, 0);
	cr_assert_neq(a, MAP_FAILED, "%s", strerror(errno));
	cr_assert_eq(mprotect(a, pg(), PROT_READ | PROT_EXEC), -1,
		     "made executable later");
	cr_assert_eq(mmap(NULL, pg(), prot, MAP_SHARED, q.fd, 0), MAP_FAILED,
		     "mapped twice");
	cr_assert_eq(errno, EEXIST);
	munmap(a, pg());
	cr_assert_eq(mmap(NULL, pg(), prot, MAP_SHARED, q.fd, 0), MAP_FAILED,
		     "once per queue, even after munmap");
	cr_assert_eq(errno, EEXIST);
	kt_close(&q);
}

Test(uacce, write_path_arguments)
{
	struct dsa_desc d[2];
	struct dsa_comp c[2] __attribute__((aligned(32)));
	struct kt_q q;

	cr_assert_eq(kt_open(&q, KT_DEV_DEDICATED, true, false), 0);
	cr_assert_eq(write(q.fd, d, 0), -1);
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(write(q.fd, d, 63), -1);
	cr_assert_eq(errno, EINVAL);
	{
		/* An address the compiler cannot see is bad. */
		const void *volatile bad = (const void *)64;

		cr_assert_eq(write(q.fd, bad, 64), -1);
	}
	cr_assert_eq(errno, EFAULT);
	kt_desc(&d[0], DSA_OP_NOOP, 0, NULL, NULL, 0, &c[0]);
	kt_desc(&d[1], DSA_OP_NOOP, 0, NULL, NULL, 0, &c[1]);
	cr_assert_eq(write(q.fd, d, sizeof(d)), (ssize_t)sizeof(d));
	cr_assert_eq(kt_wait(&c[0], 5000), DSA_COMP_SUCCESS);
	cr_assert_eq(kt_wait(&c[1], 5000), DSA_COMP_SUCCESS);
	kt_close(&q);
}

static void copy_both_paths(const char *dev)
{
	static uint8_t src[3 * 4096 + 17], dst[3 * 4096 + 17];
	struct dsa_comp c __attribute__((aligned(32)));
	struct dsa_desc d;
	struct kt_q q;

	cr_assert_eq(kt_open(&q, dev, true, has_ring(dev)), 0);
	for (int path = 0; path < (q.slots ? 2 : 1); path++) {
		for (size_t i = 0; i < sizeof(src); i++)
			src[i] = (uint8_t)(i * 7 + path);
		memset(dst, 0, sizeof(dst));
		kt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst, sizeof(src), &c);
		cr_assert_eq(path ? kt_ring(&q, &d) : kt_write(&q, &d), 0);
		cr_assert_eq(kt_wait(&c, 5000), DSA_COMP_SUCCESS, "%s path %d",
			     dev, path);
		cr_assert(!memcmp(src, dst, sizeof(src)));
	}
	kt_close(&q);
}

Test(uacce, copy_by_write_and_by_ring)
{
	copy_both_paths(KT_DEV_DEDICATED);
	copy_both_paths(KT_DEV_SHARED);
}

Test(uacce, worker_sleeps_and_doorbell_wakes_it)
{
	struct dsa_comp c __attribute__((aligned(32)));
	struct dsa_desc d;
	struct kt_q q;

	cr_assert_eq(kt_open(&q, KT_DEV_DEDICATED, true, true), 0);
	for (int i = 0; i < 200 && !q.ctl->worker_idle; i++)
		usleep(1000);
	cr_assert_eq(q.ctl->worker_idle, 1, "idle worker did not sleep");
	kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &c);
	cr_assert_eq(kt_ring(&q, &d), 0);
	cr_assert_eq(kt_wait(&c, 5000), DSA_COMP_SUCCESS);
	cr_assert_geq(q.ctl->completed, 1);
	kt_close(&q);
}

Test(uacce, eventfd_signalled_on_completion)
{
	struct dsa_comp c __attribute__((aligned(32)));
	struct dsa_desc d;
	struct kt_q q;
	int32_t bad = -5;
	int32_t efd;
	struct pollfd p;

	cr_assert_eq(kt_open(&q, KT_DEV_DEDICATED, true, false), 0);
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	cr_assert_geq(efd, 0);
	cr_assert_eq(ioctl(q.fd, UACCE_CMD_DSA_EVENTFD, &bad), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert_eq(ioctl(q.fd, UACCE_CMD_DSA_EVENTFD, &q.fd), -1,
		     "not an eventfd");
	cr_assert_eq(ioctl(q.fd, UACCE_CMD_DSA_EVENTFD, &efd), 0);
	kt_desc(&d, DSA_OP_NOOP, DSA_FLAG_RCI, NULL, NULL, 0, &c);
	cr_assert_eq(kt_write(&q, &d), 0);
	p = (struct pollfd){ .fd = efd, .events = POLLIN };
	cr_assert_eq(poll(&p, 1, 5000), 1, "no completion signal");
	cr_assert_eq(kt_wait(&c, 10), DSA_COMP_SUCCESS);
	bad = -1;
	cr_assert_eq(ioctl(q.fd, UACCE_CMD_DSA_EVENTFD, &bad), 0, "detach");
	close(efd);
	kt_close(&q);
}

/* Without block-on-fault a page that is not present ends the descriptor
 * with a fault status; an unmapped one is a status even with it. */
Test(uacce, faults_are_statuses)
{
	long n = 4 * pg();
	uint8_t *src = malloc((size_t)n), *dst;
	struct dsa_comp c __attribute__((aligned(32)));
	struct dsa_desc d;
	struct kt_q q;

	memset(src, 0x5a, (size_t)n);
	cr_assert_eq(kt_open(&q, KT_DEV_DEDICATED, true, false), 0);
	/* Untouched destination pages: not present, no fault taken. */
	dst = mmap(NULL, (size_t)n, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	kt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst, (uint32_t)n, &c);
	cr_assert_eq(kt_write(&q, &d), 0);
	cr_assert_eq(kt_wait(&c, 5000),
		     DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	cr_assert_eq(c.bytes_completed, 0);
	cr_assert_eq(c.fault_addr, (uintptr_t)dst);
	/* The first page present: the fault moves to the second. */
	dst[0] = 1;
	/* Cleared before the submission: the worker may finish first. */
	memset(&c, 0, sizeof(c));
	cr_assert_eq(kt_write(&q, &d), 0);
	cr_assert_eq(kt_wait(&c, 5000),
		     DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	cr_assert_eq(c.bytes_completed, (uint32_t)pg());
	cr_assert_eq(c.fault_addr, (uintptr_t)dst + (uintptr_t)pg());
	munmap(dst, (size_t)n);
	/* Unmapped, even with block on fault: a status, no crash. */
	kt_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_BOF, src, dst, (uint32_t)n, &c);
	cr_assert_eq(kt_write(&q, &d), 0);
	cr_assert_eq(kt_wait(&c, 5000),
		     DSA_COMP_PAGE_FAULT_IR | DSA_COMP_STATUS_WRITE);
	free(src);
	kt_close(&q);
}

/* Block on fault: pages not yet present are brought in (the soft
 * device's worker takes the faults; hardware asks by page request) and
 * the copy completes. */
Test(uacce, block_on_fault_brings_pages_in)
{
	long n = 4 * pg();
	uint8_t *src = malloc((size_t)n), *dst;
	struct dsa_comp c __attribute__((aligned(32)));
	struct dsa_desc d;
	struct kt_q q;

	memset(src, 0x5a, (size_t)n);
	cr_assert_eq(kt_open(&q, KT_DEV_DEDICATED, true, false), 0);
	dst = mmap(NULL, (size_t)n, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(dst, MAP_FAILED);
	/* The first page present, the other three not. */
	dst[0] = 1;
	kt_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_BOF, src, dst, (uint32_t)n, &c);
	cr_assert_eq(kt_write(&q, &d), 0);
	cr_assert_eq(kt_wait(&c, 5000), DSA_COMP_SUCCESS);
	cr_assert(!memcmp(src, dst, (size_t)n));
	munmap(dst, (size_t)n);
	free(src);
	kt_close(&q);
}

Test(uacce, kernel_addresses_are_faults)
{
	const uint64_t kaddr[] = { 0xffffffff81000000ull, 0xffff888000000000ull,
				   0xfffffffffffff000ull };
	static uint8_t buf[4096];
	struct dsa_comp c __attribute__((aligned(32)));
	struct dsa_desc d;
	struct kt_q q;

	cr_assert_eq(kt_open(&q, KT_DEV_DEDICATED, true, false), 0);
	for (unsigned i = 0; i < sizeof(kaddr) / sizeof(kaddr[0]); i++) {
		memset(buf, 0, sizeof(buf));
		kt_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_BOF,
			(void *)(uintptr_t)kaddr[i], buf, sizeof(buf), &c);
		cr_assert_eq(kt_write(&q, &d), 0);
		cr_assert_eq(kt_wait(&c, 5000), DSA_COMP_PAGE_FAULT_IR,
			     "read of %#llx", (unsigned long long)kaddr[i]);
		for (size_t j = 0; j < sizeof(buf); j++)
			cr_assert_eq(buf[j], 0, "kernel bytes leaked");
		kt_desc(&d, DSA_OP_FILL, DSA_FLAG_BOF, NULL,
			(void *)(uintptr_t)kaddr[i], 4096, &c);
		cr_assert_eq(kt_write(&q, &d), 0);
		cr_assert_eq(kt_wait(&c, 5000),
			     DSA_COMP_PAGE_FAULT_IR | DSA_COMP_STATUS_WRITE,
			     "write to %#llx", (unsigned long long)kaddr[i]);
	}
	/* A record aimed at the kernel is simply not written. */
	kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &c);
	d.completion_addr = kaddr[0];
	cr_assert_eq(kt_write(&q, &d), 0);
	kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &c);
	cr_assert_eq(kt_write(&q, &d), 0);
	cr_assert_eq(kt_wait(&c, 5000), DSA_COMP_SUCCESS);
	kt_close(&q);
}

/*
 * A forked child holds the parent's file but not its mappings, and may not
 * drive the parent's queue: the worker would run in the parent's memory.
 */
Test(uacce, fork_child_cannot_use_parents_queue)
{
	struct dsa_comp c __attribute__((aligned(32)));
	struct dsa_desc d;
	struct kt_q q;
	int status;
	pid_t pid;

	cr_assert_eq(kt_open(&q, KT_DEV_DEDICATED, true,
			     has_ring(KT_DEV_DEDICATED)), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		unsigned char v;

		kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &c);
		if (write(q.fd, &d, sizeof(d)) != -1 || errno != EPERM)
			_exit(1);
		if (ioctl(q.fd, UACCE_CMD_DSA_DOORBELL) != -1 || errno != EPERM)
			_exit(2);
		/* The regions, where there are any, are not inherited. */
		if (q.slots && (mincore(q.slots, (size_t)pg(), &v) != -1 ||
				errno != ENOMEM))
			_exit(3);
		if (q.ctl && (mincore(q.ctl, (size_t)pg(), &v) != -1 ||
			      errno != ENOMEM))
			_exit(4);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "child died: %#x", status);
	cr_assert_eq(WEXITSTATUS(status), 0, "child check %d failed",
		     WEXITSTATUS(status));
	kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &c);
	cr_assert_eq(q.slots ? kt_ring(&q, &d) : kt_write(&q, &d), 0);
	cr_assert_eq(kt_wait(&c, 5000), DSA_COMP_SUCCESS);
	kt_close(&q);
}

/*
 * Through its own queue a process reaches only its own memory: the same
 * virtual address names the child's copy, and an address mapped only in
 * the parent is a fault for the child.
 */
Test(uacce, processes_see_only_their_own_memory)
{
	size_t n = (size_t)pg();
	uint8_t *shared_va = mmap(NULL, n, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int pipefd[2], status;
	uint8_t *parent_only;
	pid_t pid;

	memset(shared_va, 'A', n);
	cr_assert_eq(pipe(pipefd), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		static uint8_t out[4096];
		struct dsa_comp c __attribute__((aligned(32)));
		struct dsa_desc d;
		struct kt_q q;
		uint64_t addr;

		if (read(pipefd[0], &addr, sizeof(addr)) != sizeof(addr))
			_exit(10);
		if (kt_open(&q, KT_DEV_DEDICATED, true, false))
			_exit(11);
		/* The destination present and the child's own: what is
		 * checked here is whose memory the source names, not that
		 * the device brings pages in (block_on_fault_brings_pages_in;
		 * a device without page requests cannot). */
		memset(out, 0, sizeof(out));
		kt_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_BOF, shared_va, out, 4096,
			&c);
		if (kt_write(&q, &d) || kt_wait(&c, 5000) != DSA_COMP_SUCCESS)
			_exit(12);
		if (out[0] != 'A' || out[4095] != 'A')
			_exit(13); /* saw the parent's later write */
		kt_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_BOF,
			(void *)(uintptr_t)addr, out, 4096, &c);
		if (kt_write(&q, &d) ||
		    kt_wait(&c, 5000) != DSA_COMP_PAGE_FAULT_IR)
			_exit(14); /* read memory only the parent has */
		kt_close(&q);
		_exit(0);
	}
	memset(shared_va, 'P', n); /* the parent's own copy from now on */
	parent_only = mmap(NULL, n, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(parent_only, 'S', n);
	uint64_t addr = (uintptr_t)parent_only;
	cr_assert_eq(write(pipefd[1], &addr, sizeof(addr)), sizeof(addr));
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "child died: %#x", status);
	cr_assert_eq(WEXITSTATUS(status), 0, "child check %d failed",
		     WEXITSTATUS(status));
	munmap(parent_only, n);
	munmap(shared_va, n);
}
