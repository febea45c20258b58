// SPDX-License-Identifier: MIT
/*
 * The memory BARs.  BAR0: the twin's registers (naturally aligned 32- and
 * 64-bit accesses, as idxd makes them: registers.h), then the MSI-X table
 * and pending bits (PCI 3.0 section 6.8.2.6-7).  BAR2: the portals.
 *
 * A portal write is a 64-byte MOVDIR64B on the real device.  A VMM that
 * traps the BAR passes such a write on in pieces (QEMU splits MMIO into
 * accesses of at most 8 bytes), so the pieces of one 64-byte slot are
 * gathered here, by the rules of the paravirtual extension's PORTAL_8X8
 * (include/dsa_pv.h), and the descriptor goes to the twin when the slot is
 * whole.
 */
#include "vfu_internal.h"

#include <errno.h>

/*
 * A device that offers one queue mode only (WQCAP, set from the command
 * line) has WQCFG.mode fixed to it: the bit of a write is forced here.
 */
static uint32_t vfu_wqcfg_mode(const struct vfu_dsa *d, uint32_t off,
			       uint32_t val)
{
	uint64_t table = d->twin->table[0];
	uint32_t base = (uint32_t)DSA_FGET(table, DSA_TABLE_WQCFG) * DSA_TABLE_MULT;
	uint32_t mode = (uint32_t)DSA_FMASK(DSA_WQCFG_MODE);

	if (d->cfg.mode == VFU_DSA_MODE_ANY || off < base ||
	    off >= base + d->cfg.num_wqs * d->twin->wqcfg_size ||
	    (off - base) % d->twin->wqcfg_size != 4 * DSA_WQCFG_DW_MODE)
		return val;
	return d->cfg.mode == VFU_DSA_MODE_DEDICATED ? val | mode : val & ~mode;
}

static int vfu_twin_access(struct vfu_dsa *d, uint32_t off, void *buf,
			   uint32_t n, bool write)
{
	uint32_t v32;
	uint64_t v64;

	if (n == 4) {
		if (write) {
			memcpy(&v32, buf, 4);
			dsa_twin_write32(d->twin, off, vfu_wqcfg_mode(d, off, v32));
		} else {
			v32 = dsa_twin_read32(d->twin, off);
			memcpy(buf, &v32, 4);
		}
	} else if (n == 8) {
		if (write) {
			memcpy(&v64, buf, 8);
			v64 = vfu_wqcfg_mode(d, off, (uint32_t)v64) |
			      (uint64_t)vfu_wqcfg_mode(d, off + 4,
						       (uint32_t)(v64 >> 32)) << 32;
			dsa_twin_write64(d->twin, off, v64);
		} else {
			v64 = dsa_twin_read64(d->twin, off);
			memcpy(buf, &v64, 8);
		}
	} else if (!write) {
		memset(buf, 0xff, n); /* an access the device does not claim */
	}
	if (write)
		vfu_device_run(d); /* a command may complete at once */
	return 0;
}

/* Table entry dword 3 bit 0: the vector's mask. */
static bool vfu_msix_vector_masked(const struct vfu_dsa *d, unsigned int v)
{
	return d->msix_table[v * VFU_MSIX_ENTRY + 12] & 1;
}

static void vfu_msix_access(struct vfu_dsa *d, uint32_t off, void *buf,
			    uint32_t n, bool write)
{
	unsigned int v;

	if (!write) {
		memcpy(buf, d->msix_table + off, n);
		return;
	}
	memcpy(d->msix_table + off, buf, n);
	/* Unmasking a vector delivers what is pending on it. */
	for (v = 0; v < DSA_TWIN_MSIX_VECTORS; v++)
		if (d->msix_pending & (1ull << v) && !vfu_msix_vector_masked(d, v))
			vfu_irq_raise(d, v);
}

int vfu_bar0_access(struct vfu_dsa *d, uint64_t off, void *buf, uint32_t n,
		    bool write)
{
	if (off > VFU_BAR0_SIZE || n > VFU_BAR0_SIZE - off || !n)
		return -EINVAL;
	if (off < DSA_TWIN_BAR0_SIZE) {
		if (off + n > DSA_TWIN_BAR0_SIZE)
			return -EINVAL;
		return vfu_twin_access(d, (uint32_t)off, buf, n, write);
	}
	if (!d->cfg.no_pv && off >= VFU_PV_WINDOW &&
	    off + n <= VFU_PV_WINDOW + DSA_PV_ROOT_WINDOW_SIZE)
		return vfu_pv_access(d, (uint32_t)(off - VFU_PV_WINDOW), buf, n,
				     write);
	if (off >= VFU_MSIX_TABLE_OFF &&
	    off + n <= VFU_MSIX_TABLE_OFF + sizeof(d->msix_table)) {
		vfu_msix_access(d, (uint32_t)(off - VFU_MSIX_TABLE_OFF), buf, n,
				write);
		return 0;
	}
	if (!write) {
		uint8_t pba[8];

		memcpy(pba, &d->msix_pending, 8);
		memset(buf, 0, n);
		if (off >= VFU_MSIX_PBA_OFF && off < VFU_MSIX_PBA_OFF + 8)
			memcpy(buf, pba + (off - VFU_MSIX_PBA_OFF),
			       n < VFU_MSIX_PBA_OFF + 8 - off ?
				       n : VFU_MSIX_PBA_OFF + 8 - off);
	}
	return 0; /* reserved space: reads zero, writes ignored */
}

static void vfu_portal_submit(struct vfu_dsa *d, uint64_t slot,
			      const void *desc64)
{
	unsigned int wq = (unsigned int)(slot / (DSA_PORTAL_PAGES_PER_WQ *
						 DSA_PORTAL_PAGE));
	enum dsa_twin_submit how = DSA_TWIN_MOVDIR64B;
	struct dsa_desc desc;
	uint64_t before = d->twin->stats.dropped + d->twin->stats.retried;

	memcpy(&desc, desc64, sizeof(desc));
	/*
	 * A trapped portal cannot answer ENQCMD's retry flag, so a shared
	 * queue takes the piece as an ENQCMD (its PASID field as the
	 * guest's) whose refusal is a drop, as for a posted write.
	 */
	if (wq < DSA_TWIN_MAX_WQS &&
	    !DSA_FGET(d->twin->wq[wq].cfg[DSA_WQCFG_DW_MODE], DSA_WQCFG_MODE))
		how = DSA_TWIN_ENQCMD;
	dsa_twin_portal(d->twin, slot, &desc, how);
	d->stats.portal_dropped += d->twin->stats.dropped +
				   d->twin->stats.retried - before;
	vfu_device_run(d);
}

int vfu_bar2_access(struct vfu_dsa *d, uint64_t off, void *buf, uint32_t n,
		    bool write)
{
	struct vfu_stage *s = &d->stage[off / DSA_PORTAL_PAGE %
					 (VFU_BAR2_SIZE / DSA_PORTAL_PAGE)];
	unsigned int piece;
	uint64_t slot = off & ~(uint64_t)(DSA_DESC_SIZE - 1);

	if (off > VFU_BAR2_SIZE || n > VFU_BAR2_SIZE - off || !n)
		return -EINVAL;
	if (!write) {
		memset(buf, 0xff, n); /* portals are write-only */
		return 0;
	}
	if (n == DSA_DESC_SIZE && off == slot) {
		vfu_portal_submit(d, slot, buf);
		return 0;
	}
	/*
	 * PORTAL_8X8 (include/dsa_pv.h): 8-byte pieces of one slot at
	 * offsets 0, 8, ..., 56 in that order; the eighth submits.  Each
	 * portal page gathers on its own.  A piece out of order or for
	 * another slot of the page discards what was gathered (one drop); a
	 * piece at offset 0 then starts a new descriptor, any other is
	 * dropped too.  Anything but an aligned 8-byte piece is dropped.
	 */
	if (n != 8 || off % 8) {
		d->stats.portal_dropped++;
		return 0;
	}
	piece = (unsigned int)((off - slot) / 8);
	if (s->have && (s->slot != slot || piece != s->have)) {
		d->stats.portal_dropped++;
		s->have = 0;
	}
	if (piece != s->have) {
		d->stats.portal_dropped++;
		return 0;
	}
	s->slot = slot;
	memcpy(s->buf + 8 * piece, buf, 8);
	if (++s->have == DSA_DESC_SIZE / 8) {
		s->have = 0;
		vfu_portal_submit(d, slot, s->buf);
	}
	return 0;
}
