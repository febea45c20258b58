/* SPDX-License-Identifier: MIT */
/*
 * The /dev/uacce interface, shared by the kernel framework, its drivers and
 * libaccel.  Numbers 0..0x3f of the 'W' ioctl range, the region types, the
 * SVA flag and the sysfs attributes are upstream uacce's, so an existing
 * uacce program opens our nodes unchanged; everything DSA-specific lives
 * from 0x40 up and in the extension flag bits from 8 up.
 *
 * One open file is one queue.  Life of a queue:
 *   open -> (mmap regions, ioctls) -> UACCE_CMD_START_Q -> submit ...
 *        -> UACCE_CMD_PUT_Q (optional) -> close
 */
#ifndef UACCEL_UACCE_ABI_H
#define UACCEL_UACCE_ABI_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <linux/types.h>
#include <stddef.h>
#include <sys/ioctl.h>
#endif

#include "dsa_hw.h"

/* ---- upstream uacce ---- */
/* include/uapi/misc/uacce/uacce.h: type 'W', numbers 0 and 1. */
#define UACCE_IOC_TYPE 'W'
#define UACCE_CMD_START_Q _IO('W', 0)
#define UACCE_CMD_PUT_Q _IO('W', 1)
/* Our extensions start here, leaving 0..0x3f to upstream. */
#define UACCE_CMD_EXT_FIRST 0x40

#define UACCE_DEV_SVA (1u << 0) /* the device shares the opener's VA space */

enum uacce_qfrt {
	UACCE_QFRT_MMIO = 0, /* the submission portal */
	UACCE_QFRT_DUS = 1, /* memory shared by device and user */
	UACCE_QFRT_MAX = 2,
};

/* sysfs: /sys/class/uacce/<name>-<id>/{api,flags,available_instances,
 * algorithms,region_mmio_size,region_dus_size} as upstream (a region's
 * size attribute only when the region exists), plus the dsa_* attributes.
 * The node of class device <name>-<id> is /dev/<name>-<id>, as upstream;
 * the udev rule adds links in /dev/uacce/ for convenience. */
#define UACCE_CLASS_NAME "uacce"
#define UACCE_DEV_DIR "/dev"
#define UACCE_LINK_DIR "/dev/uacce"
#define UACCE_SYSFS_DIR "/sys/class/uacce"

/* ---- extensions ---- */

/* The device reaches user memory through the CPU's own page tables (a
 * kernel worker in the opener's address space): it needs no IOMMU and
 * reports no PASID. */
#define UACCE_DEV_NOIOMMU (1u << 8)

/* The API string of DSA-compatible devices (sysfs "api"). */
#define UACCE_API_DSA "dsa-1.0"

enum uacce_dsa_wq_mode {
	UACCE_DSA_WQ_DEDICATED = 1, /* MOVDIR64B: posted, keep within size */
	UACCE_DSA_WQ_SHARED = 2, /* ENQCMD: refused ("retry") at threshold */
};

/* How descriptors reach the queue (bits of uacce_dsa_qinfo.submit). */
#define UACCE_DSA_SUBMIT_PORTAL (1u << 0) /* MMIO is a hardware portal */
#define UACCE_DSA_SUBMIT_RING (1u << 1) /* MMIO is a soft descriptor ring */
#define UACCE_DSA_SUBMIT_WRITE (1u << 2) /* write(2) of whole descriptors */
/* RING: the worker claims a slot by compare-and-swap of its seq[] (to
 * pos + 1 | UACCE_SOFT_SEQ_CLAIMED), so the submitter may take back a
 * slot the worker has not claimed by swapping pos + 1 for 0; the one
 * whose swap succeeds runs the descriptor.  Never on a hardware portal. */
#define UACCE_DSA_SUBMIT_TAKE_BACK (1u << 3)
/* WRITE: write(2) refuses a BATCH descriptor (-EINVAL), as Linux's idxd
 * does on DSA 1.0 (cdev.c idxd_submit_user_descriptor, INTEL-SA-01084):
 * the device would read member descriptors the kernel never checked.
 * Other paths of the same queue (a mapped portal) may still take it. */
#define UACCE_DSA_SUBMIT_WRITE_NOBATCH (1u << 4)

#define UACCE_PASID_NONE 0xffffffffu

struct uacce_dsa_qinfo {
	__u32 argsz; /* in: sizeof as the caller knows it */
	__u32 mode; /* enum uacce_dsa_wq_mode */
	__u32 wq_size; /* entries of the queue */
	__u32 threshold; /* shared: occupancy at which enqueue is refused */
	__u32 max_xfer; /* largest transfer size, bytes */
	__u32 max_batch; /* largest batch descriptor count */
	__u64 op_cap; /* DSA_OPCAP() bits */
	__u32 pasid; /* UACCE_PASID_NONE without an IOMMU binding */
	__s32 numa_node; /* -1: none */
	__u64 mmio_size; /* bytes of region UACCE_QFRT_MMIO */
	__u64 dus_size; /* bytes of region UACCE_QFRT_DUS */
	__u32 submit; /* UACCE_DSA_SUBMIT_* */
	__u32 ring_slots; /* RING: descriptor slots in the MMIO region */
	__u64 reserved[4];
};
_Static_assert(sizeof(struct uacce_dsa_qinfo) == 96, "qinfo size");
_Static_assert(offsetof(struct uacce_dsa_qinfo, op_cap) == 24, "op_cap");
_Static_assert(offsetof(struct uacce_dsa_qinfo, mmio_size) == 40, "mmio");
_Static_assert(offsetof(struct uacce_dsa_qinfo, submit) == 56, "submit");

#define UACCE_CMD_DSA_QINFO _IOWR('W', 0x40, struct uacce_dsa_qinfo)
/* Signal this eventfd after completions (an int fd; -1 detaches). */
#define UACCE_CMD_DSA_EVENTFD _IOW('W', 0x41, __s32)
/* RING: wake a worker that went idle (see uacce_soft_ctl.worker_idle). */
#define UACCE_CMD_DSA_DOORBELL _IO('W', 0x42)
_Static_assert(_IOC_NR(UACCE_CMD_DSA_QINFO) >= UACCE_CMD_EXT_FIRST &&
		       _IOC_NR(UACCE_CMD_DSA_EVENTFD) >= UACCE_CMD_EXT_FIRST &&
		       _IOC_NR(UACCE_CMD_DSA_DOORBELL) >= UACCE_CMD_EXT_FIRST,
	       "extensions stay out of upstream's numbers");

/*
 * The soft device's ring (UACCE_DSA_SUBMIT_RING).  The MMIO region holds
 * ring_slots 64-byte descriptor slots; the DUS region starts with this
 * control block.  The submitter writes slot (pos % ring_slots) with one
 * 64-byte store, then publishes it by storing pos + 1 into seq[] with
 * release ordering and advancing tail; the worker takes slots in order and
 * advances head when it has copied a descriptor (an entry is free at
 * dispatch, as on the hardware).  Everything here is user-writable: the
 * kernel trusts none of it beyond "which descriptor comes next".
 */
#define UACCE_SOFT_RING_SLOTS 64
/* seq[] of a slot the worker claimed (UACCE_DSA_SUBMIT_TAKE_BACK). */
#define UACCE_SOFT_SEQ_CLAIMED (1ull << 63)
struct uacce_soft_ctl {
	__u64 tail; /* submitter's next position */
	__u64 pad0[7];
	__u64 head; /* worker's next position (kernel writes) */
	__u64 pad1[7];
	__u32 worker_idle; /* set before the worker sleeps: ring the doorbell */
	__u32 waiters; /* user: threads sleeping on the eventfd */
	__u64 completed; /* descriptors completed (kernel writes) */
	__u64 pad2[6];
	__u64 seq[UACCE_SOFT_RING_SLOTS];
};
_Static_assert(offsetof(struct uacce_soft_ctl, head) == 64, "head line");
_Static_assert(offsetof(struct uacce_soft_ctl, worker_idle) == 128, "idle");
_Static_assert(offsetof(struct uacce_soft_ctl, seq) == 192, "seq");
_Static_assert(sizeof(struct uacce_soft_ctl) == 192 + 8 * 64, "ctl size");

#endif /* UACCEL_UACCE_ABI_H */
