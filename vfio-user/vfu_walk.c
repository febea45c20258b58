// SPDX-License-Identifier: MIT
/*
 * Address spaces of the device's accesses, and the page walk behind
 * PASID_ROOT (include/dsa_pv.h).
 *
 * A descriptor whose PASID has a root entry addresses guest-VIRTUAL memory:
 * every address is translated by walking the guest's own x86-64 page
 * tables in guest memory (through the DMA regions), as an IOMMU's
 * first-stage translation does (Intel VT-d specification, section 3.6
 * "First-Stage Translation": the tables are the processor's 4- or 5-level
 * paging structures).  The rules, from the Intel SDM volume 3A chapter 4
 * ("Paging"):
 *  - Canonical input: bits 63:N all equal bit N-1, N = 48 with 4-level
 *    and 57 with 5-level paging; a violation is a translation fault
 *    (VT-d 3.6; SDM 4.5).
 *  - Levels: PML5 (5-level only), PML4, PDPT, PD, PT, each indexed by 9
 *    address bits above bit 12 + 9 * (level - 1) (SDM 4.5, tables 4-14 to
 *    4-20); an entry's bits 51:12 name the next table or the page.
 *  - P (bit 0) must be 1 at every level; a write needs R/W (bit 1) at
 *    every level; a user request (a PASID without the privileged flag)
 *    needs U/S (bit 2) at every level (SDM 4.6 "Access Rights": the
 *    effective right is the AND over the levels; supervisor-mode writes
 *    are checked as with CR0.WP = 1, the VT-d first-stage default).
 *  - PS (bit 7) makes a PDPT entry map a 1 GiB page and a PD entry a
 *    2 MiB page (SDM 4.5); PS in a PML5 or PML4 entry is reserved, and so
 *    are the address bits below the page size above bit 12 (bit 12 is
 *    the large page's PAT bit): either faults.
 *  - Accessed (bit 5) is set in every entry used, dirty (bit 6) in the
 *    leaf of a write (SDM 4.8), each with a locked compare-and-swap on
 *    guest memory so that the guest kernel's own updates are never lost.
 *    As Intel processors do (KVM commit 8cbc70696f14, "Update accessed
 *    and dirty bits after guest pagetable walk"), the flags are set only
 *    once the whole walk has succeeded; a fault leaves them untouched.  An
 *    entry that changed under the swap makes the walk start over.
 * The tables themselves must lie in writable guest memory (the device
 * updates them); anything else is a fault.  A buffer that crosses pages is
 * translated page by page; pages whose host addresses follow each other
 * merge into one run, which is what both the model hook (vfu_dma.c) and
 * the host queue's pieces (vfu_exec.c) consume.
 */
#include "vfu_internal.h"

#include <errno.h>

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_ADDR 0x000ffffffffff000ull /* bits 51:12 */
#define VFU_WALK_RETRIES 8

struct vfu_walk {
	uint64_t *ent[5]; /* the entries used, top-down (host addresses) */
	uint64_t val[5]; /* their values as checked */
	unsigned int n;
	uint64_t gpa; /* the translation of the address */
	uint64_t span; /* bytes from gpa to the end of its page */
};

static bool vfu_canonical(uint64_t va, unsigned int bits)
{
	return (uint64_t)((int64_t)(va << (64 - bits)) >> (64 - bits)) == va;
}

/* Walk without side effects: 0 with w filled, -EFAULT on any fault. */
static int vfu_walk_once(struct vfu_as *as, uint64_t va, bool write,
			 struct vfu_walk *w)
{
	unsigned int levels = as->la57 ? 5 : 4, lvl;
	uint64_t table = as->root & PTE_ADDR;

	if (!vfu_canonical(va, 12 + 9 * levels))
		return -EFAULT;
	w->n = 0;
	for (lvl = levels; lvl; lvl--) {
		unsigned int shift = 12 + 9 * (lvl - 1);
		uint64_t ea = table + ((va >> shift) & 511) * 8, n, e, size;
		uint64_t *p = vfu_dma_xlat(as->d, ea, 8, true, &n);

		if (!p || n < 8)
			return -EFAULT;
		e = __atomic_load_n(p, __ATOMIC_ACQUIRE);
		if (!(e & PTE_P) || (write && !(e & PTE_RW)) ||
		    (as->user && !(e & PTE_US)))
			return -EFAULT;
		w->ent[w->n] = p;
		w->val[w->n++] = e;
		if (lvl == 1 || (e & PTE_PS)) {
			if (lvl > 3)
				return -EFAULT; /* PS reserved in PML5E/PML4E */
			size = 1ull << shift;
			/* Large page: address bits shift-1..13 reserved. */
			if (lvl > 1 && (e & PTE_ADDR & (size - 1) & ~0x1fffull))
				return -EFAULT;
			w->gpa = (e & PTE_ADDR & ~(size - 1)) | (va & (size - 1));
			w->span = size - (va & (size - 1));
			return 0;
		}
		table = e & PTE_ADDR;
	}
	return -EFAULT; /* not reached: level 1 is always a leaf */
}

/* Accessed on every entry, dirty on the leaf of a write; false when an
 * entry changed since it was checked (the walk must start over). */
static bool vfu_walk_mark(const struct vfu_walk *w, bool write)
{
	unsigned int i;

	for (i = 0; i < w->n; i++) {
		uint64_t want = PTE_A | (write && i == w->n - 1 ? PTE_D : 0);
		uint64_t old = w->val[i];

		if ((old & want) == want)
			continue;
		if (!__atomic_compare_exchange_n(w->ent[i], &old, old | want,
						 false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			return false;
	}
	return true;
}

/* The guest-physical address of va and the bytes left in its page. */
static int vfu_walk(struct vfu_as *as, uint64_t va, bool write, uint64_t *gpa,
		    uint64_t *span)
{
	struct vfu_walk w;
	unsigned int tries;

	for (tries = 0; tries < VFU_WALK_RETRIES; tries++) {
		if (vfu_walk_once(as, va, write, &w))
			return -EFAULT;
		if (vfu_walk_mark(&w, write)) {
			*gpa = w.gpa;
			*span = w.span;
			as->d->stats.walks++;
			return 0;
		}
	}
	/* The guest keeps rewriting its tables under us: a fault. */
	return -EFAULT;
}

void *vfu_as_xlat(struct vfu_as *as, uint64_t addr, uint64_t len, bool write,
		  uint64_t *avail)
{
	uint8_t *run = NULL;
	uint64_t got = 0;

	if (!as->paged)
		return vfu_dma_xlat(as->d, addr, len, write, avail);
	while (got < len) {
		uint64_t gpa, span, n;
		uint8_t *h;

		if (vfu_walk(as, addr + got, write, &gpa, &span))
			break;
		if (span > len - got)
			span = len - got;
		h = vfu_dma_xlat(as->d, gpa, span, write, &n);
		if (!h || (run && h != run + got))
			break;
		run = run ? run : h;
		got += n;
		if (n < span)
			break; /* the region ends inside the page */
	}
	if (!got)
		return NULL;
	*avail = got;
	return run;
}

struct vfu_as *vfu_as_of(struct vfu_dsa *d, struct model_mem *m)
{
	if (m == &d->phys.mem)
		return &d->phys;
	if (m == &d->virt.mem)
		return &d->virt;
	return NULL;
}

/*
 * The twin asks for the address space of each descriptor's PASID: the
 * PASID's page tables when the guest registered a root for it (and the
 * descriptor is PASID-enabled), else the guest's physical memory, as a
 * device without a vIOMMU sees it.  Descriptors run one at a time, so one
 * virtual address space, re-aimed per descriptor, serves every PASID.
 */
struct model_mem *vfu_pasid_mem(void *ctx, uint32_t pasid, bool pasid_en,
				bool priv)
{
	struct vfu_dsa *d = ctx;
	uint64_t e = pasid_en && !d->cfg.no_pv ? vfu_pv_root(d, pasid) : 0;

	if (!(e & DSA_PV_ROOT_VALID))
		return &d->phys.mem;
	d->virt.paged = true;
	d->virt.root = e & DSA_PV_ROOT_ADDR_MASK;
	d->virt.la57 = e & DSA_PV_ROOT_LA57;
	d->virt.user = !priv;
	return &d->virt.mem;
}
