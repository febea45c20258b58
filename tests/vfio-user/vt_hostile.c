// SPDX-License-Identifier: MIT
/* Hostile clients: bad DMA maps, guest addresses anywhere, bad interrupt
 * setups, clients that vanish. */
#include "vt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#define G_SRC (VT_IOVA_A + 0x10000)
#define G_DST (VT_IOVA_A + 0x30000)
#define G_COMP (VT_IOVA_A + 0x50000)
#define G_LIST (VT_IOVA_A + 0x60000)
#define G_HOLE 0x40000000ull /* no region there */

static int vt_memfd(size_t size, bool seal)
{
	int fd = memfd_create("vt-extra", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	VT_CHECK(fd >= 0);
	VT_EQ(ftruncate(fd, (off_t)size), 0);
	if (seal)
		VT_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), 0);
	return fd;
}

static void vt_up(struct vt *v)
{
	vt_open(v, NULL);
	vt_bringup(v, 1, true, 16);
}

VT_TEST(dma_map_and_unmap)
{
	struct vfu_dsa_stats s;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_ram(&v);
	vt_stats(&v, &s);
	VT_EQ(s.dma_regions, 2);
	VT_EQ(vt_unmap(&v, VT_IOVA_B, VT_REGION, 0), 0);
	VT_EQ(vt_unmap(&v, VT_IOVA_B, VT_REGION, 0), -ENOENT);
	/* Not an exact match of a mapping. */
	VT_EQ(vt_unmap(&v, VT_IOVA_A, 4096, 0), -ENOENT);
	VT_EQ(vt_unmap(&v, VT_IOVA_A, VT_REGION, 0), 0);
	vt_stats(&v, &s);
	VT_EQ(s.dma_regions, 0);
	vt_close(&v);
}

VT_TEST(dma_overlap_refused)
{
	int fd = vt_memfd(0x10000, true);
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_ram(&v);
	VT_EQ(vt_map(&v, VT_IOVA_A, 4096, fd, 0, 3), -EEXIST);
	VT_EQ(vt_map(&v, VT_IOVA_A - 4096, 8192, fd, 0, 3), -EEXIST);
	VT_EQ(vt_map(&v, VT_IOVA_B + VT_REGION - 4096, 0x10000, fd, 0, 3),
	      -EEXIST);
	VT_EQ(vt_map(&v, VT_IOVA_A - 0x10000, 0x10000, fd, 0, 3), 0);
	close(fd);
	vt_close(&v);
}

VT_TEST(dma_bad_geometry_refused)
{
	int fd = vt_memfd(0x10000, true);
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_map(&v, 0x1001, 4096, fd, 0, 3), -EINVAL);
	VT_EQ(vt_map(&v, 0x1000, 100, fd, 0, 3), -EINVAL);
	VT_EQ(vt_map(&v, 0x1000, 4096, fd, 12, 3), -EINVAL);
	VT_EQ(vt_map(&v, 0x1000, 0, fd, 0, 3), -EINVAL);
	VT_EQ(vt_map(&v, ~0ull - 4095, 8192, fd, 0, 3), -EINVAL);
	VT_EQ(vt_map(&v, 0x1000, 4096, fd, ~0ull - 4095, 3), -EINVAL);
	VT_EQ(vt_map(&v, 0x1000, 4096, fd, 0, 0), -EINVAL);
	VT_EQ(vt_map(&v, 0x1000, 4096, fd, 0, 0x80), -EINVAL);
	/* Beyond the file's end. */
	VT_EQ(vt_map(&v, 0x1000, 0x20000, fd, 0, 3), -EINVAL);
	VT_EQ(vt_map(&v, 0x1000, 0x1000, fd, 0x10000, 3), -EINVAL);
	close(fd);
	vt_close(&v);
}

VT_TEST(dma_needs_a_safe_fd)
{
	int unsealed = vt_memfd(0x10000, false), efd = eventfd(0, EFD_CLOEXEC);
	struct vfu_dma_map m = { .argsz = sizeof(m), .flags = 3, .addr = 0x1000,
				 .size = 0x1000 };
	int two[2] = { efd, efd };
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	/* A memfd that can shrink under us, an eventfd, no fd, two fds. */
	VT_EQ(vt_map(&v, 0x1000, 0x1000, unsealed, 0, 3), -EPERM);
	VT_EQ(vt_map(&v, 0x1000, 0x1000, efd, 0, 3), -EINVAL);
	/* No fd (QEMU's ROM and VGA blocks): recorded, out of reach. */
	VT_EQ(vt_map(&v, 0x1000, 0x1000, -1, 0, 3), 0);
	VT_EQ(vt_map(&v, 0x1000, 0x1000, -1, 0, 3), -EEXIST);
	VT_EQ(vt_unmap(&v, 0x1000, 0x1000, 0), 0);
	VT_EQ(vt_call(&v, VFU_CMD_DMA_MAP, &m, sizeof(m), two, 2, NULL, 0, NULL),
	      -EINVAL);
	/* argsz beyond the message, below the struct. */
	m.argsz = 64;
	VT_EQ(vt_call(&v, VFU_CMD_DMA_MAP, &m, sizeof(m), &efd, 1, NULL, 0,
		      NULL), -EINVAL);
	m.argsz = 16;
	VT_EQ(vt_call(&v, VFU_CMD_DMA_MAP, &m, sizeof(m), &efd, 1, NULL, 0,
		      NULL), -EINVAL);
	close(unsealed);
	close(efd);
	vt_close(&v);
}

VT_TEST(dma_unmap_flags)
{
	struct vfu_dsa_stats s;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_ram(&v);
	VT_EQ(vt_unmap(&v, 0, 0, VFU_DMA_UNMAP_GET_DIRTY), -ENOTSUP);
	VT_EQ(vt_unmap(&v, 0, 0, 0x40), -EINVAL);
	VT_EQ(vt_unmap(&v, VT_IOVA_A, 1, VFU_DMA_UNMAP_ALL), -EINVAL);
	VT_EQ(vt_unmap(&v, 0, 0, VFU_DMA_UNMAP_ALL), 0);
	vt_stats(&v, &s);
	VT_EQ(s.dma_regions, 0);
	vt_close(&v);
}

VT_TEST(dma_map_limit)
{
	int fd = vt_memfd(65 * 4096, true), i;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	for (i = 0; i < 64; i++)
		VT_EQ(vt_map(&v, 0x10000000ull + 0x2000ull * i, 4096, fd,
			     4096ull * i, 3), 0);
	VT_EQ(vt_map(&v, 0x20000000ull, 4096, fd, 64 * 4096, 3), -ENOSPC);
	close(fd);
	vt_close(&v);
}

VT_TEST(source_outside_guest_memory_faults)
{
	struct dsa_comp *c;
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, G_HOLE, G_DST, 4096, G_COMP);
	vt_submit(&v, 0, &d);
	c = vt_comp(&v, G_COMP);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF);
	VT_EQ(c->fault_addr, G_HOLE);
	VT_EQ(c->bytes_completed, 0);
	vt_close(&v);
}

VT_TEST(destination_outside_faults_with_write_bit)
{
	struct dsa_comp *c;
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	/* Host-looking addresses are guest addresses too: none mapped. */
	vt_desc(&d, DSA_OP_FILL, 0, 0, (uint64_t)(uintptr_t)&d, 64, G_COMP);
	vt_submit(&v, 0, &d);
	c = vt_comp(&v, G_COMP);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	VT_EQ(c->fault_addr, (uint64_t)(uintptr_t)&d);
	vt_close(&v);
}

VT_TEST(block_on_fault_gets_invalid_response)
{
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	vt_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_BOF, G_SRC, G_HOLE, 64, G_COMP);
	/* No mapping at all: the OS's answer would be "invalid". */
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status,
	      DSA_COMP_PAGE_FAULT_IR | DSA_COMP_STATUS_WRITE);
	VT_EQ(vt_comp(&v, G_COMP)->fault_addr, G_HOLE);
	vt_close(&v);
}

VT_TEST(buffer_running_off_guest_memory)
{
	uint64_t src = VT_IOVA_B + VT_REGION - 1000;
	struct dsa_comp *c;
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, src, G_DST, 3000, G_COMP);
	vt_submit(&v, 0, &d);
	c = vt_comp(&v, G_COMP);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF);
	VT_EQ(c->fault_addr, VT_IOVA_B + VT_REGION);
	VT_EQ(c->bytes_completed, 1000);
	VT_CHECK(!memcmp(vt_g2h(&v, src), vt_g2h(&v, G_DST), 1000));
	vt_close(&v);
}

VT_TEST(buffer_across_an_unmapped_region)
{
	uint64_t src = VT_IOVA_B - 512;
	struct vfu_dsa_stats s;
	struct dsa_comp *c;
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	VT_EQ(vt_unmap(&v, VT_IOVA_B, VT_REGION, 0), 0);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, src, G_DST, 1024, G_COMP);
	vt_submit(&v, 0, &d);
	c = vt_comp(&v, G_COMP);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF);
	VT_EQ(c->fault_addr, VT_IOVA_B);
	VT_EQ(c->bytes_completed, 512);
	/* The model path (a compare with a checked result) reports the
	 * same place. */
	vt_desc(&d, DSA_OP_COMPARE, DSA_FLAG_CR, src, G_DST, 1024, G_COMP + 32);
	vt_submit(&v, 0, &d);
	c = vt_comp(&v, G_COMP + 32);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF);
	VT_EQ(c->fault_addr, VT_IOVA_B);
	VT_EQ(c->bytes_completed, 512);
	vt_stats(&v, &s);
	VT_EQ(s.model_descs, 1);
	VT_EQ(s.faults, 2);
	vt_close(&v);
}

VT_TEST(read_only_region_refuses_writes)
{
	int fd = vt_memfd(0x10000, true);
	uint64_t ro = 0x800000;
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	VT_EQ(vt_map(&v, ro, 0x10000, fd, 0, VFU_DMA_READ), 0);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, G_SRC, ro, 64, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status,
	      DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	/* Reading from it is fine. */
	vt_desc(&d, DSA_OP_MEMMOVE, 0, ro, G_DST, 64, G_COMP + 32);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP + 32)->status, DSA_COMP_SUCCESS);
	close(fd);
	vt_close(&v);
}

VT_TEST(record_outside_guest_memory_is_a_software_error)
{
	struct vfu_dsa_stats s;
	struct dsa_desc d;
	uint64_t swerr;
	struct vt v;

	vt_up(&v);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, G_SRC, G_DST, 64, G_HOLE);
	vt_submit(&v, 0, &d);
	swerr = vt_r64(&v, DSA_REG_SWERR);
	VT_CHECK(DSA_FGET(swerr, DSA_SWERR_VALID));
	VT_EQ(DSA_FGET(swerr, DSA_SWERR_ERROR), DSA_COMP_CRA_XLAT);
	VT_EQ(vt_r64(&v, DSA_REG_SWERR + 16), G_HOLE);
	VT_EQ(vt_irq_count(&v, 0), 1);
	/* Misaligned record address: also SWERR (after acknowledging). */
	vt_w32(&v, DSA_REG_SWERR, (uint32_t)DSA_SWERR_ACK);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, G_SRC, G_DST, 64, G_COMP + 8);
	vt_submit(&v, 0, &d);
	VT_EQ(DSA_FGET(vt_r64(&v, DSA_REG_SWERR), DSA_SWERR_ERROR),
	      DSA_COMP_CRA_ALIGN);
	vt_stats(&v, &s);
	VT_EQ(s.descs, 2);
	vt_close(&v);
}

VT_TEST(record_in_read_only_memory)
{
	int fd = vt_memfd(0x10000, true);
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	VT_EQ(vt_map(&v, 0x800000, 0x10000, fd, 0, VFU_DMA_READ), 0);
	vt_desc(&d, DSA_OP_NOOP, 0, 0, 0, 0, 0x800000);
	vt_submit(&v, 0, &d);
	VT_EQ(DSA_FGET(vt_r64(&v, DSA_REG_SWERR), DSA_SWERR_ERROR),
	      DSA_COMP_CRA_XLAT);
	close(fd);
	vt_close(&v);
}

VT_TEST(batch_list_anywhere)
{
	struct dsa_comp *c;
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	/* The list in a hole, the list running off guest memory. */
	vt_desc(&d, DSA_OP_BATCH, 0, G_HOLE, 0, 4, G_COMP);
	vt_submit(&v, 0, &d);
	c = vt_comp(&v, G_COMP);
	VT_EQ(c->status & DSA_COMP_STATUS_MASK, DSA_COMP_BATCH_PAGE_FAULT);
	VT_EQ(c->fault_addr, G_HOLE);
	vt_desc(&d, DSA_OP_BATCH, 0, VT_IOVA_B + VT_REGION - 128, 0, 4,
		G_COMP + 32);
	memset(vt_g2h(&v, VT_IOVA_B + VT_REGION - 128), 0, 128);
	vt_submit(&v, 0, &d);
	c = vt_comp(&v, G_COMP + 32);
	VT_EQ(c->status & DSA_COMP_STATUS_MASK, DSA_COMP_BATCH_PAGE_FAULT);
	VT_EQ(c->fault_addr, VT_IOVA_B + VT_REGION);
	vt_close(&v);
}

VT_TEST(batch_members_anywhere)
{
	struct dsa_desc d, *list;
	struct vt v;

	vt_up(&v);
	list = vt_g2h(&v, G_LIST);
	vt_desc(&list[0], DSA_OP_MEMMOVE, 0, G_HOLE, G_DST, 64, G_COMP + 64);
	vt_desc(&list[1], DSA_OP_MEMMOVE, 0, G_SRC, G_DST, 64, G_HOLE);
	vt_desc(&list[2], DSA_OP_BATCH, 0, G_LIST, 0, 3, G_COMP + 96);
	vt_desc(&list[3], DSA_OP_MEMMOVE, 0, G_SRC, G_DST, 64, G_COMP + 128);
	vt_desc(&d, DSA_OP_BATCH, 0, G_LIST, 0, 4, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_BATCH_FAIL);
	VT_EQ(vt_comp(&v, G_COMP + 64)->status, DSA_COMP_PAGE_FAULT_NOBOF);
	VT_EQ(vt_comp(&v, G_COMP + 64)->fault_addr, G_HOLE);
	VT_EQ(vt_comp(&v, G_COMP + 96)->status, DSA_COMP_BAD_OPCODE);
	VT_EQ(vt_comp(&v, G_COMP + 128)->status, DSA_COMP_SUCCESS);
	vt_close(&v);
}

VT_TEST(delta_record_anywhere)
{
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	memset(vt_g2h(&v, G_SRC), 1, 64);
	memset(vt_g2h(&v, G_DST), 2, 64);
	vt_desc(&d, DSA_OP_CR_DELTA, 0, G_SRC, G_DST, 64, G_COMP);
	d.crdelta.delta_addr = G_HOLE;
	d.crdelta.max_delta_size = 4000;
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status,
	      DSA_COMP_PAGE_FAULT_NOBOF | DSA_COMP_STATUS_WRITE);
	VT_EQ(vt_comp(&v, G_COMP)->fault_addr, G_HOLE);
	vt_desc(&d, DSA_OP_AP_DELTA, 0, G_HOLE, G_DST, 64, G_COMP + 32);
	d.apdelta.delta_rec_size = 20;
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP + 32)->status, DSA_COMP_PAGE_FAULT_NOBOF);
	vt_close(&v);
}

VT_TEST(descriptors_after_unmap_fault)
{
	struct dsa_desc d;
	struct vt v;

	vt_up(&v);
	VT_EQ(vt_unmap(&v, 0, 0, VFU_DMA_UNMAP_ALL), 0);
	/* Nowhere to write the record: a software error, and no crash. */
	vt_desc(&d, DSA_OP_MEMMOVE, 0, G_SRC, G_DST, 4096, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(DSA_FGET(vt_r64(&v, DSA_REG_SWERR), DSA_SWERR_ERROR),
	      DSA_COMP_CRA_XLAT);
	vt_close(&v);
}

static int vt_set_irqs(struct vt *v, uint32_t flags, uint32_t index,
		       uint32_t start, uint32_t count, const void *data,
		       size_t dlen, const int *fds, unsigned int nfds)
{
	struct vfu_irq_set s = { .argsz = (uint32_t)(sizeof(s) + dlen),
				 .flags = flags, .index = index,
				 .start = start, .count = count };
	uint8_t msg[sizeof(s) + 64];

	memcpy(msg, &s, sizeof(s));
	if (dlen)
		memcpy(msg + sizeof(s), data, dlen);
	return vt_call(v, VFU_CMD_DEVICE_SET_IRQS, msg, sizeof(s) + dlen, fds,
		       nfds, NULL, 0, NULL);
}

VT_TEST(set_irqs_refuses_nonsense)
{
	const uint32_t ev = VFU_IRQ_DATA_EVENTFD | VFU_IRQ_ACTION_TRIGGER;
	int fds[2] = { eventfd(0, EFD_CLOEXEC), eventfd(0, EFD_CLOEXEC) };
	struct vfu_dsa_stats s;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_set_irqs(&v, ev, VFU_PCI_MSIX, 0, 1, NULL, 0, fds, 2), -EINVAL);
	VT_EQ(vt_set_irqs(&v, ev, VFU_PCI_MSIX, 8, 2, NULL, 0, fds, 2), -EINVAL);
	VT_EQ(vt_set_irqs(&v, ev, VFU_PCI_MSIX, 0xffffffffu, 2, NULL, 0, fds, 2),
	      -EINVAL);
	VT_EQ(vt_set_irqs(&v, ev, VFU_PCI_INTX, 0, 1, NULL, 0, fds, 1), -EINVAL);
	VT_EQ(vt_set_irqs(&v, ev, 77, 0, 1, NULL, 0, fds, 1), -EINVAL);
	VT_EQ(vt_set_irqs(&v, VFU_IRQ_DATA_EVENTFD | VFU_IRQ_ACTION_MASK,
			  VFU_PCI_MSIX, 0, 1, NULL, 0, fds, 1), -EINVAL);
	VT_EQ(vt_set_irqs(&v, VFU_IRQ_DATA_EVENTFD | VFU_IRQ_DATA_BOOL |
				      VFU_IRQ_ACTION_TRIGGER,
			  VFU_PCI_MSIX, 0, 1, NULL, 0, fds, 1), -EINVAL);
	VT_EQ(vt_set_irqs(&v, ev | 0x100, VFU_PCI_MSIX, 0, 1, NULL, 0, fds, 1),
	      -EINVAL);
	/* Not an eventfd: a pipe could stall the device once full. */
	{
		int p[2];

		VT_EQ(pipe(p), 0);
		VT_EQ(vt_set_irqs(&v, ev, VFU_PCI_MSIX, 0, 2, NULL, 0,
				  (int[]){ fds[0], p[1] }, 2), -EINVAL);
		close(p[0]);
		close(p[1]);
	}
	vt_stats(&v, &s);
	VT_EQ(s.irq_fds, 0);
	/* Good ones, then every vector torn down. */
	VT_EQ(vt_set_irqs(&v, ev, VFU_PCI_MSIX, 3, 2, NULL, 0, fds, 2), 0);
	vt_stats(&v, &s);
	VT_EQ(s.irq_fds, 2);
	VT_EQ(vt_set_irqs(&v, VFU_IRQ_DATA_NONE | VFU_IRQ_ACTION_TRIGGER,
			  VFU_PCI_MSIX, 0, 0, NULL, 0, NULL, 0), 0);
	vt_stats(&v, &s);
	VT_EQ(s.irq_fds, 0);
	close(fds[0]);
	close(fds[1]);
	vt_close(&v);
}

/*
 * QEMU sends DATA_EVENTFD vectors in runs of valid fds or of -1, a run of
 * -1 without fds (hw/vfio-user/device.c vfio_user_device_io_set_irqs):
 * count vectors and no fds de-assign them (seen at MSI-X enable from a
 * Linux guest under QEMU 11.1.3, refused before).
 */
VT_TEST(set_irqs_eventfd_run_without_fds_deassigns)
{
	const uint32_t ev = VFU_IRQ_DATA_EVENTFD | VFU_IRQ_ACTION_TRIGGER;
	int fds[3] = { eventfd(0, EFD_CLOEXEC), eventfd(0, EFD_CLOEXEC),
		       eventfd(0, EFD_CLOEXEC) };
	struct vfu_dsa_stats s;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_set_irqs(&v, ev, VFU_PCI_MSIX, 3, 3, NULL, 0, fds, 3), 0);
	vt_stats(&v, &s);
	VT_EQ(s.irq_fds, 3);
	/* Vector 4 to -1: two left; then 0..2 (none set): still two. */
	VT_EQ(vt_set_irqs(&v, ev, VFU_PCI_MSIX, 4, 1, NULL, 0, NULL, 0), 0);
	vt_stats(&v, &s);
	VT_EQ(s.irq_fds, 2);
	VT_EQ(vt_set_irqs(&v, ev, VFU_PCI_MSIX, 0, 3, NULL, 0, NULL, 0), 0);
	vt_stats(&v, &s);
	VT_EQ(s.irq_fds, 2);
	/* A run past the last vector, or fewer fds than vectors: refused. */
	VT_EQ(vt_set_irqs(&v, ev, VFU_PCI_MSIX, 8, 2, NULL, 0, NULL, 0), -EINVAL);
	VT_EQ(vt_set_irqs(&v, ev, VFU_PCI_MSIX, 0, 2, NULL, 0, fds, 1), -EINVAL);
	VT_EQ(vt_set_irqs(&v, ev, VFU_PCI_MSIX, 3, 3, NULL, 0, NULL, 0), 0);
	vt_stats(&v, &s);
	VT_EQ(s.irq_fds, 0);
	close(fds[0]);
	close(fds[1]);
	close(fds[2]);
	vt_close(&v);
}

VT_TEST(set_irqs_loopback_triggers)
{
	const uint8_t bools[3] = { 1, 0, 1 };
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_irqs_on(&v);
	VT_EQ(vt_set_irqs(&v, VFU_IRQ_DATA_NONE | VFU_IRQ_ACTION_TRIGGER,
			  VFU_PCI_MSIX, 4, 1, NULL, 0, NULL, 0), 0);
	VT_EQ(vt_irq_count(&v, 4), 1);
	VT_EQ(vt_set_irqs(&v, VFU_IRQ_DATA_BOOL | VFU_IRQ_ACTION_TRIGGER,
			  VFU_PCI_MSIX, 5, 3, bools, 3, NULL, 0), 0);
	VT_EQ(vt_irq_count(&v, 5), 1);
	VT_EQ(vt_irq_count(&v, 6), 0);
	VT_EQ(vt_irq_count(&v, 7), 1);
	VT_EQ(vt_set_irqs(&v, VFU_IRQ_DATA_BOOL | VFU_IRQ_ACTION_TRIGGER,
			  VFU_PCI_MSIX, 5, 3, bools, 2, NULL, 0), -EINVAL);
	vt_close(&v);
}

/* Mappings of the guest-RAM memfd in this process (client and server). */
static int vt_ram_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	VT_CHECK(f);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, "memfd:vt-guest-ram") != NULL;
	fclose(f);
	return n;
}

VT_TEST(client_vanishes_mid_work)
{
	uint8_t half[40] = { 0 };
	struct vfu_dsa_stats s;
	struct dsa_desc d;
	struct vfu_hdr h = { .msg_id = 1, .cmd = VFU_CMD_REGION_WRITE,
			     .msg_size = 16 + 16 + 64 };
	int i;
	struct vt v;

	vt_up(&v);
	/* Posted work (no replies awaited), then half a portal write. */
	for (i = 0; i < 8; i++) {
		uint8_t msg[16 + 16 + 64];
		struct vfu_region_access a = { dsa_portal_offset(0, 0, 0),
					       VFU_PCI_BAR2, 64 };
		struct vfu_hdr ph = h;

		vt_desc(&d, DSA_OP_MEMMOVE, DSA_FLAG_RCI, G_SRC, G_DST + 64 * i,
			4096, G_COMP + 32 * i);
		d.int_handle = 1;
		ph.flags = VFU_FLAG_NO_REPLY;
		memcpy(msg, &ph, 16);
		memcpy(msg + 16, &a, 16);
		memcpy(msg + 32, &d, 64);
		VT_EQ(vt_send_raw(&v, msg, sizeof(msg), NULL, 0), 0);
	}
	memcpy(half, &h, 16);
	VT_EQ(vt_send_raw(&v, half, sizeof(half), NULL, 0), 0);
	/* The client's own mapping and the server's two regions. */
	VT_EQ(vt_ram_mappings(), 3);
	vt_hangup(&v);
	VT_EQ(v.serve_rc, -EPIPE);
	VT_EQ(vt_ram_mappings(), 1);
	vt_stats(&v, &s);
	VT_EQ(s.dma_regions, 0);
	VT_EQ(s.irq_fds, 0);
	VT_EQ(s.descs, 8);
	/* The guest's RAM is the client's: still there, records written. */
	VT_EQ(vt_comp(&v, G_COMP + 32 * 7)->status, DSA_COMP_SUCCESS);
	vfu_dsa_destroy(v.d);
	munmap(v.ram, VT_RAM);
	close(v.memfd);
	for (i = 0; i < VT_MSIX; i++)
		close(v.efd[i]);
}

VT_TEST(next_client_after_a_vanished_one)
{
	struct vfu_dsa_stats s;
	struct dsa_desc d;
	struct vt v;
	int i;

	vt_up(&v);
	vt_hangup(&v);
	munmap(v.ram, VT_RAM);
	close(v.memfd);
	for (i = 0; i < VT_MSIX; i++) {
		close(v.efd[i]);
		v.efd[i] = -1;
	}
	v.ram = NULL;
	v.memfd = -1;
	/* The same device, a new connection: nothing of the old one. */
	vt_reconnect(&v);
	vt_stats(&v, &s);
	VT_EQ(s.dma_regions, 0);
	VT_EQ(s.irq_fds, 0);
	vt_bringup(&v, 1, true, 8);
	memset(vt_g2h(&v, G_SRC), 0x5a, 64);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, G_SRC, G_DST, 64, G_COMP);
	vt_submit(&v, 0, &d);
	VT_EQ(vt_comp(&v, G_COMP)->status, DSA_COMP_SUCCESS);
	vt_close(&v);
}

VT_TEST(direct_api_without_socket)
{
	struct vfu_dsa_config c;
	struct vfu_dsa *dev;
	int fd = vt_memfd(0x10000, true);
	uint32_t id;

	vfu_dsa_config_default(&c);
	c.backend = getenv("VT_BACKEND");
	VT_EQ(vfu_dsa_create(&dev, &c), 0);
	VT_EQ(vfu_dsa_dma_map(dev, 0x10000, 0x10000, fd, 0, 3), 0);
	VT_EQ(vfu_dsa_dma_map(dev, 0x10000, 0x10000, fd, 0, 3), -EEXIST);
	VT_EQ(vfu_dsa_region_read(dev, VFU_PCI_CONFIG, 0, &id, 4), 0);
	VT_EQ(id, 0x0b258086);
	VT_EQ(vfu_dsa_region_read(dev, VFU_PCI_CONFIG, 0, &id, 0), -EINVAL);
	VT_EQ(vfu_dsa_dma_unmap(dev, 0x10000, 0x10000), 0);
	vfu_dsa_destroy(dev);
	close(fd);
}

/* A region mapped without an fd counts as mapped but the device cannot
 * reach it: a descriptor there faults. */
VT_TEST(dma_region_without_fd_is_out_of_reach)
{
	const uint64_t rom = 0xc0000;
	struct vfu_dsa_stats s;
	struct dsa_desc d;
	struct dsa_comp *c;
	struct vt v;

	vt_open(&v, NULL);
	vt_bringup(&v, 1, true, 16);
	VT_EQ(vt_map(&v, rom, 0x20000, -1, 0, VFU_DMA_READ), 0);
	vt_stats(&v, &s);
	VT_EQ(s.dma_regions, 3);
	c = vt_comp(&v, VT_IOVA_A + 0x50000);
	memset(c, 0, 32);
	vt_desc(&d, DSA_OP_MEMMOVE, 0, rom + 0x100, VT_IOVA_A, 64,
		VT_IOVA_A + 0x50000);
	vt_submit(&v, 0, &d);
	VT_EQ(c->status, DSA_COMP_PAGE_FAULT_NOBOF);
	VT_EQ(c->fault_addr, rom + 0x100);
	vt_close(&v);
}
