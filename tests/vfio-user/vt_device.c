// SPDX-License-Identifier: MIT
/* The device as the guest's driver sees it: config space, bring-up,
 * descriptors through the portals, records in guest RAM, interrupts. */
#include "vt.h"

#include <errno.h>
#include <stdlib.h>

#define G_SRC (VT_IOVA_A + 0x10000)
#define G_DST (VT_IOVA_A + 0x30000)
#define G_COMP (VT_IOVA_A + 0x50000)
#define G_LIST (VT_IOVA_A + 0x60000)

static void vt_up(struct vt *v)
{
	vt_open(v, NULL);
	vt_bringup(v, 1, true, 16);
}

static void vt_pattern(struct vt *v, uint64_t g, size_t n, unsigned int seed)
{
	uint8_t *p = vt_g2h(v, g);
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 31 + seed);
}

VT_TEST(config_identity)
{
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_cfg32(&v, 0) & 0xffff, 0x8086);
	VT_EQ(vt_cfg32(&v, 0) >> 16, 0x0b25);
	VT_EQ(vt_cfg32(&v, 0x08) >> 8, 0x088000);
	VT_CHECK(vt_cfg32(&v, 0x04) & (0x10u << 16)); /* capability list */
	/* BAR0 and BAR2: 64-bit memory. */
	VT_EQ(vt_cfg32(&v, 0x10) & 0x7, 0x4);
	VT_EQ(vt_cfg32(&v, 0x18) & 0x7, 0x4);
	VT_EQ(vt_cfg32(&v, 0x14), 0);
	vt_close(&v);
}

VT_TEST(config_msix_capability)
{
	struct vt v;
	uint32_t cap;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	cap = vt_cfg32(&v, 0x34) & 0xff;
	VT_EQ(cap, 0x40);
	VT_EQ(vt_cfg32(&v, cap) & 0xff, 0x11);
	VT_EQ((vt_cfg32(&v, cap) >> 16) & 0x7ff, VT_MSIX - 1);
	VT_EQ(vt_cfg32(&v, cap + 4), 0x2000); /* table: BAR0 + 0x2000 */
	VT_EQ(vt_cfg32(&v, cap + 8), 0x3000); /* PBA: BAR0 + 0x3000 */
	/* Enable and mask-all are writable, the table size is not. */
	vt_cfgw16(&v, cap + 2, 0xffff);
	VT_EQ(vt_cfg32(&v, cap) >> 16, 0xc000 | (VT_MSIX - 1));
	vt_close(&v);
}

VT_TEST(config_bar_sizing)
{
	uint32_t ones = 0xffffffffu;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_wr(&v, VFU_PCI_CONFIG, 0x10, &ones, 4), 0);
	VT_EQ(vt_cfg32(&v, 0x10), ~(0x4000u - 1) | 0x4);
	VT_EQ(vt_wr(&v, VFU_PCI_CONFIG, 0x18, &ones, 4), 0);
	VT_EQ(vt_cfg32(&v, 0x18), ~(DSA_TWIN_BAR2_SIZE - 1) | 0x4);
	VT_EQ(vt_wr(&v, VFU_PCI_CONFIG, 0x20, &ones, 4), 0);
	VT_EQ(vt_cfg32(&v, 0x20), 0); /* BAR4: none */
	vt_close(&v);
}

VT_TEST(config_read_only_fields)
{
	uint32_t junk = 0x12345678;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_wr(&v, VFU_PCI_CONFIG, 0, &junk, 4), 0);
	VT_EQ(vt_wr(&v, VFU_PCI_CONFIG, 0x40, &junk, 1), 0);
	VT_EQ(vt_wr(&v, VFU_PCI_CONFIG, 0x08, &junk, 4), 0);
	VT_EQ(vt_cfg32(&v, 0), 0x0b258086);
	VT_EQ(vt_cfg32(&v, 0x40) & 0xff, 0x11);
	VT_EQ(vt_cfg32(&v, 0x08) >> 8, 0x088000);
	vt_close(&v);
}

VT_TEST(bringup_in_idxd_order)
{
	struct vt v;

	vt_up(&v);
	VT_EQ(DSA_FGET(vt_r32(&v, DSA_REG_GENSTS), DSA_GENSTS_STATE),
	      DSA_DEV_ENABLED);
	VT_EQ(DSA_FGET(vt_r32(&v, v.wqcfg + 4 * DSA_WQCFG_DW_STATE),
		       DSA_WQCFG_WQ_STATE), DSA_WQ_STATE_ENABLED);
	vt_close(&v);
}

VT_TEST(enable_needs_bus_master)
{
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_cfgw16(&v, 0x04, 0x0002); /* memory only */
	vt_w64(&v, 0x400, 1);
	vt_w64(&v, 0x420, 1);
	vt_w32(&v, 0x500, 8);
	vt_w32(&v, 0x508, 1);
	VT_EQ(vt_cmd(&v, DSA_CMD_ENABLE_DEVICE, 0), DSA_CMDSTS_ERR_BUSMASTER_EN);
	vt_cfgw16(&v, 0x04, 0x0006);
	VT_EQ(vt_cmd(&v, DSA_CMD_ENABLE_DEVICE, 0), DSA_CMDSTS_SUCCESS);
	vt_close(&v);
}

VT_TEST(command_interrupt_on_vector0)
{
	struct vt v;

	vt_up(&v);
	vt_w32(&v, DSA_REG_CMD, dsa_cmd_word(DSA_CMD_DISABLE_WQ, 0, 1));
	VT_EQ(vt_irq_count(&v, 0), 1);
	VT_CHECK(vt_r32(&v, DSA_REG_INTCAUSE) & DSA_INTC_CMD);
	vt_close(&v);
}

VT_TEST(memmove_through_portal)
{
	struct dsa_desc d;
	struct vfu_dsa_stats s;
	struct vt v;

	vt_up(&v);
	vt_pattern(&v, G_SRC, 4096, 1);
	vt_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_RCI, G_SRC, G_DST, 4096, G_COMP);
	d.int_handle = 1;
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&v, G_SRC), vt_g2h(&v, G_DST), 4096));
	VT_EQ(vt_irq_count(&v, 1), 1);
	vt_stats(&v, &s);
	VT_EQ(s.descs, 1);
	VT_EQ(s.host_descs, 1);
	VT_EQ(s.model_descs, 0);
	vt_close(&v);
}

VT_TEST(memmove_in_8_byte_pieces)
{
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	vt_pattern(&v, G_SRC, 100, 2);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, G_SRC, G_DST, 100, G_COMP);
	vt_submit_pieces(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&v, G_SRC), vt_g2h(&v, G_DST), 100));
	vt_close(&v);
}

VT_TEST(fill_and_noop)
{
	struct dsa_desc d;
	uint8_t *p;
	struct vt v;
	int i;

	vt_up(&v);
	vt_desc(&d, DSA_OP_FILL, 0, 0x0807060504030201ull, G_DST + 3, 1000,
		G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	p = vt_g2h(&v, G_DST + 3);
	for (i = 0; i < 1000; i++)
		VT_EQ(p[i], i % 8 + 1);
	vt_desc(&d, DSA_OP_NOOP, 0, 0, 0, 0, G_COMP + 32);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP + 32)->status, DSA_COMP_SUCCESS);
	vt_close(&v);
}

VT_TEST(memmove_straddling_regions_split)
{
	uint64_t src = VT_IOVA_B - 3000, dst = VT_IOVA_B - 1000;
	struct vfu_dsa_stats s;
	struct dsa_desc d;
	uint8_t *want = malloc(8000);
	struct vt v;

	vt_up(&v);
	vt_pattern(&v, src, 8000, 3);
	memcpy(want, vt_g2h(&v, src), 8000);
	/* Both buffers cross from region A into region B. */
	vt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst + 0x10000, 8000, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&v, dst + 0x10000), want, 8000));
	vt_stats(&v, &s);
	VT_EQ(s.descs, 1);
	VT_EQ(s.host_descs, 2); /* one piece a region */
	free(want);
	vt_close(&v);
}

VT_TEST(fill_straddling_regions_keeps_pattern)
{
	uint64_t dst = VT_IOVA_B - 1001;
	struct dsa_desc d;
	uint8_t *p;
	struct vt v;
	int i;

	vt_up(&v);
	vt_desc(&d, DSA_OP_FILL, 0, 0x1122334455667788ull, dst, 3000, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	p = vt_g2h(&v, dst);
	for (i = 0; i < 3000; i++)
		VT_EQ(p[i], (uint8_t)(0x1122334455667788ull >> (8 * (i % 8))));
	vt_close(&v);
}

VT_TEST(crc_straddling_regions)
{
	uint64_t src = VT_IOVA_B - 777;
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	vt_pattern(&v, src, 2000, 4);
	vt_desc(&d, DSA_OP_CRCGEN, 0, src, 0, 2000, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	VT_EQ(vt_comp(&v, G_COMP)->crc_val, model_crc32c(0, vt_g2h(&v, src), 2000));
	vt_close(&v);
}

VT_TEST(compare_and_compare_pattern)
{
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	vt_pattern(&v, G_SRC, 512, 5);
	vt_pattern(&v, G_DST, 512, 5);
	((uint8_t *)vt_g2h(&v, G_DST))[300] ^= 1;
	vt_desc(&d, DSA_OP_COMPARE, 0, G_SRC, G_DST, 512, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	VT_EQ(vt_comp(&v, G_COMP)->result, DSA_RESULT_CMP_DIFFER);
	VT_EQ(vt_comp(&v, G_COMP)->bytes_completed, 300);
	memset(vt_g2h(&v, G_SRC), 0xab, 256);
	vt_desc(&d, DSA_OP_COMPVAL, 0, G_SRC, 0xababababababababull, 256,
		G_COMP + 32);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP + 32)->status, DSA_COMP_SUCCESS);
	VT_EQ(vt_comp(&v, G_COMP + 32)->result, DSA_RESULT_CMP_EQUAL);
	vt_close(&v);
}

VT_TEST(dualcast_and_copy_crc)
{
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	vt_pattern(&v, G_SRC, 1024, 6);
	vt_desc(&d, DSA_OP_DUALCAST, 0, G_SRC, G_DST, 1024, G_COMP);
	d.dcast.dst2 = G_DST + 0x8000; /* same bits 11:0 */
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&v, G_SRC), vt_g2h(&v, G_DST), 1024));
	VT_CHECK(!memcmp(vt_g2h(&v, G_SRC), vt_g2h(&v, G_DST + 0x8000), 1024));
	vt_desc(&d, DSA_OP_COPY_CRC, 0, G_SRC, G_DST + 0x4000, 1024, G_COMP + 32);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP + 32)->status, DSA_COMP_SUCCESS);
	VT_EQ(vt_comp(&v, G_COMP + 32)->crc_val,
	      model_crc32c(0, vt_g2h(&v, G_SRC), 1024));
	VT_CHECK(!memcmp(vt_g2h(&v, G_SRC), vt_g2h(&v, G_DST + 0x4000), 1024));
	vt_close(&v);
}

VT_TEST(delta_create_and_apply)
{
	uint64_t rec = G_LIST, copy = G_DST + 0x8000;
	struct dsa_desc d;
	uint32_t rsize;
	struct vt v;

	vt_up(&v);
	vt_pattern(&v, G_SRC, 4096, 7);
	vt_pattern(&v, G_DST, 4096, 7);
	((uint8_t *)vt_g2h(&v, G_DST))[8] ^= 0xff;
	((uint8_t *)vt_g2h(&v, G_DST))[4000] ^= 0xff;
	vt_desc(&d, DSA_OP_CR_DELTA, 0, G_SRC, G_DST, 4096, G_COMP);
	d.crdelta.delta_addr = rec;
	d.crdelta.max_delta_size = 4000;
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	VT_EQ(vt_comp(&v, G_COMP)->result, DSA_RESULT_DELTA_FOUND);
	rsize = vt_comp(&v, G_COMP)->delta_rec_size;
	VT_EQ(rsize, 2 * DSA_DELTA_ENTRY_SIZE);
	memcpy(vt_g2h(&v, copy), vt_g2h(&v, G_SRC), 4096);
	vt_desc(&d, DSA_OP_AP_DELTA, 0, rec, copy, 4096, G_COMP + 32);
	d.apdelta.delta_rec_size = rsize;
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP + 32)->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&v, copy), vt_g2h(&v, G_DST), 4096));
	vt_close(&v);
}

VT_TEST(batch_in_guest_memory)
{
	struct dsa_desc d, *list;
	struct vt v;
	int i;

	vt_up(&v);
	list = vt_g2h(&v, G_LIST);
	vt_pattern(&v, G_SRC, 3 * 256, 8);
	for (i = 0; i < 3; i++)
		vt_desc(&list[i], DSA_OP_MEMMOVE, 0, G_SRC + 256 * i,
			G_DST + 256 * i, 256, G_COMP + 64 + 32 * i);
	vt_desc(&d, DSA_OP_BATCH, DSA_FLAG_RCI, G_LIST, 0, 3, G_COMP);
	d.int_handle = 1;
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	VT_EQ(vt_comp(&v, G_COMP)->bytes_completed, 3);
	for (i = 0; i < 3; i++)
		VT_EQ(vt_comp(&v, G_COMP + 64 + 32 * i)->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&v, G_SRC), vt_g2h(&v, G_DST), 768));
	VT_EQ(vt_irq_count(&v, 1), 1);
	vt_close(&v);
}

VT_TEST(bad_opcode_record)
{
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	vt_desc(&d, 0x3f, 0, 0, 0, 0, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_BAD_OPCODE);
	vt_close(&v);
}

VT_TEST(many_descriptors)
{
	struct dsa_desc d;
	struct vt v;
	int i;

	vt_up(&v);
	vt_pattern(&v, G_SRC, 64 * 200, 9);
	for (i = 0; i < 200; i++) {
		vt_desc(&d, DSA_OP_MEMMOVE, 0, G_SRC + 64 * i, G_DST + 64 * i,
			64, G_COMP + 32 * i);
		vt_submit(&v, 0, &d);
	}
	for (i = 0; i < 200; i++)
		VT_EQ(vt_comp(&v, G_COMP + 32 * i)->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&v, G_SRC), vt_g2h(&v, G_DST), 64 * 200));
	vt_close(&v);
}

VT_TEST(overlapping_memmove_through_model)
{
	struct vfu_dsa_stats s;
	uint8_t want[4096];
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	vt_pattern(&v, G_SRC, 4096, 10);
	memcpy(want, vt_g2h(&v, G_SRC), 4096);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, G_SRC, G_SRC + 100, 4096, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&v, G_SRC + 100), want, 4096));
	vt_stats(&v, &s);
	VT_EQ(s.model_descs, 1);
	vt_close(&v);
}

VT_TEST(shared_queue_takes_portal_writes)
{
	struct dsa_desc d;
	struct vt v;

	vt_open(&v, NULL);
	vt_bringup(&v, 1, false, 16);
	vt_pattern(&v, G_SRC, 128, 11);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, G_SRC, G_DST, 128, G_COMP);
	d.pasid_priv = 1;
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&v, G_SRC), vt_g2h(&v, G_DST), 128));
	vt_close(&v);
}

VT_TEST(disabled_queue_drops)
{
	struct vfu_dsa_stats s;
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	VT_EQ(vt_cmd(&v, DSA_CMD_DISABLE_WQ, 1), DSA_CMDSTS_SUCCESS); /* a bitmap */
	vt_desc(&d, DSA_OP_NOOP, 0, 0, 0, 0, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, 0);
	vt_submit(&v, 5, &d); /* a queue that is not configured */
	vt_stats(&v, &s);
	VT_EQ(s.portal_dropped, 2);
	VT_EQ(s.descs, 0);
	vt_close(&v);
}

VT_TEST(portal_reads_and_odd_writes)
{
	uint8_t buf[16];
	struct vfu_dsa_stats s;
	struct vt v;

	vt_up(&v);
	VT_EQ(vt_rd(&v, VFU_PCI_BAR2, 0, buf, 8), 0);
	VT_EQ(buf[0], 0xff);
	memset(buf, 0, sizeof(buf));
	VT_EQ(vt_wr(&v, VFU_PCI_BAR2, 4, buf, 4), 0);
	VT_EQ(vt_wr(&v, VFU_PCI_BAR2, 0, buf, 16), 0);
	/* Half a descriptor, then another slot: the half is dropped. */
	VT_EQ(vt_wr(&v, VFU_PCI_BAR2, 0, buf, 8), 0);
	VT_EQ(vt_wr(&v, VFU_PCI_BAR2, 64, buf, 8), 0);
	vt_stats(&v, &s);
	VT_EQ(s.portal_dropped, 3);
	VT_EQ(s.descs, 0);
	vt_close(&v);
}

VT_TEST(msix_table_and_pending_bits)
{
	uint32_t x = 0xfee00000u;
	uint64_t pba;
	struct dsa_desc d;
	struct vt v;

	/* No eventfds: a completion interrupt stays pending. */
	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_ram(&v);
	VT_EQ(vt_rd(&v, VFU_PCI_BAR0, 0x2000 + 16 + 12, &x, 4), 0);
	VT_EQ(x & 1, 1); /* masked at reset */
	x = 0xfee00000u;
	VT_EQ(vt_wr(&v, VFU_PCI_BAR0, 0x2000 + 16, &x, 4), 0);
	x = 0;
	VT_EQ(vt_rd(&v, VFU_PCI_BAR0, 0x2000 + 16, &x, 4), 0);
	VT_EQ(x, 0xfee00000u);
	vt_cfgw16(&v, 0x04, 0x0006);
	vt_w64(&v, 0x400, 1);
	vt_w64(&v, 0x420, 1);
	vt_w32(&v, 0x500, 8);
	vt_w32(&v, 0x508, 1 | 1 << 4); /* dedicated, priority 1 */
	vt_w32(&v, 0x50c, 31);
	VT_EQ(vt_cmd(&v, DSA_CMD_ENABLE_DEVICE, 0), 0);
	VT_EQ(vt_cmd(&v, DSA_CMD_ENABLE_WQ, 0), 0);
	vt_desc(&d, DSA_OP_NOOP, DSA_FLAG_RCI, 0, 0, 0, G_COMP);
	d.int_handle = 1;
	vt_submit(&v, 0, &d);
	VT_EQ(vt_rd(&v, VFU_PCI_BAR0, 0x3000, &pba, 8), 0);
	VT_CHECK(pba & 2);
	/* The eventfd arrives: the pending vector is delivered. */
	vt_irqs_on(&v);
	VT_EQ(vt_irq_count(&v, 1), 1);
	VT_EQ(vt_rd(&v, VFU_PCI_BAR0, 0x3000, &pba, 8), 0);
	VT_EQ(pba & 2, 0);
	vt_close(&v);
}

VT_TEST(config_queues_mode_size)
{
	struct vfu_dsa_config c;
	uint64_t wqcap;
	struct vt v;

	vfu_dsa_config_default(&c);
	c.num_wqs = 2;
	c.total_wq_size = 32;
	c.mode = VFU_DSA_MODE_DEDICATED;
	c.backend = getenv("VT_BACKEND");
	vt_open(&v, &c);
	VT_EQ(vt_version(&v), 0);
	wqcap = vt_r64(&v, DSA_REG_WQCAP);
	VT_EQ(DSA_FGET(wqcap, DSA_WQCAP_NUM_WQS), 2);
	VT_EQ(DSA_FGET(wqcap, DSA_WQCAP_TOTAL_SIZE), 32);
	VT_EQ(DSA_FGET(wqcap, DSA_WQCAP_SHARED_MODE), 0);
	VT_EQ(DSA_FGET(wqcap, DSA_WQCAP_DEDICATED_MODE), 1);
	vt_close(&v);
}

VT_TEST(config_refuses_nonsense)
{
	struct vfu_dsa_config c;
	struct vfu_dsa *d;

	vfu_dsa_config_default(&c);
	c.num_wqs = 9;
	VT_EQ(vfu_dsa_create(&d, &c), -EINVAL);
	vfu_dsa_config_default(&c);
	c.total_wq_size = 0;
	VT_EQ(vfu_dsa_create(&d, &c), -EINVAL);
	vfu_dsa_config_default(&c);
	c.version = 3;
	VT_EQ(vfu_dsa_create(&d, &c), -EINVAL);
	vfu_dsa_config_default(&c);
	c.backend = "no-such-backend";
	VT_CHECK(vfu_dsa_create(&d, &c) < 0);
}

VT_TEST(dsa2_personality)
{
	struct vfu_dsa_config c;
	struct vt v;

	vfu_dsa_config_default(&c);
	c.version = 2;
	c.backend = getenv("VT_BACKEND");
	vt_open(&v, &c);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_cfg32(&v, 0) >> 16, 0x11fb);
	VT_EQ(vt_r32(&v, DSA_REG_VERSION), DSA_VERSION_2);
	VT_EQ(DSA_FGET(vt_r64(&v, DSA_REG_WQCAP), DSA_WQCAP_WQCFG_SIZE), 1);
	vt_ram(&v);
	vt_close(&v);
}

VT_TEST(dsa2_bringup_and_fill16)
{
	struct vfu_dsa_config c;
	struct dsa_desc d;
	uint64_t *p;
	struct vt v;
	int i;

	vfu_dsa_config_default(&c);
	c.version = 2;
	c.backend = getenv("VT_BACKEND");
	vt_open(&v, &c);
	vt_bringup(&v, 2, true, 8);
	vt_desc(&d, DSA_OP_FILL, DSA_FLAG_FILL_PATTERN16, 0x1111, G_DST, 256,
		G_COMP);
	d.fill.pattern_upper = 0x2222;
	vt_submit(&v, 1, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	p = vt_g2h(&v, G_DST);
	for (i = 0; i < 32; i++)
		VT_EQ(p[i], i % 2 ? 0x2222 : 0x1111);
	vt_close(&v);
}

VT_TEST(model_only_device)
{
	struct vfu_dsa_config c;
	struct vfu_dsa_stats s;
	struct dsa_desc d;
	struct vt v;

	vfu_dsa_config_default(&c);
	c.model_only = true;
	vt_open(&v, &c);
	VT_CHECK(!strcmp(vfu_dsa_backend(v.d), "model"));
	vt_bringup(&v, 1, true, 8);
	vt_pattern(&v, G_SRC, 512, 12);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, G_SRC, G_DST, 512, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	VT_CHECK(!memcmp(vt_g2h(&v, G_SRC), vt_g2h(&v, G_DST), 512));
	vt_stats(&v, &s);
	VT_EQ(s.host_descs, 0);
	VT_EQ(s.model_descs, 1);
	vt_close(&v);
}

/* fuzz-vfio-user's first finding: a per-queue command whose operand names
 * an empty bitmap in a block past the last queue shifted by a wrapped
 * count in the twin (UBSan: twin_cmd.c twin_wq_mask).  Fails in the
 * sanitizer build without the fix. */
VT_TEST(queue_command_block_past_last_queue)
{
	struct vfu_dsa_config c;
	struct vt v;

	vfu_dsa_config_default(&c);
	c.num_wqs = 4;
	c.backend = getenv("VT_BACKEND");
	vt_open(&v, &c);
	vt_bringup(&v, 1, true, 8);
	VT_EQ(vt_cmd(&v, DSA_CMD_DISABLE_WQ, 1u << 16), DSA_CMDSTS_SUCCESS);
	VT_EQ(vt_cmd(&v, DSA_CMD_DRAIN_WQ, 1u << 16 | 1), DSA_CMDSTS_INVAL_WQIDX);
	/* Queue 0 untouched. */
	VT_EQ(DSA_FGET(vt_r32(&v, v.wqcfg + 4 * DSA_WQCFG_DW_STATE),
		       DSA_WQCFG_WQ_STATE), DSA_WQ_STATE_ENABLED);
	vt_close(&v);
}

/* One mode offered: WQCFG.mode is fixed to it, whatever the driver writes. */
VT_TEST(single_mode_fixes_wqcfg_mode)
{
	struct vfu_dsa_config c;
	struct vt v;
	int m;

	for (m = VFU_DSA_MODE_DEDICATED; m <= VFU_DSA_MODE_SHARED; m++) {
		uint32_t dw;

		vfu_dsa_config_default(&c);
		c.mode = (enum vfu_dsa_mode)m;
		c.backend = getenv("VT_BACKEND");
		vt_open(&v, &c);
		VT_EQ(vt_version(&v), 0);
		vt_w32(&v, 0x508, m == VFU_DSA_MODE_DEDICATED ? 0x10 : 0x11);
		dw = vt_r32(&v, 0x508);
		VT_EQ(dw & 1, m == VFU_DSA_MODE_DEDICATED);
		/* Through a 64-bit write of dwords 2 and 3 as well. */
		vt_w64(&v, 0x528, m == VFU_DSA_MODE_DEDICATED ? 0x1f00000010ull :
							     0x1f00000011ull);
		VT_EQ(vt_r32(&v, 0x528) & 1, m == VFU_DSA_MODE_DEDICATED);
		VT_EQ(vt_r32(&v, 0x52c), 0x1f);
		vt_close(&v);
	}
}

/* fuzz-vfio-user's second finding: an opcode of 64 or more shifted past
 * the OPCAP word in the host-path check (UBSan: vfu_exec.c).  Fails in
 * the sanitizer build without the fix. */
VT_TEST(opcode_beyond_opcap_word)
{
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	vt_desc(&d, 0xf2, 0, 0, 0, 0, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_BAD_OPCODE);
	vt_close(&v);
}
