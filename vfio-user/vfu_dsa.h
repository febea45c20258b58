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
#include <stdio.h>

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
	/* Name every refused message on stderr (command, id, errno). */
	bool log_errors;
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
	unsigned int partial; /* portals with pieces of a descriptor gathered */
	unsigned int inflight; /* descriptors queued or on the host queue */
};

void vfu_dsa_config_default(struct vfu_dsa_config *c);
/* -EINVAL when vfu_dsa_create would refuse c for its values. */
int vfu_dsa_config_check(const struct vfu_dsa_config *c);
int vfu_dsa_create(struct vfu_dsa **out, const struct vfu_dsa_config *c);
/*
 * Another device (its own registers, regions, eventfds, PASID table) on
 * the host queue share opened: several guests on one host queue.  share
 * must outlive it; a model-only share or config is refused.
 */
int vfu_dsa_create_shared(struct vfu_dsa **out, const struct vfu_dsa_config *c,
			  const struct vfu_dsa *share);
/* Drops the client's state (vfu_dsa_disconnect) and the host queue (if
 * this device opened it). */
void vfu_dsa_destroy(struct vfu_dsa *d);

/*
 * Serve one connected vfio-user client on sock until it disconnects or
 * breaks the stream; then forget everything it gave (regions, eventfds)
 * and reset the device.  Returns 0 on a clean disconnect.  sock stays the
 * caller's.
 */
int vfu_dsa_serve(struct vfu_dsa *d, int sock);

/*
 * One message from sock (blocking until it is whole): 0 to go on,
 * -ENOTCONN when the client closed between messages, another negative
 * errno when the stream broke.  On an error the caller ends the client
 * with vfu_dsa_disconnect.  For a server polling several sockets.
 */
int vfu_dsa_serve_msg(struct vfu_dsa *d, int sock);

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

/*
 * "vfu-accounting: regions=R eventfds=E pasids=P partial=G inflight=I":
 * what a device holds (docs/vfio-user.md).  Returns the length, or
 * -ENOSPC when buf is too small.
 */
int vfu_dsa_format_accounting(const struct vfu_dsa_stats *s, char *buf,
			      size_t n);

/*
 * The accel-vfio-user server loop (vfu_server.c): accept clients on the
 * listening socket lsock, up to `clients` at once, each with a device of
 * its own made from cfg, all on one host queue; poll(2) over the sockets.
 * When a client goes, its device is released and an accounting line
 * ("... when=disconnect client=K") goes to log; at the end one for every
 * device together ("... when=exit clients=N").  Returns 0, or a negative
 * errno when the devices cannot be made or poll/accept fail.
 */
#define VFU_SERVER_MAX_CLIENTS 16
struct vfu_server_opts {
	unsigned int clients; /* at once, 1..VFU_SERVER_MAX_CLIENTS */
	bool once; /* end when `clients` clients have come and gone */
	const char *stats_file; /* rewritten at each accounting; NULL: none */
	FILE *log; /* NULL: stderr */
	int stop_fd; /* readable: end (every client released); -1: none */
	int io_timeout_ms; /* a client stalled inside a message; 0: 10 s */
	/* Called once the devices exist (the first owns the host queue). */
	void (*ready)(void *ctx, const struct vfu_dsa *d);
	void *ready_ctx;
};
int vfu_server_run(int lsock, const struct vfu_dsa_config *cfg,
		   const struct vfu_server_opts *o);
/* The host queue's libaccel backend name ("emul", "idxd", ...). */
const char *vfu_dsa_backend(const struct vfu_dsa *d);

#ifdef __cplusplus
}
#endif

#endif /* UACCEL_VFU_DSA_H */
