/* SPDX-License-Identifier: MIT */
/*
 * The vfio-user wire format, as QEMU's docs/interop/vfio-user.rst
 * specifies it (section names cited at each layout).  Host endianness
 * ("Protocol Specification"); every layout has explicit sizes and a static
 * assert.  The region and IRQ structures are <linux/vfio.h>'s, which the
 * specification reuses.
 */
#ifndef UACCEL_VFU_PROTO_H
#define UACCEL_VFU_PROTO_H

#include <stddef.h>
#include <stdint.h>

/* "Commands": command IDs. */
enum vfu_cmd {
	VFU_CMD_VERSION = 1,
	VFU_CMD_DMA_MAP = 2,
	VFU_CMD_DMA_UNMAP = 3,
	VFU_CMD_DEVICE_GET_INFO = 4,
	VFU_CMD_DEVICE_GET_REGION_INFO = 5,
	VFU_CMD_DEVICE_GET_REGION_IO_FDS = 6,
	VFU_CMD_DEVICE_GET_IRQ_INFO = 7,
	VFU_CMD_DEVICE_SET_IRQS = 8,
	VFU_CMD_REGION_READ = 9,
	VFU_CMD_REGION_WRITE = 10,
	VFU_CMD_DMA_READ = 11,
	VFU_CMD_DMA_WRITE = 12,
	VFU_CMD_DEVICE_RESET = 13,
	VFU_CMD_REGION_WRITE_MULTI = 15,
	VFU_CMD_DEVICE_FEATURE = 16,
};

/* "Header": 16 bytes before every message. */
struct vfu_hdr {
	uint16_t msg_id;
	uint16_t cmd;
	uint32_t msg_size; /* whole message, header included */
	uint32_t flags;
	uint32_t error_no; /* errno in an error reply */
};
#define VFU_HDR_SIZE 16
#define VFU_FLAG_TYPE_MASK 0xfu
#define VFU_FLAG_TYPE_CMD 0x0u
#define VFU_FLAG_TYPE_REPLY 0x1u
#define VFU_FLAG_NO_REPLY 0x10u
#define VFU_FLAG_ERROR 0x20u

/* "VFIO_USER_VERSION": major, minor, then optional NUL-terminated JSON. */
struct vfu_version {
	uint16_t major;
	uint16_t minor;
};
#define VFU_VERSION_MAJOR 0
#define VFU_VERSION_MINOR 0

/* "VFIO_USER_DMA_MAP": the fd (if any) comes as SCM_RIGHTS. */
struct vfu_dma_map {
	uint32_t argsz;
	uint32_t flags;
	uint64_t offset; /* into the fd */
	uint64_t addr; /* DMA (guest) address */
	uint64_t size;
};
#define VFU_DMA_READ 0x1u
#define VFU_DMA_WRITE 0x2u

/* "VFIO_USER_DMA_UNMAP": the reply echoes the request. */
struct vfu_dma_unmap {
	uint32_t argsz;
	uint32_t flags;
	uint64_t addr;
	uint64_t size;
};
#define VFU_DMA_UNMAP_GET_DIRTY 0x1u
#define VFU_DMA_UNMAP_ALL 0x2u

/* "VFIO_USER_DEVICE_GET_INFO" (struct vfio_device_info). */
struct vfu_device_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t num_regions;
	uint32_t num_irqs;
};
#define VFU_DEVICE_FLAGS_RESET 0x1u
#define VFU_DEVICE_FLAGS_PCI 0x2u

/* "VFIO_USER_DEVICE_GET_REGION_INFO" (struct vfio_region_info). */
struct vfu_region_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t cap_offset;
	uint64_t size;
	uint64_t offset;
};
#define VFU_REGION_FLAG_READ 0x1u
#define VFU_REGION_FLAG_WRITE 0x2u
#define VFU_REGION_FLAG_MMAP 0x4u
#define VFU_REGION_FLAG_CAPS 0x8u

/* vfio-pci region indices (<linux/vfio.h> VFIO_PCI_*_REGION_INDEX). */
#define VFU_PCI_BAR0 0u
#define VFU_PCI_BAR2 2u
#define VFU_PCI_CONFIG 7u
#define VFU_PCI_NUM_REGIONS 9u

/* "VFIO_USER_DEVICE_GET_IRQ_INFO" (struct vfio_irq_info). */
struct vfu_irq_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t count;
};
#define VFU_IRQ_INFO_EVENTFD 0x1u
#define VFU_IRQ_INFO_MASKABLE 0x2u
#define VFU_IRQ_INFO_AUTOMASKED 0x4u
#define VFU_IRQ_INFO_NORESIZE 0x8u

/* vfio-pci IRQ indices (VFIO_PCI_*_IRQ_INDEX). */
#define VFU_PCI_INTX 0u
#define VFU_PCI_MSI 1u
#define VFU_PCI_MSIX 2u
#define VFU_PCI_NUM_IRQS 5u

/* "VFIO_USER_DEVICE_SET_IRQS" (struct vfio_irq_set); eventfds as SCM_RIGHTS. */
struct vfu_irq_set {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t start;
	uint32_t count;
};
#define VFU_IRQ_DATA_NONE 0x1u
#define VFU_IRQ_DATA_BOOL 0x2u
#define VFU_IRQ_DATA_EVENTFD 0x4u
#define VFU_IRQ_ACTION_MASK 0x8u
#define VFU_IRQ_ACTION_UNMASK 0x10u
#define VFU_IRQ_ACTION_TRIGGER 0x20u
#define VFU_IRQ_DATA_TYPE_MASK 0x7u
#define VFU_IRQ_ACTION_TYPE_MASK 0x38u

/* "VFIO_USER_REGION_READ" / "VFIO_USER_REGION_WRITE": then count bytes. */
struct vfu_region_access {
	uint64_t offset;
	uint32_t region;
	uint32_t count;
};

/* Our limits, announced in the version reply ("Version" capabilities). */
#define VFU_MAX_MSG_FDS 16u
#define VFU_MAX_DATA_XFER 4096u
#define VFU_MAX_DMA_MAPS 64u
#define VFU_PGSIZES 4096u
/* The largest message we accept: a region write of the largest transfer. */
#define VFU_MAX_MSG                                                            \
	(VFU_HDR_SIZE + sizeof(struct vfu_region_access) + VFU_MAX_DATA_XFER)

#define VFU_STATIC_ASSERT(e) _Static_assert(e, #e)
VFU_STATIC_ASSERT(sizeof(struct vfu_hdr) == VFU_HDR_SIZE);
VFU_STATIC_ASSERT(offsetof(struct vfu_hdr, msg_size) == 4);
VFU_STATIC_ASSERT(offsetof(struct vfu_hdr, error_no) == 12);
VFU_STATIC_ASSERT(sizeof(struct vfu_version) == 4);
VFU_STATIC_ASSERT(sizeof(struct vfu_dma_map) == 32);
VFU_STATIC_ASSERT(offsetof(struct vfu_dma_map, addr) == 16);
VFU_STATIC_ASSERT(sizeof(struct vfu_dma_unmap) == 24);
VFU_STATIC_ASSERT(sizeof(struct vfu_device_info) == 16);
VFU_STATIC_ASSERT(sizeof(struct vfu_region_info) == 32);
VFU_STATIC_ASSERT(offsetof(struct vfu_region_info, size) == 16);
VFU_STATIC_ASSERT(sizeof(struct vfu_irq_info) == 16);
VFU_STATIC_ASSERT(sizeof(struct vfu_irq_set) == 20);
VFU_STATIC_ASSERT(sizeof(struct vfu_region_access) == 16);

#endif /* UACCEL_VFU_PROTO_H */
