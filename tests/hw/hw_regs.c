// SPDX-License-Identifier: MIT
/* The register file seen from outside: identity, read-only, reserved. */
#include "hw_harness.h"

#include <criterion/criterion.h>

static const enum dsa_twin_version versions[] = { DSA_TWIN_V1, DSA_TWIN_V2 };

Test(hw_regs, identity_dsa1)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	uint64_t wqcap = dsa_twin_read64(h->t, DSA_REG_WQCAP);
	uint64_t gencap = dsa_twin_read64(h->t, DSA_REG_GENCAP);
	uint32_t cmdcap = dsa_twin_read32(h->t, DSA_REG_CMDCAP);

	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_VERSION), DSA_VERSION_1);
	cr_expect_eq(DSA_FGET(wqcap, DSA_WQCAP_WQCFG_SIZE), 0); /* 32 bytes */
	cr_expect_eq(DSA_FGET(wqcap, DSA_WQCAP_NUM_WQS), DSA_TWIN_MAX_WQS);
	cr_expect_eq(DSA_FGET(wqcap, DSA_WQCAP_TOTAL_SIZE), DSA_TWIN_TOTAL_WQ_SIZE);
	cr_expect_eq(DSA_FGET(wqcap, DSA_WQCAP_OP_CONFIG), 0);
	cr_expect_eq(DSA_FGET(gencap, DSA_GENCAP_MAX_XFER_SHIFT), 31);
	cr_expect_eq(DSA_FGET(gencap, DSA_GENCAP_MAX_BATCH_SHIFT), 10);
	cr_expect_eq(DSA_FGET(gencap, DSA_GENCAP_CONFIG_EN), 1);
	cr_expect_eq(DSA_FGET(gencap, DSA_GENCAP_CMD_CAP), 1);
	cr_expect_eq(cmdcap & (1u << DSA_CMD_ABORT_PASID), 1u << DSA_CMD_ABORT_PASID);
	cr_expect_eq(cmdcap & (1u << DSA_CMD_REQUEST_INT_HANDLE), 0);
	cr_expect_eq(DSA_FGET(dsa_twin_read64(h->t, DSA_REG_GRPCAP),
			      DSA_GRPCAP_NUM_GROUPS), DSA_TWIN_MAX_GROUPS);
	cr_expect_eq(DSA_FGET(dsa_twin_read64(h->t, DSA_REG_ENGCAP),
			      DSA_ENGCAP_NUM_ENGINES), DSA_TWIN_MAX_ENGINES);
	hw_free(h);
}

Test(hw_regs, identity_dsa2)
{
	struct hw *h = hw_new(DSA_TWIN_V2);
	uint64_t wqcap = dsa_twin_read64(h->t, DSA_REG_WQCAP);
	uint32_t cmdcap = dsa_twin_read32(h->t, DSA_REG_CMDCAP);

	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_VERSION), DSA_VERSION_2);
	cr_expect_eq(DSA_FGET(wqcap, DSA_WQCAP_WQCFG_SIZE), 1); /* 64 bytes */
	cr_expect_eq(DSA_FGET(wqcap, DSA_WQCAP_OP_CONFIG), 1);
	cr_expect_eq(DSA_FGET(wqcap, DSA_WQCAP_OCCUPANCY), 1);
	cr_expect_neq(cmdcap & (1u << DSA_CMD_RELEASE_INT_HANDLE), 0);
	hw_free(h);
}

Test(hw_regs, opcap_lists_dsa1_operations)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	uint64_t op0 = dsa_twin_read64(h->t, DSA_REG_OPCAP);

	/* registers.h IDXD_OPCAP_NOOP/BATCH/MEMMOVE are bits 0, 1, 3. */
	cr_expect_eq(op0 & 0xb, 0xb);
	cr_expect_neq(op0 & DSA_OPCAP(DSA_OP_CRCGEN), 0);
	/* DIF is DSA 1.0; DIX generate and translation fetch are 2.0. */
	cr_expect_neq(op0 & DSA_OPCAP(DSA_OP_DIF_CHECK), 0);
	cr_expect_eq(op0 & DSA_OPCAP(DSA_OP_DIX_GEN), 0);
	cr_expect_eq(op0 & DSA_OPCAP(DSA_OP_TRANSL_FETCH), 0);
	cr_expect_eq(dsa_twin_read64(h->t, DSA_REG_OPCAP + 8), 0);
	hw_free(h);
}

Test(hw_regs, offsets_table_places_the_tables)
{
	for (unsigned int i = 0; i < 2; i++) {
		struct hw *h = hw_new(versions[i]);

		hw_probe(h);
		cr_expect_eq(h->grpcfg, 0x400);
		cr_expect_eq(h->wqcfg, 0x500);
		cr_expect_eq(h->wqcfg_size, i ? 64u : 32u);
		/* Every table fits in BAR0 without overlap. */
		cr_expect_leq(h->grpcfg + DSA_TWIN_MAX_GROUPS * DSA_GRPCFG_SIZE, h->wqcfg);
		cr_expect_leq(h->wqcfg + DSA_TWIN_MAX_WQS * h->wqcfg_size, 0x700u);
		hw_free(h);
	}
}

Test(hw_regs, read_only_registers_ignore_writes)
{
	struct hw *h = hw_new(DSA_TWIN_V1);
	uint64_t gencap = dsa_twin_read64(h->t, DSA_REG_GENCAP);

	dsa_twin_write32(h->t, DSA_REG_VERSION, 0x300);
	dsa_twin_write64(h->t, DSA_REG_GENCAP, 0);
	dsa_twin_write64(h->t, DSA_REG_WQCAP, 0);
	dsa_twin_write32(h->t, DSA_REG_GENSTS, DSA_DEV_ENABLED);
	dsa_twin_write32(h->t, DSA_REG_CMDSTS, 0x12);
	dsa_twin_write64(h->t, DSA_REG_OPCAP, 0);
	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_VERSION), DSA_VERSION_1);
	cr_expect_eq(dsa_twin_read64(h->t, DSA_REG_GENCAP), gencap);
	cr_expect_neq(dsa_twin_read64(h->t, DSA_REG_WQCAP), 0);
	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_GENSTS), DSA_DEV_DISABLED);
	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_CMDSTS), 0);
	cr_expect_neq(dsa_twin_read64(h->t, DSA_REG_OPCAP), 0);
	hw_free(h);
}

Test(hw_regs, reserved_bits_read_zero)
{
	struct hw *h = hw_new(DSA_TWIN_V1);

	hw_probe(h);
	dsa_twin_write32(h->t, DSA_REG_GENCFG, 0xffffffffu);
	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_GENCFG),
		     (uint32_t)(DSA_FMASK(DSA_GENCFG_RDBUF_LIMIT) |
				DSA_FMASK(DSA_GENCFG_USER_INT_EN)));
	dsa_twin_write32(h->t, DSA_REG_GENCTRL, 0xffffffffu);
	cr_expect_eq(dsa_twin_read32(h->t, DSA_REG_GENCTRL), 0x3);
	/* GRPCFG: only the 8 queues and 4 engines that exist. */
	dsa_twin_write64(h->t, h->grpcfg, ~0ull);
	dsa_twin_write64(h->t, h->grpcfg + 8, ~0ull);
	dsa_twin_write64(h->t, h->grpcfg + DSA_GRPCFG_ENGINES, ~0ull);
	cr_expect_eq(dsa_twin_read64(h->t, h->grpcfg), 0xff);
	cr_expect_eq(dsa_twin_read64(h->t, h->grpcfg + 8), 0);
	cr_expect_eq(dsa_twin_read64(h->t, h->grpcfg + DSA_GRPCFG_ENGINES), 0xf);
	/* Group flags: no progress limits on 1.0, reserved bits clear. */
	dsa_twin_write64(h->t, h->grpcfg + DSA_GRPCFG_FLAGS, ~0ull);
	cr_expect_eq(dsa_twin_read64(h->t, h->grpcfg + DSA_GRPCFG_FLAGS),
		     DSA_FMASK(DSA_GRPFLG_TC_A) | DSA_FMASK(DSA_GRPFLG_TC_B) |
			     DSA_FMASK(DSA_GRPFLG_USE_RDBUF_LIMIT) |
			     DSA_FMASK(DSA_GRPFLG_RDBUFS_RESERVED) |
			     DSA_FMASK(DSA_GRPFLG_RDBUFS_ALLOWED));
	/* WQCFG: reserved halves of the size and threshold dwords. */
	dsa_twin_write32(h->t, h->wqcfg, 0xffffffffu);
	dsa_twin_write32(h->t, h->wqcfg + 4, 0xffffffffu);
	dsa_twin_write32(h->t, h->wqcfg + 8, 0xffffffffu);
	dsa_twin_write32(h->t, h->wqcfg + 28, 0xffffffffu);
	cr_expect_eq(dsa_twin_read32(h->t, h->wqcfg), 0xffff);
	cr_expect_eq(dsa_twin_read32(h->t, h->wqcfg + 4), 0xffff);
	cr_expect_eq(dsa_twin_read32(h->t, h->wqcfg + 8), 0x3ffffff3u);
	cr_expect_eq(dsa_twin_read32(h->t, h->wqcfg + 28), 0);
	hw_free(h);
}

Test(hw_regs, wqcfg_state_dword_is_read_only)
{
	struct hw *h = hw_new(DSA_TWIN_V2);
	uint32_t off;

	hw_default(h);
	off = h->wqcfg + 2 * h->wqcfg_size + 4 * DSA_WQCFG_DW_STATE;
	dsa_twin_write32(h->t, off, 0xffffffffu);
	/* Queue 2 is disabled: state 0, occupancy 0, mode support 1. */
	cr_expect_eq(dsa_twin_read32(h->t, off),
		     (uint32_t)DSA_FPUT(DSA_WQCFG_MODE_SUPPORT, 1));
	off = h->wqcfg + 4 * DSA_WQCFG_DW_STATE;
	cr_expect_eq(DSA_FGET(dsa_twin_read32(h->t, off), DSA_WQCFG_WQ_STATE),
		     DSA_WQ_STATE_ENABLED);
	hw_free(h);
}

Test(hw_regs, wqcfg_stride_follows_version)
{
	for (unsigned int i = 0; i < 2; i++) {
		struct hw *h = hw_new(versions[i]);
		struct hw_wq q = { .id = 1, .size = 5, .prio = 3 };

		hw_probe(h);
		hw_write_wqcfg(h, &q);
		/* Queue 1's size at wqcfg + stride, nothing at queue 0. */
		cr_expect_eq(dsa_twin_read32(h->t, h->wqcfg + h->wqcfg_size), 5);
		cr_expect_eq(dsa_twin_read32(h->t, h->wqcfg), 0);
		/* On 1.0, +32 from queue 1 is queue 2's size. */
		cr_expect_eq(dsa_twin_read32(h->t, h->wqcfg + 2 * h->wqcfg_size), 0);
		hw_free(h);
	}
}

Test(hw_regs, op_config_only_on_dsa2)
{
	struct hw *h = hw_new(DSA_TWIN_V2);
	uint32_t off;

	hw_probe(h);
	off = h->wqcfg + 4 * DSA_WQCFG_DW_OPCFG;
	/* Reset value: every operation OPCAP lists. */
	cr_expect_eq(dsa_twin_read32(h->t, off), (uint32_t)DSA_OPCAP_DSA2);
	dsa_twin_write32(h->t, off, 0x8);
	cr_expect_eq(dsa_twin_read32(h->t, off), 0x8);
	hw_free(h);
}

Test(hw_regs, misaligned_and_outside_accesses)
{
	struct hw *h = hw_new(DSA_TWIN_V1);

	cr_expect_eq(dsa_twin_read32(h->t, 2), 0xffffffffu);
	cr_expect_eq(dsa_twin_read64(h->t, DSA_REG_GENCAP + 4), ~0ull);
	cr_expect_eq(dsa_twin_read32(h->t, DSA_TWIN_BAR0_SIZE), 0xffffffffu);
	/* Reserved offsets inside BAR0 read zero. */
	cr_expect_eq(dsa_twin_read32(h->t, 0x04), 0);
	cr_expect_eq(dsa_twin_read32(h->t, 0xf00), 0);
	hw_free(h);
}

Test(hw_regs, msix_permission_table)
{
	struct hw *h = hw_new(DSA_TWIN_V1);

	dsa_twin_write32(h->t, 0x700 + 8, 0xffffffffu);
	cr_expect_eq(dsa_twin_read32(h->t, 0x700 + 8), 0xfffff00cu);
	cr_expect_eq(dsa_twin_read32(h->t, 0x700 + 12), 0);
	hw_free(h);
}
