// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Device control: the command protocol, bring-up in the order Linux's
 * idxd driver uses (drivers/dma/idxd/init.c idxd_probe, device.c
 * idxd_device_config), the default configuration, registration of each
 * enabled queue with the uacce framework, and vector 0 (errors, halt).
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/log2.h>

#include "dsa_pci.h"

#define DSA_PCI_CMD_TIMEOUT_MS 5000

const char *dsa_pci_cmd_err(u32 err)
{
	/* registers.h enum idxd_cmdsts_err. */
	switch (err) {
	case DSA_CMDSTS_INVAL_CMD: return "invalid command";
	case DSA_CMDSTS_INVAL_WQIDX: return "invalid queue index";
	case DSA_CMDSTS_HW_ERR: return "hardware error (device halted?)";
	case DSA_CMDSTS_ERR_DEV_ENABLED: return "device already enabled";
	case DSA_CMDSTS_ERR_CONFIG: return "configuration error";
	case DSA_CMDSTS_ERR_BUSMASTER_EN: return "bus mastering not enabled";
	case DSA_CMDSTS_ERR_PASID_INVAL: return "invalid PASID";
	case DSA_CMDSTS_ERR_WQ_SIZE_ERANGE: return "queue sizes exceed WQCAP";
	case DSA_CMDSTS_ERR_GRP_CONFIG:
	case DSA_CMDSTS_ERR_GRP_CONFIG2:
	case DSA_CMDSTS_ERR_GRP_CONFIG3:
	case DSA_CMDSTS_ERR_GRP_CONFIG4: return "group configuration error";
	case DSA_CMDSTS_ERR_DEV_NOTEN: return "device not enabled";
	case DSA_CMDSTS_ERR_WQ_ENABLED: return "queue already enabled";
	case DSA_CMDSTS_ERR_WQ_SIZE: return "queue size or threshold invalid";
	case DSA_CMDSTS_ERR_WQ_PRIOR: return "queue priority invalid";
	case DSA_CMDSTS_ERR_WQ_MODE: return "queue mode not supported";
	case DSA_CMDSTS_ERR_BOF_EN: return "block-on-fault not supported";
	case DSA_CMDSTS_ERR_PASID_EN: return "PASID enable invalid for the mode";
	case DSA_CMDSTS_ERR_MAX_BATCH_SIZE: return "max batch size too large";
	case DSA_CMDSTS_ERR_MAX_XFER_SIZE: return "max transfer size too large";
	case DSA_CMDSTS_ERR_DIS_DEV_EN: return "device not enabled";
	case DSA_CMDSTS_ERR_DEV_NOT_EN: return "device not enabled";
	case DSA_CMDSTS_ERR_INVAL_INT_IDX: return "invalid interrupt index";
	case DSA_CMDSTS_ERR_NO_HANDLE: return "no interrupt handle";
	}
	return "unknown error";
}

/*
 * Run a command and wait (polled, bounded) for CMDSTS.active to clear.
 * Returns 0, -EIO with the device's reason logged, or -ETIMEDOUT.
 */
int dsa_pci_cmd(struct dsa_pci *d, u32 code, u32 operand, u32 *result)
{
	const struct dsa_pci_seam *s = d->seam;
	unsigned long end;
	u32 sts, err;
	int rc = 0;

	mutex_lock(&d->cmd_lock);
	s->wr32(d, DSA_REG_CMD, dsa_cmd_word(code, operand, 0));
	end = jiffies + msecs_to_jiffies(DSA_PCI_CMD_TIMEOUT_MS);
	while ((sts = s->rd32(d, DSA_REG_CMDSTS)) & DSA_CMDSTS_ACTIVE_BIT) {
		if (time_after(jiffies, end)) {
			dev_err(d->dev, "command %u (operand %#x) timed out\n",
				code, operand);
			rc = -ETIMEDOUT;
			goto out;
		}
		usleep_range(20, 200);
	}
	err = (u32)DSA_FGET(sts, DSA_CMDSTS_ERR);
	if (err) {
		dev_err(d->dev, "command %u (operand %#x) failed: %#x %s\n",
			code, operand, err, dsa_pci_cmd_err(err));
		rc = -EIO;
	}
	if (result)
		*result = (u32)DSA_FGET(sts, DSA_CMDSTS_RESULT);
out:
	mutex_unlock(&d->cmd_lock);
	return rc;
}

static void dsa_pci_read_caps(struct dsa_pci *d)
{
	const struct dsa_pci_seam *s = d->seam;
	u64 table;

	d->version = s->rd32(d, DSA_REG_VERSION);
	d->gencap = s->rd64(d, DSA_REG_GENCAP);
	d->wqcap = s->rd64(d, DSA_REG_WQCAP);
	d->grpcap = s->rd64(d, DSA_REG_GRPCAP);
	d->engcap = s->rd64(d, DSA_REG_ENGCAP);
	d->opcap0 = s->rd64(d, DSA_REG_OPCAP);
	table = s->rd64(d, DSA_REG_TABLE);
	d->grpcfg_off = (u32)DSA_FGET(table, DSA_TABLE_GRPCFG) * DSA_TABLE_MULT;
	d->wqcfg_off = (u32)DSA_FGET(table, DSA_TABLE_WQCFG) * DSA_TABLE_MULT;
	/* init.c idxd_read_caps: 1 << (wqcfg_size + IDXD_WQCFG_MIN). */
	d->wqcfg_size = 1u << (DSA_FGET(d->wqcap, DSA_WQCAP_WQCFG_SIZE) +
			       DSA_WQCFG_SIZE_MIN_SHIFT);
}

static u32 dsa_pci_wqcfg(struct dsa_pci *d, unsigned int wq, unsigned int dw)
{
	return d->wqcfg_off + wq * d->wqcfg_size + 4 * dw;
}

/* device.c idxd_wq_config_write: read back, set the fields, write all. */
void dsa_pci_wq_write_cfg(struct dsa_pci *d, struct dsa_pci_wq *wq)
{
	const struct dsa_pci_seam *s = d->seam;
	u32 cfg[DSA_WQCFG_DWORDS_MAX];
	u32 xfer = wq->xfer_shift, batch = wq->batch_shift;
	unsigned int i, n = d->wqcfg_size / 4;

	for (i = 0; i < n; i++)
		cfg[i] = s->rd32(d, dsa_pci_wqcfg(d, wq->id, i));
	cfg[DSA_WQCFG_DW_SIZE] = (u32)DSA_FPUT(DSA_WQCFG_WQ_SIZE, wq->size);
	cfg[DSA_WQCFG_DW_THRESH] = (u32)DSA_FPUT(DSA_WQCFG_THRESH, wq->thresh);
	/* A shared queue takes each descriptor's PASID from ENQCMD(S);
	 * a dedicated one gets its opener's at open. */
	cfg[DSA_WQCFG_DW_MODE] = (u32)(DSA_FPUT(DSA_WQCFG_MODE, wq->dedicated) |
				       DSA_FPUT(DSA_WQCFG_BOF, wq->bof) |
				       DSA_FPUT(DSA_WQCFG_PRIORITY, wq->priority) |
				       DSA_FPUT(DSA_WQCFG_PASID_EN, !wq->dedicated));
	cfg[DSA_WQCFG_DW_LIMITS] = (u32)(DSA_FPUT(DSA_WQCFG_MAX_XFER_SHIFT, xfer) |
					 DSA_FPUT(DSA_WQCFG_MAX_BATCH_SHIFT, batch));
	for (i = 0; i < n; i++)
		s->wr32(d, dsa_pci_wqcfg(d, wq->id, i), cfg[i]);
}

/* Change a disabled-then-reenabled dedicated queue's PASID
 * (device.c idxd_wq_set_pasid / idxd_wq_disable_pasid). */
int dsa_pci_wq_set_pasid(struct dsa_pci_wq *wq, u32 pasid, bool enable)
{
	struct dsa_pci *d = wq->d;
	u32 off = dsa_pci_wqcfg(d, wq->id, DSA_WQCFG_DW_MODE), v;
	int rc;

	rc = dsa_pci_cmd(d, DSA_CMD_DISABLE_WQ, dsa_cmd_wq_operand(wq->id), NULL);
	if (rc)
		return rc;
	v = d->seam->rd32(d, off);
	v &= ~(u32)(DSA_FMASK(DSA_WQCFG_PASID) | DSA_FMASK(DSA_WQCFG_PASID_EN));
	if (enable)
		v |= (u32)(DSA_FPUT(DSA_WQCFG_PASID, pasid) |
			   DSA_FPUT(DSA_WQCFG_PASID_EN, 1));
	d->seam->wr32(d, off, v);
	return dsa_pci_cmd(d, DSA_CMD_ENABLE_WQ, wq->id, NULL);
}

int dsa_pci_register_wq(struct dsa_pci *d, struct dsa_pci_wq *wq)
{
	const struct dsa_pci_seam *s = d->seam;
	struct uacce_interface in = {
		.name = "dsa_pci",
		.api = UACCE_API_DSA,
		.algs = "memmove\nfill\ncompare\ncompval\ncr_delta\nap_delta\n"
			"dualcast\ncrc32c\ncopy_crc32c\ncflush",
		.flags = s->uacce_flags,
		.region_size = { s->mmap_portal ? PAGE_SIZE : 0, 0 },
		.mode = wq->dedicated ? UACCE_DSA_WQ_DEDICATED :
					UACCE_DSA_WQ_SHARED,
		.wq_size = wq->size,
		.threshold = wq->dedicated ? wq->size : wq->thresh,
		.max_xfer = 1u << min_t(u32, 31, wq->xfer_shift),
		.max_batch = 1u << wq->batch_shift,
		.op_cap = d->opcap0,
		.submit = s->submit,
		.ops = &dsa_pci_uacce_ops,
		.priv = wq,
	};
	struct uacce_device *u;
	int rc;

	/* A dedicated queue takes write(2) only where the driver can see its
	 * occupancy (WQCAP.occupancy, DSA 2.0): a posted write beyond its
	 * size would be lost. */
	if (wq->dedicated && !DSA_FGET(d->wqcap, DSA_WQCAP_OCCUPANCY))
		in.submit &= ~UACCE_DSA_SUBMIT_WRITE;
	/* write(2) refuses BATCH there (pci_check_desc): say so, so that
	 * a library runs the members itself instead. */
	if ((in.submit & UACCE_DSA_SUBMIT_WRITE) && d->version <= DSA_VERSION_1)
		in.submit |= UACCE_DSA_SUBMIT_WRITE_NOBATCH;
	if (!in.submit)
		return 0;
	u = uacce_alloc(d->dev, &in);
	if (IS_ERR(u))
		return PTR_ERR(u);
	rc = uacce_register(u);
	if (rc) {
		uacce_remove(u);
		return rc;
	}
	wq->uacce = u;
	dev_info(&u->dev, "DSA %u.%u queue %u: %s, %u entries\n",
		 d->version >> 8, (d->version >> 4) & 0xf, wq->id,
		 wq->dedicated ? "dedicated" : "shared", wq->size);
	return 0;
}

/* What vector 0 and the queues' vectors use, ready before any interrupt
 * can come (before the seam's IRQs are requested or the twin runs). */
void dsa_pci_init_state(struct dsa_pci *d)
{
	unsigned int i;

	mutex_init(&d->cmd_lock);
	mutex_init(&d->state_lock);
	for (i = 0; i < DSA_PCI_MAX_WQS; i++) {
		spin_lock_init(&d->wq[i].qs_lock);
		INIT_LIST_HEAD(&d->wq[i].qs);
	}
}

/* Software-error and halt interrupts on vector 0; a reset clears them. */
static void dsa_pci_err_ints(struct dsa_pci *d)
{
	d->seam->wr32(d, DSA_REG_GENCTRL,
		      (u32)(DSA_FPUT(DSA_GENCTRL_SOFTERR_INT_EN, 1) |
			    DSA_FPUT(DSA_GENCTRL_HALT_INT_EN, 1)));
}

/*
 * Bring-up as idxd does it: reset (polled), capabilities and table
 * offsets, error interrupts unmasked, WQCFG of the configured queues then
 * GRPCFG, enable the device, enable the queues.
 */
int dsa_pci_setup(struct dsa_pci *d)
{
	const struct dsa_pci_seam *s = d->seam;
	int rc;

	if (DSA_FGET(s->rd32(d, DSA_REG_GENSTS), DSA_GENSTS_STATE) == DSA_DEV_HALT) {
		dev_err(d->dev, "device is halted\n");
		return -ENXIO;
	}
	rc = dsa_pci_cmd(d, DSA_CMD_RESET_DEVICE, 0, NULL);
	if (rc)
		return rc;
	dsa_pci_read_caps(d);
	if (d->version != DSA_VERSION_1 && d->version != DSA_VERSION_2)
		dev_warn(d->dev, "unknown DSA version %#x: using 2.0 rules\n",
			 d->version);
	if (!DSA_FGET(d->gencap, DSA_GENCAP_CONFIG_EN)) {
		dev_err(d->dev, "read-only configuration is not supported\n");
		return -EOPNOTSUPP;
	}
	dsa_pci_err_ints(d);
	/* The default configuration, its groups and queues enabled. */
	rc = dsa_pci_cfg_init(d);
	if (rc)
		return rc;
	rc = dsa_pci_cfg_bring_up(d);
	if (rc)
		goto err;
	return 0;
err:
	dsa_pci_teardown(d);
	return rc;
}

/* Remove the nodes (the framework puts every open queue: its PASID's
 * work is drained first), then disable and reset the device.  Vector 0
 * may still come (its work is flushed by the caller after this): it
 * acknowledges but no longer recovers. */
void dsa_pci_teardown(struct dsa_pci *d)
{
	unsigned int i;

	mutex_lock(&d->state_lock);
	d->dying = true;
	mutex_unlock(&d->state_lock);
	dsa_pci_cfg_exit(d);
	for (i = 0; i < DSA_PCI_MAX_WQS; i++) {
		if (d->wq[i].uacce)
			uacce_remove(d->wq[i].uacce);
		d->wq[i].uacce = NULL;
	}
	if (DSA_FGET(d->seam->rd32(d, DSA_REG_GENSTS), DSA_GENSTS_STATE) ==
	    DSA_DEV_ENABLED)
		dsa_pci_cmd(d, DSA_CMD_DISABLE_DEVICE, 0, NULL);
	dsa_pci_cmd(d, DSA_CMD_RESET_DEVICE, 0, NULL);
}

/*
 * Wake every opener of a queue (poll() readable, eventfd signalled): after
 * a software error of theirs, as idxd's poll() reports one
 * (cdev.c idxd_cdev_poll), and after a halt, so that nobody sleeps on
 * work the device lost; their next write(2) tells which (-EIO).
 */
static void dsa_pci_wake_wq(struct dsa_pci_wq *wq, bool by_pasid, u32 pasid)
{
	struct dsa_pci_q *q;
	unsigned long flags;

	spin_lock_irqsave(&wq->qs_lock, flags);
	list_for_each_entry(q, &wq->qs, node) {
		if (by_pasid && q->pasid != pasid)
			continue;
		uacce_queue_updated(q->uq);
		uacce_queue_notify(q->uq);
	}
	spin_unlock_irqrestore(&wq->qs_lock, flags);
}

/*
 * A completion interrupt (a descriptor with DSA_FLAG_RCI finished): the
 * device does not say whose, so every opener of the queue is told, in
 * the framework's terms: poll() readable and the eventfd signalled, as
 * the software device does for the same flag.
 */
void dsa_pci_wq_irq(struct dsa_pci *d, unsigned int vector)
{
	if (vector >= 1 && vector <= DSA_PCI_MAX_WQS)
		dsa_pci_wake_wq(&d->wq[vector - 1], false, 0);
}

/*
 * A software error (registers.h union sw_err_reg): reported against the
 * queue it names (its node's log, its count, its openers woken), then
 * acknowledged so that the next one is recorded (idxd's
 * process_misc_interrupts copies and clears SWERR likewise).
 */
static void dsa_pci_swerr(struct dsa_pci *d)
{
	const struct dsa_pci_seam *s = d->seam;
	u64 err = s->rd64(d, DSA_REG_SWERR);
	u64 addr = s->rd64(d, DSA_REG_SWERR + 16);
	unsigned int idx = (unsigned int)DSA_FGET(err, DSA_SWERR_WQ_IDX);
	struct dsa_pci_wq *wq = NULL;

	if (!DSA_FGET(err, DSA_SWERR_VALID))
		return;
	if (DSA_FGET(err, DSA_SWERR_WQ_IDX_VALID) && idx < DSA_PCI_MAX_WQS)
		wq = &d->wq[idx];
	dev_warn_ratelimited(wq && wq->uacce ? &wq->uacce->dev : d->dev,
		"software error %#llx on queue %u%s (op %#llx, PASID %#llx%s), address %#llx\n",
		DSA_FGET(err, DSA_SWERR_ERROR), idx,
		DSA_FGET(err, DSA_SWERR_WQ_IDX_VALID) ? "" : " (not valid)",
		DSA_FGET(err, DSA_SWERR_OPERATION),
		DSA_FGET(err, DSA_SWERR_PASID),
		DSA_FGET(err, DSA_SWERR_OVERFLOW) ? ", more lost" : "", addr);
	s->wr64(d, DSA_REG_SWERR, DSA_SWERR_ACK);
	if (!wq)
		return;
	atomic64_inc(&wq->swerrs);
	/* On a dedicated queue the PASID is its one opener's. */
	dsa_pci_wake_wq(wq, !wq->dedicated && DSA_FGET(err, DSA_SWERR_DESC_VALID),
			(u32)DSA_FGET(err, DSA_SWERR_PASID));
}

/*
 * A halted device (irq.c idxd_halt, device.c idxd_device_reinit): its
 * work is lost.  Every open queue is dead from now on (-EIO, woken); when
 * GENSTS says a software reset recovers it, the device is reset,
 * configured and enabled again for new openers.  Otherwise (FLR, warm or
 * cold reset) it stays halted until the driver is rebound.
 */
static void dsa_pci_halt(struct dsa_pci *d)
{
	u32 sts = d->seam->rd32(d, DSA_REG_GENSTS);
	u32 type = (u32)DSA_FGET(sts, DSA_GENSTS_RESET_TYPE);
	unsigned int i;
	int rc;

	mutex_lock(&d->state_lock);
	if (DSA_FGET(sts, DSA_GENSTS_STATE) != DSA_DEV_HALT || d->dying) {
		mutex_unlock(&d->state_lock);
		return;
	}
	WRITE_ONCE(d->halted, true);
	for (i = 0; i < DSA_PCI_MAX_WQS; i++)
		dsa_pci_wake_wq(&d->wq[i], false, 0);
	if (type != DSA_RESET_SOFTWARE) {
		dev_err(d->dev, "device halted, needs %s: queues answer -EIO\n",
			type == DSA_RESET_FLR ? "a function level reset" :
						"a system reset");
		mutex_unlock(&d->state_lock);
		return;
	}
	dev_err(d->dev, "device halted: resetting it; open queues answer -EIO\n");
	rc = dsa_pci_cmd(d, DSA_CMD_RESET_DEVICE, 0, NULL);
	if (!rc) {
		dsa_pci_err_ints(d);
		rc = dsa_pci_cfg_reprogram(d);
	}
	if (rc) {
		dev_err(d->dev, "recovery failed (%d): queues answer -EIO\n", rc);
	} else {
		/* The epoch first: a queue opened before must never see
		 * halted clear with its old epoch. */
		WRITE_ONCE(d->epoch, d->epoch + 1);
		smp_wmb();
		WRITE_ONCE(d->halted, false);
		dev_info(d->dev, "recovered from the halt (recovery %u)\n",
			 d->epoch);
	}
	mutex_unlock(&d->state_lock);
}

/* Vector 0 (idxd's idxd_misc_thread): software errors and halt. */
void dsa_pci_misc_irq(struct dsa_pci *d)
{
	const struct dsa_pci_seam *s = d->seam;
	u32 cause = s->rd32(d, DSA_REG_INTCAUSE);

	s->wr32(d, DSA_REG_INTCAUSE, cause);
	if (cause & DSA_INTC_ERR)
		dsa_pci_swerr(d);
	if (cause & DSA_INTC_HALT_STATE)
		dsa_pci_halt(d);
}
