// SPDX-License-Identifier: MIT
/*
 * The function's PCI configuration space (type 0 header, PCI Local Bus
 * 3.0 section 6.1; MSI-X capability, section 6.8.2).  Identity: Intel's
 * DSA device IDs as Linux lists them (include/linux/pci_ids.h
 * PCI_DEVICE_ID_INTEL_DSA_SPR0 0x0b25; drivers/dma/idxd/registers.h
 * PCI_DEVICE_ID_INTEL_DSA_GNRD 0x11fb for the 2.0 part).  BAR0 (64-bit
 * memory) holds the registers and the MSI-X table, BAR2 (64-bit memory)
 * the portals, as on DSA.  Only the command register, the BARs and the
 * MSI-X control word are writable; the rest reads as set here.
 *
 * Capabilities (status bit 4, the list from offset 0x34, PCI 3.0 section
 * 6.7): MSI-X at 0x40, which a VMM's vfio code reads to set up its MSI-X
 * emulation, then, unless the extension is turned off, the uaccel
 * vendor-specific capability (ID 09h, PCI 3.0 section 6.8 / appendix H:
 * ID, next pointer, length byte, then vendor-defined bytes) at 0x50,
 * laid out as include/dsa_pv.h's struct dsa_pv_cap.
 */
#include "vfu_internal.h"

#include <errno.h>

#define PCI_VENDOR_INTEL 0x8086u
#define PCI_DEVICE_DSA_SPR 0x0b25u
#define PCI_DEVICE_DSA_GNRD 0x11fbu
/* Base class 08h (system peripheral), subclass 80h (other). */
#define PCI_CLASS_SYSTEM_OTHER 0x088000u

#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_BAR(n) (0x10 + 4 * (n))
#define PCI_CAP_PTR 0x34
#define PCI_CMD_WRITABLE 0x0546u /* memory, master, parity, SERR, INTx off */
#define PCI_STATUS_CAP_LIST 0x10u
#define PCI_BAR_MEM64 0x4u
#define PCI_CAP_ID_MSIX 0x11u
#define MSIX_CTRL_ENABLE 0x8000u
#define MSIX_CTRL_MASKALL 0x4000u

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

void vfu_pci_init(struct vfu_dsa *d)
{
	uint8_t *c = d->pcicfg;

	memset(c, 0, VFU_CFG_SIZE);
	put16(c + 0x00, PCI_VENDOR_INTEL);
	put16(c + 0x02, d->cfg.version == 2 ? PCI_DEVICE_DSA_GNRD :
					      PCI_DEVICE_DSA_SPR);
	put16(c + PCI_STATUS, PCI_STATUS_CAP_LIST);
	put32(c + 0x08, PCI_CLASS_SYSTEM_OTHER << 8 | 0x01); /* rev 1 */
	put32(c + PCI_BAR(0), PCI_BAR_MEM64);
	put32(c + PCI_BAR(2), PCI_BAR_MEM64);
	put16(c + 0x2c, PCI_VENDOR_INTEL); /* subsystem vendor */
	put16(c + 0x2e, 0x0000);
	c[PCI_CAP_PTR] = VFU_MSIX_CAP;
	c[0x3d] = 0; /* no INTx pin: MSI-X only */
	/* MSI-X: table size N-1, table and PBA in BAR0 (BIR 0). */
	c[VFU_MSIX_CAP] = PCI_CAP_ID_MSIX;
	c[VFU_MSIX_CAP + 1] = 0;
	put16(c + VFU_MSIX_CAP + 2, DSA_TWIN_MSIX_VECTORS - 1);
	put32(c + VFU_MSIX_CAP + 4, VFU_MSIX_TABLE_OFF | 0);
	put32(c + VFU_MSIX_CAP + 8, VFU_MSIX_PBA_OFF | 0);
	if (!d->cfg.no_pv) {
		struct dsa_pv_cap pv = {
			.cap_id = DSA_PV_CAP_ID,
			.next = 0,
			.len = sizeof(pv),
			.version = DSA_PV_VERSION,
			.signature = DSA_PV_SIGNATURE,
			.features = DSA_PV_F_PORTAL_8X8 | DSA_PV_F_PASID_ROOT,
			.root_window = VFU_PV_WINDOW,
		};

		c[VFU_MSIX_CAP + 1] = VFU_PV_CAP;
		memcpy(c + VFU_PV_CAP, &pv, sizeof(pv));
	}
}

bool vfu_pci_msix_enabled(const struct vfu_dsa *d)
{
	return get16(d->pcicfg + VFU_MSIX_CAP + 2) & MSIX_CTRL_ENABLE;
}

bool vfu_pci_msix_masked(const struct vfu_dsa *d)
{
	return get16(d->pcicfg + VFU_MSIX_CAP + 2) & MSIX_CTRL_MASKALL;
}

/* A BAR dword: the size mask makes the low bits read-only (sizing by
 * writing all ones, PCI 3.0 section 6.2.5.1). */
static void vfu_pci_bar_write(struct vfu_dsa *d, unsigned int dw, uint32_t v)
{
	uint64_t size;
	unsigned int bar = dw - PCI_BAR(0) / 4;

	if (bar == 0 || bar == 1)
		size = VFU_BAR0_SIZE;
	else if (bar == 2 || bar == 3)
		size = VFU_BAR2_SIZE;
	else
		return; /* BAR4, BAR5: not implemented, read as zero */
	if (bar & 1)
		put32(d->pcicfg + dw * 4, v); /* upper half: any address */
	else
		put32(d->pcicfg + dw * 4,
		      (v & ~(uint32_t)(size - 1)) | PCI_BAR_MEM64);
}

static void vfu_pci_write_dword(struct vfu_dsa *d, unsigned int dw,
				uint32_t v, uint32_t bytes)
{
	uint32_t old = get32(d->pcicfg + dw * 4), nv = (old & ~bytes) | (v & bytes);

	switch (dw * 4) {
	case PCI_COMMAND: /* status (upper half) is read-only here */
		nv = (old & ~PCI_CMD_WRITABLE) | (nv & PCI_CMD_WRITABLE);
		put32(d->pcicfg + dw * 4, (old & 0xffff0000u) | (nv & 0xffffu));
		/* Bus master enable gates the function's DMA. */
		d->twin->bus_master = (nv & 0x4u) != 0;
		return;
	case PCI_BAR(0):
	case PCI_BAR(1):
	case PCI_BAR(2):
	case PCI_BAR(3):
	case PCI_BAR(4):
	case PCI_BAR(5):
		vfu_pci_bar_write(d, dw, nv);
		return;
	case VFU_MSIX_CAP: /* message control: enable and function mask */
		nv = (old & ~((MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL) << 16)) |
		     (nv & ((MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL) << 16));
		put32(d->pcicfg + dw * 4, nv);
		return;
	}
	/* Everything else is read-only. */
}

/* Any size, any offset within the space: done dword by dword. */
int vfu_pci_access(struct vfu_dsa *d, uint64_t off, void *buf, uint32_t n,
		   bool write)
{
	uint32_t i;

	if (off > VFU_CFG_SIZE || n > VFU_CFG_SIZE - off)
		return -EINVAL;
	if (!write) {
		memcpy(buf, d->pcicfg + off, n);
		return 0;
	}
	for (i = 0; i < n;) {
		unsigned int dw = (unsigned int)((off + i) / 4), b = (off + i) % 4;
		uint32_t v = 0, mask = 0;

		for (; b < 4 && i < n; b++, i++) {
			v |= (uint32_t)((const uint8_t *)buf)[i] << (8 * b);
			mask |= 0xffu << (8 * b);
		}
		vfu_pci_write_dword(d, dw, v, mask);
	}
	return 0;
}
