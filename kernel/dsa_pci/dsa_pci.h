/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * dsa_pci: a driver for Intel DSA that registers each enabled work queue
 * with the uacce framework.  It reaches its device only through the seam
 * below: register reads and writes of BAR0, 64-byte portal writes to BAR2,
 * and binding an opener's address space to a PASID.  dsa_pci_hw.c answers
 * it from a PCI function (MMIO, MOVDIR64B/ENQCMDS, the IOMMU's SVA bind
 * done by the framework); dsa_pci_sim.c from the register twin (twin/),
 * as a VMM answers a trapped MMIO access.  Everything between is the same.
 */
#ifndef UACCEL_DSA_PCI_H
#define UACCEL_DSA_PCI_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "dsa_regs.h"
#include "uacce_drv.h"

struct dsa_pci;

struct dsa_pci_seam {
	u32 (*rd32)(struct dsa_pci *d, u32 off);
	u64 (*rd64)(struct dsa_pci *d, u32 off);
	void (*wr32)(struct dsa_pci *d, u32 off, u32 val);
	void (*wr64)(struct dsa_pci *d, u32 off, u64 val);
	/* One descriptor to BAR2 at off: 0, or -EAGAIN when an ENQCMDS
	 * was refused ("retry"); a dedicated queue's MOVDIR64B never is. */
	int (*portal)(struct dsa_pci *d, u64 off, const struct dsa_desc *desc,
		      bool enqcmd);
	/* The PASID of the opener's address space (bound at open). */
	int (*bind)(struct dsa_pci *d, struct uacce_queue *uq, u32 *pasid);
	void (*unbind)(struct dsa_pci *d, struct uacce_queue *uq, u32 pasid);
	/* Map the queue's portal page into vma (NULL: no mapping). */
	int (*mmap_portal)(struct dsa_pci *d, struct vm_area_struct *vma,
			   u64 off);
	u32 uacce_flags; /* UACCE_DEV_SVA on hardware */
	u32 submit; /* UACCE_DSA_SUBMIT_* the queues offer */
};

struct dsa_pci_wq {
	struct dsa_pci *d;
	unsigned int id;
	bool dedicated;
	u32 size, thresh;
	struct uacce_device *uacce;
	atomic_t openers;
	/* Run-time configuration (dsa_pci_config.c): kept while the queue is
	 * disabled, written to WQCFG when it is enabled. */
	int group; /* -1: none */
	u32 priority, xfer_shift, batch_shift;
	bool bof, enabled;
	spinlock_t qs_lock; /* qs: taken from the error path too */
	struct list_head qs; /* open queues (struct dsa_pci_q) */
	atomic64_t swerrs; /* software errors reported on this queue */
};

/* One open file on a queue. */
struct dsa_pci_q {
	struct dsa_pci_wq *wq;
	struct uacce_queue *uq;
	u32 pasid;
	/* The device's epoch at open: a recovery since makes it dead (-EIO). */
	unsigned int epoch;
	struct list_head node; /* in wq->qs */
};

#define DSA_PCI_WQS 2 /* the default configuration: one of each mode */
#define DSA_PCI_MAX_WQS 16 /* queues the driver configures (WQCAP may say fewer) */
struct dsa_pci_cfg;

struct dsa_pci {
	struct device *dev;
	const struct dsa_pci_seam *seam;
	void *priv; /* the seam's */
	u32 version;
	u64 gencap, wqcap, grpcap, engcap, opcap0;
	u32 grpcfg_off, wqcfg_off, wqcfg_size;
	struct mutex cmd_lock; /* one command at a time */
	struct dsa_pci_wq wq[DSA_PCI_MAX_WQS];
	struct dsa_pci_cfg *cfg; /* dsa_pci_config.c */
	struct work_struct misc_work; /* vector 0: errors, halt */
	/* Held by open, close and recovery: a queue's PASID configuration
	 * and the device's reset never interleave. */
	struct mutex state_lock;
	bool halted; /* until recovered; for good unless a reset can */
	bool dying; /* teardown: no more recovery */
	unsigned int epoch; /* recoveries so far */
	struct dsa_pci_pv *pv; /* dsa_pci_pv.c, NULL unless in use */
};

/* dsa_pci_dev.c */
int dsa_pci_cmd(struct dsa_pci *d, u32 code, u32 operand, u32 *result);
void dsa_pci_init_state(struct dsa_pci *d);
int dsa_pci_setup(struct dsa_pci *d);
void dsa_pci_teardown(struct dsa_pci *d);
void dsa_pci_misc_irq(struct dsa_pci *d);
int dsa_pci_wq_set_pasid(struct dsa_pci_wq *wq, u32 pasid, bool enable);
void dsa_pci_wq_write_cfg(struct dsa_pci *d, struct dsa_pci_wq *wq);
int dsa_pci_register_wq(struct dsa_pci *d, struct dsa_pci_wq *wq);
const char *dsa_pci_cmd_err(u32 err);

/* dsa_pci_config.c: the configuration (defaults, bring-up, sysfs) */
int dsa_pci_cfg_init(struct dsa_pci *d);
int dsa_pci_cfg_bring_up(struct dsa_pci *d);
int dsa_pci_cfg_reprogram(struct dsa_pci *d);
void dsa_pci_cfg_exit(struct dsa_pci *d);
int dsa_pci_cfg_module_init(void);
void dsa_pci_cfg_module_exit(void);
/* A queue's completion interrupt vector: 1 + its index (vector 0 is
 * errors and commands), as idxd numbers them (init.c
 * idxd_setup_interrupts: one vector a queue after the misc one). */
static inline u16 dsa_pci_wq_vector(const struct dsa_pci_wq *wq)
{
	return (u16)(1 + wq->id);
}
/* Vector n > 0: a completion interrupt of queue n - 1. */
void dsa_pci_wq_irq(struct dsa_pci *d, unsigned int vector);
/* A queue opened before the last recovery, or on a halted device. */
static inline bool dsa_pci_q_dead(const struct dsa_pci_q *q)
{
	return READ_ONCE(q->wq->d->halted) ||
	       READ_ONCE(q->wq->d->epoch) != q->epoch;
}

/* dsa_pci_queue.c */
extern const struct uacce_ops dsa_pci_uacce_ops;

/* dsa_pci_sim.c, dsa_pci_hw.c */
int dsa_pci_sim_init(const char *versions);
void dsa_pci_sim_exit(void);
int dsa_pci_hw_init(void);
void dsa_pci_hw_exit(void);

/* dsa_pci_pv.c: the paravirtual extension of our virtual DSA (dsa_pv.h),
 * set into the function's seam when advertised and needed. */
struct pci_dev;
int dsa_pci_pv_probe(struct dsa_pci *d, struct pci_dev *pdev,
		     void __iomem *regs, void __iomem *portals,
		     struct dsa_pci_seam *seam);
bool dsa_pci_pv_pasid(const struct dsa_pci *d);
void dsa_pci_pv_remove(struct dsa_pci *d);

#endif /* UACCEL_DSA_PCI_H */
