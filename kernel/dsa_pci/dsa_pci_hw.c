// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The PCI side: a real DSA function.  The seam is MMIO on BAR0, 64-byte
 * stores to BAR2 (MOVDIR64B for a dedicated queue, ENQCMDS for a shared
 * one, as idxd's submit.c does for kernel queues) and the PASID the uacce
 * framework bound with iommu_sva_bind_device when the queue was opened.
 * Not tried on hardware (no machine here has a DSA); see docs/hw.md.
 */
#include <linux/capability.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <asm/special_insns.h>

#include "dsa_pci.h"

struct dsa_pci_hw {
	struct dsa_pci d;
	struct pci_dev *pdev;
	void __iomem *regs; /* BAR0 */
	void __iomem *portals; /* BAR2 */
	struct dsa_pci_seam seam; /* hw_seam, with dsa_pci_pv.c's parts */
	int nvec; /* MSI-X vectors: 0 and one per queue that has one */
};

static struct dsa_pci_hw *to_hw(struct dsa_pci *d)
{
	return container_of(d, struct dsa_pci_hw, d);
}

static u32 hw_rd32(struct dsa_pci *d, u32 off)
{
	return ioread32(to_hw(d)->regs + off);
}

static u64 hw_rd64(struct dsa_pci *d, u32 off)
{
	return readq(to_hw(d)->regs + off);
}

static void hw_wr32(struct dsa_pci *d, u32 off, u32 val)
{
	iowrite32(val, to_hw(d)->regs + off);
}

static void hw_wr64(struct dsa_pci *d, u32 off, u64 val)
{
	writeq(val, to_hw(d)->regs + off);
}

static int hw_portal(struct dsa_pci *d, u64 off, const struct dsa_desc *desc,
		     bool enqcmd)
{
	void __iomem *p = to_hw(d)->portals + off;

	/* The descriptor's stores (and the zeroed record) before the
	 * device reads them. */
	wmb();
	if (enqcmd)
		return enqcmds(p, desc); /* -EAGAIN: retry */
	iosubmit_cmds512(p, desc, 1);
	return 0;
}

/* The framework bound the opener's mm (UACCE_DEV_SVA) at open. */
static int hw_bind(struct dsa_pci *d, struct uacce_queue *uq, u32 *pasid)
{
	if (uq->pasid == UACCE_PASID_NONE)
		return -ENODEV;
	*pasid = uq->pasid;
	return 0;
}

static void hw_unbind(struct dsa_pci *d, struct uacce_queue *uq, u32 pasid)
{
}

/*
 * One portal page, uncached.  Since INTEL-SA-01084 the kernel maps DSA
 * portals only for CAP_SYS_RAWIO; everyone else uses write(2).  The gate
 * is applied to every part (this driver cannot tell affected ones).
 */
static int hw_mmap_portal(struct dsa_pci *d, struct vm_area_struct *vma,
			  u64 off)
{
	struct pci_dev *pdev = to_hw(d)->pdev;

	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return io_remap_pfn_range(vma, vma->vm_start,
				  (pci_resource_start(pdev, DSA_BAR_PORTAL) + off) >>
					  PAGE_SHIFT,
				  PAGE_SIZE, vma->vm_page_prot);
}

static const struct dsa_pci_seam hw_seam = {
	.rd32 = hw_rd32,
	.rd64 = hw_rd64,
	.wr32 = hw_wr32,
	.wr64 = hw_wr64,
	.portal = hw_portal,
	.bind = hw_bind,
	.unbind = hw_unbind,
	.mmap_portal = hw_mmap_portal,
	.uacce_flags = UACCE_DEV_SVA,
	.submit = UACCE_DSA_SUBMIT_PORTAL | UACCE_DSA_SUBMIT_WRITE,
};

static irqreturn_t hw_misc_thread(int irq, void *data)
{
	dsa_pci_misc_irq(data);
	return IRQ_HANDLED;
}

/* A queue's completion vector: wake its openers (callable in hard IRQ
 * context: the framework's notify and updated are). */
static irqreturn_t hw_wq_irq(int irq, void *data)
{
	struct dsa_pci_hw *h = data;
	int v;

	for (v = 1; v < h->nvec; v++)
		if (pci_irq_vector(h->pdev, v) == irq)
			dsa_pci_wq_irq(&h->d, v);
	return IRQ_HANDLED;
}

static void hw_free_wq_irqs(struct dsa_pci_hw *h, int n)
{
	while (n-- > 1)
		free_irq(pci_irq_vector(h->pdev, n), h);
}

static void hw_misc_work(struct work_struct *w)
{
	dsa_pci_misc_irq(container_of(w, struct dsa_pci, misc_work));
}

static int hw_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct dsa_pci_hw *h;
	int rc, nvec, i;

	h = devm_kzalloc(&pdev->dev, sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	rc = pcim_enable_device(pdev);
	if (rc)
		return rc;
	rc = pcim_iomap_regions(pdev, BIT(DSA_BAR_MMIO) | BIT(DSA_BAR_PORTAL),
				"dsa_pci");
	if (rc)
		return rc;
	h->regs = pcim_iomap_table(pdev)[DSA_BAR_MMIO];
	h->portals = pcim_iomap_table(pdev)[DSA_BAR_PORTAL];
	rc = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (rc)
		return rc;
	pci_set_master(pdev);
	h->pdev = pdev;
	h->d.dev = &pdev->dev;
	h->seam = hw_seam;
	rc = dsa_pci_pv_probe(&h->d, pdev, h->regs, h->portals, &h->seam);
	if (rc)
		return rc;
	h->d.seam = &h->seam;
	h->d.priv = h;
	INIT_WORK(&h->d.misc_work, hw_misc_work);
	dsa_pci_init_state(&h->d);
	/* Vector 0: errors and commands; then one a queue for completion
	 * interrupts (init.c idxd_setup_interrupts), at least for the
	 * default queues, up to every queue run-time configuration allows. */
	nvec = pci_alloc_irq_vectors(pdev, 1 + DSA_PCI_WQS, 1 + DSA_PCI_MAX_WQS,
				     PCI_IRQ_MSIX);
	if (nvec < 0)
		return nvec;
	h->nvec = nvec;
	rc = request_threaded_irq(pci_irq_vector(pdev, 0), NULL, hw_misc_thread,
				  IRQF_ONESHOT, "dsa_pci-misc", &h->d);
	if (rc)
		goto err_vec;
	for (i = 1; i < nvec; i++) {
		rc = request_irq(pci_irq_vector(pdev, i), hw_wq_irq, 0,
				 "dsa_pci-wq", h);
		if (rc) {
			hw_free_wq_irqs(h, i);
			goto err_irq;
		}
	}
	dev_info(&pdev->dev, "DSA version %#x\n",
		 ioread32(h->regs + DSA_REG_VERSION));
	rc = dsa_pci_setup(&h->d);
	if (rc)
		goto err_wq_irqs;
	pci_set_drvdata(pdev, h);
	return 0;
err_wq_irqs:
	hw_free_wq_irqs(h, nvec);
err_irq:
	free_irq(pci_irq_vector(pdev, 0), &h->d);
err_vec:
	pci_free_irq_vectors(pdev);
	dsa_pci_pv_remove(&h->d);
	return rc;
}

static void hw_remove(struct pci_dev *pdev)
{
	struct dsa_pci_hw *h = pci_get_drvdata(pdev);

	dsa_pci_teardown(&h->d);
	hw_free_wq_irqs(h, h->nvec);
	free_irq(pci_irq_vector(pdev, 0), &h->d);
	pci_free_irq_vectors(pdev);
	flush_work(&h->d.misc_work);
	dsa_pci_pv_remove(&h->d);
}

/* Sapphire Rapids, Granite Rapids-D, Diamond Rapids (registers.h,
 * pci_ids.h); the VERSION register, not the ID, decides the rules. */
static const struct pci_device_id hw_ids[] = {
	{ PCI_DEVICE(DSA_PCI_VENDOR_INTEL, DSA_PCI_DEVICE_SPR) },
	{ PCI_DEVICE(DSA_PCI_VENDOR_INTEL, DSA_PCI_DEVICE_GNRD) },
	{ PCI_DEVICE(DSA_PCI_VENDOR_INTEL, DSA_PCI_DEVICE_DMR) },
	{ 0 }
};
/* No MODULE_DEVICE_TABLE: loading must stay a choice while idxd is the
 * usual owner of these functions (docs/hw.md: unbind idxd first). */

static struct pci_driver hw_driver = {
	.name = "dsa_pci",
	.id_table = hw_ids,
	.probe = hw_probe,
	.remove = hw_remove,
};

int dsa_pci_hw_init(void)
{
	return pci_register_driver(&hw_driver);
}

void dsa_pci_hw_exit(void)
{
	pci_unregister_driver(&hw_driver);
}
