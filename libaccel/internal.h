/* SPDX-License-Identifier: MIT */
/* libaccel internals shared by its files; not installed. */
#ifndef LIBACCEL_INTERNAL_H
#define LIBACCEL_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "accel.h"
#include "backend.h"
#include "model.h"

#define ACCEL_EXPORT __attribute__((visibility("default")))

/* Sizes at or above which a synchronous call leaves the calling CPU. */
#define ACCEL_SPLIT_CLASSES 12

struct accel_tuning {
	size_t split_min; /* at or above: split between CPU and device */
	/* The device's share of the recent splits, in percent, per size
	 * class (below 2 MiB, 2 MiB, 4 MiB, ...): what the device managed to
	 * take, not a plan (split_copy.c). */
	_Atomic unsigned split_device_pct[ACCEL_SPLIT_CLASSES];
	struct accel_split_class {
		/* What split_copy.c learns to choose between a split and
		 * the CPU alone: splits in a row the device came late to,
		 * calls still to go without one because of that, a call
		 * count for the occasional trial of the way not chosen, and
		 * each way's cost in ns per MiB (smoothed); trial_gap: the
		 * trials' interval is TRY_EVERY << trial_gap, doubling while
		 * the way tried keeps losing. */
		_Atomic unsigned late, skip, calls;
		_Atomic unsigned cost_cpu, cost_split;
		_Atomic unsigned trial_gap;
	} split_class[ACCEL_SPLIT_CLASSES];
};

struct accel_ctx {
	/* First, as accel.h's inline memcpy reads it (ABI): the CPU threshold. */
	struct accel_ctx_head head;
	uint64_t id; /* unique over the process lifetime */
	uint64_t fork_gen; /* process generation the device was opened in */
	const struct accel_backend_ops *ops;
	void *dev;
	struct accel_info info;
	struct accel_opts opts;
	char device_name[64];
	struct accel_tuning tune;
	pthread_mutex_t lock; /* queues list */
	struct accel_queue *queues;
	/* Several devices on several nodes (the backend's), else NULL. */
	const struct accel_near *near;
	struct accel_ctx *next_live; /* global registry */
	_Atomic(struct batch_list *) spare_list; /* batch_list.c */
};

_Static_assert(offsetof(struct accel_ctx, head) == 0,
	       "accel.h's inline memcpy reads the head at offset 0");

/* ---- context.c ---- */
extern _Atomic uint64_t accel_fork_gen;
struct accel_queue *accel_queue_slow(struct accel_ctx *ctx);

struct accel_tls_queue {
	struct accel_ctx *ctx;
	uint64_t ctx_id;
	uint64_t gen;
	struct accel_queue *q;
	int cpu; /* ctx->near: where the thread ran when q was chosen */
};
#define ACCEL_TLS_QUEUES 4
extern __thread struct accel_tls_queue accel_tls_q[ACCEL_TLS_QUEUES];
int accel_numa_cpu(void); /* numa_near.c */

/*
 * The calling thread's queue on ctx, created on first use.  On a context
 * spanning several nodes, also re-chosen once the thread runs on another
 * CPU than when it was chosen (queue_near.c): one load of the CPU number
 * from the rseq area or the vDSO, no system call.
 */
static inline struct accel_queue *accel_queue_get(struct accel_ctx *ctx)
{
	struct accel_tls_queue *t = &accel_tls_q[0];

	if (__builtin_expect(t->ctx == ctx && t->ctx_id == ctx->id &&
				     t->gen == atomic_load_explicit(
						       &accel_fork_gen,
						       memory_order_relaxed),
			     1) &&
	    __builtin_expect(!ctx->near || t->cpu == accel_numa_cpu(), 1))
		return t->q;
	return accel_queue_slow(ctx);
}

/* ---- mem_user.c: the simulated IO page table of user space ---- */
extern struct model_mem accel_user_mem;
/* Bring in [addr, addr + len) after the device faulted at addr, at least
 * the page of addr; 0 or -EFAULT when that page has no valid mapping. */
int accel_touch(uint64_t addr, uint64_t len, bool write);

/* ---- env.c: the environment variables (docs/api.md lists them) ---- */
/* Prints "libaccel: NAME="value": why" on stderr; returns -EINVAL. */
int accel_env_bad(const char *name, const char *value, const char *why);
/* Decimal bytes with an optional K, M or G suffix: 0, -EINVAL or -ERANGE. */
int accel_parse_size(const char *s, size_t *out);
/* $name into *out when set (else *out untouched): 0 or -EINVAL. */
int accel_env_size(const char *name, size_t *out);

/* ---- exec_guard.c: run the model with faults turned into statuses ---- */
void accel_guard_init(void);
uint8_t accel_exec_guarded(struct model_exec *x, const struct dsa_desc *d);
int accel_guarded_write_comp(uint64_t addr, const struct dsa_comp *c);
/* fn(arg) with a SIGSEGV/SIGBUS in it turned into -EFAULT. */
int accel_guarded_run(void (*fn)(void *arg), void *arg);
/* memcpy of a small result into a caller's variable: 0 or -EFAULT. */
int accel_guarded_store(void *dst, const void *src, size_t len);

/* ---- cpu_ops.c: the CPU paths, bad pointers answered with -EFAULT ---- */
int accel_cpu_memmove(void *dst, const void *src, size_t n);
int accel_cpu_copy(void *dst, const void *src, size_t n); /* disjoint */
int accel_cpu_fill(void *dst, const void *pattern, unsigned plen, size_t n);
/* 0 equal, 1 different (first difference in *differ_at if not NULL). */
int accel_cpu_compare(const void *a, const void *b, size_t n,
		      size_t *differ_at);
int accel_cpu_crc32c(const void *src, size_t n, uint32_t seed, uint32_t *crc);

/* ---- split_copy.c ---- */
/* Copy n bytes of disjoint buffers with the calling CPU and the device
 * both working; 0 or a negative errno (-EFAULT: a bad buffer). */
int accel_split_copy(struct accel_ctx *ctx, void *dst, const void *src,
		     size_t n);
/* Bytes the calling thread's last split copy moved, by whom (for tests). */
struct accel_split_stats {
	size_t cpu, dev, taken_back;
};
extern __thread struct accel_split_stats accel_split_last;

/* ---- sysfs_read.c ---- */
/* root/obj/attr read whole into buf (NUL-terminated, untrimmed): 0 or
 * -errno. */
int accel_sysfs_read(const char *root, const char *obj, const char *attr,
		     char *buf, size_t len);

/* ---- copy_stream.c ---- */
/* Copies of at least this many bytes bypass the cache ($ACCEL_STREAM_MIN). */
extern size_t accel_stream_min;
void accel_copy_stream(void *dst, const void *src, size_t n);

/* ---- cpu_features.c ---- */
struct accel_cpu {
	bool movdir64b, enqcmd, waitpkg, sse42, prefetchw;
};
extern struct accel_cpu accel_cpu;
void accel_cpu_detect(void);

/*
 * Ask for a line the device touched last, to write it soon.  A store to a
 * line held by another agent must first take it back; asking early
 * overlaps that round trip with other work.  PREFETCHW (AMD since K8,
 * Intel since Broadwell) asks for ownership outright; without it a plain
 * prefetch still brings the line close.
 */
static inline void accel_prefetchw(const void *p)
{
	if (accel_cpu.prefetchw)
		__asm__ volatile("prefetchw %0" : : "m"(*(const char *)p));
	else
		__builtin_prefetch(p, 1, 3);
}

/* Monotonic nanoseconds: the engine's idle timer, the split's timing. */
static inline uint64_t accel_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- submit.c ---- */
/* Any descriptor, with its record in op->comp and the bookkeeping for
 * resuming after a fault. */
void accel_prep_desc(struct accel_op *op, uint8_t opcode, uint32_t flags,
		     uint64_t src, uint64_t dst, size_t n);

/* ---- batch_list.c ---- */
struct batch_list;
struct dsa_desc *accel_batch_list_get(struct accel_ctx *ctx, unsigned n);
void accel_batch_list_put(struct accel_ctx *ctx, struct dsa_desc *list);
void accel_batch_list_drain(struct accel_ctx *ctx);

/* ---- complete.c ---- */
int accel_op_finish(struct accel_ctx *ctx, struct accel_op *op);
int accel_submit_desc(struct accel_queue *q, const struct dsa_desc *d);

/* ---- fd_sleep.c: sleep on a completion eventfd ---- */
#include <liburing.h>
enum { ACCEL_SLEEP_NEW, ACCEL_SLEEP_URING, ACCEL_SLEEP_POLL };
struct accel_fd_sleeper {
	int state; /* ACCEL_SLEEP_*: io_uring tried on first use */
	struct io_uring ring;
};
extern bool accel_no_uring; /* $ACCEL_NO_URING=1: poll(2) only */
int accel_env_no_uring(void);
/* Until fd is readable: 0, -ETIMEDOUT, or a negative errno. */
int accel_fd_sleep(struct accel_fd_sleeper *s, int fd, uint64_t timeout_ns);
void accel_fd_sleeper_fini(struct accel_fd_sleeper *s);

/* ---- numa_near.c: the caller's node and node distances ---- */
struct accel_numa_topo { /* a fake topology, for tests */
	int ncpus, nnodes;
	const int *node_of_cpu; /* [ncpus] */
	const int *distance; /* [nnodes * nnodes], as numa_distance() */
	/* The CPU the caller runs on; NULL: the real one, as without a fake. */
	int (*current_cpu)(void);
};
extern const struct accel_numa_topo *accel_numa_fake; /* NULL: the machine */
int accel_numa_caller_node(void); /* -1 when unknown */
int accel_numa_node_of_cpu(int cpu); /* -1 when unknown */
/* 0 for the same node, larger for farther, 1000 for an unknown node. */
int accel_numa_distance(int a, int b);

/* ---- queue_near.c: a thread's queue on the device nearest it ---- */
/* The index in s of the device nearest node (ties: the first). */
unsigned accel_near_pick(const struct accel_near *s, int node);
/* The same for the calling thread, whose CPU goes to *cpu. */
unsigned accel_near_caller(const struct accel_near *s, int *cpu);
/* q or its sibling on device near, or NULL. */
struct accel_queue *accel_near_sibling(struct accel_queue *q, unsigned near);
/* add joins q's ring of siblings. */
void accel_near_link(struct accel_queue *q, struct accel_queue *add);

/* ---- model defaults for the software backends ---- */
/* The model's personality from the open's options and the environment:
 * 0, or -EINVAL (contradicting flags, a bad $ACCEL_DSA_VERSION). */
int accel_model_caps(struct model_caps *caps, const struct accel_opts *opts);
int accel_model_info(struct accel_info *info, const char *backend,
		     const struct accel_opts *opts);

#endif /* LIBACCEL_INTERNAL_H */
