// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Run-time configuration: the default configuration, the rules every
 * change must pass, and enabling and disabling the device and its queues.
 *
 * The rules follow Linux's idxd: its sysfs stores (drivers/dma/idxd/
 * sysfs.c: a queue's attributes change only while the queue is disabled,
 * its size only while the device is disabled, a threshold only on a
 * shared queue and never above the size, limits never above the
 * device's), and drv_enable_wq in device.c (a queue in no group, a shared
 * queue without PASID support or with threshold 0 is not enabled).  Where
 * idxd answers -EPERM for a change to an enabled queue we answer -EBUSY.
 * A refusal is logged and kept in the device's last_error attribute, so
 * the configuration tool (tools/dsactl) can say why.
 */
#include <linux/idr.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "dsa_pci_config.h"

/* The default configuration: group 0 with every engine, queue 0
 * dedicated, queue 1 shared (ENQCMD refused at the threshold). */
#define DSA_PCI_DWQ_SIZE 16
#define DSA_PCI_SWQ_SIZE 64
#define DSA_PCI_SWQ_THRESH 32
/* WQCFG.priority is 4 bits (registers.h); idxd's IDXD_MAX_PRIORITY is
 * 0xf.  0 is refused as the twin and accel-config do (docs/hw.md). */
#define DSA_PCI_MAX_PRIORITY 15

static bool sim_pasid = true;
module_param(sim_pasid, bool, 0444);
MODULE_PARM_DESC(sim_pasid, "simulated devices support PASIDs (0: behave as a function without the PASID capability, to test the refusals)");

static DEFINE_IDA(dsa_pci_cfg_ida);

int dsa_pci_cfg_refuse(struct dsa_pci *d, int err, const char *fmt, ...)
{
	struct dsa_pci_cfg *c = d->cfg;
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(c->last_error, sizeof(c->last_error), fmt, ap);
	va_end(ap);
	/* Every reason names its object (dsa<N>, wq<N>.<M>, ...). */
	dev_warn(d->dev, "%s\n", c->last_error);
	return err;
}

/* A command the device refused: its CMDSTS error in words. */
static int cfg_cmd_refused(struct dsa_pci *d, int rc, const char *what)
{
	u32 err;

	if (rc != -EIO)
		return dsa_pci_cfg_refuse(d, rc, "%s: no answer from the device (%d)",
					  what, rc);
	err = (u32)DSA_FGET(d->seam->rd32(d, DSA_REG_CMDSTS), DSA_CMDSTS_ERR);
	return dsa_pci_cfg_refuse(d, rc, "%s refused by the device: %s (CMDSTS error %#x)",
				  what, dsa_pci_cmd_err(err), err);
}

static u32 cfg_total_cap(const struct dsa_pci *d)
{
	return (u32)DSA_FGET(d->wqcap, DSA_WQCAP_TOTAL_SIZE);
}

static u32 cfg_claimed(const struct dsa_pci *d)
{
	unsigned int i;
	u32 sum = 0;

	for (i = 0; i < d->cfg->nwqs; i++)
		sum += d->wq[i].size;
	return sum;
}

static bool cfg_group_has_engine(const struct dsa_pci *d, int g)
{
	unsigned int e;

	for (e = 0; e < d->cfg->nengines; e++)
		if (d->cfg->eng_group[e] == g)
			return true;
	return false;
}

static bool cfg_has_mode(const struct dsa_pci *d, bool dedicated)
{
	return dedicated ? DSA_FGET(d->wqcap, DSA_WQCAP_DEDICATED_MODE) :
			   DSA_FGET(d->wqcap, DSA_WQCAP_SHARED_MODE);
}

static bool cfg_has_batch(const struct dsa_pci *d)
{
	return d->opcap0 & DSA_OPCAP(DSA_OP_BATCH);
}

/* ---- the default configuration ---- */

static void cfg_wq_defaults(struct dsa_pci *d, struct dsa_pci_wq *wq,
			    unsigned int id)
{
	wq->d = d;
	wq->id = id;
	wq->dedicated = true;
	wq->size = 0;
	wq->thresh = 0;
	wq->group = -1;
	wq->priority = 1;
	wq->bof = false;
	wq->xfer_shift = (u32)DSA_FGET(d->gencap, DSA_GENCAP_MAX_XFER_SHIFT);
	wq->batch_shift = (u32)DSA_FGET(d->gencap, DSA_GENCAP_MAX_BATCH_SHIFT);
	wq->enabled = false;
	atomic_set(&wq->openers, 0);
}

int dsa_pci_cfg_init(struct dsa_pci *d)
{
	unsigned int nwqs = (unsigned int)DSA_FGET(d->wqcap, DSA_WQCAP_NUM_WQS);
	unsigned int neng = (unsigned int)DSA_FGET(d->engcap, DSA_ENGCAP_NUM_ENGINES);
	unsigned int ngrp = (unsigned int)DSA_FGET(d->grpcap, DSA_GRPCAP_NUM_GROUPS);
	struct dsa_pci_cfg *c;
	unsigned int i;
	int id;

	if (nwqs < DSA_PCI_WQS || !neng || !ngrp ||
	    cfg_total_cap(d) < DSA_PCI_DWQ_SIZE + DSA_PCI_SWQ_SIZE) {
		dev_err(d->dev, "too small for the default configuration\n");
		return -ENODEV;
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	id = ida_alloc(&dsa_pci_cfg_ida, GFP_KERNEL);
	if (id < 0) {
		kfree(c);
		return id;
	}
	mutex_init(&c->lock);
	c->id = id;
	if (nwqs > DSA_PCI_MAX_WQS || neng > DSA_PCI_MAX_ENGINES ||
	    ngrp > DSA_PCI_MAX_GROUPS)
		dev_info(d->dev, "configuring %u of %u queues, %u of %u engines, %u of %u groups\n",
			 min_t(unsigned int, nwqs, DSA_PCI_MAX_WQS), nwqs,
			 min_t(unsigned int, neng, DSA_PCI_MAX_ENGINES), neng,
			 min_t(unsigned int, ngrp, DSA_PCI_MAX_GROUPS), ngrp);
	c->nwqs = min_t(unsigned int, nwqs, DSA_PCI_MAX_WQS);
	c->nengines = min_t(unsigned int, neng, DSA_PCI_MAX_ENGINES);
	c->ngroups = min_t(unsigned int, ngrp, DSA_PCI_MAX_GROUPS);
	/* A PCI function tags requests with a PASID only if it has the
	 * PASID capability (idxd: device_pasid_enabled); the simulated
	 * device binds its own (dsa_pci_sim.c) unless told not to. */
	if (dev_is_pci(d->dev))
		c->pasid = pci_find_ext_capability(to_pci_dev(d->dev),
						   PCI_EXT_CAP_ID_PASID) != 0 ||
			   dsa_pci_pv_pasid(d);
	else
		c->pasid = sim_pasid;
	d->cfg = c;

	for (i = 0; i < DSA_PCI_MAX_WQS; i++)
		cfg_wq_defaults(d, &d->wq[i], i);
	for (i = 0; i < c->nengines; i++)
		c->eng_group[i] = 0;
	for (; i < DSA_PCI_MAX_ENGINES; i++)
		c->eng_group[i] = -1;
	d->wq[0].size = DSA_PCI_DWQ_SIZE;
	d->wq[0].group = 0;
	d->wq[1].dedicated = false;
	d->wq[1].size = DSA_PCI_SWQ_SIZE;
	d->wq[1].thresh = DSA_PCI_SWQ_THRESH;
	d->wq[1].group = 0;
	return 0;
}

void dsa_pci_cfg_exit(struct dsa_pci *d)
{
	struct dsa_pci_cfg *c = d->cfg;

	if (!c)
		return;
	/* No change can start (or still be running) once the attributes
	 * are gone: device_del waits for their callers. */
	dsa_pci_sysfs_remove(d);
	ida_free(&dsa_pci_cfg_ida, c->id);
	d->cfg = NULL;
	kfree(c);
}

/* ---- queues ---- */

static const char *const cfg_field_name[] = {
	[DSA_PCI_WQ_MODE] = "mode",
	[DSA_PCI_WQ_SIZE] = "size",
	[DSA_PCI_WQ_THRESHOLD] = "threshold",
	[DSA_PCI_WQ_PRIORITY] = "priority",
	[DSA_PCI_WQ_GROUP] = "group_id",
	[DSA_PCI_WQ_BOF] = "block_on_fault",
	[DSA_PCI_WQ_MAX_XFER] = "max_transfer_size",
	[DSA_PCI_WQ_MAX_BATCH] = "max_batch_size",
};

/* A power-of-two limit (idxd rounds up: sysfs.c __get_sysfs_u64). */
static int cfg_limit_shift(struct dsa_pci_wq *wq, const char *what, s64 val,
			   u32 dev_shift, u32 *shift)
{
	struct dsa_pci *d = wq->d;

	if (val <= 0)
		return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u: %s %lld: must be at least 1",
					  d->cfg->id, wq->id, what, val);
	if (val > (1ll << dev_shift))
		return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u: %s %lld: above the device's %llu (GENCAP)",
					  d->cfg->id, wq->id, what, val,
					  1ull << dev_shift);
	*shift = order_base_2((u64)val);
	return 0;
}

static int cfg_wq_set(struct dsa_pci_wq *wq, enum dsa_pci_wq_field f, s64 val)
{
	struct dsa_pci *d = wq->d;
	struct dsa_pci_cfg *c = d->cfg;
	int id = c->id;
	u32 shift;
	int rc;

	if (wq->enabled)
		return dsa_pci_cfg_refuse(d, -EBUSY, "wq%d.%u is enabled: disable it before changing %s",
					  id, wq->id, cfg_field_name[f]);
	switch (f) {
	case DSA_PCI_WQ_MODE:
		if (!cfg_has_mode(d, val))
			return dsa_pci_cfg_refuse(d, -EOPNOTSUPP, "wq%d.%u: the device has no %s queues (WQCAP)",
						  id, wq->id, val ? "dedicated" : "shared");
		wq->dedicated = val != 0;
		/* idxd: a dedicated queue has no threshold. */
		if (wq->dedicated)
			wq->thresh = 0;
		return 0;
	case DSA_PCI_WQ_SIZE:
		/* The queues share WQCAP.total_wq_size, so a size changes
		 * only while the whole device is disabled (idxd's rule). */
		if (c->enabled)
			return dsa_pci_cfg_refuse(d, -EBUSY, "wq%d.%u: sizes change only while dsa%d is disabled",
						  id, wq->id, id);
		if (val < 0 || cfg_claimed(d) - wq->size + val > cfg_total_cap(d))
			return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u: size %lld: the queues would hold %lld entries, WQCAP allows %u",
						  id, wq->id, val,
						  (s64)(cfg_claimed(d) - wq->size) + val,
						  cfg_total_cap(d));
		wq->size = (u32)val;
		return 0;
	case DSA_PCI_WQ_THRESHOLD:
		if (wq->dedicated)
			return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u: a threshold applies to shared queues only",
						  id, wq->id);
		if (val <= 0 || val > wq->size)
			return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u: threshold %lld: must be 1 to the size (%u)",
						  id, wq->id, val, wq->size);
		wq->thresh = (u32)val;
		return 0;
	case DSA_PCI_WQ_PRIORITY:
		if (val < 1 || val > DSA_PCI_MAX_PRIORITY)
			return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u: priority %lld: must be 1 to %d",
						  id, wq->id, val, DSA_PCI_MAX_PRIORITY);
		wq->priority = (u32)val;
		return 0;
	case DSA_PCI_WQ_GROUP:
		/* GRPCFG is written only while the device is disabled. */
		if (c->enabled)
			return dsa_pci_cfg_refuse(d, -EBUSY, "wq%d.%u: groups change only while dsa%d is disabled (GRPCFG)",
						  id, wq->id, id);
		if (val < -1 || val >= (s64)c->ngroups)
			return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u: group %lld: the device has groups 0 to %u (-1: none)",
						  id, wq->id, val, c->ngroups - 1);
		wq->group = (int)val;
		return 0;
	case DSA_PCI_WQ_BOF:
		if (!DSA_FGET(d->gencap, DSA_GENCAP_BOF))
			return dsa_pci_cfg_refuse(d, -EOPNOTSUPP, "wq%d.%u: the device has no block on fault (GENCAP)",
						  id, wq->id);
		if (val != 0 && val != 1)
			return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u: block_on_fault is 0 or 1", id, wq->id);
		wq->bof = val;
		return 0;
	case DSA_PCI_WQ_MAX_XFER:
		rc = cfg_limit_shift(wq, "max_transfer_size", val,
				     (u32)DSA_FGET(d->gencap, DSA_GENCAP_MAX_XFER_SHIFT),
				     &shift);
		if (!rc)
			wq->xfer_shift = shift;
		return rc;
	case DSA_PCI_WQ_MAX_BATCH:
		/* idxd hides max_batch_size where there is no batch. */
		if (!cfg_has_batch(d))
			return dsa_pci_cfg_refuse(d, -EOPNOTSUPP, "wq%d.%u: the device has no batch operation (OPCAP)",
						  id, wq->id);
		rc = cfg_limit_shift(wq, "max_batch_size", val,
				     (u32)DSA_FGET(d->gencap, DSA_GENCAP_MAX_BATCH_SHIFT),
				     &shift);
		if (!rc)
			wq->batch_shift = shift;
		return rc;
	}
	return -EINVAL;
}

int dsa_pci_cfg_wq_set(struct dsa_pci_wq *wq, enum dsa_pci_wq_field f, s64 val)
{
	struct dsa_pci_cfg *c = wq->d->cfg;
	int rc;

	mutex_lock(&c->lock);
	c->last_error[0] = 0;
	rc = cfg_wq_set(wq, f, val);
	mutex_unlock(&c->lock);
	return rc;
}

int dsa_pci_cfg_engine_set(struct dsa_pci *d, unsigned int eng, int group)
{
	struct dsa_pci_cfg *c = d->cfg;
	int rc = 0;

	mutex_lock(&c->lock);
	c->last_error[0] = 0;
	if (c->enabled)
		rc = dsa_pci_cfg_refuse(d, -EBUSY, "engine%d.%u: groups change only while dsa%d is disabled (GRPCFG)",
					c->id, eng, c->id);
	else if (group < -1 || group >= (int)c->ngroups)
		rc = dsa_pci_cfg_refuse(d, -EINVAL, "engine%d.%u: group %d: the device has groups 0 to %u (-1: none)",
					c->id, eng, group, c->ngroups - 1);
	else
		c->eng_group[eng] = group;
	mutex_unlock(&c->lock);
	return rc;
}

/* The rules a queue must pass to be enabled (idxd's drv_enable_wq). */
static int cfg_wq_check(struct dsa_pci_wq *wq)
{
	struct dsa_pci *d = wq->d;
	struct dsa_pci_cfg *c = d->cfg;
	int id = c->id;

	if (d->halted)
		return dsa_pci_cfg_refuse(d, -EIO, "wq%d.%u: dsa%d is halted", id, wq->id, id);
	if (!c->enabled)
		return dsa_pci_cfg_refuse(d, -ENXIO, "wq%d.%u: dsa%d is disabled: enable the device first",
					  id, wq->id, id);
	if (!wq->size)
		return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u: size is 0", id, wq->id);
	if (wq->group < 0)
		return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u is in no group (set group_id, with the device disabled)",
					  id, wq->id);
	if (!cfg_group_has_engine(d, wq->group))
		return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u: group %d has no engine",
					  id, wq->id, wq->group);
	if (!cfg_has_mode(d, wq->dedicated))
		return dsa_pci_cfg_refuse(d, -EOPNOTSUPP, "wq%d.%u: the device has no %s queues (WQCAP)",
					  id, wq->id, wq->dedicated ? "dedicated" : "shared");
	if (!wq->dedicated) {
		if (!c->pasid)
			return dsa_pci_cfg_refuse(d, -EOPNOTSUPP, "wq%d.%u: a shared queue needs PASID support, which dsa%d lacks",
						  id, wq->id, id);
		if (!wq->thresh)
			return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u: a shared queue with threshold 0 takes nothing (set threshold)",
						  id, wq->id);
		if (wq->thresh > wq->size)
			return dsa_pci_cfg_refuse(d, -EINVAL, "wq%d.%u: threshold %u above size %u",
						  id, wq->id, wq->thresh, wq->size);
	}
	if (wq->bof && !DSA_FGET(d->gencap, DSA_GENCAP_BOF))
		return dsa_pci_cfg_refuse(d, -EOPNOTSUPP, "wq%d.%u: the device has no block on fault (GENCAP)",
					  id, wq->id);
	/* dsa_pci_register_wq: write(2) to a dedicated queue only where its
	 * occupancy paces it (DSA 2.0); with no portal mapping either, the
	 * queue would have no node at all. */
	if (wq->dedicated && !DSA_FGET(d->wqcap, DSA_WQCAP_OCCUPANCY) &&
	    !(d->seam->submit & ~UACCE_DSA_SUBMIT_WRITE))
		return dsa_pci_cfg_refuse(d, -EOPNOTSUPP, "wq%d.%u: a dedicated queue here would have no way in (no portal mapping, and no occupancy on DSA 1.0 to pace write(2))",
					  id, wq->id);
	return 0;
}

/* WQCFG, Enable WQ, then the node (the queue's uacce device). */
static int cfg_wq_start(struct dsa_pci_wq *wq)
{
	struct dsa_pci *d = wq->d;
	char what[32];
	int rc;

	dsa_pci_wq_write_cfg(d, wq);
	rc = dsa_pci_cmd(d, DSA_CMD_ENABLE_WQ, wq->id, NULL);
	if (rc) {
		snprintf(what, sizeof(what), "Enable WQ %u", wq->id);
		return cfg_cmd_refused(d, rc, what);
	}
	wq->enabled = true;
	atomic_set(&wq->openers, 0);
	rc = dsa_pci_register_wq(d, wq);
	if (rc) {
		dsa_pci_cmd(d, DSA_CMD_DISABLE_WQ, dsa_cmd_wq_operand(wq->id), NULL);
		wq->enabled = false;
		return dsa_pci_cfg_refuse(d, rc, "wq%d.%u: its node could not be registered (%d)",
					  d->cfg->id, wq->id, rc);
	}
	return 0;
}

unsigned int dsa_pci_cfg_wq_clients(struct dsa_pci_wq *wq)
{
	struct uacce_device *u = wq->uacce;
	struct uacce_queue *q;
	unsigned int n = 0;

	if (!u)
		return 0;
	mutex_lock(&u->lock);
	list_for_each_entry(q, &u->queues, list)
		n++;
	mutex_unlock(&u->lock);
	return n;
}

/*
 * The node goes first: the framework puts every open queue, draining its
 * PASID's work, and its files answer -ENODEV from then on.  Disable WQ
 * then waits for anything left (abort if that fails), as idxd's
 * idxd_wq_disable after its cdev is gone.
 */
static int cfg_wq_stop(struct dsa_pci_wq *wq)
{
	struct dsa_pci *d = wq->d;
	u32 op = dsa_cmd_wq_operand(wq->id);
	unsigned int n;
	int rc = 0;

	if (wq->uacce) {
		n = dsa_pci_cfg_wq_clients(wq);
		if (n)
			dev_warn(d->dev, "wq%d.%u: disabled with %u open file(s): they get -ENODEV from now on\n",
				 d->cfg->id, wq->id, n);
		uacce_remove(wq->uacce);
		wq->uacce = NULL;
	}
	if (!d->halted) {
		rc = dsa_pci_cmd(d, DSA_CMD_DISABLE_WQ, op, NULL);
		if (rc) {
			dsa_pci_cmd(d, DSA_CMD_ABORT_WQ, op, NULL);
			rc = dsa_pci_cmd(d, DSA_CMD_DISABLE_WQ, op, NULL);
		}
	}
	if (rc) {
		char what[32];

		snprintf(what, sizeof(what), "Disable WQ %u", wq->id);
		return cfg_cmd_refused(d, rc, what);
	}
	wq->enabled = false;
	return 0;
}

int dsa_pci_cfg_wq_enable(struct dsa_pci_wq *wq, bool on)
{
	struct dsa_pci_cfg *c = wq->d->cfg;
	int rc = 0;

	mutex_lock(&c->lock);
	c->last_error[0] = 0;
	if (on && !wq->enabled) {
		rc = cfg_wq_check(wq);
		if (!rc)
			rc = cfg_wq_start(wq);
	} else if (!on && wq->enabled) {
		rc = cfg_wq_stop(wq);
	}
	mutex_unlock(&c->lock);
	return rc;
}

/* ---- the device ---- */

static int cfg_dev_check(struct dsa_pci *d)
{
	struct dsa_pci_cfg *c = d->cfg;
	unsigned int i;

	if (d->halted)
		return dsa_pci_cfg_refuse(d, -EIO, "dsa%d is halted", c->id);
	if (cfg_claimed(d) > cfg_total_cap(d))
		return dsa_pci_cfg_refuse(d, -EINVAL, "dsa%d: the queues hold %u entries, WQCAP allows %u",
					  c->id, cfg_claimed(d), cfg_total_cap(d));
	/* A group with queues but no engine could never run them. */
	for (i = 0; i < c->nwqs; i++) {
		struct dsa_pci_wq *wq = &d->wq[i];

		if (wq->size && wq->group >= 0 && !cfg_group_has_engine(d, wq->group))
			return dsa_pci_cfg_refuse(d, -EINVAL, "dsa%d: group %d has queues (wq%d.%u) but no engine",
						  c->id, wq->group, c->id, wq->id);
	}
	return 0;
}

/* GRPCFG of every group: its queues, its engines, traffic class B 1
 * (device.c idxd_group_flags_setup's default). */
static void cfg_write_groups(struct dsa_pci *d)
{
	const struct dsa_pci_seam *s = d->seam;
	struct dsa_pci_cfg *c = d->cfg;
	unsigned int g, i;

	for (g = 0; g < c->ngroups; g++) {
		u32 base = d->grpcfg_off + g * DSA_GRPCFG_SIZE;
		u64 wqs = 0, engines = 0;

		for (i = 0; i < c->nwqs; i++)
			if (d->wq[i].group == (int)g)
				wqs |= 1ull << i;
		for (i = 0; i < c->nengines; i++)
			if (c->eng_group[i] == (int)g)
				engines |= 1ull << i;
		s->wr64(d, base + DSA_GRPCFG_WQS, wqs);
		for (i = 1; i < 4; i++)
			s->wr64(d, base + DSA_GRPCFG_WQS + 8 * i, 0);
		s->wr64(d, base + DSA_GRPCFG_ENGINES, engines);
		s->wr64(d, base + DSA_GRPCFG_FLAGS, DSA_FPUT(DSA_GRPFLG_TC_B, 1));
	}
}

/* WQCFG of every queue, then GRPCFG.  A queue in no group gets size 0 in
 * WQCFG, as idxd never writes one (idxd_wq_config_write); it keeps its
 * size here. */
static void cfg_write_tables(struct dsa_pci *d)
{
	unsigned int i;

	for (i = 0; i < d->cfg->nwqs; i++) {
		struct dsa_pci_wq *wq = &d->wq[i];
		u32 size = wq->size;

		if (wq->group < 0)
			wq->size = 0;
		dsa_pci_wq_write_cfg(d, wq);
		wq->size = size;
	}
	cfg_write_groups(d);
}

/* WQCFG and GRPCFG, then Enable Device (idxd's idxd_device_config
 * order). */
static int cfg_dev_start(struct dsa_pci *d)
{
	struct dsa_pci_cfg *c = d->cfg;
	int rc;

	rc = cfg_dev_check(d);
	if (rc)
		return rc;
	cfg_write_tables(d);
	rc = dsa_pci_cmd(d, DSA_CMD_ENABLE_DEVICE, 0, NULL);
	if (rc)
		return cfg_cmd_refused(d, rc, "Enable Device");
	c->enabled = true;
	return 0;
}

static int cfg_dev_stop(struct dsa_pci *d)
{
	struct dsa_pci_cfg *c = d->cfg;
	unsigned int i;
	int rc;

	for (i = 0; i < c->nwqs; i++) {
		if (!d->wq[i].enabled)
			continue;
		rc = cfg_wq_stop(&d->wq[i]);
		if (rc)
			return rc;
	}
	if (!d->halted) {
		rc = dsa_pci_cmd(d, DSA_CMD_DISABLE_DEVICE, 0, NULL);
		if (rc)
			return cfg_cmd_refused(d, rc, "Disable Device");
	}
	c->enabled = false;
	return 0;
}

int dsa_pci_cfg_dev_enable(struct dsa_pci *d, bool on)
{
	struct dsa_pci_cfg *c = d->cfg;
	int rc = 0;

	mutex_lock(&c->lock);
	c->last_error[0] = 0;
	if (on && !c->enabled)
		rc = cfg_dev_start(d);
	else if (!on && c->enabled)
		rc = cfg_dev_stop(d);
	mutex_unlock(&c->lock);
	return rc;
}

/*
 * Probe: the device and the default queues enabled, then the attributes.
 * A shared queue is left disabled where there is no PASID support; the
 * DSA 1.0 dedicated queue of a simulated device is enabled without a
 * node, as before run-time configuration existed (tests/hw/guest-hw.sh).
 */
int dsa_pci_cfg_bring_up(struct dsa_pci *d)
{
	struct dsa_pci_cfg *c = d->cfg;
	unsigned int i;
	int rc;

	mutex_lock(&c->lock);
	rc = cfg_dev_start(d);
	for (i = 0; !rc && i < DSA_PCI_WQS; i++) {
		if (!d->wq[i].dedicated && !c->pasid) {
			dev_info(d->dev, "wq%d.%u: no PASID support, the shared queue stays disabled\n",
				 c->id, i);
			continue;
		}
		rc = cfg_wq_start(&d->wq[i]);
	}
	mutex_unlock(&c->lock);
	if (rc)
		return rc;
	return dsa_pci_sysfs_add(d);
}

/*
 * Halt recovery (dsa_pci_dev.c, after Reset Device, as idxd's
 * idxd_device_reinit): the configuration as it stands written again, the
 * device and its enabled queues enabled again; their nodes stay
 * registered.  Called with the device's state_lock held and without the
 * configuration lock, which a queue's disable holds while its files
 * close (and they take state_lock).  The configuration cannot change
 * meanwhile: every change is refused while the device is halted.
 */
int dsa_pci_cfg_reprogram(struct dsa_pci *d)
{
	struct dsa_pci_cfg *c = d->cfg;
	unsigned int i;
	int rc;

	if (!c->enabled)
		return 0;
	cfg_write_tables(d);
	rc = dsa_pci_cmd(d, DSA_CMD_ENABLE_DEVICE, 0, NULL);
	for (i = 0; !rc && i < c->nwqs; i++)
		if (d->wq[i].enabled)
			rc = dsa_pci_cmd(d, DSA_CMD_ENABLE_WQ, i, NULL);
	return rc;
}

int dsa_pci_cfg_module_init(void)
{
	return dsa_pci_sysfs_init();
}

void dsa_pci_cfg_module_exit(void)
{
	dsa_pci_sysfs_exit();
	ida_destroy(&dsa_pci_cfg_ida);
}
