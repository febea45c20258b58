/* SPDX-License-Identifier: MIT */
/*
 * libaccel: memory operations offloaded to an Intel DSA work queue, or to
 * its software twin where no device exists.
 *
 * Every call returns 0 (or a documented non-negative value) on success and
 * a negative errno on failure; errno is never used.  accel_strerror() turns
 * any such value into a message.
 */
#ifndef ACCEL_H
#define ACCEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dsa_hw.h"
#include "accel_small_copy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Types a user touches                                               */
/* ------------------------------------------------------------------ */

struct accel_ctx; /* opaque: one device (or twin), shared by threads */

/* Where the bytes were moved. */
enum accel_path {
	ACCEL_PATH_NONE = 0,
	ACCEL_PATH_CPU = 1, /* the calling thread did it with plain code */
	ACCEL_PATH_DEVICE = 2, /* the device (or its engine) did all of it */
	ACCEL_PATH_SPLIT = 3, /* part by the calling CPU, part by the device */
};

/* How the submitter reaches the queue. */
enum accel_wq_mode {
	ACCEL_WQ_AUTO = 0,
	ACCEL_WQ_DEDICATED = 1, /* posted writes; library keeps within size */
	ACCEL_WQ_SHARED = 2, /* enqueue can be refused: retry */
};

/* How accel_wait() waits for a completion record. */
enum accel_wait_mode {
	ACCEL_WAIT_SPIN = 0, /* re-read the record in a tight loop */
	ACCEL_WAIT_PAUSE = 1, /* with a PAUSE between reads */
	ACCEL_WAIT_UMWAIT = 2, /* UMONITOR/UMWAIT where the CPU has WAITPKG */
	ACCEL_WAIT_EVENT = 3, /* sleep on the completion eventfd (io_uring) */
};

/* Options for accel_open_opts(); zero-initialise, then set what matters. */
struct accel_opts {
	const char *backend; /* "emul", "cpu", "uacce", "idxd", "auto" or NULL */
	const char *device; /* uacce, idxd: node name or path; NULL: first
			     * (idxd: the NUMA-nearest usable queue) */
	enum accel_wq_mode wq_mode;
	uint32_t wq_size; /* emul: queue entries per thread (0: 128) */
	uint32_t shared_threshold; /* emul shared queue: 0 = wq_size */
	int numa_node; /* queue memory placement; -1: local */
	unsigned flags; /* ACCEL_OPT_* */
};
#define ACCEL_OPT_NO_SPLIT 0x1u /* never split a call between CPU+device */
#define ACCEL_OPT_NO_CPU_PATH 0x2u /* always use the device, even tiny ops */
/* emul, cpu: present the software device as DSA 1.0 or 2.0 (default:
 * $ACCEL_DSA_VERSION, else 1.0's operations; docs/api.md). */
#define ACCEL_OPT_DSA1 0x4u
#define ACCEL_OPT_DSA2 0x8u

/*
 * One asynchronous operation.  The descriptor and completion record are
 * the device's formats; the rest is the library's bookkeeping for fault
 * recovery.  Must stay alive and unmoved until the operation completes.
 */
struct accel_op {
	struct dsa_desc desc;
	struct dsa_comp comp;
	struct accel_queue *queue; /* set by submit */
	uint64_t orig_src, orig_dst, orig_dst2; /* for resuming after a fault */
	uint32_t orig_size;
	uint32_t crc_seed;
	uint64_t pattern[2];
	uint32_t retries; /* resubmissions after page faults */
	uint8_t state; /* ACCEL_OPST_* */
	uint8_t path; /* enum accel_path */
	uint8_t final_status; /* status of the last record, fault included */
	uint8_t pad[5];
	uint64_t result_bytes; /* bytes accumulated across resubmissions */
} __attribute__((aligned(64)));

#define ACCEL_OPST_IDLE 0
#define ACCEL_OPST_INFLIGHT 1
#define ACCEL_OPST_DONE 2
/* Marks left by accel_prep_*(), answered by accel_submit(): */
#define ACCEL_OPST_BAD_ADDR 0xfe /* a pattern it had to read: -EFAULT */
#define ACCEL_OPST_TOO_BIG 0xff /* a size past 4 GiB: -E2BIG */

/* Queue and device facts, as the backend reports them. */
struct accel_info {
	char backend[16];
	char device[64];
	enum accel_wq_mode wq_mode;
	uint32_t wq_size;
	uint32_t max_batch;
	uint64_t max_xfer;
	uint64_t op_cap; /* DSA_OPCAP() bits */
	int numa_node;
	bool has_movdir64b, has_enqcmd, has_waitpkg;
};

/* ------------------------------------------------------------------ */
/* Context                                                            */
/* ------------------------------------------------------------------ */

/*
 * backend: "emul" (in-process software DSA engine thread), "cpu"
 * (descriptors executed inline by the caller), "uacce" (a uacce device,
 * /dev/<name>-<id>), "idxd" (the kernel's idxd work queues, /dev/dsa/wqD.Q),
 * or "auto"/NULL: $ACCEL_BACKEND if set, else an enabled user-type idxd
 * queue this user can open, else a uacce device if one is there, else emul.
 * A named backend that cannot open is an error: there is no silent fallback.
 */
int accel_open(struct accel_ctx **ctx, const char *backend);
int accel_open_opts(struct accel_ctx **ctx, const struct accel_opts *opts);
void accel_close(struct accel_ctx *ctx);
/* Why the calling thread's last failed open failed, in words ("" if no
 * backend gave a reason): which queue, what to check (docs/idxd.md). */
const char *accel_open_detail(void);
int accel_get_info(struct accel_ctx *ctx, struct accel_info *info);
const char *accel_backend_name(const struct accel_ctx *ctx);
/* Which path the calling thread's last synchronous call into the library
 * took (a copy or move below the CPU threshold, answered inline by the
 * functions below, is not recorded: it always runs on the caller's CPU). */
enum accel_path accel_last_path(struct accel_ctx *ctx);
const char *accel_path_name(enum accel_path path);

/* ------------------------------------------------------------------ */
/* Synchronous operations                                             */
/* ------------------------------------------------------------------ */

int accel_memcpy(struct accel_ctx *ctx, void *dst, const void *src, size_t n);

/*
 * A small copy never leaves the caller, so it should cost what memcpy costs:
 * the size test and the copy are inlined here (up to ACCEL_SMALL_COPY_MAX
 * bytes without even a call to glibc: accel_small_copy.h), and only copies
 * at or above the context's CPU threshold call into the library.  Part of
 * the ABI of libaccel.so.1: every context starts with struct
 * accel_ctx_head, and the thread's last path lives in accel_tls_path.  The
 * inline copy does not record its path there: that store cost 3-4% of a
 * 64-256 B copy (docs/performance.md, section 3).  Taking the address of
 * accel_memcpy, or defining ACCEL_NO_INLINE, gives the library function.
 */
struct accel_ctx_head {
	size_t cpu_max; /* copies below this size: plain memcpy on the caller */
};

extern __thread unsigned char accel_tls_path
	__attribute__((tls_model("initial-exec")));

/* Always inline: a call would cost what the inline copy saves. */
ACCEL_AI_ int accel_memcpy_inline(struct accel_ctx *ctx, void *dst,
				  const void *src, size_t n);
static inline int accel_memcpy_inline(struct accel_ctx *ctx, void *dst,
				      const void *src, size_t n)
{
	const struct accel_ctx_head *h = (const struct accel_ctx_head *)ctx;

	if (__builtin_expect(h != NULL && n < h->cpu_max, 1)) {
		if (n > ACCEL_SMALL_COPY_MAX || !accel_small_move_(dst, src, n))
			memcpy(dst, src, n);
		return 0;
	}
	return (accel_memcpy)(ctx, dst, src, n);
}

#ifndef ACCEL_NO_INLINE
#define accel_memcpy(ctx, dst, src, n) accel_memcpy_inline(ctx, dst, src, n)
#endif
int accel_memmove(struct accel_ctx *ctx, void *dst, const void *src, size_t n);

/* A small move, like a small copy, stays inline (same rules as above). */
ACCEL_AI_ int accel_memmove_inline(struct accel_ctx *ctx, void *dst,
				   const void *src, size_t n);
static inline int accel_memmove_inline(struct accel_ctx *ctx, void *dst,
				       const void *src, size_t n)
{
	const struct accel_ctx_head *h = (const struct accel_ctx_head *)ctx;

	if (__builtin_expect(h != NULL && n < h->cpu_max, 1)) {
		if (n > ACCEL_SMALL_COPY_MAX || !accel_small_move_(dst, src, n))
			memmove(dst, src, n);
		return 0;
	}
	return (accel_memmove)(ctx, dst, src, n);
}

#ifndef ACCEL_NO_INLINE
#define accel_memmove(ctx, dst, src, n) accel_memmove_inline(ctx, dst, src, n)
#endif
int accel_fill(struct accel_ctx *ctx, void *dst, uint64_t pattern, size_t n);
int accel_fill16(struct accel_ctx *ctx, void *dst, const void *pattern16,
		 size_t n);
/* *differ_at: offset of the first difference, or n when equal.
 * Returns 0 when equal, 1 when different, or a negative errno. */
int accel_compare(struct accel_ctx *ctx, const void *a, const void *b,
		  size_t n, size_t *differ_at);
/* As the device reports it: *differ_at is the start of the first 8-byte
 * unit (counted from src) that differs, the exact byte only in a short
 * last unit. */
int accel_compare_pattern(struct accel_ctx *ctx, const void *src,
			  uint64_t pattern, size_t n, size_t *differ_at);
int accel_crc32c(struct accel_ctx *ctx, const void *src, size_t n,
		 uint32_t seed, uint32_t *crc);
int accel_copy_crc32c(struct accel_ctx *ctx, void *dst, const void *src,
		      size_t n, uint32_t seed, uint32_t *crc);
int accel_dualcast(struct accel_ctx *ctx, void *dst1, void *dst2,
		   const void *src, size_t n);
/* Delta record of new against old (n a multiple of 8); *rec_size its size.
 * Returns 0 when equal, 1 when a record was made, -ENOSPC if it overflowed
 * rec_max. */
int accel_delta_create(struct accel_ctx *ctx, const void *old_buf,
		       const void *new_buf, size_t n, void *rec, size_t rec_max,
		       size_t *rec_size);
int accel_delta_apply(struct accel_ctx *ctx, void *dst, const void *rec,
		      size_t rec_size, size_t n);
int accel_cache_flush(struct accel_ctx *ctx, const void *addr, size_t n);
int accel_noop(struct accel_ctx *ctx);
/* Wait until everything this thread submitted has completed. */
int accel_drain(struct accel_ctx *ctx);

/* ------------------------------------------------------------------ */
/* T10 DIF (docs/api.md, "T10 DIF")                                     */
/* ------------------------------------------------------------------ */

/*
 * What a DIF operation does with the 8 bytes of protection information
 * (PI: guard, application tag, reference tag, big-endian) after each block
 * of data.  flags: DSA_DIF_BLK_512/520/4096/4104 and DSA_DIF_INVERT_*;
 * src_flags (DSA_DIF_SRC_*): how the source's PI is checked, against the
 * tags src gives for block 0; dst_flags (DSA_DIF_DST_*): how the PI
 * written is made, from the tags dst gives for block 0.  An application
 * tag mask bit set is a bit neither checked nor written.
 */
struct accel_dif {
	uint8_t flags;
	uint8_t src_flags;
	uint8_t dst_flags;
	struct dsa_dif_tags src;
	struct dsa_dif_tags dst;
};

/* Where a check failed: which checks (DSA_DIF_RES_*), in which block, at
 * which source offset, and the tags that block was checked against. */
struct accel_dif_error {
	uint8_t result;
	uint64_t block;
	uint64_t offset;
	struct dsa_dif_tags tags;
};

/*
 * n counts source bytes: blocks with their PI for check, strip and update,
 * data alone for insert and DIX generate; a partial block is -EINVAL.
 * Return 0, -EBADMSG when a block failed its checks (*err, if not NULL,
 * says where; blocks before it were processed), or a negative errno.
 */
int accel_dif_check(struct accel_ctx *ctx, const void *src, size_t n,
		    const struct accel_dif *dif, struct accel_dif_error *err);
int accel_dif_insert(struct accel_ctx *ctx, void *dst, const void *src,
		     size_t n, const struct accel_dif *dif);
int accel_dif_strip(struct accel_ctx *ctx, void *dst, const void *src,
		    size_t n, const struct accel_dif *dif,
		    struct accel_dif_error *err);
int accel_dif_update(struct accel_ctx *ctx, void *dst, const void *src,
		     size_t n, const struct accel_dif *dif,
		     struct accel_dif_error *err);
/* DSA 2.0: the PI of each block of src to pi (8 bytes a block). */
int accel_dix_generate(struct accel_ctx *ctx, void *pi, const void *src,
		       size_t n, const struct accel_dif *dif);

/* ------------------------------------------------------------------ */
/* Asynchronous operations                                            */
/* ------------------------------------------------------------------ */

/* Preparation: fill op->desc; flags are extra DSA_FLAG_* bits. */
void accel_prep_noop(struct accel_op *op);
void accel_prep_memmove(struct accel_op *op, void *dst, const void *src,
			size_t n, uint32_t flags);
void accel_prep_fill(struct accel_op *op, void *dst, uint64_t pattern,
		     size_t n, uint32_t flags);
void accel_prep_fill16(struct accel_op *op, void *dst, const void *pattern16,
		       size_t n, uint32_t flags);
void accel_prep_compare(struct accel_op *op, const void *a, const void *b,
			size_t n, uint32_t flags);
void accel_prep_compare_pattern(struct accel_op *op, const void *src,
				uint64_t pattern, size_t n, uint32_t flags);
void accel_prep_crc32c(struct accel_op *op, const void *src, size_t n,
		       uint32_t seed, uint32_t flags);
void accel_prep_copy_crc32c(struct accel_op *op, void *dst, const void *src,
			    size_t n, uint32_t seed, uint32_t flags);
void accel_prep_dualcast(struct accel_op *op, void *dst1, void *dst2,
			 const void *src, size_t n, uint32_t flags);
void accel_prep_cache_flush(struct accel_op *op, const void *addr, size_t n,
			    uint32_t flags);
/* DIF: as the synchronous calls; a failed check polls -EBADMSG, with the
 * record's result, bytes_completed (source offset of the failing block,
 * counted from the op's start) and tags (op->comp.dif). */
void accel_prep_dif_check(struct accel_op *op, const void *src, size_t n,
			  const struct accel_dif *dif, uint32_t flags);
void accel_prep_dif_insert(struct accel_op *op, void *dst, const void *src,
			   size_t n, const struct accel_dif *dif,
			   uint32_t flags);
void accel_prep_dif_strip(struct accel_op *op, void *dst, const void *src,
			  size_t n, const struct accel_dif *dif,
			  uint32_t flags);
void accel_prep_dif_update(struct accel_op *op, void *dst, const void *src,
			   size_t n, const struct accel_dif *dif,
			   uint32_t flags);
void accel_prep_dix_generate(struct accel_op *op, void *pi, const void *src,
			     size_t n, const struct accel_dif *dif,
			     uint32_t flags);

/*
 * Submit on the calling thread's queue.  -EAGAIN: the queue is full (its
 * size for a dedicated queue; the threshold refused an enqueue for a shared
 * one); poll something and retry.  -EINVAL: the op is malformed in a way the
 * library can see before the device does.
 */
int accel_submit(struct accel_ctx *ctx, struct accel_op *op);
/*
 * 0: completed with success (check op->comp for results), -EINPROGRESS: not
 * yet, or a negative errno: -EFAULT for a bad address, -EIO for a device
 * error status (op->final_status tells which).  Page faults are recovered
 * here: the page is touched and the rest resubmitted.
 */
int accel_poll(struct accel_ctx *ctx, struct accel_op *op);
int accel_wait(struct accel_ctx *ctx, struct accel_op *op,
	       enum accel_wait_mode mode);

/*
 * A batch: n member ops (prepared, not submitted) run as one descriptor.
 * 2 <= n <= info.max_batch.  The batch op completes when all members did;
 * its record's bytes_completed counts the members that completed.
 */
int accel_submit_batch(struct accel_ctx *ctx, struct accel_op *batch,
		       struct accel_op *members, unsigned n);

/*
 * A batch prepared in place: the cheapest way to hand many descriptors
 * over.  The batch owns the list the device reads and its members'
 * completion records; accel_batch_add() copies the descriptor of an op
 * prepared with any accel_prep_*() (one op on the stack can serve for
 * every member) and returns the member's index.  One thread at a time.
 *
 *   accel_batch_create   2 <= max <= info.max_batch
 *   accel_batch_add      index, -ENOSPC full, -EBUSY in flight, -E2BIG
 *                        an op too large for a descriptor; after the
 *                        batch finished, the first add starts a new one
 *   accel_batch_submit   at least 2 members; a finished batch may be
 *                        submitted again as it is
 *   accel_batch_poll/wait  as accel_poll/accel_wait on the batch:
 *                        0 when every member succeeded, -EIO when one
 *                        failed (see the members' records)
 *   accel_batch_record   member i's completion record once the batch
 *                        completed (NULL past the count; status 0 for a
 *                        member the device abandoned); ACCEL_BATCH_SELF:
 *                        the batch's own, whose bytes_completed counts the
 *                        members processed
 *   accel_batch_destroy  waits for a batch still in flight
 */
struct accel_batch;
#define ACCEL_BATCH_SELF 0xffffffffu

int accel_batch_create(struct accel_ctx *ctx, unsigned max,
		       struct accel_batch **out);
void accel_batch_destroy(struct accel_batch *b);
int accel_batch_add(struct accel_batch *b, const struct accel_op *op);
unsigned accel_batch_count(const struct accel_batch *b);
int accel_batch_submit(struct accel_ctx *ctx, struct accel_batch *b);
int accel_batch_poll(struct accel_ctx *ctx, struct accel_batch *b);
int accel_batch_wait(struct accel_ctx *ctx, struct accel_batch *b,
		     enum accel_wait_mode mode);
const struct dsa_comp *accel_batch_record(const struct accel_batch *b,
					  unsigned i);

/*
 * Completions in the application's own event loop (docs/io_uring.md).
 * accel_notify_open() registers the calling thread on ctx as a listener;
 * accel_notify_fd() is an eventfd that becomes readable after completions
 * (add it to an io_uring with a POLL_ADD, user_data naming the op, or to
 * poll/epoll); accel_notify_reap() drains it, polls ops[0..count) (NULL
 * entries skipped) and moves those that finished to the front: returns
 * their number.  A finished op's result is accel_poll()'s, again.  On a
 * backend without a completion signal (cpu, idxd) the fd stays readable.
 * The fd belongs to the library: do not close or read it yourself.
 */
struct accel_notify;
int accel_notify_open(struct accel_ctx *ctx, struct accel_notify **n);
int accel_notify_fd(const struct accel_notify *n);
int accel_notify_reap(struct accel_notify *n, struct accel_op **ops,
		      unsigned count);
void accel_notify_close(struct accel_notify *n);

/*
 * Experts: submit a raw descriptor whose completion record the caller owns
 * (desc->completion_addr, 32-byte aligned, status cleared).  No fault
 * recovery; the caller polls the record.
 */
int accel_submit_raw(struct accel_ctx *ctx, const struct dsa_desc *desc);

/* ------------------------------------------------------------------ */
/* Errors                                                             */
/* ------------------------------------------------------------------ */

/* Message for a negative errno returned by this library. */
const char *accel_strerror(int err);
/* Message for a completion status byte (write bit included or not). */
const char *accel_status_str(uint8_t status);

#ifdef __cplusplus
}
#endif

#endif /* ACCEL_H */
