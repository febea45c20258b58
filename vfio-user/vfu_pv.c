// SPDX-License-Identifier: MIT
/*
 * The PASID_ROOT register window of the paravirtual extension
 * (include/dsa_pv.h) and the table behind it: per PASID, the guest-physical
 * root of the process's page tables, which vfu_walk.c walks.  The table is
 * bounded (VFU_PASID_MAX entries, DSA_PV_ST_FULL beyond) and kept sorted by
 * PASID, so the lookup every descriptor makes is a binary search.
 *
 * Registers, at VFU_PV_WINDOW in BAR0: PASID (u32, bits 19:0), ENTRY (u64;
 * an 8-byte write applies it to the selected PASID, a read returns the
 * selected PASID's entry or 0), STATUS (u32, read-only, DSA_PV_ST_* of the
 * last ENTRY write).  Any other access reads as zero and is ignored.
 */
#include "vfu_internal.h"

#include <errno.h>

#define VFU_PASID_BITS 20
#define VFU_PV_ENTRY_BITS                                                      \
	(DSA_PV_ROOT_VALID | DSA_PV_ROOT_LA57 | DSA_PV_ROOT_ADDR_MASK)

/* Index of pasid, or of where it would go (*found false). */
static unsigned int vfu_pv_find(const struct vfu_dsa *d, uint32_t pasid,
				bool *found)
{
	unsigned int lo = 0, hi = d->npasids;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (d->pasids[mid].pasid < pasid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < d->npasids && d->pasids[lo].pasid == pasid;
	return lo;
}

uint64_t vfu_pv_root(const struct vfu_dsa *d, uint32_t pasid)
{
	bool found;
	unsigned int i = vfu_pv_find(d, pasid, &found);

	return found ? d->pasids[i].entry : 0;
}

void vfu_pv_clear(struct vfu_dsa *d)
{
	d->npasids = 0;
	d->pv_sel = 0;
	d->pv_status = DSA_PV_ST_OK;
	d->stats.pasids = 0;
}

static uint32_t vfu_pv_set(struct vfu_dsa *d, uint32_t pasid, uint64_t entry)
{
	bool found;
	unsigned int i;
	uint64_t n;

	if (!pasid || pasid >> VFU_PASID_BITS)
		return DSA_PV_ST_BAD_PASID;
	if (entry & ~VFU_PV_ENTRY_BITS)
		return DSA_PV_ST_BAD_ROOT;
	i = vfu_pv_find(d, pasid, &found);
	if (!(entry & DSA_PV_ROOT_VALID)) {
		/* Clearing: the entry (with every other bit) goes. */
		if (entry)
			return DSA_PV_ST_BAD_ROOT;
		if (found) {
			memmove(&d->pasids[i], &d->pasids[i + 1],
				(d->npasids - i - 1) * sizeof(d->pasids[0]));
			d->npasids--;
		}
		d->stats.pasids = d->npasids;
		return DSA_PV_ST_OK;
	}
	/* The top-level table must be guest memory the device can update
	 * (accessed bits): one whole writable 4 KiB page. */
	if (!vfu_dma_xlat(d, entry & DSA_PV_ROOT_ADDR_MASK, 4096, true, &n) ||
	    n < 4096)
		return DSA_PV_ST_BAD_ROOT;
	if (!found) {
		if (d->npasids == VFU_PASID_MAX)
			return DSA_PV_ST_FULL;
		memmove(&d->pasids[i + 1], &d->pasids[i],
			(d->npasids - i) * sizeof(d->pasids[0]));
		d->npasids++;
		d->pasids[i].pasid = pasid;
	}
	d->pasids[i].entry = entry;
	d->stats.pasids = d->npasids;
	return DSA_PV_ST_OK;
}

int vfu_pv_access(struct vfu_dsa *d, uint32_t off, void *buf, uint32_t n,
		  bool write)
{
	uint8_t img[DSA_PV_ROOT_WINDOW_SIZE];
	uint64_t entry;

	if (off > sizeof(img) || n > sizeof(img) - off || !n)
		return -EINVAL;
	if (!write) {
		memset(img, 0, sizeof(img));
		memcpy(img + DSA_PV_ROOT_PASID, &d->pv_sel, 4);
		entry = vfu_pv_root(d, d->pv_sel);
		memcpy(img + DSA_PV_ROOT_ENTRY, &entry, 8);
		memcpy(img + DSA_PV_ROOT_STATUS, &d->pv_status, 4);
		memcpy(buf, img + off, n);
		return 0;
	}
	if (off == DSA_PV_ROOT_PASID && (n == 4 || n == 8))
		memcpy(&d->pv_sel, buf, 4);
	else if (off == DSA_PV_ROOT_ENTRY && n == 8) {
		memcpy(&entry, buf, 8);
		d->pv_status = vfu_pv_set(d, d->pv_sel, entry);
	}
	return 0;
}
