// SPDX-License-Identifier: MIT
/*
 * The host path against the model: the same guest descriptor, on the same
 * guest RAM, run by a device on the host libaccel queue and by a device
 * that runs everything in the model, must leave the same record (all 32
 * bytes) and the same guest memory; buffers straddle the two regions, run
 * into holes, and the host path must really have been taken.
 */
#include "vt.h"
#include "dsa_pv.h"

#include <stdlib.h>

struct vt_case {
	uint8_t op;
	uint32_t flags;
	uint64_t src, dst, dst2;
	uint32_t size;
	uint32_t seed;
	bool unmap_b; /* region B gone: guest RAM ends at VT_IOVA_B */
	uint64_t poke; /* a byte of the second buffer flipped (compare) */
	/* after the RAM is filled: lists (pt: the page tables, if paged) */
	void (*setup)(struct vt *v, struct vt_pt *pt);
	/* Addresses are virtual: PASID E_PASID, on the tables below. */
	bool paged;
};

#define E_COMP (VT_IOVA_A + 0x80000)
#define L_LIST (VT_IOVA_A + 0x90000)
#define L_REC (VT_IOVA_A + 0xa0000)
#define L_DATA (VT_IOVA_A + 0xb0000)
#define BND VT_IOVA_B

/*
 * Paged cases: virtual pages VE + 4 KiB * k (k < 64) on guest pages of
 * region B, in pairs, the pairs scattered (5 * j mod 32); page 40
 * read-only, page 50 supervisor-only, page 64 not mapped; the records'
 * page VE_COMP on E_COMP's; two list pages VE_LIST on L_LIST's two pages
 * in reverse order.
 */
#define E_PASID 0x77u
#define VE 0x00007f5500000000ull
#define VE_COMP (VE + 0x100000)
#define VE_LIST (VE + 0x110000)

static void vt_equiv_tables(struct vt *v, struct vt_pt *pt)
{
	unsigned int k;

	vt_pt_init(pt, v, false);
	for (k = 0; k < 64; k++)
		vt_pt_map(pt, VE + 0x1000ull * k,
			  VT_IOVA_B + 0x1000ull * ((k >> 1) * 5 % 32 * 2 + (k & 1)),
			  1, k == 40 ? VT_PTE_P | VT_PTE_US :
			     k == 50 ? VT_PTE_P | VT_PTE_RW : VT_PTE_URW);
	vt_pt_map(pt, VE_COMP, E_COMP, 1, VT_PTE_URW);
	vt_pt_map(pt, VE_LIST, L_LIST + 0x1000, 1, VT_PTE_URW);
	vt_pt_map(pt, VE_LIST + 0x1000, L_LIST, 1, VT_PTE_URW);
	VT_EQ(vt_pv_set(v, E_PASID, vt_pt_entry_value(pt)), DSA_PV_ST_OK);
}

static uint8_t *vt_at(struct vt *v, struct vt_pt *pt, uint64_t a)
{
	return pt ? vt_pt_va2h(pt, a) : vt_g2h(v, a);
}

static void vt_fill_ram(struct vt *v, const struct vt_case *k,
			struct vt_pt *pt)
{
	size_t i;

	for (i = 0; i < VT_RAM; i++)
		v->ram[i] = (uint8_t)(i * 7 + (i >> 9));
	if (pt)
		vt_equiv_tables(v, pt);
	if (k->op == DSA_OP_COMPARE)
		for (i = 0; i < k->size; i++)
			*vt_at(v, pt, k->dst + i) = *vt_at(v, pt, k->src + i);
	if (k->op == DSA_OP_COMPVAL)
		for (i = 0; i < k->size; i++)
			*vt_at(v, pt, k->src + i) =
				(uint8_t)(k->dst >> (8 * ((i) % 8)));
	if (k->poke)
		*vt_at(v, pt, k->poke) ^= 0x40;
	if (k->setup)
		k->setup(v, pt);
}

/* Run k on a fresh device; record and RAM copied out. */
static void vt_run_case(const struct vt_case *k, bool model, uint32_t piece,
			struct dsa_comp *rec, uint8_t *ram,
			struct vfu_dsa_stats *st, uint64_t *swerr)
{
	int i;
	struct vfu_dsa_config c;
	struct dsa_desc d;
	struct vt_pt pt;
	struct vt v;

	vfu_dsa_config_default(&c);
	c.backend = getenv("VT_BACKEND");
	c.model_only = model;
	c.max_piece = piece;
	vt_open(&v, &c);
	/* Paged: a shared queue, the PASID in the descriptor (ENQCMD). */
	vt_bringup(&v, 1, !k->paged, 16);
	vt_fill_ram(&v, k, k->paged ? &pt : NULL);
	memset(vt_g2h(&v, E_COMP), 0, 32);
	if (k->unmap_b)
		VT_EQ(vt_unmap(&v, VT_IOVA_B, VT_REGION, 0), 0);
	vt_desc(&d, k->op, k->flags, k->src, k->dst, k->size,
		k->paged ? VE_COMP : E_COMP);
	if (k->paged)
		d.pasid_priv = E_PASID;
	if (k->op == DSA_OP_DUALCAST)
		d.dcast.dst2 = k->dst2;
	if (k->op == DSA_OP_CRCGEN || k->op == DSA_OP_COPY_CRC)
		d.crc.seed = k->seed;
	vt_submit(&v, 0, &d);
	memcpy(rec, vt_comp(&v, E_COMP), 32);
	memcpy(ram, v.ram, VT_RAM);
	for (i = 0; i < 4; i++)
		swerr[i] = vt_r64(&v, DSA_REG_SWERR + 8 * i);
	vt_stats(&v, st);
	vt_close(&v);
}

/* piece: the host device's max_piece (0: the host queue's limit). */
static void vt_equiv_pieces(const struct vt_case *k, uint32_t piece)
{
	uint8_t *ram_h = malloc(VT_RAM), *ram_m = malloc(VT_RAM);
	struct vfu_dsa_stats sh, sm;
	uint64_t swh[4], swm[4];
	struct dsa_comp rh, rm;

	VT_CHECK(ram_h && ram_m);
	vt_run_case(k, false, piece, &rh, ram_h, &sh, swh);
	vt_run_case(k, true, 0, &rm, ram_m, &sm, swm);
	VT_CHECK(!memcmp(swh, swm, sizeof(swh)));
	if (memcmp(&rh, &rm, 32)) {
		fprintf(stderr,
			"  host  record: status %#x result %u bytes %u fault %#llx crc %#x\n"
			"  model record: status %#x result %u bytes %u fault %#llx crc %#x\n",
			rh.status, rh.result, rh.bytes_completed,
			(unsigned long long)rh.fault_addr, rh.crc_val, rm.status,
			rm.result, rm.bytes_completed,
			(unsigned long long)rm.fault_addr, rm.crc_val);
		free(ram_h);
		free(ram_m);
		vt_fail(__FILE__, __LINE__, "records differ");
	}
	/* After a fault, what lies past bytes_completed in a destination is
	 * undefined (the device may have written ahead): not compared. */
	if ((rh.status & DSA_COMP_STATUS_MASK) != DSA_COMP_SUCCESS &&
	    k->op != DSA_OP_BATCH) {
		uint64_t dsts[2] = { k->op == DSA_OP_COMPARE ||
					     k->op == DSA_OP_COMPVAL ||
					     k->op == DSA_OP_CRCGEN ? 0 : k->dst,
				     k->dst2 };
		int i;

		const struct vt_pt pt = { .root = VT_PT_BASE };

		for (i = 0; i < 2; i++) {
			uint64_t a = dsts[i] + rh.bytes_completed,
				 e = dsts[i] + k->size, g;

			if (!dsts[i])
				continue;
			for (; a < e; a++) {
				g = a;
				if (k->paged && !vt_pt_gpa(&pt, ram_m, a, &g))
					continue;
				if (g >= VT_IOVA_A && g < VT_IOVA_A + VT_RAM)
					ram_h[g - VT_IOVA_A] = ram_m[g - VT_IOVA_A];
			}
		}
	}
	/* After a fault (or a compare that stopped at a difference), how
	 * far ahead the device walked (accessed and dirty bits set) is
	 * undefined too: those bits are not compared. */
	if (k->paged && (rh.status != DSA_COMP_SUCCESS || rh.result)) {
		uint64_t a;

		for (a = VT_PT_BASE; a < VT_PT_END; a += 8) {
			ram_h[a - VT_IOVA_A] &= (uint8_t)~(VT_PTE_A | VT_PTE_D);
			ram_m[a - VT_IOVA_A] &= (uint8_t)~(VT_PTE_A | VT_PTE_D);
		}
	}
	VT_CHECK(!memcmp(ram_h, ram_m, VT_RAM));
	VT_CHECK(rh.status != 0);
	/* The host path ran it (no model fallback), in pieces. */
	VT_EQ(sh.model_descs, 0);
	VT_CHECK(sh.host_descs >= 1 || (rh.status & DSA_COMP_STATUS_MASK) != 1);
	VT_EQ(sm.model_descs, 1);
	/* Small pieces: a buffer of several pieces took several. */
	if (piece && k->op != DSA_OP_BATCH && rh.status == DSA_COMP_SUCCESS &&
	    !rh.result)
		VT_CHECK(sh.host_descs >= (k->size + piece - 1) / piece);
	free(ram_h);
	free(ram_m);
}

/* Each case twice: pieces cut at region boundaries only, then also every
 * 1000 bytes (rounded to 8-byte units: 992), so CRCs chain, compares
 * rebase and fills rotate across many host descriptors. */
static void vt_equiv(const struct vt_case *k)
{
	vt_equiv_pieces(k, 0);
	vt_equiv_pieces(k, 1000);
}

#define VT_EQUIV(name, ...)                                                    \
	VT_TEST(equiv_##name)                                                  \
	{                                                                      \
		const struct vt_case k = { __VA_ARGS__ };                      \
		vt_equiv(&k);                                                  \
	}

VT_EQUIV(memmove_straddling, .op = DSA_OP_MEMMOVE, .src = BND - 4000,
	 .dst = BND - 100 + 0x20000, .size = 9000)
VT_EQUIV(memmove_into_hole, .op = DSA_OP_MEMMOVE, .src = BND - 3000,
	 .dst = VT_IOVA_A + 0x1000, .size = 8000, .unmap_b = true)
VT_EQUIV(memmove_dst_into_hole, .op = DSA_OP_MEMMOVE, .src = VT_IOVA_A + 0x1000,
	 .dst = BND - 333, .size = 4000, .unmap_b = true)
VT_EQUIV(fill_straddling_odd, .op = DSA_OP_FILL, .src = 0x0123456789abcdefull,
	 .dst = BND - 4093, .size = 10000)
VT_EQUIV(compare_differs_after_boundary, .op = DSA_OP_COMPARE,
	 .src = BND - 2000, .dst = VT_IOVA_A + 0x1000, .size = 6000,
	 .poke = VT_IOVA_A + 0x1000 + 4321)
VT_EQUIV(compare_differs_before_boundary, .op = DSA_OP_COMPARE,
	 .src = BND - 2000, .dst = VT_IOVA_A + 0x1000, .size = 6000,
	 .poke = VT_IOVA_A + 0x1000 + 1234)
VT_EQUIV(compare_equal_straddling, .op = DSA_OP_COMPARE, .src = BND - 2000,
	 .dst = VT_IOVA_A + 0x1000, .size = 6000)
VT_EQUIV(compare_second_buffer_into_hole, .op = DSA_OP_COMPARE,
	 .src = VT_IOVA_A + 0x1000, .dst = BND - 100, .size = 600,
	 .unmap_b = true)
VT_EQUIV(compval_differs_after_boundary, .op = DSA_OP_COMPVAL,
	 .src = BND - 2048, .dst = 0x1122334455667788ull, .size = 6000,
	 .poke = BND + 1001)
VT_EQUIV(compval_equal_short_tail, .op = DSA_OP_COMPVAL, .src = BND - 2048,
	 .dst = 0xfeedfacecafebeefull, .size = 5003)
VT_EQUIV(crc_straddling, .op = DSA_OP_CRCGEN, .src = BND - 777, .size = 5000,
	 .seed = 0x12345678)
VT_EQUIV(crc_straddling_bypass_flags, .op = DSA_OP_CRCGEN,
	 .flags = DSA_FLAG_CRC_BYPASS_INV_REF | DSA_FLAG_CRC_BYPASS_DATA_REF,
	 .src = BND - 777, .size = 5000, .seed = 0xdeadbeef)
VT_EQUIV(crc_running_into_hole, .op = DSA_OP_CRCGEN, .src = BND - 777,
	 .size = 5000, .seed = 7, .unmap_b = true)
VT_EQUIV(copy_crc_straddling, .op = DSA_OP_COPY_CRC, .src = BND - 5000,
	 .dst = BND + 0x10000 - 17, .size = 9000, .seed = 1)
VT_EQUIV(dualcast_straddling, .op = DSA_OP_DUALCAST, .src = VT_IOVA_A + 0x1000,
	 .dst = BND - 0x800, .dst2 = BND + 0x40000 - 0x800, .size = 0x1000)
VT_EQUIV(dualcast_second_into_hole, .op = DSA_OP_DUALCAST,
	 .src = VT_IOVA_A + 0x1000, .dst = VT_IOVA_A + 0x10800,
	 .dst2 = BND - 0x800, .size = 0x1000, .unmap_b = true)
VT_EQUIV(cache_flush_straddling, .op = DSA_OP_CFLUSH, .dst = BND - 64 * 5,
	 .size = 64 * 10)

/* Batches: a list in guest RAM, members of every kind. */

static struct dsa_desc *vt_member(struct vt *v, unsigned int i)
{
	return (struct dsa_desc *)vt_g2h(v, L_LIST) + i;
}

static void vt_list_mixed(struct vt *v, struct vt_pt *pt)
{
	(void)pt;
	struct dsa_desc *m;
	unsigned int i;

	memset(vt_g2h(v, L_REC), 0, 0x1000);
	vt_desc(vt_member(v, 0), DSA_OP_MEMMOVE, 0, BND - 1000,
		BND + 0x30000 - 3000, 5000, L_REC);
	vt_desc(vt_member(v, 1), DSA_OP_FILL, 0, 0xa5a5a5a55a5a5a5aull,
		L_DATA + 3, 777, L_REC + 32);
	vt_desc(vt_member(v, 2), DSA_OP_CRCGEN, 0, BND - 100, 0, 300,
		L_REC + 64);
	vt_member(v, 2)->crc.seed = 99;
	/* a compare with a checked result: the model's */
	vt_desc(vt_member(v, 3), DSA_OP_COMPARE, DSA_FLAG_CR, L_DATA,
		L_DATA + 0x100, 64, L_REC + 96);
	/* nested batch and drain: refused */
	vt_desc(vt_member(v, 4), DSA_OP_BATCH, 0, L_LIST, 0, 2, L_REC + 128);
	vt_desc(vt_member(v, 5), DSA_OP_DRAIN, 0, 0, 0, 0, L_REC + 160);
	vt_desc(vt_member(v, 6), DSA_OP_NOOP, 0, 0, 0, 0, L_REC + 192);
	/* a create-delta: the model's */
	m = vt_member(v, 7);
	vt_desc(m, DSA_OP_CR_DELTA, 0, L_DATA, L_DATA + 0x200, 256, L_REC + 224);
	m->crdelta.delta_addr = L_DATA + 0x800;
	m->crdelta.max_delta_size = 400;
	/* a bad opcode; a member without RCR that succeeds: no record */
	vt_desc(vt_member(v, 8), 0x3e, 0, 0, 0, 0, L_REC + 256);
	vt_desc(vt_member(v, 9), DSA_OP_MEMMOVE, 0, L_DATA, L_DATA + 0x400, 8,
		L_REC + 288);
	vt_member(v, 9)->op_flags &= ~DSA_FLAG_RCR;
	for (i = 10; i < 12; i++)
		vt_desc(vt_member(v, i), DSA_OP_COMPVAL, 0, L_DATA, 0, 64,
			L_REC + 32 * i);
}

static void vt_list_fence(struct vt *v, struct vt_pt *pt)
{
	(void)pt;
	memset(vt_g2h(v, L_REC), 0, 0x1000);
	vt_desc(vt_member(v, 0), DSA_OP_MEMMOVE, 0, L_DATA, L_DATA + 0x100, 64,
		L_REC);
	/* faults: the hole past region B */
	vt_desc(vt_member(v, 1), DSA_OP_FILL, 0, 1, BND + VT_REGION - 8, 64,
		L_REC + 32);
	vt_desc(vt_member(v, 2), DSA_OP_NOOP, 0, 0, 0, 0, L_REC + 64);
	vt_desc(vt_member(v, 3), DSA_OP_NOOP, DSA_FLAG_FENCE, 0, 0, 0,
		L_REC + 96);
	vt_desc(vt_member(v, 4), DSA_OP_NOOP, 0, 0, 0, 0, L_REC + 128);
}

static void vt_list_records_anywhere(struct vt *v, struct vt_pt *pt)
{
	(void)pt;
	memset(vt_g2h(v, L_REC), 0, 0x1000);
	vt_desc(vt_member(v, 0), DSA_OP_NOOP, 0, 0, 0, 0, L_REC + 8);
	vt_desc(vt_member(v, 1), DSA_OP_MEMMOVE, 0, L_DATA, L_DATA + 64, 64,
		0x40000000ull);
	vt_desc(vt_member(v, 2), DSA_OP_NOOP, 0, 0, 0, 0, L_REC + 64);
}

VT_EQUIV(batch_mixed_members, .op = DSA_OP_BATCH, .src = L_LIST, .size = 12,
	 .setup = vt_list_mixed)
VT_EQUIV(batch_fence_after_fault, .op = DSA_OP_BATCH, .src = L_LIST, .size = 5,
	 .setup = vt_list_fence)
VT_EQUIV(batch_records_anywhere, .op = DSA_OP_BATCH, .src = L_LIST, .size = 3,
	 .setup = vt_list_records_anywhere)
VT_EQUIV(batch_list_into_hole, .op = DSA_OP_BATCH,
	 .src = BND - 2 * DSA_DESC_SIZE, .size = 4, .unmap_b = true,
	 .setup = vt_list_fence)
VT_EQUIV(batch_list_straddling, .op = DSA_OP_BATCH,
	 .src = BND - 2 * DSA_DESC_SIZE, .size = 4, .setup = vt_list_fence)

/* Virtual addresses (PASID_ROOT): the same, through the guest's page
 * tables; buffers cross pages that are not adjacent in guest memory,
 * run into a page that is not mapped, one that is read-only, one that is
 * supervisor-only. */
VT_EQUIV(paged_memmove_scattered, .paged = true, .op = DSA_OP_MEMMOVE,
	 .src = VE + 0x800, .dst = VE + 0x20123, .size = 0x6000)
VT_EQUIV(paged_memmove_into_unmapped, .paged = true, .op = DSA_OP_MEMMOVE,
	 .src = VE + 0x3f000, .dst = VE + 0x10000, .size = 0x2000)
VT_EQUIV(paged_fill_into_read_only, .paged = true, .op = DSA_OP_FILL,
	 .src = 0x0123456789abcdefull, .dst = VE + 0x26803, .size = 0x2000)
VT_EQUIV(paged_compare_differs, .paged = true, .op = DSA_OP_COMPARE,
	 .src = VE + 0x1000, .dst = VE + 0x9008, .size = 0x5000,
	 .poke = VE + 0x9008 + 0x3333)
VT_EQUIV(paged_compare_equal, .paged = true, .op = DSA_OP_COMPARE,
	 .src = VE + 0x1000, .dst = VE + 0x9008, .size = 0x5000)
VT_EQUIV(paged_compval_into_supervisor, .paged = true, .op = DSA_OP_COMPVAL,
	 .src = VE + 0x31000, .dst = 0x1122334455667788ull, .size = 0x1800)
VT_EQUIV(paged_crc_chained, .paged = true, .op = DSA_OP_CRCGEN,
	 .src = VE + 0x4ffd, .size = 0x7000, .seed = 0xfeedface)
VT_EQUIV(paged_copy_crc, .paged = true, .op = DSA_OP_COPY_CRC,
	 .src = VE + 0x100, .dst = VE + 0x2ff00, .size = 0x1800, .seed = 3)
VT_EQUIV(paged_dualcast, .paged = true, .op = DSA_OP_DUALCAST, .src = VE,
	 .dst = VE + 0x11000, .dst2 = VE + 0x19000, .size = 0x1800)
VT_EQUIV(paged_cache_flush, .paged = true, .op = DSA_OP_CFLUSH,
	 .dst = VE + 0x2000, .size = 0x3000)

/* A list across two pages in reverse guest order; a member that faults
 * in the unmapped page, a fence after it. */
static void vt_list_paged(struct vt *v, struct vt_pt *pt)
{
	const uint64_t list = VE_LIST + 0x1000 - 2 * DSA_DESC_SIZE;
	struct dsa_desc *m[5];
	unsigned int i;

	for (i = 0; i < 5; i++)
		m[i] = (struct dsa_desc *)vt_pt_va2h(pt, list + i * DSA_DESC_SIZE);
	memset(vt_g2h(v, E_COMP), 0, 0x1000);
	vt_desc(m[0], DSA_OP_MEMMOVE, 0, VE + 0x800, VE + 0x21010, 0x3000,
		VE_COMP + 32);
	vt_desc(m[1], DSA_OP_CRCGEN, 0, VE + 0x4ffd, 0, 0x4000, VE_COMP + 64);
	m[1]->crc.seed = 5;
	vt_desc(m[2], DSA_OP_COMPARE, 0, VE + 0x800, VE + 0x21010, 0x3000,
		VE_COMP + 96);
	vt_desc(m[3], DSA_OP_FILL, 0, 0x5a5a5a5a5a5a5a5aull, VE + 0x3f800,
		0x1000, VE_COMP + 128);
	vt_desc(m[4], DSA_OP_NOOP, DSA_FLAG_FENCE, 0, 0, 0, VE_COMP + 160);
}

VT_EQUIV(paged_batch, .paged = true, .op = DSA_OP_BATCH,
	 .src = VE_LIST + 0x1000 - 2 * DSA_DESC_SIZE, .size = 5,
	 .setup = vt_list_paged)
