// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A uacce queue on a DSA work queue.  A dedicated queue belongs to one
 * opener at a time and carries its PASID in WQCFG; a shared queue serves
 * many, each descriptor carrying its submitter's PASID.  Closing drains
 * the opener's work (drain WQ, or drain PASID on a shared queue) before
 * the address space can go away.
 */
#include <linux/align.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "dsa_pci.h"

static int pci_available(struct uacce_device *u)
{
	struct dsa_pci_wq *wq = uacce_priv(u);

	if (!wq->dedicated)
		return 64; /* twin: no fixed limit on a shared queue's openers */
	return atomic_read(&wq->openers) ? 0 : 1;
}

static int pci_get_queue(struct uacce_device *u, struct uacce_queue *uq)
{
	struct dsa_pci_wq *wq = uacce_priv(u);
	struct dsa_pci *d = wq->d;
	struct dsa_pci_q *q;
	int rc;

	mutex_lock(&d->state_lock);
	rc = -EIO;
	if (d->halted)
		goto err_unlock;
	rc = -EBUSY;
	if (wq->dedicated && atomic_inc_return(&wq->openers) > 1)
		goto err_count;
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	rc = -ENOMEM;
	if (!q)
		goto err_count;
	q->wq = wq;
	q->uq = uq;
	q->epoch = d->epoch;
	rc = d->seam->bind(d, uq, &q->pasid);
	if (rc)
		goto err_free;
	if (wq->dedicated) {
		rc = dsa_pci_wq_set_pasid(wq, q->pasid, true);
		if (rc)
			goto err_unbind;
	}
	uq->priv = q;
	spin_lock_irq(&wq->qs_lock);
	list_add(&q->node, &wq->qs);
	spin_unlock_irq(&wq->qs_lock);
	mutex_unlock(&d->state_lock);
	return 0;
err_unbind:
	d->seam->unbind(d, uq, q->pasid);
err_free:
	kfree(q);
err_count:
	if (wq->dedicated)
		atomic_dec(&wq->openers);
err_unlock:
	mutex_unlock(&d->state_lock);
	return rc;
}

static void pci_put_queue(struct uacce_queue *uq)
{
	struct dsa_pci_q *q = uq->priv;
	struct dsa_pci_wq *wq = q->wq;
	struct dsa_pci *d = wq->d;

	mutex_lock(&d->state_lock);
	spin_lock_irq(&wq->qs_lock);
	list_del(&q->node);
	spin_unlock_irq(&wq->qs_lock);
	/* The opener's work finishes before its PASID and address space go
	 * (device.c idxd_device_drain_pasid); abort if the drain fails.  A
	 * queue from before a recovery has nothing left: the reset discarded
	 * its work and its PASID is in no WQCFG. */
	if (!dsa_pci_q_dead(q)) {
		if (wq->dedicated) {
			if (dsa_pci_cmd(d, DSA_CMD_DRAIN_WQ,
					dsa_cmd_wq_operand(wq->id), NULL))
				dsa_pci_cmd(d, DSA_CMD_ABORT_WQ,
					    dsa_cmd_wq_operand(wq->id), NULL);
			dsa_pci_wq_set_pasid(wq, 0, false);
		} else if (dsa_pci_cmd(d, DSA_CMD_DRAIN_PASID, q->pasid, NULL)) {
			dsa_pci_cmd(d, DSA_CMD_ABORT_PASID, q->pasid, NULL);
		}
	}
	d->seam->unbind(d, uq, q->pasid);
	if (wq->dedicated)
		atomic_dec(&wq->openers);
	mutex_unlock(&d->state_lock);
	uq->priv = NULL;
	kfree(q);
}

static int pci_start_queue(struct uacce_queue *uq)
{
	return 0;
}

static void pci_stop_queue(struct uacce_queue *uq)
{
}

static int pci_mmap(struct uacce_queue *uq, struct vm_area_struct *vma,
		    enum uacce_qfrt type)
{
	struct dsa_pci_q *q = uq->priv;
	struct dsa_pci *d = q->wq->d;

	if (type != UACCE_QFRT_MMIO || !d->seam->mmap_portal)
		return -EINVAL;
	/* User submissions go through the limited portal, as idxd's
	 * character device maps it (idxd_wq_map_portal). */
	return d->seam->mmap_portal(d, vma,
				    dsa_portal_offset(q->wq->id, 1, 0));
}

static long pci_ioctl(struct uacce_queue *uq, unsigned int cmd,
		      unsigned long arg)
{
	return -ENOTTY;
}

/* Room on a dedicated queue: its WQCFG occupancy against its size. */
static bool pci_dwq_room(struct dsa_pci *d, struct dsa_pci_wq *wq)
{
	u32 v = d->seam->rd32(d, d->wqcfg_off + wq->id * d->wqcfg_size +
				     4 * DSA_WQCFG_DW_STATE);

	return DSA_FGET(v, DSA_WQCFG_OCCUPANCY) < wq->size;
}

/*
 * What idxd's write() checks of each descriptor before the portal
 * (drivers/dma/idxd/cdev.c idxd_submit_user_descriptor, Linux 6.11 and
 * later), with its errno:
 * - BATCH is refused (-EINVAL) where user submission is unsafe
 *   (INTEL-SA-01084): the device would read member descriptors nobody
 *   checked, whose PASID and privilege the kernel cannot force.  Upstream
 *   marks every DSA unsafe (init.c idxd_driver_data: user_submission_safe
 *   false); the erratum is DSA 1.0's, so here DSA 1.0 refuses it and a
 *   later version, whose portal is gated anyway (dsa_pci_hw.c), takes it.
 * - The completion record address must be aligned as the device requires
 *   (32 bytes on DSA, 64 on IAA: comp_addr_align), else -EINVAL: a
 *   misaligned one "can confuse the engine" (idxd's comment).  idxd checks
 *   it whether or not the descriptor asks for a record.
 * The PASID is not checked but forced (see pci_write).
 */
static int pci_check_desc(const struct dsa_pci *d, const struct dsa_desc *desc)
{
	if (dsa_desc_opcode(desc) == DSA_OP_BATCH && d->version <= DSA_VERSION_1)
		return -EINVAL;
	if (!IS_ALIGNED(desc->completion_addr, DSA_COMP_ALIGN))
		return -EINVAL;
	return 0;
}

/*
 * write(2) of whole descriptors, as idxd's character device takes them:
 * each checked (pci_check_desc), the PASID the opener's whatever the
 * descriptor says.  Returns the bytes accepted; when none were, the first
 * descriptor's error: -EINVAL refused, -EAGAIN the queue is full ("retry").
 */
static ssize_t pci_write(struct uacce_queue *uq, const void *descs,
			 size_t len)
{
	struct dsa_pci_q *q = uq->priv;
	struct dsa_pci_wq *wq = q->wq;
	struct dsa_pci *d = wq->d;
	size_t n = 0, want = len / sizeof(struct dsa_desc);
	struct dsa_desc desc;
	int rc = 0;

	if (!len || len % sizeof(struct dsa_desc))
		return -EINVAL;
	/* Its device halted (and maybe was reset since): the work it had
	 * in flight is lost, which the opener learns here. */
	if (dsa_pci_q_dead(q))
		return -EIO;
	while (n < want) {
		/* The framework copied the descriptors in before it took
		 * the queue's mutex (a user buffer may stall on a fault). */
		memcpy(&desc, (const u8 *)descs + n * sizeof(desc), sizeof(desc));
		rc = pci_check_desc(d, &desc);
		if (rc)
			break;
		/* A completion interrupt goes to the queue's own vector,
		 * whatever handle the descriptor names (vector 0 is the
		 * device's errors; another queue's would wake strangers),
		 * as idxd's kernel submissions set desc->int_handle. */
		if (dsa_desc_flags(&desc) & DSA_FLAG_RCI)
			desc.int_handle = dsa_pci_wq_vector(wq);
		/* A dedicated queue's PASID is in WQCFG; a shared queue's
		 * descriptor gets the opener's, unprivileged, as ENQCMD would
		 * put it.  Reserved bits 30:20 stay for the device to refuse
		 * (idxd's cdev write path sets only pasid and priv). */
		if (wq->dedicated) {
			if (!pci_dwq_room(d, wq)) {
				rc = -EAGAIN;
				break;
			}
		} else {
			desc.pasid_priv = (desc.pasid_priv & 0x7ff00000u) | q->pasid;
		}
		rc = d->seam->portal(d, dsa_portal_offset(wq->id, !wq->dedicated, 0),
				     &desc, !wq->dedicated);
		if (rc)
			break;
		n++;
	}
	return n ? (ssize_t)(n * sizeof(desc)) : rc;
}

const struct uacce_ops dsa_pci_uacce_ops = {
	.available_instances = pci_available,
	.get_queue = pci_get_queue,
	.put_queue = pci_put_queue,
	.start_queue = pci_start_queue,
	.stop_queue = pci_stop_queue,
	.mmap = pci_mmap,
	.ioctl = pci_ioctl,
	.write = pci_write,
};
