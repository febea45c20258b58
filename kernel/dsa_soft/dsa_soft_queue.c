// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The soft device's queue operations, as the uacce framework calls them. */
#include <linux/cgroup.h>
#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "dsa_soft.h"

static int soft_available(struct uacce_device *u)
{
	struct dsa_soft_dev *sd = uacce_priv(u);

	return max_t(int, 0, (int)sd->max_queues - atomic_read(&sd->queues));
}

static void soft_free(struct dsa_soft_queue *sq)
{
	if (sq->mmio_page)
		__free_page(sq->mmio_page);
	if (sq->dus_page)
		__free_page(sq->dus_page);
	kfree(sq->wfifo);
	kfree(sq->bounce);
	kfree(sq);
}

static int soft_get_queue(struct uacce_device *u, struct uacce_queue *uq)
{
	struct dsa_soft_dev *sd = uacce_priv(u);
	const struct uacce_interface *in = &u->intf;
	struct dsa_soft_queue *sq;

	if (atomic_inc_return(&sd->queues) > sd->max_queues) {
		atomic_dec(&sd->queues);
		return -EBUSY;
	}
	sq = kzalloc(sizeof(*sq), GFP_KERNEL);
	if (!sq)
		goto nomem;
	sq->uq = uq;
	sq->sd = sd;
	sq->mmio_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	sq->dus_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	sq->wcap = in->mode == UACCE_DSA_WQ_SHARED ? in->threshold :
						     in->wq_size;
	sq->wfifo = kcalloc(sq->wcap, sizeof(*sq->wfifo), GFP_KERNEL);
	sq->bounce = kmalloc(MODEL_BOUNCE_SIZE, GFP_KERNEL);
	if (!sq->mmio_page || !sq->dus_page || !sq->wfifo || !sq->bounce) {
		soft_free(sq);
		goto nomem;
	}
	sq->slots = page_address(sq->mmio_page);
	sq->ctl = page_address(sq->dus_page);
	spin_lock_init(&sq->wlock);
	init_waitqueue_head(&sq->wait);
	sq->mem.ops = &dsa_soft_mem_ops;
	sq->exec.mem = &sq->mem;
	sq->exec.bounce = sq->bounce;
	sq->exec.caps.op_cap = in->op_cap;
	sq->exec.caps.max_xfer = in->max_xfer;
	sq->exec.caps.max_batch = in->max_batch;
	uq->priv = sq;
	return 0;
nomem:
	atomic_dec(&sd->queues);
	return -ENOMEM;
}

static void soft_put_queue(struct uacce_queue *uq)
{
	struct dsa_soft_queue *sq = uq->priv;

	/* Mapped pages keep their own references: user space may still
	 * hold them, the device no longer looks at them. */
	atomic_dec(&sq->sd->queues);
	uq->priv = NULL;
	soft_free(sq);
}

/*
 * The worker's CPU time is the opener's: it joins the opener's cgroups
 * (as vhost's workers did, cgroup_attach_task_all) and takes its nice
 * value, so a queue's work is charged to, and limited with, the process
 * that submits it rather than to the root cgroup; how many queues one user
 * may hold is the device's max_queues (and the node's permissions).
 */
static int soft_start_queue(struct uacce_queue *uq)
{
	struct dsa_soft_queue *sq = uq->priv;
	struct task_struct *t;
	int rc;

	t = kthread_create(dsa_soft_worker, sq, "dsa_soft/%d",
			   task_tgid_nr(current));
	if (IS_ERR(t))
		return PTR_ERR(t);
	rc = cgroup_attach_task_all(current, t);
	if (rc) {
		kthread_stop(t);
		return rc;
	}
	set_user_nice(t, task_nice(current));
	sq->worker = t;
	wake_up_process(t);
	return 0;
}

/* Bounded: see dsa_soft_worker.c.  The signal ends a fault in flight. */
static void soft_stop_queue(struct uacce_queue *uq)
{
	struct dsa_soft_queue *sq = uq->priv;

	WRITE_ONCE(sq->stopping, true);
	if (sq->worker) {
		send_sig(SIGKILL, sq->worker, 1);
		kthread_stop(sq->worker);
		sq->worker = NULL;
	}
}

static int soft_mmap(struct uacce_queue *uq, struct vm_area_struct *vma,
		     enum uacce_qfrt type)
{
	struct dsa_soft_queue *sq = uq->priv;

	return vm_insert_page(vma, vma->vm_start,
			      type == UACCE_QFRT_MMIO ? sq->mmio_page :
							sq->dus_page);
}

static long soft_ioctl(struct uacce_queue *uq, unsigned int cmd,
		       unsigned long arg)
{
	if (cmd != UACCE_CMD_DSA_DOORBELL)
		return -ENOTTY;
	if (uq->state != UACCE_Q_STARTED)
		return -EINVAL;
	dsa_soft_kick(uq->priv);
	return 0;
}

/*
 * Whole descriptors only, already copied in by the framework (so no user
 * memory is touched under the queue's mutex).  Accepts what fits (the
 * queue's size, or a shared queue's threshold) and says how much: a short
 * count, or -EAGAIN when nothing fit, is the "retry" of an enqueue.
 */
static ssize_t soft_write(struct uacce_queue *uq, const void *descs,
			  size_t len)
{
	struct dsa_soft_queue *sq = uq->priv;
	const struct dsa_desc *d = descs;
	size_t n = 0, want = len / sizeof(struct dsa_desc);

	if (!len || len % sizeof(struct dsa_desc))
		return -EINVAL;
	spin_lock(&sq->wlock);
	while (n < want && sq->wtail - sq->whead < sq->wcap) {
		sq->wfifo[sq->wtail % sq->wcap] = d[n++];
		WRITE_ONCE(sq->wtail, sq->wtail + 1);
	}
	spin_unlock(&sq->wlock);
	if (!n)
		return -EAGAIN;
	dsa_soft_kick(sq);
	return n * sizeof(*d);
}

const struct uacce_ops dsa_soft_ops = {
	.available_instances = soft_available,
	.get_queue = soft_get_queue,
	.put_queue = soft_put_queue,
	.start_queue = soft_start_queue,
	.stop_queue = soft_stop_queue,
	.mmap = soft_mmap,
	.ioctl = soft_ioctl,
	.write = soft_write,
};
