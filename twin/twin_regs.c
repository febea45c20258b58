// SPDX-License-Identifier: MIT
/*
 * The twin's register file: identity and reset values from one place,
 * BAR0 reads and writes dispatched on the offset, and read-only, reserved
 * and write-1-to-clear bits masked here and nowhere else.
 * Layouts: include/dsa_regs.h (Linux drivers/dma/idxd/registers.h).
 */
#include "twin_internal.h"

/*
 * Capability values.  The field layout is registers.h's; the values are
 * the twin's own (no public document lists a production part's), chosen
 * to match what libaccel's model already assumes (dsa_hw.h: 2 GiB
 * transfers, batches of 1024) and small enough to test every limit.
 */
static void twin_identity(struct dsa_twin *t, enum dsa_twin_version v)
{
	bool v2 = v == DSA_TWIN_V2;
	unsigned int n;

	t->reg_version = v2 ? DSA_VERSION_2 : DSA_VERSION_1;
	t->gencap = DSA_FPUT(DSA_GENCAP_BOF, 1) |
		    DSA_FPUT(DSA_GENCAP_OVERLAP_COPY, 1) |
		    DSA_FPUT(DSA_GENCAP_CC_MEM, 1) |
		    DSA_FPUT(DSA_GENCAP_CC_CACHE, 1) |
		    DSA_FPUT(DSA_GENCAP_CMD_CAP, 1) |
		    DSA_FPUT(DSA_GENCAP_DRAIN_READBACK, 1) |
		    DSA_FPUT(DSA_GENCAP_MAX_XFER_SHIFT, 31) |
		    DSA_FPUT(DSA_GENCAP_MAX_BATCH_SHIFT, 10) |
		    DSA_FPUT(DSA_GENCAP_CONFIG_EN, 1);
	/* WQCFG is 1 << (wqcfg_size + 5) bytes (init.c idxd_read_caps). */
	t->wqcap = DSA_FPUT(DSA_WQCAP_TOTAL_SIZE, DSA_TWIN_TOTAL_WQ_SIZE) |
		   DSA_FPUT(DSA_WQCAP_NUM_WQS, DSA_TWIN_MAX_WQS) |
		   DSA_FPUT(DSA_WQCAP_WQCFG_SIZE, v2 ? 1 : 0) |
		   DSA_FPUT(DSA_WQCAP_SHARED_MODE, 1) |
		   DSA_FPUT(DSA_WQCAP_DEDICATED_MODE, 1) |
		   DSA_FPUT(DSA_WQCAP_PRIORITY, 1) |
		   DSA_FPUT(DSA_WQCAP_OCCUPANCY, v2) |
		   DSA_FPUT(DSA_WQCAP_OP_CONFIG, v2);
	t->wqcfg_size = 1u << (DSA_FGET(t->wqcap, DSA_WQCAP_WQCFG_SIZE) +
			       DSA_WQCFG_SIZE_MIN_SHIFT);
	t->grpcap = DSA_FPUT(DSA_GRPCAP_NUM_GROUPS, DSA_TWIN_MAX_GROUPS) |
		    DSA_FPUT(DSA_GRPCAP_TOTAL_RDBUFS, 96) |
		    DSA_FPUT(DSA_GRPCAP_RDBUF_CTRL, 1) |
		    DSA_FPUT(DSA_GRPCAP_PROGRESS_LIMIT, v2);
	t->engcap = DSA_FPUT(DSA_ENGCAP_NUM_ENGINES, DSA_TWIN_MAX_ENGINES);
	/* OPCAP: bit n for opcode n (registers.h IDXD_OPCAP_*). */
	memset(t->opcap, 0, sizeof(t->opcap));
	t->opcap[0] = v2 ? DSA_OPCAP_DSA2 : DSA_OPCAP_DSA1; /* dsa_hw.h */
	/* Tables in units of 0x100: GRPCFG 0x400, WQCFG 0x500 (8 x 64 bytes
	 * at most), MSI-X permissions 0x700; no IMS, no perfmon. */
	t->table[0] = DSA_FPUT(DSA_TABLE_GRPCFG, 4) |
		      DSA_FPUT(DSA_TABLE_WQCFG, 5) |
		      DSA_FPUT(DSA_TABLE_MSIX_PERM, 7);
	t->table[1] = 0;
	/* CMDCAP bit n: command n supported (idxd tests
	 * cmd_cap & BIT(IDXD_CMD_REQUEST_INT_HANDLE)).  The interrupt-handle
	 * commands, meant for guests, only on the 2.0 personality. */
	t->cmdcap = 0;
	for (n = DSA_CMD_ENABLE_DEVICE;
	     n <= (v2 ? DSA_CMD_RELEASE_INT_HANDLE : DSA_CMD_ABORT_PASID); n++)
		t->cmdcap |= 1u << n;
}

static uint32_t twin_grpcfg_off(const struct dsa_twin *t)
{
	return (uint32_t)DSA_FGET(t->table[0], DSA_TABLE_GRPCFG) *
	       DSA_TABLE_MULT;
}

static uint32_t twin_wqcfg_off(const struct dsa_twin *t)
{
	return (uint32_t)DSA_FGET(t->table[0], DSA_TABLE_WQCFG) *
	       DSA_TABLE_MULT;
}

static uint32_t twin_perm_off(const struct dsa_twin *t)
{
	return (uint32_t)DSA_FGET(t->table[0], DSA_TABLE_MSIX_PERM) *
	       DSA_TABLE_MULT;
}

/*
 * Configuration at its reset value: GRPCFG, WQCFG and the MSI-X
 * permissions zero, except that a queue's op_config starts as OPCAP (as
 * idxd's idxd_wq_disable_cleanup leaves the queue's operation bitmap).
 */
void twin_reset_config(struct dsa_twin *t)
{
	unsigned int i, j;

	memset(t->grpcfg, 0, sizeof(t->grpcfg));
	memset(t->msix_perm, 0, sizeof(t->msix_perm));
	for (i = 0; i < DSA_TWIN_MAX_WQS; i++) {
		memset(t->wq[i].cfg, 0, sizeof(t->wq[i].cfg));
		if (DSA_FGET(t->wqcap, DSA_WQCAP_OP_CONFIG))
			for (j = 0; j < DSA_OPCAP_WORDS; j++) {
				t->wq[i].cfg[DSA_WQCFG_DW_OPCFG + 2 * j] =
					(uint32_t)t->opcap[j];
				t->wq[i].cfg[DSA_WQCFG_DW_OPCFG + 2 * j + 1] =
					(uint32_t)(t->opcap[j] >> 32);
			}
	}
	t->gencfg = 0;
	/* Reset masks the error interrupts: idxd_device_reset unmasks them
	 * again afterwards (device.c). */
	t->genctrl = 0;
	t->int_handles = 0;
}

void dsa_twin_init(struct dsa_twin *t, enum dsa_twin_version v,
		   const struct dsa_twin_host *host, void *ctx)
{
	memset(t, 0, sizeof(*t));
	t->version = v;
	t->host = host;
	t->host_ctx = ctx;
	t->bus_master = true;
	twin_identity(t, v);
	twin_reset_config(t);
	t->exec.bounce = t->bounce;
	t->exec.caps.op_cap = t->opcap[0];
}

void twin_raise(struct dsa_twin *t, uint32_t cause, bool irq)
{
	t->intcause |= cause;
	if (irq && t->host && t->host->irq)
		t->host->irq(t->host_ctx, 0);
}

int twin_wq_group(const struct dsa_twin *t, unsigned int wq)
{
	unsigned int g;

	for (g = 0; g < twin_num_groups(t); g++)
		if (t->grpcfg[g][DSA_GRPCFG_WQS / 8 + wq / 64] &
		    (1ull << (wq % 64)))
			return (int)g;
	return -1;
}

unsigned int dsa_twin_occupancy(const struct dsa_twin *t, unsigned int wq)
{
	return wq < DSA_TWIN_MAX_WQS ? t->wq[wq].count : 0;
}

/* One 64-bit register of the fixed block, or false if off names none. */
static bool twin_fixed64(const struct dsa_twin *t, uint32_t off, uint64_t *v)
{
	switch (off) {
	case DSA_REG_GENCAP:
		*v = t->gencap;
		return true;
	case DSA_REG_WQCAP:
		*v = t->wqcap;
		return true;
	case DSA_REG_GRPCAP:
		*v = t->grpcap;
		return true;
	case DSA_REG_ENGCAP:
		*v = t->engcap;
		return true;
	case DSA_REG_TABLE:
	case DSA_REG_TABLE + 8:
		*v = t->table[(off - DSA_REG_TABLE) / 8];
		return true;
	}
	if (off >= DSA_REG_OPCAP && off < DSA_REG_OPCAP + 8 * DSA_OPCAP_WORDS) {
		*v = t->opcap[(off - DSA_REG_OPCAP) / 8];
		return true;
	}
	if (off >= DSA_REG_SWERR && off < DSA_REG_SWERR + 8 * DSA_SWERR_WORDS) {
		*v = t->swerr[(off - DSA_REG_SWERR) / 8];
		return true;
	}
	return false;
}

static uint32_t twin_fixed32(const struct dsa_twin *t, uint32_t off)
{
	switch (off) {
	case DSA_REG_VERSION:
		return t->reg_version;
	case DSA_REG_GENCFG:
		return t->gencfg;
	case DSA_REG_GENCTRL:
		return t->genctrl;
	case DSA_REG_GENSTS:
		return t->gensts;
	case DSA_REG_INTCAUSE:
		return t->intcause;
	case DSA_REG_CMDSTS:
		return t->cmdsts;
	case DSA_REG_CMDCAP:
		return t->cmdcap;
	}
	return 0; /* reserved: reads as zero */
}

/* WQCFG dword as read: the live read-only fields merged in. */
static uint32_t twin_wqcfg_read(const struct dsa_twin *t, unsigned int wq,
				unsigned int dw)
{
	const struct dsa_twin_wq *q = &t->wq[wq];
	uint32_t v = q->cfg[dw];

	if (dw == DSA_WQCFG_DW_STATE) {
		v &= (uint32_t)DSA_FMASK(DSA_WQCFG_OCC_INT);
		if (DSA_FGET(t->wqcap, DSA_WQCAP_OCCUPANCY))
			v |= (uint32_t)DSA_FPUT(DSA_WQCFG_OCCUPANCY, q->count);
		/* Both modes configurable on every queue of the twin. */
		v |= (uint32_t)DSA_FPUT(DSA_WQCFG_MODE_SUPPORT, 1);
		v |= (uint32_t)DSA_FPUT(DSA_WQCFG_WQ_STATE,
					q->enabled ? DSA_WQ_STATE_ENABLED :
						     DSA_WQ_STATE_DISABLED);
	}
	return v;
}

uint32_t dsa_twin_read32(struct dsa_twin *t, uint32_t off)
{
	uint32_t base;
	uint64_t v;

	if (off & 3 || off >= DSA_TWIN_BAR0_SIZE)
		return ~0u;
	if (twin_fixed64(t, off & ~7u, &v))
		return (uint32_t)(off & 4 ? v >> 32 : v);
	base = twin_grpcfg_off(t);
	if (off >= base && off < base + twin_num_groups(t) * DSA_GRPCFG_SIZE) {
		unsigned int g = (off - base) / DSA_GRPCFG_SIZE;
		unsigned int w = (off - base) % DSA_GRPCFG_SIZE / 8;

		v = t->grpcfg[g][w];
		return (uint32_t)(off & 4 ? v >> 32 : v);
	}
	base = twin_wqcfg_off(t);
	if (off >= base && off < base + twin_num_wqs(t) * t->wqcfg_size)
		return twin_wqcfg_read(t, (off - base) / t->wqcfg_size,
				       (off - base) % t->wqcfg_size / 4);
	base = twin_perm_off(t);
	if (off >= base && off < base + DSA_TWIN_MSIX_VECTORS * 8)
		return off & 4 ? 0 : t->msix_perm[(off - base) / 8];
	return twin_fixed32(t, off);
}

uint64_t dsa_twin_read64(struct dsa_twin *t, uint32_t off)
{
	if (off & 7)
		return ~0ull;
	return dsa_twin_read32(t, off) |
	       (uint64_t)dsa_twin_read32(t, off + 4) << 32;
}

/* Writable bits of a group flags register, per the capabilities. */
static uint64_t twin_grpflg_mask(const struct dsa_twin *t)
{
	uint64_t m = DSA_FMASK(DSA_GRPFLG_TC_A) | DSA_FMASK(DSA_GRPFLG_TC_B);

	if (DSA_FGET(t->grpcap, DSA_GRPCAP_RDBUF_CTRL))
		m |= DSA_FMASK(DSA_GRPFLG_USE_RDBUF_LIMIT) |
		     DSA_FMASK(DSA_GRPFLG_RDBUFS_RESERVED) |
		     DSA_FMASK(DSA_GRPFLG_RDBUFS_ALLOWED);
	if (DSA_FGET(t->grpcap, DSA_GRPCAP_PROGRESS_LIMIT))
		m |= DSA_FMASK(DSA_GRPFLG_DESC_PROGRESS_LIMIT) |
		     DSA_FMASK(DSA_GRPFLG_BATCH_PROGRESS_LIMIT);
	return m;
}

/*
 * GRPCFG is configuration: written only while the device is disabled
 * (idxd writes it before Enable Device, device.c idxd_device_config);
 * the twin ignores writes otherwise.  Bits naming queues or engines that
 * do not exist are reserved.
 */
static void twin_grpcfg_write(struct dsa_twin *t, unsigned int g,
			      unsigned int byte, uint32_t val)
{
	unsigned int w = byte / 8, sh = byte & 4 ? 32 : 0;
	uint64_t mask;

	if (twin_state(t) != DSA_DEV_DISABLED)
		return;
	if (w < DSA_GRPCFG_ENGINES / 8) {
		unsigned int lo = w * 64, n = twin_num_wqs(t);

		mask = n <= lo ? 0 : n - lo >= 64 ? ~0ull : (1ull << (n - lo)) - 1;
	} else if (w == DSA_GRPCFG_ENGINES / 8) {
		mask = (1ull << twin_num_engines(t)) - 1;
	} else if (w == DSA_GRPCFG_FLAGS / 8) {
		mask = twin_grpflg_mask(t);
	} else {
		return; /* reserved */
	}
	mask &= 0xffffffffull << sh;
	t->grpcfg[g][w] = (t->grpcfg[g][w] & ~mask) |
			  (((uint64_t)val << sh) & mask);
}

/* Writable bits of a WQCFG dword (registers.h union wqcfg). */
static uint32_t twin_wqcfg_mask(const struct dsa_twin *t, unsigned int dw)
{
	uint64_t m = 0;

	switch (dw) {
	case DSA_WQCFG_DW_SIZE:
		m = DSA_FMASK(DSA_WQCFG_WQ_SIZE);
		break;
	case DSA_WQCFG_DW_THRESH:
		m = DSA_FMASK(DSA_WQCFG_THRESH);
		break;
	case DSA_WQCFG_DW_MODE:
		m = DSA_FMASK(DSA_WQCFG_MODE) | DSA_FMASK(DSA_WQCFG_BOF) |
		    DSA_FMASK(DSA_WQCFG_PRIORITY) | DSA_FMASK(DSA_WQCFG_PASID) |
		    DSA_FMASK(DSA_WQCFG_PASID_EN) | DSA_FMASK(DSA_WQCFG_PRIV);
		if (DSA_FGET(t->wqcap, DSA_WQCAP_ATS))
			m |= DSA_FMASK(DSA_WQCFG_ATS_DISABLE);
		if (DSA_FGET(t->wqcap, DSA_WQCAP_PRS))
			m |= DSA_FMASK(DSA_WQCFG_PRS_DISABLE);
		break;
	case DSA_WQCFG_DW_LIMITS:
		m = DSA_FMASK(DSA_WQCFG_MAX_XFER_SHIFT) |
		    DSA_FMASK(DSA_WQCFG_MAX_BATCH_SHIFT);
		break;
	case DSA_WQCFG_DW_OCC_INTH:
		if (DSA_FGET(t->wqcap, DSA_WQCAP_OCCUPANCY_INT))
			m = DSA_FMASK(DSA_WQCFG_OCC_INTH) |
			    DSA_FMASK(DSA_WQCFG_OCC_TABLE_SEL);
		break;
	case DSA_WQCFG_DW_OCC_LIMIT:
		if (DSA_FGET(t->wqcap, DSA_WQCAP_OCCUPANCY_INT))
			m = DSA_FMASK(DSA_WQCFG_OCC_LIMIT) |
			    DSA_FMASK(DSA_WQCFG_OCC_INT_EN);
		break;
	default:
		if (dw >= DSA_WQCFG_DW_OPCFG &&
		    DSA_FGET(t->wqcap, DSA_WQCAP_OP_CONFIG))
			m = 0xffffffffull;
		break;
	}
	return (uint32_t)m;
}

/*
 * A queue's configuration is writable while that queue is disabled, even
 * with the device enabled (idxd changes a dedicated queue's PASID by
 * disable, write WQCFG, enable: device.c idxd_wq_set_pasid).
 */
static void twin_wqcfg_write(struct dsa_twin *t, unsigned int wq,
			     unsigned int dw, uint32_t val)
{
	struct dsa_twin_wq *q = &t->wq[wq];
	uint32_t mask;

	if (q->enabled)
		return;
	mask = twin_wqcfg_mask(t, dw);
	q->cfg[dw] = (q->cfg[dw] & ~mask) | (val & mask);
}

void dsa_twin_write32(struct dsa_twin *t, uint32_t off, uint32_t val)
{
	uint32_t base;

	if (off & 3 || off >= DSA_TWIN_BAR0_SIZE)
		return;
	switch (off) {
	case DSA_REG_GENCFG:
		/* Configuration: only while disabled.  No event log here. */
		if (twin_state(t) == DSA_DEV_DISABLED)
			t->gencfg = val & (uint32_t)(DSA_FMASK(DSA_GENCFG_RDBUF_LIMIT) |
						     DSA_FMASK(DSA_GENCFG_USER_INT_EN));
		return;
	case DSA_REG_GENCTRL:
		t->genctrl = val & (uint32_t)(DSA_FMASK(DSA_GENCTRL_SOFTERR_INT_EN) |
					      DSA_FMASK(DSA_GENCTRL_HALT_INT_EN));
		return;
	case DSA_REG_INTCAUSE:
		/* Write 1 to clear (idxd's misc interrupt thread acks this way). */
		t->intcause &= ~val;
		return;
	case DSA_REG_CMD:
		twin_cmd_write(t, val);
		return;
	case DSA_REG_SWERR:
		/* Valid and overflow are write-1-to-clear (IDXD_SWERR_ACK). */
		t->swerr[0] &= ~((uint64_t)val & DSA_SWERR_ACK);
		return;
	}
	base = twin_grpcfg_off(t);
	if (off >= base && off < base + twin_num_groups(t) * DSA_GRPCFG_SIZE) {
		twin_grpcfg_write(t, (off - base) / DSA_GRPCFG_SIZE,
				  (off - base) % DSA_GRPCFG_SIZE, val);
		return;
	}
	base = twin_wqcfg_off(t);
	if (off >= base && off < base + twin_num_wqs(t) * t->wqcfg_size) {
		twin_wqcfg_write(t, (off - base) / t->wqcfg_size,
				 (off - base) % t->wqcfg_size / 4, val);
		return;
	}
	base = twin_perm_off(t);
	if (off >= base && off < base + DSA_TWIN_MSIX_VECTORS * 8 && !(off & 4)) {
		t->msix_perm[(off - base) / 8] =
			val & (uint32_t)(DSA_FMASK(DSA_MSIX_PERM_IGNORE) |
					 DSA_FMASK(DSA_MSIX_PERM_PASID_EN) |
					 DSA_FMASK(DSA_MSIX_PERM_PASID));
		return;
	}
	/* Read-only and reserved registers ignore writes. */
}

void dsa_twin_write64(struct dsa_twin *t, uint32_t off, uint64_t val)
{
	if (off & 7)
		return;
	dsa_twin_write32(t, off, (uint32_t)val);
	if (off != DSA_REG_CMD)
		dsa_twin_write32(t, off + 4, (uint32_t)(val >> 32));
}
