/* SPDX-License-Identifier: MIT */
/*
 * The uaccel paravirtual extension of a virtual DSA: what only our virtual
 * device (accel-vfio-user) offers a guest, and only a guest driver that
 * finds it uses.  A real DSA has none of it, and a driver that does not
 * find the capability behaves exactly as on hardware.
 *
 * Two gaps of a guest without DSA instructions or a vIOMMU are bridged:
 *
 * - PORTAL_8X8: under TCG (and in KVM's instruction emulator for a trapped
 *   BAR) a guest has no MOVDIR64B, so it cannot write a 64-byte descriptor
 *   in one store.  With this feature the device accepts a descriptor as
 *   eight 8-byte writes to one 64-byte portal slot, offsets 0, 8, ..., 56
 *   in that order; the eighth write submits it.  Each portal (4 KiB portal
 *   page) gathers on its own: a write out of order or to another slot of
 *   the same portal discards the pieces gathered there so far; a write at
 *   offset 0 then starts a new descriptor.  The driver must
 *   serialise the eight writes per portal (one writer at a time) and must
 *   never map such a portal into user space (a user's pieces could
 *   interleave with the kernel's).
 *
 * - PASID_ROOT: without a vIOMMU the device cannot translate a process's
 *   virtual addresses.  With this feature the guest driver registers, per
 *   PASID, the guest-physical address of the process's top-level page
 *   table (the CR3 value's address bits), and the device walks the guest's
 *   own x86-64 page tables in guest memory as an IOMMU's first-stage
 *   translation does: present, writable and user bits checked at every
 *   level, 1 GiB and 2 MiB leaves honoured, the accessed bit set on every
 *   entry used and the dirty bit on the leaf of a write (atomically, so the
 *   guest kernel's reclaim sees what the device wrote).  A failed walk is a
 *   page fault of the descriptor (status 0x03, fault_addr the virtual
 *   address).  The driver drains the PASID (Drain PASID command) before it
 *   clears an entry and keeps the page tables alive while one is set.
 *
 * Layout: a PCI vendor-specific capability (ID 0x09, PCI 3.0 section 6.8)
 * in config space, and a register window in BAR0 that the capability
 * names.
 */
#ifndef UACCEL_DSA_PV_H
#define UACCEL_DSA_PV_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/build_bug.h>
#define DSA_PV_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#include <stdint.h>
#include <assert.h>
#define DSA_PV_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif

#define DSA_PV_CAP_ID 0x09 /* PCI_CAP_ID_VNDR */
#define DSA_PV_SIGNATURE 0x4c434155u /* "UACL", little-endian */
#define DSA_PV_VERSION 1

/* Features (dsa_pv_cap.features) */
#define DSA_PV_F_PORTAL_8X8 (1u << 0)
#define DSA_PV_F_PASID_ROOT (1u << 1)

/* The vendor-specific capability in config space, 16 bytes. */
struct dsa_pv_cap {
	uint8_t cap_id; /* DSA_PV_CAP_ID */
	uint8_t next; /* next capability pointer */
	uint8_t len; /* sizeof(struct dsa_pv_cap) */
	uint8_t version; /* DSA_PV_VERSION */
	uint32_t signature; /* DSA_PV_SIGNATURE */
	uint32_t features; /* DSA_PV_F_* */
	uint32_t root_window; /* BAR0 offset of the PASID_ROOT registers, 0 if none */
};
DSA_PV_STATIC_ASSERT(sizeof(struct dsa_pv_cap) == 16, "dsa_pv_cap is 16 bytes");

/*
 * PASID_ROOT registers, at dsa_pv_cap.root_window in BAR0 (8-byte aligned,
 * accessed with 4- or 8-byte reads and writes as named).
 *
 * To set or clear an entry: write the PASID to DSA_PV_ROOT_PASID (4 bytes),
 * then the entry to DSA_PV_ROOT_ENTRY (8 bytes); the entry write applies it
 * and DSA_PV_ROOT_STATUS tells the outcome.  Reading DSA_PV_ROOT_ENTRY
 * returns the selected PASID's entry (0 if none).
 */
#define DSA_PV_ROOT_PASID 0x00 /* u32: bits 19:0 the PASID */
#define DSA_PV_ROOT_ENTRY 0x08 /* u64: see DSA_PV_ROOT_* below */
#define DSA_PV_ROOT_STATUS 0x10 /* u32, read-only: DSA_PV_ST_* of the last write */
#define DSA_PV_ROOT_WINDOW_SIZE 0x18

#define DSA_PV_ROOT_VALID (1ull << 0)
#define DSA_PV_ROOT_LA57 (1ull << 1) /* 5-level paging, else 4-level */
#define DSA_PV_ROOT_ADDR_MASK 0x000ffffffffff000ull /* bits 51:12 */

#define DSA_PV_ST_OK 0
#define DSA_PV_ST_BAD_PASID 1 /* PASID 0 or above 20 bits */
#define DSA_PV_ST_BAD_ROOT 2 /* root outside guest memory, reserved bits set */
#define DSA_PV_ST_FULL 3 /* no room for another PASID */

#endif /* UACCEL_DSA_PV_H */
