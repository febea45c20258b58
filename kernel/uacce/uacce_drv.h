/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The uacce framework's interface to device drivers.  A driver allocates a
 * uacce_device with what it is (name, flags, region sizes, DSA limits) and
 * its queue operations, registers it, and removes it on unbind.  The
 * framework owns the character device, the file lifecycle, mmap policy,
 * sysfs and the DSA extension ioctls; the driver only runs queues.
 *
 * The framework module is uaccel.ko and its exported symbols are uaccel_*:
 * the kernel's own uacce.ko (CONFIG_UACCE) exports uacce_alloc,
 * uacce_register and uacce_remove, and the module loader refuses a second
 * module exporting a name that is already exported.  Drivers keep calling
 * the uacce_* names below, which are inline forwarders.
 */
#ifndef UACCEL_UACCE_DRV_H
#define UACCEL_UACCE_DRV_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/wait.h>

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
	 * for an unknown one, whatever the queue's state (the framework
	 * answers the caller -EINVAL then, as upstream uacce does). */
	long (*ioctl)(struct uacce_queue *q, unsigned int cmd,
		      unsigned long arg);
	/* Descriptors by write(2), copied into kernel memory by the
	 * framework before it takes the queue's mutex (a user buffer may
	 * stall on a fault for as long as its owner likes): len is whole
	 * 64-byte descriptors.  Bytes accepted or a negative errno. */
	ssize_t (*write)(struct uacce_queue *q, const void *descs, size_t len);
	/*
	 * Optional, upstream's device isolation (sysfs "isolate" and
	 * "isolate_strategy", shown only when the driver has them, as
	 * upstream's uacce_dev_is_visible() does since v6.3).
	 */
	int (*get_isolate_state)(struct uacce_device *u);
	u32 (*isolate_err_threshold_read)(struct uacce_device *u);
	int (*isolate_err_threshold_write)(struct uacce_device *u, u32 num);
};

struct uacce_interface {
	const char *name; /* node: /dev/<name>-<id>, as upstream */
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
	/* poll(): set by uacce_queue_updated(), taken by the next poll. */
	wait_queue_head_t poll_wq;
	atomic_t updated;
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

struct uacce_device *uaccel_alloc(struct device *parent,
				  const struct uacce_interface *intf);
int uaccel_register(struct uacce_device *u);
void uaccel_remove(struct uacce_device *u);
void uaccel_queue_notify(struct uacce_queue *q);
void uaccel_queue_updated(struct uacce_queue *q);

/*
 * The device's NUMA node is its parent's, and upstream clients read it from
 * /sys/class/uacce/<name>-<id>/device/numa_node: the parent must show it (a
 * PCI function does; a platform device only when its node was set before
 * it was added).
 */
static inline struct uacce_device *
uacce_alloc(struct device *parent, const struct uacce_interface *intf)
{
	return uaccel_alloc(parent, intf);
}

static inline int uacce_register(struct uacce_device *u)
{
	return uaccel_register(u);
}

/* Stops and puts every open queue, revokes their mappings, removes the
 * node; open files get -ENODEV from then on.  Drops the alloc reference. */
static inline void uacce_remove(struct uacce_device *u)
{
	uaccel_remove(u);
}

/* A queue completed work that asked for an interrupt (or has sleepers):
 * signal its eventfd, if one is attached. */
static inline void uacce_queue_notify(struct uacce_queue *q)
{
	uaccel_queue_notify(q);
}

/*
 * Upstream's "queue updated" (its is_q_updated hook): the queue completed
 * something since the last poll().  Makes the file readable once and wakes
 * pollers.  Cheap when nobody polls; callable from any context.
 */
static inline void uacce_queue_updated(struct uacce_queue *q)
{
	uaccel_queue_updated(q);
}

static inline void *uacce_priv(struct uacce_device *u)
{
	return u->intf.priv;
}

#endif /* UACCEL_UACCE_DRV_H */
