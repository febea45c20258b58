// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The uacce class: device numbers, registration and removal.  The file
 * operations live in uacce_fops.c, the attributes in uacce_sysfs.c.
 *
 * This module is uaccel.ko, not uacce.ko, so that it never shadows the
 * kernel's own uacce (CONFIG_UACCE, drivers/misc/uacce/uacce.c) in a
 * module search; but the class it creates is "uacce", the upstream ABI,
 * so the two cannot be loaded together.  Nodes are /dev/<name>-<id>, with
 * no devnode callback, exactly where upstream's uacce_alloc() puts them.
 */
#include <linux/idr.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "uacce_compat.h"
#include "uacce_internal.h"

#define UACCE_MAX_DEVICES (1u << MINORBITS)

static struct class *uacce_class;
static dev_t uacce_devt;
static DEFINE_IDA(uacce_ida);

static void uacce_dev_release(struct device *dev)
{
	struct uacce_device *u = container_of(dev, struct uacce_device, dev);

	ida_free(&uacce_ida, u->id);
	kfree(u);
}

struct uacce_device *uaccel_alloc(struct device *parent,
				  const struct uacce_interface *intf)
{
	struct uacce_device *u;
	int rc;

	if (!parent || !intf || !intf->name || !intf->ops)
		return ERR_PTR(-EINVAL);
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return ERR_PTR(-ENOMEM);
	rc = ida_alloc_max(&uacce_ida, UACCE_MAX_DEVICES - 1, GFP_KERNEL);
	if (rc < 0) {
		kfree(u);
		return ERR_PTR(rc);
	}
	u->id = rc;
	u->parent = parent;
	u->intf = *intf;
	mutex_init(&u->lock);
	INIT_LIST_HEAD(&u->queues);

	device_initialize(&u->dev);
	u->dev.class = uacce_class;
	u->dev.parent = parent;
	u->dev.devt = MKDEV(MAJOR(uacce_devt), u->id);
	u->dev.groups = uacce_dev_groups;
	u->dev.release = uacce_dev_release;
	rc = dev_set_name(&u->dev, "%s-%d", intf->name, u->id);
	if (rc) {
		put_device(&u->dev);
		return ERR_PTR(rc);
	}
	return u;
}
EXPORT_SYMBOL_GPL(uaccel_alloc);

/* SVA devices need the IOMMU's consent before any process can bind. */
static int uacce_enable_sva(struct uacce_device *u)
{
	int rc;

	if (!(u->intf.flags & UACCE_DEV_SVA))
		return 0;
	rc = iommu_dev_enable_feature(u->parent, IOMMU_DEV_FEAT_SVA);
	if (rc) {
		dev_err(u->parent,
			"uacce: %s asks for SVA but its IOMMU cannot provide it (%d)\n",
			u->intf.name, rc);
		return -EOPNOTSUPP;
	}
	u->sva_enabled = true;
	return 0;
}

int uaccel_register(struct uacce_device *u)
{
	int rc;

	rc = uacce_enable_sva(u);
	if (rc)
		return rc;
	cdev_init(&u->cdev, &uacce_fops);
	u->cdev.owner = THIS_MODULE;
	rc = cdev_device_add(&u->cdev, &u->dev);
	if (rc && u->sva_enabled) {
		iommu_dev_disable_feature(u->parent, IOMMU_DEV_FEAT_SVA);
		u->sva_enabled = false;
	}
	return rc;
}
EXPORT_SYMBOL_GPL(uaccel_register);

void uaccel_remove(struct uacce_device *u)
{
	struct uacce_queue *q;

	if (!u)
		return;
	mutex_lock(&u->lock);
	WRITE_ONCE(u->removed, true);
	list_for_each_entry(q, &u->queues, list) {
		mutex_lock(&q->mutex);
		uacce_queue_retire(q);
		/* Every mapping of the node: later touches get SIGBUS. */
		if (q->mapping)
			unmap_mapping_range(q->mapping, 0, 0, 1);
		mutex_unlock(&q->mutex);
		/* A poller learns of the removal (EPOLLERR) now. */
		wake_up_interruptible_all(&q->poll_wq);
	}
	mutex_unlock(&u->lock);
	if (device_is_registered(&u->dev))
		cdev_device_del(&u->cdev, &u->dev);
	if (u->sva_enabled)
		iommu_dev_disable_feature(u->parent, IOMMU_DEV_FEAT_SVA);
	put_device(&u->dev);
}
EXPORT_SYMBOL_GPL(uaccel_remove);

void uaccel_queue_notify(struct uacce_queue *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->efd_lock, flags);
	if (q->efd)
		uacce_eventfd_signal(q->efd);
	spin_unlock_irqrestore(&q->efd_lock, flags);
}
EXPORT_SYMBOL_GPL(uaccel_queue_notify);

void uaccel_queue_updated(struct uacce_queue *q)
{
	atomic_set(&q->updated, 1);
	/* Pairs with the barrier in poll_wait()'s queueing: a poller either
	 * sees the flag or is on the queue when we look. */
	if (wq_has_sleeper(&q->poll_wq))
		wake_up_interruptible(&q->poll_wq);
}
EXPORT_SYMBOL_GPL(uaccel_queue_updated);

/*
 * The kernel's own uacce exports uacce_alloc (drivers/misc/uacce/uacce.c,
 * EXPORT_SYMBOL_GPL); finding it means that module is loaded or built in,
 * and it owns the "uacce" class and its char device name.  Creating the
 * class a second time would fail with only a sysfs "duplicate filename"
 * warning, so look first and say why we refuse.
 */
static bool uacce_upstream_present(void)
{
	if (!__symbol_get("uacce_alloc"))
		return false;
	__symbol_put("uacce_alloc");
	return true;
}

static int __init uacce_init(void)
{
	int rc;

	if (uacce_upstream_present()) {
		pr_err("uaccel: the kernel's own uacce (CONFIG_UACCE) is loaded and owns the 'uacce' class; unload it (modprobe -r uacce, with its drivers) to use uaccel\n");
		return -EBUSY;
	}
	uacce_class = uacce_class_create(UACCE_CLASS_NAME);
	if (IS_ERR(uacce_class))
		return PTR_ERR(uacce_class);
	rc = alloc_chrdev_region(&uacce_devt, 0, UACCE_MAX_DEVICES,
				 UACCE_CLASS_NAME);
	if (rc)
		class_destroy(uacce_class);
	return rc;
}

static void __exit uacce_exit(void)
{
	unregister_chrdev_region(uacce_devt, UACCE_MAX_DEVICES);
	class_destroy(uacce_class);
	ida_destroy(&uacce_ida);
}

module_init(uacce_init);
module_exit(uacce_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("uaccel: the uacce class, user-space accelerator queues (/dev/<name>-<id>)");
MODULE_AUTHOR("uaccel");
