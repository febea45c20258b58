/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Run-time configuration of a dsa_pci device: the software copy of its
 * groups, engines and queues (kept while they are disabled, programmed
 * into GRPCFG and WQCFG when they are enabled), the rules a change must
 * pass, and the reason of the last refusal.  dsa_pci_config.c holds the
 * rules and the enable/disable paths, dsa_pci_sysfs.c the attributes
 * under /sys/class/dsa_pci/ that call them (names and meanings after
 * Linux's Documentation/ABI/stable/sysfs-driver-dma-idxd).
 */
#ifndef UACCEL_DSA_PCI_CONFIG_H
#define UACCEL_DSA_PCI_CONFIG_H

#include "dsa_pci.h"

#define DSA_PCI_MAX_ENGINES 16
#define DSA_PCI_MAX_GROUPS 8
#define DSA_PCI_REASON_LEN 160

/* What a queue attribute changes (dsa_pci_cfg_wq_set). */
enum dsa_pci_wq_field {
	DSA_PCI_WQ_MODE, /* 1 dedicated, 0 shared */
	DSA_PCI_WQ_SIZE,
	DSA_PCI_WQ_THRESHOLD,
	DSA_PCI_WQ_PRIORITY,
	DSA_PCI_WQ_GROUP, /* -1: none */
	DSA_PCI_WQ_BOF,
	DSA_PCI_WQ_MAX_XFER, /* bytes, rounded up to a power of two */
	DSA_PCI_WQ_MAX_BATCH, /* descriptors, rounded up likewise */
};

struct dsa_pci_cfg {
	/* Every change and every enable/disable, one at a time. */
	struct mutex lock;
	int id; /* dsa<id>, wq<id>.<n>, ... */
	unsigned int nwqs, nengines, ngroups;
	int eng_group[DSA_PCI_MAX_ENGINES]; /* -1: none */
	bool enabled; /* the device */
	bool pasid; /* the device can tag requests with a PASID */
	char last_error[DSA_PCI_REASON_LEN];
	/* sysfs: dsa<id>, then its queues, engines and groups. */
	struct device *dev;
	struct device *wq_dev[DSA_PCI_MAX_WQS];
	struct device *eng_dev[DSA_PCI_MAX_ENGINES];
	struct device *grp_dev[DSA_PCI_MAX_GROUPS];
};

/* dsa_pci_config.c; every call below takes cfg->lock itself. */
int dsa_pci_cfg_wq_set(struct dsa_pci_wq *wq, enum dsa_pci_wq_field f,
		       s64 val);
int dsa_pci_cfg_engine_set(struct dsa_pci *d, unsigned int eng, int group);
int dsa_pci_cfg_wq_enable(struct dsa_pci_wq *wq, bool on);
int dsa_pci_cfg_dev_enable(struct dsa_pci *d, bool on);
/* Open files on an enabled queue's node. */
unsigned int dsa_pci_cfg_wq_clients(struct dsa_pci_wq *wq);
/* Record a refusal's reason (last_error, kernel log); returns err. */
__printf(3, 4) int dsa_pci_cfg_refuse(struct dsa_pci *d, int err,
				      const char *fmt, ...);

/* dsa_pci_sysfs.c */
int dsa_pci_sysfs_add(struct dsa_pci *d);
void dsa_pci_sysfs_remove(struct dsa_pci *d);
int dsa_pci_sysfs_init(void);
void dsa_pci_sysfs_exit(void);

#endif /* UACCEL_DSA_PCI_CONFIG_H */
