/* SPDX-License-Identifier: MIT */
/*
 * The idxd backend's pieces: discovery of the stock kernel's DSA work
 * queues through sysfs (idxd_sysfs.c) and the seam through which the
 * backend reaches a queue's character device (backend_idxd.c).  Not
 * installed; tests link the static library and use the seam to put a test
 * double of the device in place of /dev/dsa.
 *
 * Sources: the kernel's Documentation/ABI/stable/sysfs-driver-dsa and
 * drivers/dma/idxd/{sysfs.c,cdev.c,registers.h}.
 */
#ifndef LIBACCEL_IDXD_H
#define LIBACCEL_IDXD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Where discovery looks; $ACCEL_IDXD_SYSFS and $ACCEL_IDXD_DEV (test
 * settings) point them elsewhere. */
#define IDXD_SYSFS_DEFAULT "/sys/bus/dsa/devices"
#define IDXD_DEV_DEFAULT "/dev/dsa"

/* DSA 1.0 in the device's `version` attribute (registers.h). */
#define IDXD_VERSION_1 0x100u
/* GENCAP (registers.h union gen_cap_reg). */
#define IDXD_GENCAP_BOF (1ull << 0)
#define IDXD_GENCAP_XFER_SHIFT(g) ((unsigned)((g) >> 16) & 0x1f)
#define IDXD_GENCAP_BATCH_SHIFT(g) ((unsigned)((g) >> 21) & 0xf)

/* One work queue and its device, as sysfs describes them. */
struct idxd_wq_info {
	char wq[32]; /* "wq0.1" */
	char dev[32]; /* "dsa0" */
	char name[64]; /* the queue's `name` attribute (may be empty) */
	char node[PATH_MAX]; /* its character device, e.g. /dev/dsa/wq0.1 */
	bool shared;
	bool bof; /* block on fault: the queue has it and the device can */
	uint32_t size, threshold, max_batch;
	uint64_t max_xfer;
	uint64_t op_cap[4]; /* OPCAP bits 0..255 */
	uint64_t gen_cap;
	uint32_t version; /* 0 when the attribute is missing */
	int group_id;
	int numa_node; /* -1 when unknown */
};

/* Parse an op_cap/op_config text in any of the kernel's forms into
 * bits[4]; 0 or -EINVAL. */
int idxd_parse_opcap(const char *text, uint64_t bits[4]);

/*
 * Read work queue `wq` ("wq0.1") of the tree at `sysfs` and check that it
 * can be used from user space: enabled, type user, on an enabled DSA
 * device, with a sane size.  0 and *out filled, or a negative errno with a
 * sentence in why[] (never empty on failure): -ENODEV no such queue,
 * -EPERM not a user queue or not enabled, -EINVAL a garbage attribute.
 */
int idxd_wq_read(const char *sysfs, const char *devroot, const char *wq,
		 struct idxd_wq_info *out, char *why, size_t why_len);

/*
 * The usable queue to open: `want` (a queue name, "dsa0/wq0.1", or a path
 * to its node) if given, else the one nearest NUMA node `node` (-1: the
 * calling CPU's), of the wanted mode (0 any, 1 dedicated, 2 shared).
 * 0, or -ENODEV with the reason in why[].
 */
int idxd_wq_find(const char *want, int node, int mode,
		 struct idxd_wq_info *out, char *why, size_t why_len);

const char *idxd_sysfs_root(void);
const char *idxd_dev_root(void);

/* ---- The seam: how the backend reaches a queue's character device ---- */
struct idxd_sys_ops {
	int (*open)(const char *path, int flags);
	int (*close)(int fd);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd,
		      off_t off);
	int (*munmap)(void *addr, size_t len);
	ssize_t (*write)(int fd, const void *buf, size_t len);
	/* Descriptors waiting in the queue (sysfs `occupancy`), or -1. */
	int (*occupancy)(const struct idxd_wq_info *wq);
	/*
	 * The portal stores: whether this CPU can make them (CPUID), a
	 * MOVDIR64B (posted) and an ENQCMD (0 accepted, 1 retry).  A double
	 * on a CPU without the instructions stands in for them, so that the
	 * backend's portal logic runs everywhere; the instructions themselves
	 * run only where the CPU has them.
	 */
	bool (*cpu_can)(bool shared);
	void (*movdir64b)(void *slot, const void *desc);
	int (*enqcmd)(void *slot, const void *desc);
};

/* The real system calls; a test replaces the pointer with its double. */
extern const struct idxd_sys_ops idxd_sys_real;
extern const struct idxd_sys_ops *idxd_sys;

/* Why the calling thread's last idxd open failed ("" if it did not). */
const char *idxd_last_why(void);

#endif /* LIBACCEL_IDXD_H */
