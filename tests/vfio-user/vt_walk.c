// SPDX-License-Identifier: MIT
/*
 * PASID_ROOT translation: descriptors whose PASID has a root entry carry
 * guest-virtual addresses, translated by walking page tables the test
 * builds in guest RAM (vt_pt.c): 4- and 5-level, 4 KiB / 2 MiB / 1 GiB
 * leaves, not-present, read-only and supervisor-only entries, reserved
 * bits, non-canonical addresses; accessed and dirty bits; faults report
 * the virtual address.  The model path gets the same through vt_equiv.c.
 */
#include "vt.h"
#include "dsa_pv.h"

#include <stdlib.h>

#define W_PASID 0x42u
/* 4-level canonical; source, destination and records each in their own
 * 2 MiB (page table), all in one 1 GiB (page directory). */
#define W_VA 0x00007f1234400000ull
#define W_S (W_VA)
#define W_D (W_VA + 0x200000)
#define W_C (W_VA + 0x400000) /* records */
#define W_SRC_G (VT_IOVA_B + 0x10000)
#define W_DST_G (VT_IOVA_B + 0x40000)
#define W_COMP_G (VT_IOVA_A + 0x50000)

struct vt_w {
	struct vt v;
	struct vt_pt pt;
};

/*
 * A shared queue (descriptors carry their PASID, ENQCMD-style), tables:
 * source pages 0..4 contiguous at W_SRC_G, destination pages 0..4 in
 * reverse order with gaps from W_DST_G, the record page at W_COMP_G.
 */
static void vt_w_up(struct vt_w *w, bool la57)
{
	unsigned int i;

	vt_open(&w->v, NULL);
	vt_bringup(&w->v, 1, false, 16);
	vt_pt_init(&w->pt, &w->v, la57);
	for (i = 0; i < 5; i++) {
		vt_pt_map(&w->pt, W_S + 0x1000 * i, W_SRC_G + 0x1000 * i, 1,
			  VT_PTE_URW);
		vt_pt_map(&w->pt, W_D + 0x1000 * i, W_DST_G + 0x2000 * (4 - i),
			  1, VT_PTE_URW);
	}
	vt_pt_map(&w->pt, W_C, W_COMP_G, 1, VT_PTE_URW);
	VT_EQ(vt_pv_set(&w->v, W_PASID, vt_pt_entry_value(&w->pt)),
	      DSA_PV_ST_OK);
	for (i = 0; i < 5 * 0x1000; i++)
		((uint8_t *)vt_g2h(&w->v, W_SRC_G))[i] = (uint8_t)(i * 13 + 5);
	memset(vt_g2h(&w->v, W_DST_G), 0, 0xa000);
	memset(vt_g2h(&w->v, W_COMP_G), 0, 0x1000);
}

static struct dsa_comp *vt_w_run(struct vt_w *w, uint8_t op, uint32_t flags,
				 uint64_t src, uint64_t dst, uint32_t size)
{
	struct dsa_desc d;

	vt_desc(&d, op, flags, src, dst, size, W_C);
	d.pasid_priv = W_PASID;
	memset(vt_g2h(&w->v, W_COMP_G), 0, 32);
	vt_submit(&w->v, 0, &d);
	return vt_comp(&w->v, W_COMP_G);
}

/* Byte i of the virtual buffer at va equals the source pattern at off. */
static bool vt_w_copied(struct vt_w *w, uint64_t va, uint64_t src_off,
			size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (*(uint8_t *)vt_pt_va2h(&w->pt, va + i) !=
		    (uint8_t)((src_off + i) * 13 + 5))
			return false;
	return true;
}

VT_TEST(walk_4level_scattered_memmove)
{
	struct vfu_dsa_stats s;
	struct dsa_comp *c;
	struct vt_w w;
	unsigned int lvl;

	vt_w_up(&w, false);
	c = vt_w_run(&w, DSA_OP_MEMMOVE, 0, W_S + 0x10, W_D + 0x30, 0x3100);
	VT_EQ(c->status, DSA_COMP_SUCCESS);
	VT_CHECK(vt_w_copied(&w, W_D + 0x30, 0x10, 0x3100));
	/* Nothing landed at the guest-physical addresses of the same
	 * numbers: the addresses were virtual. */
	vt_stats(&w.v, &s);
	VT_EQ(s.model_descs, 0);
	/* The source is one run, the destination four pages apart: one
	 * host descriptor a destination page. */
	VT_EQ(s.host_descs, 4);
	VT_CHECK(s.walks > 0);
	/* Accessed on every level used; dirty on the written leaves only. */
	for (lvl = 4; lvl >= 2; lvl--) {
		VT_CHECK(*vt_pt_entry(&w.pt, W_S, lvl) & VT_PTE_A);
		VT_CHECK(!(*vt_pt_entry(&w.pt, W_S, lvl) & VT_PTE_D));
	}
	VT_EQ(*vt_pt_entry(&w.pt, W_S, 1) & (VT_PTE_A | VT_PTE_D), VT_PTE_A);
	VT_EQ(*vt_pt_entry(&w.pt, W_S + 0x3000, 1) & (VT_PTE_A | VT_PTE_D),
	      VT_PTE_A);
	VT_EQ(*vt_pt_entry(&w.pt, W_D + 0x3000, 1) & (VT_PTE_A | VT_PTE_D),
	      VT_PTE_A | VT_PTE_D);
	VT_EQ(*vt_pt_entry(&w.pt, W_C, 1) & (VT_PTE_A | VT_PTE_D),
	      VT_PTE_A | VT_PTE_D);
	/* A page nobody touched keeps both clear. */
	VT_EQ(*vt_pt_entry(&w.pt, W_D + 0x4000, 1) & (VT_PTE_A | VT_PTE_D), 0);
	VT_EQ(*vt_pt_entry(&w.pt, W_S + 0x4000, 1) & (VT_PTE_A | VT_PTE_D), 0);
	vt_close(&w.v);
}

VT_TEST(walk_faults_report_the_virtual_address)
{
	struct dsa_comp *c;
	struct vt_w w;

	vt_w_up(&w, false);
	/* Destination page 2 not present: a write fault there. */
	*vt_pt_entry(&w.pt, W_D + 0x2000, 1) &= ~VT_PTE_P;
	c = vt_w_run(&w, DSA_OP_MEMMOVE, 0, W_S + 0x10, W_D + 0x30, 0x3100);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	VT_EQ(c->fault_addr, W_D + 0x2000);
	VT_EQ(c->bytes_completed, 0x2000 - 0x30);
	VT_CHECK(vt_w_copied(&w, W_D + 0x30, 0x10, 0x2000 - 0x30));
	/* The faulting leaf was not marked. */
	VT_EQ(*vt_pt_entry(&w.pt, W_D + 0x2000, 1) & (VT_PTE_A | VT_PTE_D), 0);
	/* Source page 1 not present: a read fault, bit 7 clear. */
	*vt_pt_entry(&w.pt, W_S + 0x1000, 1) &= ~VT_PTE_P;
	c = vt_w_run(&w, DSA_OP_CRCGEN, 0, W_S + 0x10, 0, 0x2000);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF);
	VT_EQ(c->fault_addr, W_S + 0x1000);
	VT_EQ(c->bytes_completed, 0x1000 - 0x10);
	/* Block on fault: the invalid response of a refused page request. */
	c = vt_w_run(&w, DSA_OP_CRCGEN, DSA_FLAG_BOF, W_S + 0x10, 0, 0x2000);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_IR);
	VT_EQ(c->fault_addr, W_S + 0x1000);
	vt_close(&w.v);
}

VT_TEST(walk_read_only_and_supervisor_entries)
{
	struct dsa_comp *c;
	struct vt_w w;

	vt_w_up(&w, false);
	/* A read-only leaf: writes fault, reads go. */
	*vt_pt_entry(&w.pt, W_D + 0x1000, 1) &= ~VT_PTE_RW;
	c = vt_w_run(&w, DSA_OP_FILL, 0, 0x1111111111111111ull, W_D, 0x2000);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	VT_EQ(c->fault_addr, W_D + 0x1000);
	VT_EQ(c->bytes_completed, 0x1000);
	c = vt_w_run(&w, DSA_OP_MEMMOVE, 0, W_D + 0x1000, W_D + 0x3000, 0x800);
	VT_EQ(c->status, DSA_COMP_SUCCESS);
	/* Read-only at the page-directory level: every page below. */
	*vt_pt_entry(&w.pt, W_D + 0x1000, 1) |= VT_PTE_RW;
	*vt_pt_entry(&w.pt, W_D, 2) &= ~VT_PTE_RW;
	c = vt_w_run(&w, DSA_OP_FILL, 0, 1, W_D + 0x3008, 0x10);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	VT_EQ(c->fault_addr, W_D + 0x3008);
	VT_EQ(c->bytes_completed, 0);
	*vt_pt_entry(&w.pt, W_D, 2) |= VT_PTE_RW;
	/* Supervisor-only at the PD level: a user PASID cannot read. */
	*vt_pt_entry(&w.pt, W_S, 2) &= ~VT_PTE_US;
	c = vt_w_run(&w, DSA_OP_COMPVAL, 0, W_S, 0, 0x100);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF);
	VT_EQ(c->fault_addr, W_S);
	/* Same tables, the records' page supervisor-only: the record
	 * cannot be written, SWERR says so. */
	*vt_pt_entry(&w.pt, W_S, 2) |= VT_PTE_US;
	*vt_pt_entry(&w.pt, W_C, 1) &= ~VT_PTE_US;
	c = vt_w_run(&w, DSA_OP_NOOP, 0, 0, 0, 0);
	VT_EQ(c->status, 0);
	VT_EQ(DSA_FGET(vt_r64(&w.v, DSA_REG_SWERR), DSA_SWERR_ERROR),
	      DSA_COMP_CRA_XLAT);
	VT_EQ(vt_r64(&w.v, DSA_REG_SWERR + 16), W_C);
	vt_close(&w.v);
}

/* A dedicated queue with a PASID and the privileged flag (WQCFG): a
 * supervisor request, which may use supervisor-only pages. */
VT_TEST(walk_supervisor_request_uses_supervisor_pages)
{
	uint32_t base, dw;
	struct dsa_desc d;
	struct vt_w w;
	struct vt *v = &w.v;

	vt_open(v, NULL);
	vt_bringup(v, 1, true, 16);
	vt_pt_init(&w.pt, v, false);
	vt_pt_map(&w.pt, W_D, W_DST_G, 1, VT_PTE_P | VT_PTE_RW);
	vt_pt_map(&w.pt, W_C, W_COMP_G, 1, VT_PTE_P | VT_PTE_RW);
	VT_EQ(vt_pv_set(v, W_PASID, vt_pt_entry_value(&w.pt)), DSA_PV_ST_OK);
	VT_EQ(vt_cmd(v, DSA_CMD_DISABLE_WQ, 1), DSA_CMDSTS_SUCCESS);
	base = v->wqcfg + 4 * DSA_WQCFG_DW_MODE;
	dw = vt_r32(v, base);
	dw |= (uint32_t)(DSA_FPUT(DSA_WQCFG_PASID_EN, 1) |
			 DSA_FPUT(DSA_WQCFG_PASID, W_PASID));
	vt_w32(v, base, dw | (uint32_t)DSA_FPUT(DSA_WQCFG_PRIV, 1));
	VT_EQ(vt_cmd(v, DSA_CMD_ENABLE_WQ, 0), DSA_CMDSTS_SUCCESS);
	memset(vt_g2h(v, W_COMP_G), 0, 32);
	vt_desc(&d, DSA_OP_FILL, 0, 0x0102030405060708ull, W_D + 8, 16, W_C);
	vt_submit(v, 0, &d);
	VT_EQ(vt_comp(v, W_COMP_G)->status, DSA_COMP_SUCCESS);
	VT_EQ(*(uint64_t *)vt_g2h(v, W_DST_G + 8), 0x0102030405060708ull);
	/* The same queue without the privileged flag: a user request. */
	VT_EQ(vt_cmd(v, DSA_CMD_DISABLE_WQ, 1), DSA_CMDSTS_SUCCESS);
	vt_w32(v, base, dw);
	VT_EQ(vt_cmd(v, DSA_CMD_ENABLE_WQ, 0), DSA_CMDSTS_SUCCESS);
	vt_submit(v, 0, &d);
	/* The record's page is supervisor-only too: SWERR, no record. */
	VT_EQ(DSA_FGET(vt_r64(v, DSA_REG_SWERR), DSA_SWERR_ERROR),
	      DSA_COMP_CRA_XLAT);
	vt_close(v);
}

VT_TEST(walk_non_canonical_and_5_level)
{
	const uint64_t hi = 0x0000800000000000ull; /* bit 47 */
	const uint64_t hi57 = 0x0100000000000000ull; /* bit 56 */
	struct dsa_comp *c;
	struct vt_w w;

	/* 4-level: bit 47 set with bits 63:48 clear is not canonical. */
	vt_w_up(&w, false);
	c = vt_w_run(&w, DSA_OP_FILL, 0, 7, hi + 0x1000, 64);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	VT_EQ(c->fault_addr, hi + 0x1000);
	/* A buffer that runs off the canonical lower half faults at 2^47. */
	vt_pt_map(&w.pt, hi - 0x1000, W_DST_G, 1, VT_PTE_URW);
	c = vt_w_run(&w, DSA_OP_FILL, 0, 7, hi - 0x100, 0x200);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	VT_EQ(c->fault_addr, hi);
	VT_EQ(c->bytes_completed, 0x100);
	vt_close(&w.v);

	/* 5-level: the same address is canonical and mapped; bit 56 is not. */
	vt_w_up(&w, true);
	vt_pt_map(&w.pt, hi + 0x1000, W_DST_G + 0x1000, 1, VT_PTE_URW);
	vt_pt_map(&w.pt, 0xff00000000000000ull, W_DST_G + 0x3000, 1,
		  VT_PTE_URW);
	c = vt_w_run(&w, DSA_OP_FILL, 0, 0x0807060504030201ull, hi + 0x1000, 64);
	VT_EQ(c->status, DSA_COMP_SUCCESS);
	VT_EQ(*(uint64_t *)vt_g2h(&w.v, W_DST_G + 0x1000),
	      0x0807060504030201ull);
	VT_CHECK(*vt_pt_entry(&w.pt, hi + 0x1000, 5) & VT_PTE_A);
	/* The upper half (bits 63:56 all ones) is canonical too. */
	c = vt_w_run(&w, DSA_OP_FILL, 0, 9, 0xff00000000000000ull, 8);
	VT_EQ(c->status, DSA_COMP_SUCCESS);
	VT_EQ(*(uint64_t *)vt_g2h(&w.v, W_DST_G + 0x3000), 9);
	c = vt_w_run(&w, DSA_OP_FILL, 0, 7, hi57, 64);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	VT_EQ(c->fault_addr, hi57);
	/* The 4-level tables' data through the 5-level root still works. */
	c = vt_w_run(&w, DSA_OP_MEMMOVE, 0, W_S, W_D, 0x1800);
	VT_EQ(c->status, DSA_COMP_SUCCESS);
	VT_CHECK(vt_w_copied(&w, W_D, 0, 0x1800));
	vt_close(&w.v);
}

VT_TEST(walk_2m_and_1g_pages)
{
	const uint64_t va2 = 0x00007f0000000000ull; /* 2 MiB page at gpa 2 MiB */
	const uint64_t va1 = 0x00007e0000000000ull; /* 1 GiB page at gpa 0 */
	struct vfu_dsa_stats s0, s1;
	struct dsa_comp *c;
	struct vt_w w;

	vt_w_up(&w, false);
	vt_pt_map(&w.pt, va2, 0x200000, 2, VT_PTE_URW);
	vt_pt_map(&w.pt, va1, 0, 3, VT_PTE_URW);
	/* Within the 2 MiB page (region B), one run: one host descriptor. */
	vt_stats(&w.v, &s0);
	c = vt_w_run(&w, DSA_OP_MEMMOVE, 0, va2 + (W_SRC_G - 0x200000),
		     va2 + 0x80000, 0x5000);
	VT_EQ(c->status, DSA_COMP_SUCCESS);
	vt_stats(&w.v, &s1);
	VT_EQ(s1.host_descs - s0.host_descs, 1);
	VT_CHECK(!memcmp(vt_g2h(&w.v, 0x280000), vt_g2h(&w.v, W_SRC_G), 0x5000));
	VT_EQ(*vt_pt_entry(&w.pt, va2, 2) & (VT_PTE_A | VT_PTE_D),
	      VT_PTE_A | VT_PTE_D);
	/* The page runs past guest RAM (region B ends at 3 MiB): a fault
	 * at the virtual address of the hole. */
	c = vt_w_run(&w, DSA_OP_FILL, 0, 3, va2 + 0xff000, 0x2000);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	VT_EQ(c->fault_addr, va2 + 0x100000);
	VT_EQ(c->bytes_completed, 0x1000);
	/* 1 GiB page: guest-physical RAM at va1 + gpa, across both regions
	 * (adjacent in guest space, not on the host: two pieces). */
	vt_stats(&w.v, &s0);
	c = vt_w_run(&w, DSA_OP_MEMMOVE, 0, va1 + W_SRC_G,
		     va1 + VT_IOVA_B - 0x800, 0x1000);
	VT_EQ(c->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&w.v, VT_IOVA_B - 0x800), vt_g2h(&w.v, W_SRC_G),
			 0x1000));
	vt_stats(&w.v, &s1);
	VT_EQ(s1.host_descs - s0.host_descs, 2);
	VT_EQ(*vt_pt_entry(&w.pt, va1, 3) & (VT_PTE_A | VT_PTE_D),
	      VT_PTE_A | VT_PTE_D);
	/* Reserved address bits in a large leaf (bit 13 of a 2 MiB entry,
	 * bit 21 of a 1 GiB one): faults. */
	*vt_pt_entry(&w.pt, va2, 2) |= 1ull << 13;
	c = vt_w_run(&w, DSA_OP_FILL, 0, 3, va2, 8);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	*vt_pt_entry(&w.pt, va1, 3) |= 1ull << 21;
	c = vt_w_run(&w, DSA_OP_FILL, 0, 3, va1 + W_DST_G, 8);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	/* PS in a PML4 entry is reserved: no 512 GiB pages, even where one
	 * would land in guest RAM. */
	*vt_pt_entry(&w.pt, 0x8000000000ull, 4) = VT_PTE_URW | VT_PTE_PS;
	c = vt_w_run(&w, DSA_OP_CRCGEN, 0, 0x8000000000ull + W_SRC_G, 0, 8);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF);
	VT_EQ(c->fault_addr, 0x8000000000ull + W_SRC_G);
	/* The same in the PML4 entry the records' walk uses. */
	*vt_pt_entry(&w.pt, W_S, 4) |= VT_PTE_PS;
	c = vt_w_run(&w, DSA_OP_CRCGEN, 0, W_S, 0, 8);
	VT_EQ(c->status, 0); /* the record's walk shares that PML4 entry */
	VT_EQ(DSA_FGET(vt_r64(&w.v, DSA_REG_SWERR), DSA_SWERR_ERROR),
	      DSA_COMP_CRA_XLAT);
	vt_close(&w.v);
}

VT_TEST(walk_tables_outside_guest_memory_fault)
{
	struct dsa_comp *c;
	struct vt_w w;

	vt_w_up(&w, false);
	/* The destination's page table moved outside guest RAM. */
	*vt_pt_entry(&w.pt, W_D, 2) =
		0x40000000ull | VT_PTE_URW; /* 1 GiB: no region there */
	c = vt_w_run(&w, DSA_OP_FILL, 0, 3, W_D, 8);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	VT_EQ(c->fault_addr, W_D);
	/* A leaf naming guest-physical memory nobody mapped. */
	vt_pt_map(&w.pt, W_S + 0x10000, 0x7000000, 1, VT_PTE_URW);
	c = vt_w_run(&w, DSA_OP_FILL, 0, 3, W_S + 0x10000, 8);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	VT_EQ(c->fault_addr, W_S + 0x10000);
	vt_close(&w.v);
}

/* A PASID without an entry, or PASID-disabled work: guest-physical. */
VT_TEST(walk_only_where_a_root_is_set)
{
	struct vfu_dsa_stats s;
	struct dsa_desc d;
	struct vt_w w;

	vt_w_up(&w, false);
	vt_desc(&d, DSA_OP_FILL, 0, 0x5555555555555555ull, W_DST_G, 64,
		W_COMP_G);
	d.pasid_priv = W_PASID + 1;
	vt_submit(&w.v, 0, &d);
	VT_EQ(vt_comp(&w.v, W_COMP_G)->status, DSA_COMP_SUCCESS);
	VT_EQ(*(uint64_t *)vt_g2h(&w.v, W_DST_G), 0x5555555555555555ull);
	vt_stats(&w.v, &s);
	VT_EQ(s.walks, 0);
	/* Cleared: the same PASID is guest-physical again. */
	VT_EQ(vt_pv_set(&w.v, W_PASID, 0), DSA_PV_ST_OK);
	d.pasid_priv = W_PASID;
	d.src = 0x6666666666666666ull;
	memset(vt_g2h(&w.v, W_COMP_G), 0, 32);
	vt_submit(&w.v, 0, &d);
	VT_EQ(vt_comp(&w.v, W_COMP_G)->status, DSA_COMP_SUCCESS);
	VT_EQ(*(uint64_t *)vt_g2h(&w.v, W_DST_G), 0x6666666666666666ull);
	vt_stats(&w.v, &s);
	VT_EQ(s.walks, 0);
	vt_close(&w.v);
}

/* A batch: the list, the members' buffers and records all virtual, the
 * list across two pages that are not adjacent in guest memory. */
VT_TEST(walk_batch_list_members_records)
{
	const uint64_t list = W_VA + 0x600000 - 2 * DSA_DESC_SIZE;
	struct dsa_desc d, *m[4];
	struct dsa_comp *c;
	struct vt_w w;
	unsigned int i;

	vt_w_up(&w, false);
	vt_pt_map(&w.pt, list & ~0xfffull, VT_IOVA_A + 0x60000, 1, VT_PTE_URW);
	vt_pt_map(&w.pt, (list & ~0xfffull) + 0x1000, VT_IOVA_A + 0x20000, 1,
		  VT_PTE_URW);
	for (i = 0; i < 4; i++)
		m[i] = vt_pt_va2h(&w.pt, list + i * DSA_DESC_SIZE);
	vt_desc(m[0], DSA_OP_MEMMOVE, 0, W_S, W_D, 0x1800, W_C + 32);
	vt_desc(m[1], DSA_OP_FILL, 0, 0xabababababababab, W_D + 0x2000, 0x100,
		W_C + 64);
	vt_desc(m[2], DSA_OP_CRCGEN, 0, W_S + 0x800, 0, 0x1000, W_C + 96);
	/* a create-delta, through the model, reading both buffers */
	vt_desc(m[3], DSA_OP_CR_DELTA, 0, W_S, W_D, 0x100, W_C + 128);
	m[3]->crdelta.delta_addr = W_D + 0x3000;
	m[3]->crdelta.max_delta_size = 160; /* 16 entries of 10 bytes */
	memset(vt_g2h(&w.v, W_COMP_G), 0, 0x1000);
	vt_desc(&d, DSA_OP_BATCH, 0, list, 0, 4, W_C);
	d.pasid_priv = W_PASID;
	vt_submit(&w.v, 0, &d);
	c = vt_comp(&w.v, W_COMP_G);
	VT_EQ(c[0].status, DSA_COMP_SUCCESS);
	VT_EQ(c[1].status, DSA_COMP_SUCCESS);
	VT_EQ(c[2].status, DSA_COMP_SUCCESS);
	VT_EQ(c[3].status, DSA_COMP_SUCCESS);
	VT_EQ(c[4].status, DSA_COMP_SUCCESS);
	VT_CHECK(vt_w_copied(&w, W_D, 0, 0x1800));
	VT_EQ(*(uint8_t *)vt_pt_va2h(&w.pt, W_D + 0x20ff), 0xab);
	/* The first 0x100 bytes of W_D now equal W_S's: no delta. */
	VT_EQ(c[4].delta_rec_size, 0);
	/* The list page that is not there: a batch page fault at the
	 * virtual address of the member. */
	*vt_pt_entry(&w.pt, list + 2 * DSA_DESC_SIZE, 1) &= ~VT_PTE_P;
	memset(vt_g2h(&w.v, W_COMP_G), 0, 0x1000);
	vt_submit(&w.v, 0, &d);
	VT_EQ(c[0].status, DSA_COMP_BATCH_PAGE_FAULT);
	VT_EQ(c[0].fault_addr, list + 2 * DSA_DESC_SIZE);
	VT_EQ(c[0].bytes_completed, 2);
	vt_close(&w.v);
}
