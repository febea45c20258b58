/* SPDX-License-Identifier: MIT */
/*
 * The driver's guest tests (dsa_pci on simulated devices, tests/hw/
 * guest-hw.sh): which queue is which.  guest-hw.sh loads dsa_pci with
 * sim=1,2 and exports the node names of the queues it registered, read
 * from the driver's "DSA x.y queue n: mode" lines:
 *   HW_V1_SWQ  DSA 1.0 shared queue
 *   HW_V2_DWQ  DSA 2.0 dedicated queue
 *   HW_V2_SWQ  DSA 2.0 shared queue
 */
#ifndef TESTS_HW_GUEST_HWG_H
#define TESTS_HW_GUEST_HWG_H

#include "kt_util.h"

/* The node name in $var; the test fails when it is not set. */
const char *hwg_dev(const char *var);
/* Open and start the queue named by $var (asserting success). */
void hwg_open(struct kt_q *q, const char *var);
/* write(2) of n descriptors at once: bytes accepted or -errno. */
long hwg_write(struct kt_q *q, const struct dsa_desc *d, unsigned int n);
/* Run one descriptor (retrying "queue full") and wait up to 5 s. */
uint8_t hwg_run(struct kt_q *q, struct dsa_desc *d, struct dsa_comp *c);

/* The default configuration's queue indices (kernel/dsa_pci/dsa_pci_dev.c). */
#define HWG_WQ_DEDICATED 0
#define HWG_WQ_SHARED 1
/* Write cmd to the simulated device's sim_inject (the parent of the
 * queue named by $var); asserting success. */
void hwg_inject(const char *var, const char *cmd);
/* poll(2) the queue for POLLIN up to ms: the revents. */
short hwg_poll(struct kt_q *q, int ms);

#endif /* TESTS_HW_GUEST_HWG_H */
