/* SPDX-License-Identifier: MIT */
/*
 * libvfu-dsa: a virtual Intel DSA PCI function served over vfio-user.
 *
 * One context is one device for one guest.  A VMM (or the accel-vfio-user
 * server) either hands it a connected socket (vfu_dsa_serve) or feeds it
 * messages itself (vfu_dsa_handle_msg).  Registers and portals are the
 * register twin's (twin/); guest memory is the client's DMA regions; the
 * descriptors run on a host libaccel queue.  Every call returns 0 or a
 * negative errno.  Not thread-safe: one thread drives one context.
 */
#ifndef UACCEL_VFU_DSA_H
#define UACCEL_VFU_DSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vfu_dsa; /* opaque */

enum vfu_dsa_mode {
	VFU_DSA_MODE_ANY = 0, /* the guest chooses per queue */
	VFU_DSA_MODE_DEDICATED = 1,
	VFU_DSA_MODE_SHARED = 2,
};

struct vfu_dsa_config {
	unsigned int version; /* 1: DSA 1.0 personality, 2: DSA 2.0 */
	unsigned int num_wqs; /* 1..8 */
	unsigned int total_wq_size; /* entries shared by the queues, 1..128 */
	enum vfu_dsa_mode mode; /* which queue modes WQCAP offers */
	const char *backend; /* host libaccel backend; NULL: "auto" */
	bool model_only; /* run descriptors in the in-process model */
	/* Largest host descriptor a guest buffer is cut into, rounded down
	 * to 8 bytes; 0: the host queue's own limit (its max_xfer). */
	uint32_t max_piece;
	/* Offer no paravirtual extension (include/dsa_pv.h): no vendor
	 * capability, no PASID_ROOT window; the function looks like
	 * hardware. */
	bool no_pv;
};

/* What the device did, for tests and the bench. */
struct vfu_dsa_stats {
	uint64_t messages, errors; /* handled; answered with an error */
	uint64_t descs; /* guest descriptors executed */
	uint64_t host_descs; /* host descriptors they became */
	uint64_t model_descs; /* guest descriptors run by the model */
	uint64_t faults; /* guest descriptors ended by an address fault */
	uint64_t irqs; /* eventfd signals */
	uint64_t portal_dropped; /* portal writes the device discarded */
	uint64_t walks; /* successful page walks (PASID_ROOT) */
	unsigned int dma_regions; /* mapped now */
	unsigned int irq_fds; /* eventfds held now */
	unsigned int pasids; /* PASID_ROOT entries held now */
};

void vfu_dsa_config_default(struct vfu_dsa_config *c);
int vfu_dsa_create(struct vfu_dsa **out, const struct vfu_dsa_config *c);
/* Drops the client's state (vfu_dsa_disconnect) and the host queue. */
void vfu_dsa_destroy(struct vfu_dsa *d);

/*
 * Serve one connected vfio-user client on sock until it disconnects or
 * breaks the stream; then forget everything it gave (regions, eventfds)
 * and reset the device.  Returns 0 on a clean disconnect.  sock stays the
 * caller's.
 */
int vfu_dsa_serve(struct vfu_dsa *d, int sock);

/*
 * One message in memory (header included) with the fds that came with
 * it; the context takes ownership of every fd.  The reply (header
 * included) goes to reply (at least VFU_DSA_REPLY_MAX bytes); *reply_len
 * is 0 when none is due (No_reply).  Malformed messages get the
 * protocol's error reply; the return value is negative only when the
 * stream cannot continue (the message's size field cannot be trusted).
 */
#define VFU_DSA_REPLY_MAX (16 + 16 + 4096)
int vfu_dsa_handle_msg(struct vfu_dsa *d, const void *msg, size_t len,
		       const int *fds, unsigned int nfds, void *reply,
		       size_t *reply_len);

/* Forget the client: unmap its regions, close its eventfds, reset. */
void vfu_dsa_disconnect(struct vfu_dsa *d);

/*
 * Direct entry points for a VMM that embeds the device without the
 * socket (and for the bench): the same checks as the messages.
 */
int vfu_dsa_dma_map(struct vfu_dsa *d, uint64_t iova, uint64_t size, int fd,
		    uint64_t offset, uint32_t prot);
int vfu_dsa_dma_unmap(struct vfu_dsa *d, uint64_t iova, uint64_t size);
int vfu_dsa_region_read(struct vfu_dsa *d, unsigned int region,
			uint64_t off, void *buf, uint32_t count);
int vfu_dsa_region_write(struct vfu_dsa *d, unsigned int region,
			 uint64_t off, const void *buf, uint32_t count);

void vfu_dsa_get_stats(const struct vfu_dsa *d, struct vfu_dsa_stats *s);
/* The host queue's libaccel backend name ("emul", "idxd", ...). */
const char *vfu_dsa_backend(const struct vfu_dsa *d);

#ifdef __cplusplus
}
#endif

#endif /* UACCEL_VFU_DSA_H */
