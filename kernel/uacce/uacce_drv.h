/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The uacce framework's interface to device drivers.  A driver allocates a
 * uacce_device with what it is (name, flags, region sizes, DSA limits) and
 * its queue operations, registers it, and removes it on unbind.  The
 * framework owns the character device, the file lifecycle, mmap policy,
 * sysfs and the DSA extension ioctls; the driver only runs queues.
 */
#ifndef UACCEL_UACCE_DRV_H
#define UACCEL_UACCE_DRV_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>

#include "uacce_abi.h"

struct uacce_device;
struct uacce_queue;

/*
 * Called with the queue's mutex held (mmap and put_queue: its map_lock),
 * never after uacce_remove() returned.  put_queue must leave nothing
 * touching the queue's address space.
 */
struct uacce_ops {
	int (*available_instances)(struct uacce_device *u);
	int (*get_queue)(struct uacce_device *u, struct uacce_queue *q);
	void (*put_queue)(struct uacce_queue *q);
	int (*start_queue)(struct uacce_queue *q);
	void (*stop_queue)(struct uacce_queue *q);
	/* Insert the region's pages; the framework checked type and size. */
	int (*mmap)(struct uacce_queue *q, struct vm_area_struct *vma,
		    enum uacce_qfrt type);
	/* Extension commands the framework does not handle itself: -ENOTTY
	 * for an unknown one, whatever the queue's state. */
	long (*ioctl)(struct uacce_queue *q, unsigned int cmd,
		      unsigned long arg);
	/* Descriptors by write(2), copied into kernel memory by the
	 * framework before it takes the queue's mutex (a user buffer may
	 * stall on a fault for as long as its owner likes): len is whole
	 * 64-byte descriptors.  Bytes accepted or a negative errno. */
	ssize_t (*write)(struct uacce_queue *q, const void *descs, size_t len);
};

struct uacce_interface {
	const char *name; /* node: /dev/uacce/<name>-<id> */
	const char *api; /* sysfs "api" */
	const char *algs; /* sysfs "algorithms" */
	u32 flags; /* UACCE_DEV_* */
	unsigned long region_size[UACCE_QFRT_MAX]; /* bytes, page multiples */
	/* Device-wide DSA facts reported by UACCE_CMD_DSA_QINFO. */
	u32 mode, wq_size, threshold, max_xfer, max_batch, submit, ring_slots;
	u64 op_cap;
	const struct uacce_ops *ops;
	void *priv;
};

enum uacce_q_state {
	UACCE_Q_INIT = 0, /* opened */
	UACCE_Q_STARTED, /* START_Q done */
	UACCE_Q_ZOMBIE, /* put, or its device removed */
};

struct uacce_queue {
	struct uacce_device *uacce;
	void *priv; /* the driver's */
	struct mutex mutex; /* state, ioctl, write */
	/*
	 * mmap runs under the caller's mmap_lock, which a faulting queue
	 * worker also needs: so mmap takes only this lock, never mutex, and
	 * nobody waits for the worker while holding it.
	 */
	struct mutex map_lock;
	enum uacce_q_state state;
	struct mm_struct *mm; /* the opener's (mmgrab) */
	struct iommu_sva *sva; /* with UACCE_DEV_SVA */
	u32 pasid;
	bool mapped[UACCE_QFRT_MAX];
	struct address_space *mapping;
	spinlock_t efd_lock;
	struct eventfd_ctx *efd;
	struct list_head list; /* the device's queues */
};

struct uacce_device {
	struct device dev;
	struct cdev cdev;
	struct device *parent;
	struct uacce_interface intf;
	int id;
	struct mutex lock; /* queues, removed */
	struct list_head queues;
	bool removed;
	bool sva_enabled;
};

struct uacce_device *uacce_alloc(struct device *parent,
				 const struct uacce_interface *intf);
int uacce_register(struct uacce_device *u);
/* Stops and puts every open queue, revokes their mappings, removes the
 * node; open files get -ENODEV from then on.  Drops the alloc reference. */
void uacce_remove(struct uacce_device *u);
/* A queue completed work: signal its eventfd, if one is attached. */
void uacce_queue_notify(struct uacce_queue *q);

static inline void *uacce_priv(struct uacce_device *u)
{
	return u->intf.priv;
}

#endif /* UACCEL_UACCE_DRV_H */
