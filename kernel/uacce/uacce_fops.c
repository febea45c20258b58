// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * One open file is one queue.  The rules every driver gets for free:
 * only the opener's address space may drive the queue (a forked child
 * holding the file could otherwise make the device touch its parent's
 * memory), each region is mapped once, shared and never executable,
 * mappings are not inherited across fork, and nothing reaches the driver
 * once its device is removed.
 */
#include <linux/eventfd.h>
#include <linux/fs.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uacce_compat.h"
#include "uacce_internal.h"

void uacce_queue_retire(struct uacce_queue *q)
{
	const struct uacce_ops *ops = q->uacce->intf.ops;

	if (q->state == UACCE_Q_STARTED && ops->stop_queue)
		ops->stop_queue(q);
	mutex_lock(&q->map_lock);
	if (q->state != UACCE_Q_ZOMBIE && ops->put_queue)
		ops->put_queue(q);
	WRITE_ONCE(q->state, UACCE_Q_ZOMBIE);
	mutex_unlock(&q->map_lock);
}

static int uacce_bind_sva(struct uacce_device *u, struct uacce_queue *q)
{
	struct iommu_sva *h;

	q->pasid = UACCE_PASID_NONE;
	if (!(u->intf.flags & UACCE_DEV_SVA))
		return 0;
	h = uacce_sva_bind(u->parent, current->mm);
	if (IS_ERR(h))
		return PTR_ERR(h);
	q->sva = h;
	q->pasid = iommu_sva_get_pasid(h);
	return 0;
}

static int uacce_fops_open(struct inode *inode, struct file *filep)
{
	struct uacce_device *u =
		container_of(inode->i_cdev, struct uacce_device, cdev);
	struct uacce_queue *q;
	int rc;

	if (!current->mm)
		return -EINVAL;
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	mutex_init(&q->mutex);
	mutex_init(&q->map_lock);
	spin_lock_init(&q->efd_lock);
	init_waitqueue_head(&q->poll_wq);
	q->uacce = u;

	mutex_lock(&u->lock);
	rc = -ENODEV;
	if (u->removed)
		goto out_unlock;
	rc = uacce_bind_sva(u, q);
	if (rc)
		goto out_unlock;
	q->mm = current->mm;
	mmgrab(q->mm);
	rc = u->intf.ops->get_queue(u, q);
	if (rc)
		goto out_unbind;
	q->state = UACCE_Q_INIT;
	q->mapping = filep->f_mapping;
	list_add(&q->list, &u->queues);
	get_device(&u->dev);
	mutex_unlock(&u->lock);
	filep->private_data = q;
	return 0;

out_unbind:
	mmdrop(q->mm);
	if (q->sva)
		iommu_sva_unbind_device(q->sva);
out_unlock:
	mutex_unlock(&u->lock);
	kfree(q);
	return rc;
}

static int uacce_fops_release(struct inode *inode, struct file *filep)
{
	struct uacce_queue *q = filep->private_data;
	struct uacce_device *u = q->uacce;

	/*
	 * Stopping a queue waits for its work to end (bounded, but not
	 * instant), so it runs under the queue's mutex alone: the device's
	 * lock, which every open() and sysfs reader takes, is held only to
	 * unlink.  uacce_remove() takes the queue's mutex under the device's
	 * lock, so it either retires this queue itself (removed is set
	 * before) or waits for this retire to finish.
	 */
	mutex_lock(&q->mutex);
	if (!READ_ONCE(u->removed))
		uacce_queue_retire(q);
	mutex_unlock(&q->mutex);
	mutex_lock(&u->lock);
	list_del(&q->list);
	mutex_unlock(&u->lock);

	if (q->sva)
		iommu_sva_unbind_device(q->sva);
	if (q->efd)
		eventfd_ctx_put(q->efd);
	mmdrop(q->mm);
	kfree(q);
	put_device(&u->dev);
	return 0;
}

/* Called with q->mutex or q->map_lock held. */
static int uacce_check_live(struct uacce_queue *q)
{
	if (READ_ONCE(q->uacce->removed))
		return -ENODEV;
	if (current->mm != q->mm)
		return -EPERM;
	return 0;
}

static long uacce_set_eventfd(struct uacce_queue *q, void __user *arg)
{
	struct eventfd_ctx *ctx = NULL, *old;
	unsigned long flags;
	__s32 fd;

	if (copy_from_user(&fd, arg, sizeof(fd)))
		return -EFAULT;
	if (fd >= 0) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	} else if (fd != -1) {
		return -EBADF;
	}
	spin_lock_irqsave(&q->efd_lock, flags);
	old = q->efd;
	q->efd = ctx;
	spin_unlock_irqrestore(&q->efd_lock, flags);
	if (old)
		eventfd_ctx_put(old);
	return 0;
}

static long uacce_qinfo(struct uacce_queue *q, void __user *arg)
{
	const struct uacce_interface *in = &q->uacce->intf;
	struct uacce_dsa_qinfo info;
	__u32 argsz;

	if (copy_from_user(&argsz, arg, sizeof(argsz)))
		return -EFAULT;
	/* A caller built against an older, shorter struct gets its part. */
	if (argsz < offsetofend(struct uacce_dsa_qinfo, op_cap))
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	info.argsz = min_t(__u32, argsz, sizeof(info));
	info.mode = in->mode;
	info.wq_size = in->wq_size;
	info.threshold = in->threshold;
	info.max_xfer = in->max_xfer;
	info.max_batch = in->max_batch;
	info.op_cap = in->op_cap;
	info.pasid = q->pasid;
	info.numa_node = dev_to_node(q->uacce->parent);
	info.mmio_size = in->region_size[UACCE_QFRT_MMIO];
	info.dus_size = in->region_size[UACCE_QFRT_DUS];
	info.submit = in->submit;
	info.ring_slots = in->ring_slots;
	if (copy_to_user(arg, &info, info.argsz))
		return -EFAULT;
	return 0;
}

static long uacce_fops_ioctl(struct file *filep, unsigned int cmd,
			     unsigned long arg)
{
	struct uacce_queue *q = filep->private_data;
	const struct uacce_ops *ops = q->uacce->intf.ops;
	long rc;

	mutex_lock(&q->mutex);
	rc = uacce_check_live(q);
	if (rc)
		goto out;
	switch (cmd) {
	case UACCE_CMD_START_Q:
		if (q->state != UACCE_Q_INIT) {
			rc = -EINVAL; /* started already, or put */
			break;
		}
		rc = ops->start_queue ? ops->start_queue(q) : 0;
		if (!rc)
			q->state = UACCE_Q_STARTED;
		break;
	case UACCE_CMD_PUT_Q:
		uacce_queue_retire(q);
		break;
	case UACCE_CMD_DSA_QINFO:
		rc = uacce_qinfo(q, (void __user *)arg);
		break;
	case UACCE_CMD_DSA_EVENTFD:
		rc = uacce_set_eventfd(q, (void __user *)arg);
		break;
	default:
		/*
		 * Upstream answers a command its driver does not take with
		 * -EINVAL (uacce_fops_unl_ioctl() in drivers/misc/uacce/
		 * uacce.c), not -ENOTTY.  Only the extension range reaches the
		 * driver; it knows its commands and checks the state.
		 */
		rc = -EINVAL;
		if (_IOC_TYPE(cmd) == UACCE_IOC_TYPE &&
		    _IOC_NR(cmd) >= UACCE_CMD_EXT_FIRST && ops->ioctl) {
			rc = ops->ioctl(q, cmd, arg);
			if (rc == -ENOTTY)
				rc = -EINVAL;
		}
		break;
	}
out:
	mutex_unlock(&q->mutex);
	return rc;
}

/* write(2) takes whole 64-byte descriptors (the DSA extension), at most a
 * page of them a call: a short count tells the caller to go on. */
#define UACCE_WRITE_UNIT 64
#define UACCE_WRITE_MAX PAGE_SIZE

/*
 * The descriptors are copied in before the queue's mutex is taken: the
 * buffer is the caller's memory, whose fault may wait as long as the
 * caller likes (userfaultfd, FUSE), and nobody else's ioctl or close may
 * wait on that.  A fault part-way submits the descriptors before it.
 */
static ssize_t uacce_fops_write(struct file *filep, const char __user *buf,
				size_t len, loff_t *ppos)
{
	struct uacce_queue *q = filep->private_data;
	const struct uacce_ops *ops = q->uacce->intf.ops;
	size_t n = min_t(size_t, len, UACCE_WRITE_MAX);
	void *descs;
	ssize_t rc;

	if (!len || len % UACCE_WRITE_UNIT)
		return -EINVAL;
	descs = kmalloc(n, GFP_KERNEL);
	if (!descs)
		return -ENOMEM;
	n -= copy_from_user(descs, buf, n);
	n -= n % UACCE_WRITE_UNIT;
	rc = -EFAULT;
	if (!n)
		goto out_free;

	mutex_lock(&q->mutex);
	rc = uacce_check_live(q);
	if (rc)
		goto out;
	/* ops is the driver's: looked at only once it is known live. */
	if (!ops->write)
		rc = -EOPNOTSUPP;
	else if (q->state != UACCE_Q_STARTED)
		rc = -EINVAL;
	else
		rc = ops->write(q, descs, n);
out:
	mutex_unlock(&q->mutex);
out_free:
	kfree(descs);
	return rc;
}

/*
 * Upstream's poll (uacce_fops_poll() in drivers/misc/uacce/uacce.c):
 * readable, EPOLLIN | EPOLLRDNORM, only when the driver says the queue was
 * updated since the last poll, and never writable.  Ours adds EPOLLERR for
 * a removed device or a process other than the opener, which can no
 * longer be woken by its queue.
 */
static __poll_t uacce_fops_poll(struct file *filep, poll_table *wait)
{
	struct uacce_queue *q = filep->private_data;

	poll_wait(filep, &q->poll_wq, wait);
	if (READ_ONCE(q->uacce->removed) || current->mm != q->mm)
		return EPOLLERR | EPOLLHUP;
	if (atomic_xchg(&q->updated, 0))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

/*
 * Pages are inserted at mmap; a missing one was revoked.
 *
 * Removal racing mmap: the driver inserts its pages inside ->mmap, before
 * the VMA is linked into the file's mapping, so an unmap_mapping_range()
 * of uacce_remove() that runs between the two misses that one mapping.
 * What survives is only a reference to the driver's page: the queue is a
 * zombie by then (uacce_queue_retire sets it under map_lock, which this
 * mmap holds while inserting), so no device reads or writes the page any
 * more, and it is freed when the mapping goes.  For the soft device this
 * is plain memory; a driver mapping device registers (a portal) would want
 * a fault handler instead, which can check the state under map_lock and
 * only ever sees linked VMAs.
 */
static vm_fault_t uacce_vm_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct uacce_vm_ops = {
	.fault = uacce_vm_fault,
};

static int uacce_fops_mmap(struct file *filep, struct vm_area_struct *vma)
{
	struct uacce_queue *q = filep->private_data;
	const struct uacce_interface *in = &q->uacce->intf;
	unsigned long size = vma->vm_end - vma->vm_start;
	unsigned long type = vma->vm_pgoff;
	int rc;

	if (type >= UACCE_QFRT_MAX || !in->region_size[type] ||
	    size != in->region_size[type])
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED) || (vma->vm_flags & VM_EXEC))
		return -EINVAL;

	mutex_lock(&q->map_lock);
	rc = uacce_check_live(q);
	if (rc)
		goto out;
	if (q->state == UACCE_Q_ZOMBIE) {
		rc = -EINVAL;
		goto out;
	}
	if (q->mapped[type]) {
		rc = -EEXIST;
		goto out;
	}
	/*
	 * Never inherited, whatever the process does: VM_DONTCOPY alone is
	 * undone by madvise(MADV_DOFORK), VM_WIPEONFORK alone by
	 * MADV_KEEPONFORK.  VM_IO makes madvise refuse MADV_DOFORK (as for
	 * idxd's portal, an io_remap_pfn_range mapping) and keeps the pages
	 * out of get_user_pages(), so neither /proc/<pid>/mem nor
	 * process_vm_writev() lets another process write the ring.  Upstream
	 * uacce sets VM_DONTCOPY | VM_DONTEXPAND | VM_WIPEONFORK.
	 */
	uacce_vm_flags_set(vma, VM_DONTCOPY | VM_WIPEONFORK | VM_IO |
					VM_DONTEXPAND | VM_DONTDUMP);
	uacce_vm_flags_clear(vma, VM_MAYEXEC);
	vma->vm_ops = &uacce_vm_ops;
	rc = in->ops->mmap ? in->ops->mmap(q, vma, type) : -EOPNOTSUPP;
	if (!rc)
		q->mapped[type] = true;
out:
	mutex_unlock(&q->map_lock);
	return rc;
}

const struct file_operations uacce_fops = {
	.owner = THIS_MODULE,
	.open = uacce_fops_open,
	.release = uacce_fops_release,
	.unlocked_ioctl = uacce_fops_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.write = uacce_fops_write,
	.mmap = uacce_fops_mmap,
	.poll = uacce_fops_poll,
	.llseek = noop_llseek,
};
