/* SPDX-License-Identifier: MIT */
/*
 * The register twin: a DSA device at register level, in portable C, built
 * for user space (tests, a VMM) and for the kernel (the simulated PCI-less
 * device behind kernel/dsa_pci) from the same files.  It answers exactly
 * the seam a driver has to a real device: 32/64-bit reads and writes of
 * BAR0, 64-byte writes to BAR2 portals (MOVDIR64B, ENQCMD, ENQCMDS), and
 * it asks its host for two things: raise an MSI-X vector, and give the
 * address space bound to a PASID.  Descriptors run through the model
 * (libaccel/model), so their results are the model's.
 *
 * Work does not run on its own: the host calls dsa_twin_run() (a test, to
 * hold work in flight; the kernel's simulated device, from a worker).  The
 * twin takes no lock: its host serialises every call on one twin.
 * Kernel-safe: no libc, no allocation, no floating point.
 */
#ifndef UACCEL_DSA_TWIN_H
#define UACCEL_DSA_TWIN_H

#include "dsa_regs.h"
#include "model.h"

/* Sizes of the twin's register file (its capability values; see twin_regs.c). */
#define DSA_TWIN_MAX_WQS 8
#define DSA_TWIN_MAX_GROUPS 4
#define DSA_TWIN_MAX_ENGINES 4
#define DSA_TWIN_TOTAL_WQ_SIZE 128
/* MSI-X vectors: 0 for errors and commands, one a queue (as idxd uses them). */
#define DSA_TWIN_MSIX_VECTORS (1 + DSA_TWIN_MAX_WQS)
/* BAR sizes the simulated PCI function exposes. */
#define DSA_TWIN_BAR0_SIZE 0x1000u
#define DSA_TWIN_BAR2_SIZE                                                     \
	(DSA_TWIN_MAX_WQS * DSA_PORTAL_PAGES_PER_WQ * DSA_PORTAL_PAGE)

enum dsa_twin_version {
	DSA_TWIN_V1 = 1, /* Sapphire Rapids class: 32-byte WQCFG */
	DSA_TWIN_V2 = 2, /* 64-byte WQCFG with op_config, occupancy */
};

/* How a descriptor reaches a portal. */
enum dsa_twin_submit {
	DSA_TWIN_MOVDIR64B, /* posted: no answer; dedicated queues */
	DSA_TWIN_ENQCMD, /* user: PASID from the descriptor (IA32_PASID) */
	DSA_TWIN_ENQCMDS, /* supervisor: PASID and priv from the descriptor */
};

/* What a portal write answers (ENQCMD's ZF; MOVDIR64B always ACCEPTED). */
#define DSA_TWIN_ACCEPTED 0
#define DSA_TWIN_RETRY 1

struct dsa_twin_host {
	/* Raise MSI-X vector (0: errors and commands; n: completion). */
	void (*irq)(void *ctx, unsigned int vector);
	/*
	 * The address space bound to pasid (pasid_en 0: the device's
	 * untranslated space), or NULL when none is bound: every access
	 * of such a descriptor then fails translation.
	 */
	struct model_mem *(*pasid_mem)(void *ctx, uint32_t pasid, bool pasid_en,
				       bool priv);
	/*
	 * Optional: run the descriptor in place of the model, with
	 * model_exec_desc's contract on x (mem and caps set by the twin;
	 * swerr_* set when a record could not be delivered).  A VMM's device
	 * uses it to run guest work on a host queue (vfio-user/vfu_exec.c).
	 */
	void (*exec)(void *ctx, struct model_exec *x, const struct dsa_desc *desc);
};

struct dsa_twin_entry {
	struct dsa_desc desc; /* the device's private copy */
	uint32_t pasid;
	uint8_t pasid_en;
	uint8_t priv;
};

struct dsa_twin_wq {
	uint32_t cfg[DSA_WQCFG_DWORDS_MAX];
	uint16_t head, count; /* ring of DSA_TWIN_TOTAL_WQ_SIZE entries */
	uint8_t enabled;
	struct dsa_twin_entry ring[DSA_TWIN_TOTAL_WQ_SIZE];
};

/* A command waiting for work to drain (CMDSTS active meanwhile). */
struct dsa_twin_pending {
	uint8_t active;
	uint8_t code;
	uint8_t int_req;
	uint32_t wq_mask; /* queues whose work must finish */
	uint8_t by_pasid;
	uint32_t pasid;
};

struct dsa_twin_stats {
	uint64_t executed; /* descriptors run */
	uint64_t dropped; /* posted writes the device discarded */
	uint64_t retried; /* ENQCMD/ENQCMDS refused */
	uint64_t aborted; /* queued descriptors discarded by an abort */
};

struct dsa_twin {
	enum dsa_twin_version version;
	const struct dsa_twin_host *host;
	void *host_ctx;
	/* PCI command register's bus-master enable, as the function sees it. */
	bool bus_master;

	/* Read-only identity, set once by dsa_twin_init. */
	uint32_t reg_version;
	uint64_t gencap, wqcap, grpcap, engcap;
	uint64_t opcap[DSA_OPCAP_WORDS];
	uint64_t table[2];
	uint32_t cmdcap;
	unsigned int wqcfg_size;

	/* Guest-visible state. */
	uint32_t gencfg, genctrl, gensts, intcause, cmdsts;
	uint64_t swerr[DSA_SWERR_WORDS];
	uint64_t grpcfg[DSA_TWIN_MAX_GROUPS][DSA_GRPCFG_SIZE / 8];
	uint32_t msix_perm[DSA_TWIN_MSIX_VECTORS];
	uint32_t int_handles; /* bitmap of allocated interrupt handles */
	struct dsa_twin_wq wq[DSA_TWIN_MAX_WQS];
	struct dsa_twin_pending pending;
	unsigned int next_wq; /* round-robin position of the engines */

	struct dsa_twin_stats stats;
	struct model_exec exec;
	uint8_t bounce[MODEL_BOUNCE_SIZE];
};

/* Power-on: identity for the version, every other register at reset value. */
void dsa_twin_init(struct dsa_twin *t, enum dsa_twin_version v,
		   const struct dsa_twin_host *host, void *ctx);

/* BAR0 accesses; off must be naturally aligned, else reads give all ones
 * and writes are ignored (as an unclaimed MMIO access). */
uint32_t dsa_twin_read32(struct dsa_twin *t, uint32_t off);
uint64_t dsa_twin_read64(struct dsa_twin *t, uint32_t off);
void dsa_twin_write32(struct dsa_twin *t, uint32_t off, uint32_t val);
void dsa_twin_write64(struct dsa_twin *t, uint32_t off, uint64_t val);

/* A 64-byte write to BAR2 at off: DSA_TWIN_ACCEPTED or DSA_TWIN_RETRY. */
int dsa_twin_portal(struct dsa_twin *t, uint64_t off,
		    const struct dsa_desc *desc, enum dsa_twin_submit how);

/* Let the engines run up to budget descriptors; returns how many ran. */
unsigned int dsa_twin_run(struct dsa_twin *t, unsigned int budget);

/*
 * Enter HALT as after an unrecoverable error (a fault the model cannot
 * produce by itself); reset_type says what recovers it.
 */
void dsa_twin_halt(struct dsa_twin *t, enum dsa_reset_type reset_type);

/*
 * Record a software error on queue wq with the given error code, as the
 * device does for an error in a descriptor it took (no descriptor
 * details: desc_valid clear), with INTCAUSE.ERR and vector 0 as GENCTRL
 * allows.  For faults the model cannot produce by itself; with
 * dsa_twin_halt after it, a fatal one.
 */
void dsa_twin_inject_swerr(struct dsa_twin *t, unsigned int wq, uint8_t error);

/* Descriptors queued (not yet run) on a queue. */
unsigned int dsa_twin_occupancy(const struct dsa_twin *t, unsigned int wq);

#endif /* UACCEL_DSA_TWIN_H */
