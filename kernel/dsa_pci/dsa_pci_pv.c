// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The paravirtual extension of our virtual DSA (include/dsa_pv.h), used
 * only when the PCI function advertises it in a vendor-specific
 * capability and the guest needs it; on a real DSA nothing here runs.
 *
 * - PORTAL_8X8, when the CPU has no MOVDIR64B (a TCG guest): a descriptor
 *   goes to its portal slot as eight ordered 8-byte writes, one writer per
 *   portal at a time, and such a portal is never mapped into user space
 *   (a user's pieces could interleave with the kernel's): the queues offer
 *   write(2) only, which libaccel's uacce backend then picks by itself.
 *   A shared queue's portal cannot answer ENQCMD's "retry" through plain
 *   writes, so the driver reads the queue's occupancy under the portal's
 *   lock and answers -EAGAIN itself at the threshold.
 * - PASID_ROOT, when the function has no IOMMU SVA (a guest without a
 *   vIOMMU): the driver allocates the PASIDs itself and registers, per
 *   PASID, the physical address of the opener's top-level page table; the
 *   device walks the guest's own page tables as an IOMMU's first-stage
 *   translation would.  As the IOMMU drivers' SVA code does (intel
 *   svm.c, mm release), an MMU notifier drains the PASID and clears its
 *   entry when the address space is torn down, before the page tables
 *   are freed; close does the same if the process is still alive.
 */
#include <linux/idr.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/pci.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <asm/cpufeature.h>
#include <asm/pgtable.h>

#include "dsa_pci.h"
#include "dsa_pv.h"

#define PV_PORTAL_STRIDE (DSA_PORTAL_PAGES_PER_WQ * DSA_PORTAL_PAGE)

struct dsa_pci_pv {
	struct dsa_pci *d;
	u32 features; /* DSA_PV_F_* in use (advertised and needed) */
	void __iomem *portals; /* BAR2 */
	void __iomem *root; /* the PASID_ROOT window in BAR0 */
	spinlock_t portal_lock[DSA_PCI_MAX_WQS]; /* one writer a portal */
	struct mutex lock; /* the window, the PASID table */
	struct idr pasids;
};

/* One opener's address space under a PASID of ours. */
struct pv_bind {
	struct mmu_notifier mn;
	struct dsa_pci_pv *pv;
	struct mm_struct *mm; /* mmgrab: the pgd stays while the entry may */
	u32 pasid;
	bool set; /* the device holds an entry for it */
};

/* ---- PORTAL_8X8 ---- */

/* Room in a shared queue below its threshold, from WQCFG's occupancy
 * (DSA 2.0); without occupancy the write is posted blind. */
static bool pv_swq_room(struct dsa_pci *d, unsigned int wq)
{
	u32 v;

	if (!DSA_FGET(d->wqcap, DSA_WQCAP_OCCUPANCY))
		return true;
	v = d->seam->rd32(d, d->wqcfg_off + wq * d->wqcfg_size +
				     4 * DSA_WQCFG_DW_STATE);
	return DSA_FGET(v, DSA_WQCFG_OCCUPANCY) < d->wq[wq].thresh;
}

static int pv_portal(struct dsa_pci *d, u64 off, const struct dsa_desc *desc,
		     bool enqcmd)
{
	struct dsa_pci_pv *pv = d->pv;
	unsigned int wq = (unsigned int)(off / PV_PORTAL_STRIDE);
	void __iomem *p = pv->portals + off;
	u64 w[8];
	int i, rc = 0;

	if (wq >= DSA_PCI_MAX_WQS)
		return -EINVAL;
	memcpy(w, desc, sizeof(w));
	/* The record's zeroing and the buffers before the device reads. */
	wmb();
	/* dsa_pv.h: offsets 0, 8, ..., 56 in order, one writer at a time;
	 * BAR2 is mapped uncached, so the writes reach the device in
	 * program order. */
	spin_lock(&pv->portal_lock[wq]);
	if (enqcmd && !pv_swq_room(d, wq)) {
		rc = -EAGAIN; /* what ENQCMDS would have answered */
	} else {
		for (i = 0; i < 8; i++)
			writeq(w[i], p + 8 * i);
	}
	spin_unlock(&pv->portal_lock[wq]);
	return rc;
}

static int pv_mmap_portal(struct dsa_pci *d, struct vm_area_struct *vma,
			  u64 off)
{
	dev_info_ratelimited(d->dev,
			     "the portal takes descriptors in 8-byte pieces (paravirtual, no MOVDIR64B): it is not mapped; submit with write(2)\n");
	return -EOPNOTSUPP;
}

/* ---- PASID_ROOT ---- */

/* Set or clear (entry 0) the device's entry of a PASID; pv->lock held. */
static int pv_root_set(struct dsa_pci_pv *pv, u32 pasid, u64 entry)
{
	u32 st;

	iowrite32(pasid, pv->root + DSA_PV_ROOT_PASID);
	writeq(entry, pv->root + DSA_PV_ROOT_ENTRY);
	st = ioread32(pv->root + DSA_PV_ROOT_STATUS);
	switch (st) {
	case DSA_PV_ST_OK:
		return 0;
	case DSA_PV_ST_FULL:
		return -ENOSPC;
	default:
		dev_err(pv->d->dev, "PASID %u: root entry %#llx refused (status %u)\n",
			pasid, entry, st);
		return -EINVAL;
	}
}

/* Drain the PASID's work, then clear its entry; pv->lock held.  The
 * device must not walk page tables that are about to be freed. */
static void pv_root_clear(struct pv_bind *b)
{
	struct dsa_pci_pv *pv = b->pv;

	if (!b->set)
		return;
	if (dsa_pci_cmd(pv->d, DSA_CMD_DRAIN_PASID, b->pasid, NULL))
		dsa_pci_cmd(pv->d, DSA_CMD_ABORT_PASID, b->pasid, NULL);
	pv_root_set(pv, b->pasid, 0);
	b->set = false;
}

/* exit_mmap() (or our unregister at close): before the page tables go. */
static void pv_mm_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct pv_bind *b = container_of(mn, struct pv_bind, mn);

	mutex_lock(&b->pv->lock);
	pv_root_clear(b);
	mutex_unlock(&b->pv->lock);
}

static const struct mmu_notifier_ops pv_mn_ops = {
	.release = pv_mm_release,
};

static int pv_bind(struct dsa_pci *d, struct uacce_queue *uq, u32 *pasid)
{
	struct dsa_pci_pv *pv = d->pv;
	struct pv_bind *b;
	u64 entry;
	int id, rc;

	/* open() runs in the opener's context (uacce_fops_open). */
	if (uq->mm != current->mm)
		return -EINVAL;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->pv = pv;
	b->mm = uq->mm;
	mmgrab(b->mm);
	b->mn.ops = &pv_mn_ops;
	rc = mmu_notifier_register(&b->mn, b->mm);
	if (rc)
		goto err_drop;
	/* CR3's address bits: the top level of the process's tables, 5
	 * levels when the kernel runs with them (dsa_pv.h). */
	entry = (__pa(b->mm->pgd) & DSA_PV_ROOT_ADDR_MASK) | DSA_PV_ROOT_VALID;
	if (pgtable_l5_enabled())
		entry |= DSA_PV_ROOT_LA57;
	mutex_lock(&pv->lock);
	/* PASID 0 is the requests without one; 20 bits. */
	id = idr_alloc(&pv->pasids, b, 1, 1 << 20, GFP_KERNEL);
	rc = id;
	if (id < 0)
		goto err_unlock;
	b->pasid = id;
	rc = pv_root_set(pv, b->pasid, entry);
	if (rc)
		goto err_idr;
	b->set = true;
	mutex_unlock(&pv->lock);
	*pasid = b->pasid;
	/* What UACCE_CMD_DSA_QINFO reports, as the SVA bind sets it. */
	uq->pasid = b->pasid;
	return 0;
err_idr:
	idr_remove(&pv->pasids, id);
err_unlock:
	mutex_unlock(&pv->lock);
	mmu_notifier_unregister(&b->mn, b->mm);
err_drop:
	mmdrop(b->mm);
	kfree(b);
	return rc;
}

/* put_queue drained the opener's work; the notifier's release (run by
 * the unregister if the mm still lives) drains the PASID once more and
 * clears the entry before the mm may go. */
static void pv_unbind(struct dsa_pci *d, struct uacce_queue *uq, u32 pasid)
{
	struct dsa_pci_pv *pv = d->pv;
	struct pv_bind *b;

	mutex_lock(&pv->lock);
	b = idr_find(&pv->pasids, pasid);
	mutex_unlock(&pv->lock);
	if (!b)
		return;
	mmu_notifier_unregister(&b->mn, b->mm);
	mutex_lock(&pv->lock);
	pv_root_clear(b); /* release ran already if the mm was dying */
	idr_remove(&pv->pasids, pasid);
	mutex_unlock(&pv->lock);
	mmdrop(b->mm);
	kfree(b);
}

/* ---- probe ---- */

/* The capability (PCI 3.0 6.8: vendor-specific, ours by signature). */
static int pv_find_cap(struct pci_dev *pdev, struct dsa_pv_cap *cap)
{
	u8 pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR);
	u32 v;

	while (pos) {
		pci_read_config_dword(pdev, pos + offsetof(struct dsa_pv_cap, signature),
				      &v);
		if (v == DSA_PV_SIGNATURE)
			break;
		pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR);
	}
	if (!pos)
		return -ENOENT;
	pci_read_config_byte(pdev, pos + offsetof(struct dsa_pv_cap, len), &cap->len);
	pci_read_config_byte(pdev, pos + offsetof(struct dsa_pv_cap, version),
			     &cap->version);
	pci_read_config_dword(pdev, pos + offsetof(struct dsa_pv_cap, features),
			      &cap->features);
	pci_read_config_dword(pdev, pos + offsetof(struct dsa_pv_cap, root_window),
			      &cap->root_window);
	if (cap->len < sizeof(*cap) || cap->version < DSA_PV_VERSION) {
		pci_warn(pdev, "paravirtual capability version %u, length %u: ignored\n",
			 cap->version, cap->len);
		return -ENOENT;
	}
	return 0;
}

/* Whether the IOMMU can bind process address spaces for this function
 * (then the framework's SVA bind is the way, as on hardware). */
static bool pv_iommu_sva(struct device *dev)
{
	if (!device_iommu_mapped(dev))
		return false;
	if (iommu_dev_enable_feature(dev, IOMMU_DEV_FEAT_SVA))
		return false;
	iommu_dev_disable_feature(dev, IOMMU_DEV_FEAT_SVA);
	return true;
}

int dsa_pci_pv_probe(struct dsa_pci *d, struct pci_dev *pdev,
		     void __iomem *regs, void __iomem *portals,
		     struct dsa_pci_seam *seam)
{
	struct dsa_pci_pv *pv;
	struct dsa_pv_cap cap = { 0 };
	u32 use = 0;
	int i;

	if (pv_find_cap(pdev, &cap))
		return 0; /* a real DSA, or an old virtual one */
	if ((cap.features & DSA_PV_F_PORTAL_8X8) &&
	    !boot_cpu_has(X86_FEATURE_MOVDIR64B))
		use |= DSA_PV_F_PORTAL_8X8;
	if ((cap.features & DSA_PV_F_PASID_ROOT) && cap.root_window &&
	    IS_ALIGNED(cap.root_window, 8) &&
	    cap.root_window + DSA_PV_ROOT_WINDOW_SIZE <=
		    pci_resource_len(pdev, DSA_BAR_MMIO) &&
	    !pv_iommu_sva(&pdev->dev))
		use |= DSA_PV_F_PASID_ROOT;
	pci_info(pdev, "paravirtual DSA: features %#x offered, %#x used (MOVDIR64B %s, IOMMU SVA %s, %d-level page tables)\n",
		 cap.features, use,
		 boot_cpu_has(X86_FEATURE_MOVDIR64B) ? "present" : "absent",
		 (use & DSA_PV_F_PASID_ROOT) ? "absent" : "not asked or present",
		 pgtable_l5_enabled() ? 5 : 4);
	if (!use)
		return 0;
	pv = devm_kzalloc(&pdev->dev, sizeof(*pv), GFP_KERNEL);
	if (!pv)
		return -ENOMEM;
	pv->d = d;
	pv->features = use;
	pv->portals = portals;
	pv->root = regs + cap.root_window;
	for (i = 0; i < DSA_PCI_MAX_WQS; i++)
		spin_lock_init(&pv->portal_lock[i]);
	mutex_init(&pv->lock);
	idr_init(&pv->pasids);
	d->pv = pv;
	if (use & DSA_PV_F_PORTAL_8X8) {
		seam->portal = pv_portal;
		seam->mmap_portal = pv_mmap_portal;
		seam->submit = UACCE_DSA_SUBMIT_WRITE;
	}
	if (use & DSA_PV_F_PASID_ROOT) {
		seam->bind = pv_bind;
		seam->unbind = pv_unbind;
		seam->uacce_flags &= ~UACCE_DEV_SVA; /* no IOMMU to bind */
	}
	return 0;
}

/* The device's own PASIDs (PASID_ROOT): shared queues work without the
 * PCI PASID capability, which a conventional config space cannot hold. */
bool dsa_pci_pv_pasid(const struct dsa_pci *d)
{
	return d->pv && (d->pv->features & DSA_PV_F_PASID_ROOT);
}

/* After the queues are gone (every entry was cleared by their unbind). */
void dsa_pci_pv_remove(struct dsa_pci *d)
{
	if (!d->pv)
		return;
	WARN_ON(!idr_is_empty(&d->pv->pasids));
	idr_destroy(&d->pv->pasids);
	d->pv = NULL;
}
