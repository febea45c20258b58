// SPDX-License-Identifier: MIT
/* x86-64 page tables built in the test's guest RAM (vt.h). */
#include "vt.h"
#include "dsa_pv.h"

#define VT_PTE_ADDR 0x000ffffffffff000ull

static uint64_t vt_pt_alloc(struct vt_pt *pt)
{
	uint64_t g = pt->next;

	VT_CHECK(g + 0x1000 <= VT_PT_END);
	pt->next += 0x1000;
	memset(vt_g2h(pt->v, g), 0, 0x1000);
	return g;
}

void vt_pt_init(struct vt_pt *pt, struct vt *v, bool la57)
{
	pt->v = v;
	pt->la57 = la57;
	pt->next = VT_PT_BASE;
	pt->root = vt_pt_alloc(pt);
}

static uint64_t *vt_pt_slot(struct vt_pt *pt, uint64_t table, uint64_t va,
			    unsigned int level)
{
	return (uint64_t *)vt_g2h(pt->v, table) +
	       ((va >> (12 + 9 * (level - 1))) & 511);
}

void vt_pt_map(struct vt_pt *pt, uint64_t va, uint64_t gpa,
	       unsigned int level, uint64_t flags)
{
	unsigned int lvl = pt->la57 ? 5 : 4;
	uint64_t table = pt->root;

	for (; lvl > level; lvl--) {
		uint64_t *e = vt_pt_slot(pt, table, va, lvl);

		if (!(*e & VT_PTE_P))
			*e = vt_pt_alloc(pt) | VT_PTE_URW;
		table = *e & VT_PTE_ADDR;
	}
	*vt_pt_slot(pt, table, va, level) =
		gpa | flags | (level > 1 ? VT_PTE_PS : 0);
}

uint64_t *vt_pt_entry(struct vt_pt *pt, uint64_t va, unsigned int level)
{
	unsigned int lvl = pt->la57 ? 5 : 4;
	uint64_t table = pt->root;

	for (;; lvl--) {
		uint64_t *e = vt_pt_slot(pt, table, va, lvl);

		if (lvl == level)
			return e;
		if (!(*e & VT_PTE_P) || (*e & VT_PTE_PS))
			return NULL;
		table = *e & VT_PTE_ADDR;
	}
}

bool vt_pt_gpa(const struct vt_pt *pt, const uint8_t *ram, uint64_t va,
	       uint64_t *gpa)
{
	unsigned int lvl = pt->la57 ? 5 : 4;
	uint64_t table = pt->root;

	for (;; lvl--) {
		uint64_t ea = table + ((va >> (12 + 9 * (lvl - 1))) & 511) * 8;
		uint64_t size = 1ull << (12 + 9 * (lvl - 1)), e;

		if (ea < VT_IOVA_A || ea >= VT_IOVA_A + VT_RAM)
			return false;
		memcpy(&e, ram + (ea - VT_IOVA_A), 8);
		if (!(e & VT_PTE_P))
			return false;
		if (lvl == 1 || (e & VT_PTE_PS)) {
			*gpa = (e & VT_PTE_ADDR & ~(size - 1)) | (va & (size - 1));
			return true;
		}
		table = e & VT_PTE_ADDR;
	}
}

void *vt_pt_va2h(struct vt_pt *pt, uint64_t va)
{
	uint64_t gpa = 0;

	VT_CHECK(vt_pt_gpa(pt, pt->v->ram, va, &gpa));
	return vt_g2h(pt->v, gpa);
}

uint64_t vt_pt_entry_value(const struct vt_pt *pt)
{
	return pt->root | DSA_PV_ROOT_VALID | (pt->la57 ? DSA_PV_ROOT_LA57 : 0);
}

uint32_t vt_pv_set(struct vt *v, uint32_t pasid, uint64_t entry)
{
	vt_w32(v, 0x1000 + DSA_PV_ROOT_PASID, pasid);
	vt_w64(v, 0x1000 + DSA_PV_ROOT_ENTRY, entry);
	return vt_r32(v, 0x1000 + DSA_PV_ROOT_STATUS);
}
