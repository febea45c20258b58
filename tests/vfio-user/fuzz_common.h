/* SPDX-License-Identifier: MIT */
/*
 * Shared by the libFuzzer targets: one device for the whole run, put back
 * to a fresh connection before every input, with 128 KiB of guest RAM in
 * two adjacent DMA regions (so buffers straddle) and, on request, the
 * queues brought up so that portal writes run descriptors, with PASID
 * page-table roots in that RAM.
 */
#ifndef UACCEL_VFU_FUZZ_COMMON_H
#define UACCEL_VFU_FUZZ_COMMON_H

#include "vfu_dsa.h"
#include "vfu_proto.h"
#include "dsa_regs.h"
#include "dsa_pv.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FZ_IOVA 0x100000ull
#define FZ_HALF 0x10000ull

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vfu_dsa *fz_dev;
static int fz_memfd = -1;
static uint8_t *fz_ram;

static void fz_init(void)
{
	struct vfu_dsa_config c;

	vfu_dsa_config_default(&c);
	/* The inline backend: the host path without engine threads. */
	c.backend = "cpu";
	if (vfu_dsa_create(&fz_dev, &c))
		abort();
	fz_memfd = memfd_create("fuzz-ram", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fz_memfd < 0 || ftruncate(fz_memfd, 2 * FZ_HALF) ||
	    fcntl(fz_memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW))
		abort();
	fz_ram = mmap(NULL, 2 * FZ_HALF, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fz_memfd, 0);
	if (fz_ram == MAP_FAILED)
		abort();
}

static void fz_w(unsigned int region, uint64_t off, uint64_t v, uint32_t n)
{
	vfu_dsa_region_write(fz_dev, region, off, &v, n);
}

/* A new connection: regions mapped, RAM from the input, maybe queues up
 * (idxd's order: bus master, WQCFG, GRPCFG, enable device, enable WQs). */
static void fz_fresh(const uint8_t *ram, size_t ram_len, bool bringup)
{
	unsigned int i;

	vfu_dsa_disconnect(fz_dev);
	memset(fz_ram, 0, 2 * FZ_HALF);
	memcpy(fz_ram, ram, ram_len < 2 * FZ_HALF ? ram_len : 2 * FZ_HALF);
	if (vfu_dsa_dma_map(fz_dev, FZ_IOVA, FZ_HALF, fz_memfd, 0, 3) ||
	    vfu_dsa_dma_map(fz_dev, FZ_IOVA + FZ_HALF, FZ_HALF, fz_memfd,
			    FZ_HALF, 3))
		abort();
	if (!bringup)
		return;
	fz_w(VFU_PCI_CONFIG, 4, 6, 2);
	for (i = 0; i < 2; i++) {
		fz_w(VFU_PCI_BAR0, 0x500 + 32 * i, 8, 4);
		fz_w(VFU_PCI_BAR0, 0x504 + 32 * i, 8, 4);
		/* queue 0 dedicated, queue 1 shared; priority 1 */
		fz_w(VFU_PCI_BAR0, 0x508 + 32 * i, (i ? 1u << 28 : 1u) | 1u << 4, 4);
		fz_w(VFU_PCI_BAR0, 0x50c + 32 * i, 31 | 10 << 5, 4);
	}
	fz_w(VFU_PCI_BAR0, 0x400, 3, 8);
	fz_w(VFU_PCI_BAR0, 0x420, 1, 8);
	fz_w(VFU_PCI_BAR0, DSA_REG_GENCTRL, 3, 4);
	fz_w(VFU_PCI_BAR0, DSA_REG_CMD, dsa_cmd_word(DSA_CMD_ENABLE_DEVICE, 0, 0), 4);
	fz_w(VFU_PCI_BAR0, DSA_REG_CMD, dsa_cmd_word(DSA_CMD_ENABLE_WQ, 0, 0), 4);
	fz_w(VFU_PCI_BAR0, DSA_REG_CMD, dsa_cmd_word(DSA_CMD_ENABLE_WQ, 1, 0), 4);
	/* PASID_ROOT (include/dsa_pv.h): PASIDs 1 and 2 (4- and 5-level)
	 * take their page tables from the input's RAM, so that shared-queue
	 * descriptors naming them walk tables the fuzzer wrote. */
	for (i = 1; i <= 2; i++) {
		fz_w(VFU_PCI_BAR0, 0x1000 + DSA_PV_ROOT_PASID, i, 4);
		fz_w(VFU_PCI_BAR0, 0x1000 + DSA_PV_ROOT_ENTRY,
		     (FZ_IOVA + 0x1000 * i) | DSA_PV_ROOT_VALID |
			     (i == 2 ? DSA_PV_ROOT_LA57 : 0), 8);
	}
}

#endif /* UACCEL_VFU_FUZZ_COMMON_H */
