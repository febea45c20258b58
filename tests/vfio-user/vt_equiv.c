// SPDX-License-Identifier: MIT
/*
 * The host path against the model: the same guest descriptor, on the same
 * guest RAM, run by a device on the host libaccel queue and by a device
 * that runs everything in the model, must leave the same record (all 32
 * bytes) and the same guest memory; buffers straddle the two regions, run
 * into holes, and the host path must really have been taken.
 */
#include "vt.h"

#include <stdlib.h>

struct vt_case {
	uint8_t op;
	uint32_t flags;
	uint64_t src, dst, dst2;
	uint32_t size;
	uint32_t seed;
	bool unmap_b; /* region B gone: guest RAM ends at VT_IOVA_B */
	uint64_t poke; /* a byte of the second buffer flipped (compare) */
	void (*setup)(struct vt *v); /* after the RAM is filled: lists */
};

#define E_COMP (VT_IOVA_A + 0x80000)
#define BND VT_IOVA_B

static void vt_fill_ram(struct vt *v, const struct vt_case *k)
{
	size_t i;

	for (i = 0; i < VT_RAM; i++)
		v->ram[i] = (uint8_t)(i * 7 + (i >> 9));
	if (k->op == DSA_OP_COMPARE)
		memcpy(vt_g2h(v, k->dst), vt_g2h(v, k->src), k->size);
	if (k->op == DSA_OP_COMPVAL)
		for (i = 0; i < k->size; i++)
			((uint8_t *)vt_g2h(v, k->src))[i] =
				(uint8_t)(k->dst >> (8 * ((i) % 8)));
	if (k->poke)
		((uint8_t *)vt_g2h(v, k->poke))[0] ^= 0x40;
	if (k->setup)
		k->setup(v);
}

/* Run k on a fresh device; record and RAM copied out. */
static void vt_run_case(const struct vt_case *k, bool model, uint32_t piece,
			struct dsa_comp *rec, uint8_t *ram,
			struct vfu_dsa_stats *st, uint64_t *swerr)
{
	int i;
	struct vfu_dsa_config c;
	struct dsa_desc d;
	struct vt v;

	vfu_dsa_config_default(&c);
	c.backend = getenv("VT_BACKEND");
	c.model_only = model;
	c.max_piece = piece;
	vt_open(&v, &c);
	vt_bringup(&v, 1, true, 16);
	vt_fill_ram(&v, k);
	memset(vt_g2h(&v, E_COMP), 0, 32);
	if (k->unmap_b)
		VT_EQ(vt_unmap(&v, VT_IOVA_B, VT_REGION, 0), 0);
	vt_desc(&d, k->op, k->flags, k->src, k->dst, k->size, E_COMP);
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

		for (i = 0; i < 2; i++) {
			uint64_t a = dsts[i] + rh.bytes_completed,
				 e = dsts[i] + k->size;

			if (!dsts[i])
				continue;
			for (; a < e; a++)
				if (a >= VT_IOVA_A && a < VT_IOVA_A + VT_RAM)
					ram_h[a - VT_IOVA_A] = ram_m[a - VT_IOVA_A];
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
#define L_LIST (VT_IOVA_A + 0x90000)
#define L_REC (VT_IOVA_A + 0xa0000)
#define L_DATA (VT_IOVA_A + 0xb0000)

static struct dsa_desc *vt_member(struct vt *v, unsigned int i)
{
	return (struct dsa_desc *)vt_g2h(v, L_LIST) + i;
}

static void vt_list_mixed(struct vt *v)
{
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

static void vt_list_fence(struct vt *v)
{
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

static void vt_list_records_anywhere(struct vt *v)
{
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
