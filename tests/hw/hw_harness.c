// SPDX-License-Identifier: MIT
#include "hw_harness.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static bool hw_in_hole(const struct hw_mem *m, uint64_t a, size_t len)
{
	return len && a < m->hole_hi && a + len > m->hole_lo;
}

static size_t hw_read(struct model_mem *mm, void *dst, uint64_t src,
		      size_t len, bool block, enum model_fault *fault)
{
	struct hw_mem *m = (struct hw_mem *)mm;

	(void)block;
	if (hw_in_hole(m, src, len)) {
		*fault = MODEL_FAULT_INVALID;
		return 0;
	}
	memcpy(dst, (const void *)(uintptr_t)src, len);
	return len;
}

static size_t hw_write(struct model_mem *mm, uint64_t dst, const void *src,
		       size_t len, bool block, enum model_fault *fault)
{
	struct hw_mem *m = (struct hw_mem *)mm;

	(void)block;
	if (hw_in_hole(m, dst, len)) {
		*fault = MODEL_FAULT_INVALID;
		return 0;
	}
	memcpy((void *)(uintptr_t)dst, src, len);
	return len;
}

static int hw_write_comp(struct model_mem *mm, uint64_t addr,
			 const struct dsa_comp *c)
{
	struct hw_mem *m = (struct hw_mem *)mm;
	uint8_t *p = (uint8_t *)(uintptr_t)addr;

	if (hw_in_hole(m, addr, sizeof(*c)))
		return -14;
	memcpy(p + 1, (const uint8_t *)c + 1, sizeof(*c) - 1);
	__atomic_store_n(p, c->status, __ATOMIC_RELEASE);
	return 0;
}

static const struct model_mem_ops hw_mem_ops = {
	.read = hw_read,
	.write = hw_write,
	.write_comp = hw_write_comp,
};

static void hw_irq(void *ctx, unsigned int vector)
{
	struct hw *h = ctx;

	cr_assert_lt(vector, DSA_TWIN_MSIX_VECTORS);
	h->irqs[vector]++;
}

/* PASID A and the untranslated space are always bound; B on demand. */
static struct model_mem *hw_pasid_mem(void *ctx, uint32_t pasid,
				      bool pasid_en, bool priv)
{
	struct hw *h = ctx;

	(void)priv;
	h->last_pasid = pasid;
	h->last_pasid_en = pasid_en;
	if (pasid_en && pasid == HW_PASID_B && !h->bind_b)
		return NULL;
	return &h->mem.mem;
}

struct hw *hw_new(enum dsa_twin_version v)
{
	struct hw *h = calloc(1, sizeof(*h));

	cr_assert_not_null(h);
	h->t = aligned_alloc(64, sizeof(*h->t));
	cr_assert_not_null(h->t);
	h->mem.mem.ops = &hw_mem_ops;
	h->host.irq = hw_irq;
	h->host.pasid_mem = hw_pasid_mem;
	h->bind_b = true;
	dsa_twin_init(h->t, v, &h->host, h);
	return h;
}

void hw_free(struct hw *h)
{
	free(h->t);
	free(h);
}

void hw_write_wqcfg(struct hw *h, const struct hw_wq *q)
{
	uint32_t cfg[DSA_WQCFG_DWORDS_MAX];
	uint32_t base = h->wqcfg + q->id * h->wqcfg_size;
	unsigned int i;

	/* Start from what the device holds (device.c keeps sticky bits). */
	for (i = 0; i < h->wqcfg_size / 4; i++)
		cfg[i] = dsa_twin_read32(h->t, base + 4 * i);
	cfg[DSA_WQCFG_DW_SIZE] = (uint32_t)DSA_FPUT(DSA_WQCFG_WQ_SIZE, q->size);
	cfg[DSA_WQCFG_DW_THRESH] = (uint32_t)DSA_FPUT(DSA_WQCFG_THRESH, q->thresh);
	cfg[DSA_WQCFG_DW_MODE] =
		(uint32_t)(DSA_FPUT(DSA_WQCFG_MODE, q->dedicated) |
			   DSA_FPUT(DSA_WQCFG_PRIORITY, q->prio) |
			   DSA_FPUT(DSA_WQCFG_PASID, q->pasid) |
			   DSA_FPUT(DSA_WQCFG_PASID_EN,
				    !q->dedicated || q->pasid != 0));
	cfg[DSA_WQCFG_DW_LIMITS] =
		(uint32_t)(DSA_FPUT(DSA_WQCFG_MAX_XFER_SHIFT, q->xfer_shift) |
			   DSA_FPUT(DSA_WQCFG_MAX_BATCH_SHIFT, q->batch_shift));
	for (i = 0; i < h->wqcfg_size / 4; i++)
		dsa_twin_write32(h->t, base + 4 * i, cfg[i]);
}

void hw_write_grpcfg(struct hw *h, unsigned int g, uint64_t wqs,
		     uint64_t engines, uint64_t flags)
{
	uint32_t base = h->grpcfg + g * DSA_GRPCFG_SIZE;
	unsigned int i;

	/* idxd_group_config_write: GRPWQCFG x4, GRPENGCFG, GRPFLGCFG. */
	for (i = 0; i < 4; i++)
		dsa_twin_write64(h->t, base + 8 * i, i ? 0 : wqs);
	dsa_twin_write64(h->t, base + DSA_GRPCFG_ENGINES, engines);
	dsa_twin_write64(h->t, base + DSA_GRPCFG_FLAGS, flags);
}

int hw_cmd(struct hw *h, unsigned int code, uint32_t operand)
{
	unsigned int before = h->irqs[0];
	uint32_t sts;

	dsa_twin_write32(h->t, DSA_REG_CMD, dsa_cmd_word(code, operand, 1));
	sts = dsa_twin_read32(h->t, DSA_REG_CMDSTS);
	if (sts & DSA_CMDSTS_ACTIVE_BIT)
		return -1;
	/* A finished command with int_req raised vector 0 and INTCAUSE.CMD;
	 * acknowledge as idxd's misc thread does. */
	cr_assert_eq(h->irqs[0], before + 1, "command %u: no interrupt", code);
	cr_assert(dsa_twin_read32(h->t, DSA_REG_INTCAUSE) & DSA_INTC_CMD);
	dsa_twin_write32(h->t, DSA_REG_INTCAUSE, DSA_INTC_CMD);
	return (int)DSA_FGET(sts, DSA_CMDSTS_ERR);
}

void hw_probe(struct hw *h)
{
	uint64_t table;

	/* idxd_device_init_reset: Reset Device without int_req, polled. */
	dsa_twin_write32(h->t, DSA_REG_CMD,
			 dsa_cmd_word(DSA_CMD_RESET_DEVICE, 0, 0));
	while (dsa_twin_read32(h->t, DSA_REG_CMDSTS) & DSA_CMDSTS_ACTIVE_BIT)
		;
	cr_assert_eq(DSA_FGET(dsa_twin_read32(h->t, DSA_REG_CMDSTS),
			      DSA_CMDSTS_ERR), 0);
	/* idxd_read_caps, idxd_read_table_offsets. */
	h->wqcfg_size = 1u << (DSA_FGET(dsa_twin_read64(h->t, DSA_REG_WQCAP),
					DSA_WQCAP_WQCFG_SIZE) +
			       DSA_WQCFG_SIZE_MIN_SHIFT);
	table = dsa_twin_read64(h->t, DSA_REG_TABLE);
	h->grpcfg = (uint32_t)DSA_FGET(table, DSA_TABLE_GRPCFG) * DSA_TABLE_MULT;
	h->wqcfg = (uint32_t)DSA_FGET(table, DSA_TABLE_WQCFG) * DSA_TABLE_MULT;
	/* idxd_unmask_error_interrupts. */
	dsa_twin_write32(h->t, DSA_REG_GENCTRL,
			 (uint32_t)(DSA_FPUT(DSA_GENCTRL_SOFTERR_INT_EN, 1) |
				    DSA_FPUT(DSA_GENCTRL_HALT_INT_EN, 1)));
}

void hw_bring_up(struct hw *h, const struct hw_wq *wqs, unsigned int n)
{
	uint64_t groups[DSA_TWIN_MAX_GROUPS] = { 0 };
	unsigned int i;

	hw_probe(h);
	/* idxd_device_config: WQCFG of grouped queues, then GRPCFG. */
	for (i = 0; i < n; i++) {
		hw_write_wqcfg(h, &wqs[i]);
		groups[wqs[i].group] |= 1ull << wqs[i].id;
	}
	for (i = 0; i < DSA_TWIN_MAX_GROUPS; i++)
		hw_write_grpcfg(h, i, groups[i], groups[i] ? 1ull << i : 0,
				DSA_FPUT(DSA_GRPFLG_TC_B, 1));
	cr_assert_eq(hw_cmd(h, DSA_CMD_ENABLE_DEVICE, 0), DSA_CMDSTS_SUCCESS);
	for (i = 0; i < n; i++)
		cr_assert_eq(hw_cmd(h, DSA_CMD_ENABLE_WQ, wqs[i].id),
			     DSA_CMDSTS_SUCCESS, "enable wq %u", wqs[i].id);
}

void hw_default(struct hw *h)
{
	const struct hw_wq wqs[] = {
		{ .id = 0, .dedicated = true, .size = 8, .prio = 1,
		  .pasid = HW_PASID_A, .xfer_shift = 31, .batch_shift = 10 },
		{ .id = 1, .size = 16, .thresh = 4, .prio = 1,
		  .xfer_shift = 31, .batch_shift = 10 },
	};

	hw_bring_up(h, wqs, 2);
}

void hw_memmove(struct dsa_desc *d, void *dst, const void *src, uint32_t n,
		struct dsa_comp *comp)
{
	memset(d, 0, sizeof(*d));
	d->op_flags = dsa_op_flags(DSA_OP_MEMMOVE,
				   DSA_FLAG_CRAV | DSA_FLAG_RCR);
	d->completion_addr = (uintptr_t)comp;
	d->src = (uintptr_t)src;
	d->dst = (uintptr_t)dst;
	d->size = n;
	if (comp)
		memset(comp, 0, sizeof(*comp));
}

int hw_submit(struct hw *h, unsigned int wq, bool limited,
	      const struct dsa_desc *d, enum dsa_twin_submit how)
{
	return dsa_twin_portal(h->t, dsa_portal_offset(wq, limited, 0), d, how);
}

uint64_t hw_swerr(struct hw *h, unsigned int word)
{
	return dsa_twin_read64(h->t, DSA_REG_SWERR + 8 * word);
}
