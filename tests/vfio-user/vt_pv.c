// SPDX-License-Identifier: MIT
/*
 * The paravirtual extension (include/dsa_pv.h) as a guest driver finds and
 * uses it: the vendor-specific capability in config space, its absence
 * with no_pv, the PASID_ROOT registers, and PORTAL_8X8's rules.
 */
#include "vt.h"
#include "dsa_pv.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define P_SRC (VT_IOVA_A + 0x10000)
#define P_DST (VT_IOVA_A + 0x30000)
#define P_COMP (VT_IOVA_A + 0x50000)
#define P_ROOT (VT_IOVA_A + 0x70000)

/* The offset of the first capability with this ID, 0 if none; the walk is
 * bounded as a driver's is (pci_find_capability's TTL). */
static uint32_t vt_find_cap(struct vt *v, uint8_t id)
{
	uint32_t pos = vt_cfg32(v, 0x34) & 0xfc;
	int ttl = 48;

	if (!(vt_cfg32(v, 0x04) & (0x10u << 16)))
		return 0;
	while (pos >= 0x40 && ttl--) {
		uint32_t hdr = vt_cfg32(v, pos);

		if ((hdr & 0xff) == id)
			return pos;
		pos = (hdr >> 8) & 0xfc;
	}
	return 0;
}

VT_TEST(pv_capability_in_config_space)
{
	struct dsa_pv_cap cap;
	uint32_t pos, junk = 0xffffffffu, i;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	/* MSI-X stays where QEMU's vfio code finds it, first in the list. */
	VT_EQ(vt_cfg32(&v, 0x34) & 0xff, 0x40);
	VT_EQ(vt_find_cap(&v, 0x11), 0x40);
	pos = vt_find_cap(&v, DSA_PV_CAP_ID);
	VT_CHECK(pos >= 0x40 && pos % 4 == 0 && pos + sizeof(cap) <= 256);
	VT_EQ(vt_rd(&v, VFU_PCI_CONFIG, pos, &cap, sizeof(cap)), 0);
	VT_EQ(cap.cap_id, DSA_PV_CAP_ID);
	VT_EQ(cap.next, 0);
	VT_EQ(cap.len, sizeof(cap));
	VT_EQ(cap.version, DSA_PV_VERSION);
	VT_EQ(cap.signature, DSA_PV_SIGNATURE);
	VT_EQ(cap.features, DSA_PV_F_PORTAL_8X8 | DSA_PV_F_PASID_ROOT);
	VT_EQ(cap.root_window, 0x1000);
	/* The window lies between the twin's registers and the MSI-X table. */
	VT_CHECK(cap.root_window >= DSA_TWIN_BAR0_SIZE &&
		 cap.root_window + DSA_PV_ROOT_WINDOW_SIZE <= 0x2000);
	/* Read-only: the guest cannot rewrite it. */
	for (i = 0; i < sizeof(cap); i += 4)
		VT_EQ(vt_wr(&v, VFU_PCI_CONFIG, pos + i, &junk, 4), 0);
	VT_EQ(vt_rd(&v, VFU_PCI_CONFIG, pos, &junk, 4), 0);
	VT_EQ(junk & 0xffff, DSA_PV_CAP_ID);
	vt_close(&v);
}

VT_TEST(pv_off_looks_like_hardware)
{
	struct vfu_dsa_config c;
	uint32_t val = 5;
	struct vt v;

	vfu_dsa_config_default(&c);
	c.backend = getenv("VT_BACKEND");
	c.no_pv = true;
	vt_open(&v, &c);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_find_cap(&v, 0x11), 0x40);
	VT_EQ((vt_cfg32(&v, 0x40) >> 8) & 0xff, 0); /* MSI-X is the last */
	VT_EQ(vt_find_cap(&v, DSA_PV_CAP_ID), 0);
	VT_EQ(vt_cfg32(&v, 0x50), 0);
	/* No window: reserved BAR0 space, reads zero, writes ignored. */
	vt_w32(&v, 0x1000 + DSA_PV_ROOT_PASID, val);
	VT_EQ(vt_r32(&v, 0x1000 + DSA_PV_ROOT_PASID), 0);
	vt_close(&v);
}

VT_TEST(pv_root_registers)
{
	uint64_t ok = P_ROOT | DSA_PV_ROOT_VALID;
	struct vfu_dsa_stats s;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_ram(&v);
	VT_EQ(vt_pv_set(&v, 0, ok), DSA_PV_ST_BAD_PASID);
	VT_EQ(vt_pv_set(&v, 1u << 20, ok), DSA_PV_ST_BAD_PASID);
	/* Reserved bits; a root outside guest memory; one not page-aligned
	 * is not expressible (bits 11:2 reserved). */
	VT_EQ(vt_pv_set(&v, 5, ok | (1ull << 60)), DSA_PV_ST_BAD_ROOT);
	VT_EQ(vt_pv_set(&v, 5, ok | 0x800), DSA_PV_ST_BAD_ROOT);
	VT_EQ(vt_pv_set(&v, 5, 0x40000000ull | DSA_PV_ROOT_VALID),
	      DSA_PV_ST_BAD_ROOT);
	VT_EQ(vt_pv_set(&v, 5, P_ROOT | DSA_PV_ROOT_LA57), DSA_PV_ST_BAD_ROOT);
	vt_stats(&v, &s);
	VT_EQ(s.pasids, 0);
	VT_EQ(vt_pv_set(&v, 5, ok), DSA_PV_ST_OK);
	VT_EQ(vt_pv_set(&v, 0xfffff, ok | DSA_PV_ROOT_LA57), DSA_PV_ST_OK);
	VT_EQ(vt_pv_set(&v, 3, ok), DSA_PV_ST_OK);
	VT_EQ(vt_r64(&v, 0x1000 + DSA_PV_ROOT_ENTRY), ok);
	VT_EQ(vt_r32(&v, 0x1000 + DSA_PV_ROOT_PASID), 3);
	vt_w32(&v, 0x1000 + DSA_PV_ROOT_PASID, 0xfffff);
	VT_EQ(vt_r64(&v, 0x1000 + DSA_PV_ROOT_ENTRY), ok | DSA_PV_ROOT_LA57);
	vt_w32(&v, 0x1000 + DSA_PV_ROOT_PASID, 6);
	VT_EQ(vt_r64(&v, 0x1000 + DSA_PV_ROOT_ENTRY), 0);
	vt_stats(&v, &s);
	VT_EQ(s.pasids, 3);
	/* Replace, clear, clear again. */
	VT_EQ(vt_pv_set(&v, 5, ok + 0x1000), DSA_PV_ST_OK);
	VT_EQ(vt_r64(&v, 0x1000 + DSA_PV_ROOT_ENTRY), ok + 0x1000);
	VT_EQ(vt_pv_set(&v, 5, 0), DSA_PV_ST_OK);
	VT_EQ(vt_r64(&v, 0x1000 + DSA_PV_ROOT_ENTRY), 0);
	VT_EQ(vt_pv_set(&v, 5, 0), DSA_PV_ST_OK);
	vt_stats(&v, &s);
	VT_EQ(s.pasids, 2);
	/* A function-level reset forgets them all. */
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_RESET, NULL, 0, NULL, 0, NULL, 0,
		      NULL), 0);
	vt_stats(&v, &s);
	VT_EQ(s.pasids, 0);
	vt_w32(&v, 0x1000 + DSA_PV_ROOT_PASID, 3);
	VT_EQ(vt_r64(&v, 0x1000 + DSA_PV_ROOT_ENTRY), 0);
	vt_close(&v);
}

/* The table is bounded: the direct API, so 1025 entries take no time. */
VT_TEST(pv_root_table_full)
{
	struct vfu_dsa_config c;
	struct vfu_dsa_stats s;
	struct vfu_dsa *d;
	uint64_t e = P_ROOT | DSA_PV_ROOT_VALID;
	uint32_t p, st;
	int fd;

	vfu_dsa_config_default(&c);
	c.model_only = true;
	VT_EQ(vfu_dsa_create(&d, &c), 0);
	fd = memfd_create("vt-pv", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	VT_CHECK(fd >= 0);
	VT_EQ(ftruncate(fd, VT_REGION), 0);
	VT_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), 0);
	VT_EQ(vfu_dsa_dma_map(d, VT_IOVA_A, VT_REGION, fd, 0,
			      VFU_DMA_READ | VFU_DMA_WRITE), 0);
	close(fd);
	for (p = 1; p <= 1025; p++) {
		VT_EQ(vfu_dsa_region_write(d, VFU_PCI_BAR0, 0x1000, &p, 4), 0);
		VT_EQ(vfu_dsa_region_write(d, VFU_PCI_BAR0, 0x1008, &e, 8), 0);
		VT_EQ(vfu_dsa_region_read(d, VFU_PCI_BAR0, 0x1010, &st, 4), 0);
		VT_EQ(st, p <= 1024 ? DSA_PV_ST_OK : DSA_PV_ST_FULL);
	}
	vfu_dsa_get_stats(d, &s);
	VT_EQ(s.pasids, 1024);
	/* Replacing a present entry still works when full; a freed slot
	 * takes a new PASID. */
	p = 512;
	e += 0x1000;
	VT_EQ(vfu_dsa_region_write(d, VFU_PCI_BAR0, 0x1000, &p, 4), 0);
	VT_EQ(vfu_dsa_region_write(d, VFU_PCI_BAR0, 0x1008, &e, 8), 0);
	VT_EQ(vfu_dsa_region_read(d, VFU_PCI_BAR0, 0x1010, &st, 4), 0);
	VT_EQ(st, DSA_PV_ST_OK);
	e = 0;
	VT_EQ(vfu_dsa_region_write(d, VFU_PCI_BAR0, 0x1008, &e, 8), 0);
	p = 2000;
	e = P_ROOT | DSA_PV_ROOT_VALID;
	VT_EQ(vfu_dsa_region_write(d, VFU_PCI_BAR0, 0x1000, &p, 4), 0);
	VT_EQ(vfu_dsa_region_write(d, VFU_PCI_BAR0, 0x1008, &e, 8), 0);
	VT_EQ(vfu_dsa_region_read(d, VFU_PCI_BAR0, 0x1010, &st, 4), 0);
	VT_EQ(st, DSA_PV_ST_OK);
	vfu_dsa_destroy(d);
}

/* PORTAL_8X8: eight ordered pieces of one slot. */
static void vt_piece(struct vt *v, uint64_t slot, unsigned int i,
		     const struct dsa_desc *d)
{
	VT_EQ(vt_wr(v, VFU_PCI_BAR2, slot + 8 * i, (const uint8_t *)d + 8 * i,
		    8), 0);
}

static void vt_pieces(struct vt *v, uint64_t slot, const struct dsa_desc *d,
		      unsigned int from, unsigned int to)
{
	for (; from < to; from++)
		vt_piece(v, slot, from, d);
}

VT_TEST(pv_portal_8x8_rules)
{
	uint64_t slot = dsa_portal_offset(0, 0, 0);
	struct vfu_dsa_stats s;
	struct dsa_desc d;
	struct vt v;

	vt_open(&v, NULL);
	vt_bringup(&v, 1, true, 16);
	memset(vt_g2h(&v, P_SRC), 0x5a, 256);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, P_SRC, P_DST, 256, P_COMP);

	/* Out of order (0, 8, 24): the gathered pieces and the stray go. */
	vt_pieces(&v, slot, &d, 0, 2);
	vt_piece(&v, slot, 3, &d);
	vt_stats(&v, &s);
	VT_EQ(s.portal_dropped, 2);
	/* The rest of that descriptor alone submits nothing. */
	vt_pieces(&v, slot, &d, 2, 8);
	vt_stats(&v, &s);
	VT_EQ(s.descs, 0);
	VT_EQ(s.portal_dropped, 8);
	/* A repeated piece is out of order too. */
	vt_pieces(&v, slot, &d, 0, 3);
	vt_piece(&v, slot, 2, &d);
	vt_stats(&v, &s);
	VT_EQ(s.portal_dropped, 10);
	/* Another slot's piece discards; its piece 0 starts anew there. */
	vt_pieces(&v, slot, &d, 0, 5);
	vt_pieces(&v, slot + 64, &d, 0, 8);
	vt_stats(&v, &s);
	VT_EQ(s.portal_dropped, 11);
	VT_EQ(s.descs, 1);
	VT_EQ(vt_comp(&v, P_COMP)->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&v, P_SRC), vt_g2h(&v, P_DST), 256));
	/* A piece 0 in the middle restarts the gathering. */
	memset(vt_comp(&v, P_COMP), 0, 32);
	vt_pieces(&v, slot, &d, 0, 6);
	vt_pieces(&v, slot, &d, 0, 7);
	vt_stats(&v, &s);
	VT_EQ(s.portal_dropped, 12);
	VT_EQ(s.descs, 1);
	/* The eighth piece submits, exactly once. */
	vt_piece(&v, slot, 7, &d);
	vt_stats(&v, &s);
	VT_EQ(s.descs, 2);
	VT_EQ(vt_comp(&v, P_COMP)->status, DSA_COMP_SUCCESS);
	vt_piece(&v, slot, 7, &d);
	vt_stats(&v, &s);
	VT_EQ(s.descs, 2);
	VT_EQ(s.portal_dropped, 13);
	vt_close(&v);
}

/* Each portal gathers on its own: the driver serialises per portal, so
 * two vCPUs' pieces for two queues arrive interleaved. */
VT_TEST(pv_portal_8x8_per_portal)
{
	uint64_t p0 = dsa_portal_offset(0, 0, 0), p1 = dsa_portal_offset(1, 0, 0);
	struct vfu_dsa_stats s;
	struct dsa_desc d0, d1;
	unsigned int i;
	struct vt v;

	vt_open(&v, NULL);
	vt_bringup(&v, 2, true, 16);
	memset(vt_g2h(&v, P_SRC), 0x3c, 0x200);
	vt_desc(&d0, DSA_OP_MEMMOVE, 0, P_SRC, P_DST, 0x100, P_COMP);
	vt_desc(&d1, DSA_OP_FILL, 0, 0x7777777777777777ull, P_DST + 0x100, 0x100,
		P_COMP + 32);
	memset(vt_g2h(&v, P_COMP), 0, 64);
	for (i = 0; i < 8; i++) {
		vt_piece(&v, p0, i, &d0);
		vt_piece(&v, p1, i, &d1);
	}
	vt_stats(&v, &s);
	VT_EQ(s.portal_dropped, 0);
	VT_EQ(s.descs, 2);
	VT_EQ(vt_comp(&v, P_COMP)->status, DSA_COMP_SUCCESS);
	VT_EQ(vt_comp(&v, P_COMP + 32)->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&v, P_SRC), vt_g2h(&v, P_DST), 0x100));
	VT_EQ(*(uint64_t *)vt_g2h(&v, P_DST + 0x1f8), 0x7777777777777777ull);
	/* Two portals with pieces pending: both counted as partial. */
	vt_pieces(&v, p0, &d0, 0, 3);
	vt_pieces(&v, p1, &d1, 0, 5);
	vt_stats(&v, &s);
	VT_EQ(s.partial, 2);
	vt_close(&v);
}
