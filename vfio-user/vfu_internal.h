/* SPDX-License-Identifier: MIT */
/* Shared between libvfu-dsa's files; not part of any interface. */
#ifndef UACCEL_VFU_INTERNAL_H
#define UACCEL_VFU_INTERNAL_H

#include "accel.h"
#include "dsa_pv.h"
#include "dsa_twin.h"
#include "vfu_dsa.h"
#include "vfu_proto.h"

/*
 * BAR0: the twin's registers in its first 4 KiB, then the MSI-X table and
 * its pending-bit array in the same BAR (DSA keeps both in BAR0).  BAR2:
 * the twin's portals.
 */
#define VFU_BAR0_SIZE 0x4000u
#define VFU_MSIX_TABLE_OFF 0x2000u
#define VFU_MSIX_PBA_OFF 0x3000u
#define VFU_MSIX_ENTRY 16u
#define VFU_BAR2_SIZE DSA_TWIN_BAR2_SIZE
#define VFU_CFG_SIZE 256u
#define VFU_MSIX_CAP 0x40u
/* The paravirtual extension (include/dsa_pv.h): its vendor-specific
 * capability after MSI-X's, its PASID_ROOT window in BAR0's second 4 KiB
 * (between the twin's registers and the MSI-X table). */
#define VFU_PV_CAP 0x50u
#define VFU_PV_WINDOW 0x1000u

/* One DMA region: guest addresses [iova, iova + size) at host. */
struct vfu_region {
	uint64_t iova, size;
	uint32_t prot; /* VFU_DMA_READ | VFU_DMA_WRITE */
	uint8_t *host; /* NULL: mapped without an fd, out of the device's reach */
};

/* A descriptor written to a portal in pieces (a VMM splits MMIO). */
struct vfu_stage {
	uint64_t slot; /* portal offset of the 64-byte slot */
	uint8_t have; /* 8-byte pieces gathered, in order from offset 0 */
	uint8_t buf[64];
};

/*
 * An address space the device reaches guest memory through (vfu_walk.c):
 * the guest's physical memory (the DMA regions), or one PASID's virtual
 * memory, translated by walking the guest's page tables from root.
 */
struct vfu_as {
	struct model_mem mem; /* the model's view: vfu_dma.c's ops */
	struct vfu_dsa *d;
	bool paged; /* false: guest-physical */
	bool la57; /* 5-level paging */
	bool user; /* a user request: U/S required at every level */
	uint64_t root; /* guest-physical address of the top-level table */
};

/* PASID_ROOT table (vfu_pv.c): bounded, sorted by PASID. */
#define VFU_PASID_MAX 1024u
struct vfu_pasid_root {
	uint32_t pasid;
	uint64_t entry; /* DSA_PV_ROOT_* */
};

struct vfu_dsa {
	struct vfu_dsa_config cfg;
	struct dsa_twin *twin;
	struct dsa_twin_host twin_host;
	struct accel_ctx *hostq; /* NULL: model only */
	bool hostq_owned; /* else another device's (vfu_dsa_create_shared) */
	unsigned int inflight; /* host descriptors submitted, not yet done */
	uint64_t host_opcap; /* operations the host queue runs */
	uint64_t max_piece; /* bytes a host descriptor may carry */

	struct vfu_as phys; /* guest-physical memory through the regions */
	struct vfu_as virt; /* the current descriptor's PASID, paged */
	struct vfu_region regions[VFU_MAX_DMA_MAPS];
	unsigned int nregions;

	uint8_t pcicfg[VFU_CFG_SIZE];
	uint8_t msix_table[DSA_TWIN_MSIX_VECTORS * VFU_MSIX_ENTRY];
	uint64_t msix_pending;
	int irq_fd[DSA_TWIN_MSIX_VECTORS];
	/* One gathering per portal page (a queue's unlimited, limited and
	 * IMS pages): the guest driver serialises the pieces per portal,
	 * not across portals (include/dsa_pv.h PORTAL_8X8). */
	struct vfu_stage stage[VFU_BAR2_SIZE / DSA_PORTAL_PAGE];

	/* The paravirtual extension's PASID_ROOT registers and table. */
	uint32_t pv_sel, pv_status;
	unsigned int npasids;
	struct vfu_pasid_root pasids[VFU_PASID_MAX];

	bool versioned; /* VERSION negotiated on this connection */
	struct vfu_dsa_stats stats;
};

/* vfu_dma.c */
int vfu_dma_add(struct vfu_dsa *d, uint64_t iova, uint64_t size, int fd,
		uint64_t offset, uint32_t prot);
int vfu_dma_remove(struct vfu_dsa *d, uint64_t iova, uint64_t size);
void vfu_dma_clear(struct vfu_dsa *d);
/* Host address of iova and how many bytes follow it in its region
 * (at most len), or NULL when iova is outside every region that allows
 * the access. */
void *vfu_dma_xlat(struct vfu_dsa *d, uint64_t iova, uint64_t len,
		   bool write, uint64_t *avail);
void vfu_dma_mem_init(struct vfu_dsa *d);

/* vfu_walk.c: the host address of addr in as and how many bytes follow
 * it contiguously on the host (at most len), or NULL when addr itself
 * cannot be translated for the access. */
void *vfu_as_xlat(struct vfu_as *as, uint64_t addr, uint64_t len, bool write,
		  uint64_t *avail);
/* Ours, or NULL for a model_mem that is not (the twin's nomem). */
struct vfu_as *vfu_as_of(struct vfu_dsa *d, struct model_mem *m);
struct model_mem *vfu_pasid_mem(void *ctx, uint32_t pasid, bool pasid_en,
				bool priv);

/* vfu_pci.c: config space */
void vfu_pci_init(struct vfu_dsa *d);
int vfu_pci_access(struct vfu_dsa *d, uint64_t off, void *buf, uint32_t n,
		   bool write);
bool vfu_pci_msix_enabled(const struct vfu_dsa *d);
bool vfu_pci_msix_masked(const struct vfu_dsa *d);

/* vfu_bar.c: BAR0 (registers, MSI-X table) and BAR2 (portals) */
int vfu_bar0_access(struct vfu_dsa *d, uint64_t off, void *buf, uint32_t n,
		    bool write);
int vfu_bar2_access(struct vfu_dsa *d, uint64_t off, void *buf, uint32_t n,
		    bool write);

/* vfu_pv.c: the PASID_ROOT window (off relative to it) and table */
int vfu_pv_access(struct vfu_dsa *d, uint32_t off, void *buf, uint32_t n,
		  bool write);
/* The PASID's entry (DSA_PV_ROOT_*), 0 when it has none. */
uint64_t vfu_pv_root(const struct vfu_dsa *d, uint32_t pasid);
void vfu_pv_clear(struct vfu_dsa *d);

/* vfu_irq.c */
int vfu_irq_set(struct vfu_dsa *d, const struct vfu_irq_set *s,
		const void *data, size_t data_len, int *fds,
		unsigned int nfds);
void vfu_irq_clear(struct vfu_dsa *d);
void vfu_irq_raise(void *ctx, unsigned int vector);

/* vfu_exec.c */
void vfu_exec(void *ctx, struct model_exec *x, const struct dsa_desc *desc);

/* vfu_json.c: the numbers of the capabilities object we care about */
struct vfu_caps {
	uint64_t max_msg_fds, max_data_xfer_size, pgsizes, max_dma_maps;
};
int vfu_json_caps(const char *s, size_t len, struct vfu_caps *caps);

/* vfu_device.c */
void vfu_device_reset(struct vfu_dsa *d);
/* Let the twin run what its queues hold. */
void vfu_device_run(struct vfu_dsa *d);

#endif /* UACCEL_VFU_INTERNAL_H */
