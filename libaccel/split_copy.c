// SPDX-License-Identifier: MIT
/*
 * A copy split between the calling CPU and the device, in which neither
 * waits for the other.
 *
 * The bytes not yet claimed are one range.  The CPU claims pieces from its
 * bottom, the device from its top, a piece at a time: the submitter hands
 * the device its next piece only when one of the (at most two) it holds is
 * done.  So the shares follow the speeds actually reached, on a quiet
 * machine or a busy one, with no plan made in advance.  When the range is
 * used up, what the device has not started is taken back (a software
 * device allows that, see backend.h) and copied here; only a piece the
 * device is already running is waited for, and device pieces shrink toward
 * the end so that this is short.  A device that never gets a core (its
 * engine thread starved on a busy machine) thus costs one wake-up: the
 * submitter does everything, at the speed of a plain copy.
 *
 * Whether to split at all is learnt per size class, from what each way
 * cost when it ran: a split that costs more than the CPU alone (the
 * device's thread sharing the caller's core, say) is not chosen, except
 * for a trial now and then.  Splits in a row whose device did (almost)
 * nothing stop the next calls of that size from splitting at once, for a
 * while that doubles each time it happens again, so that a starved device
 * is not woken for nothing on every call.
 */
#include <errno.h>
#include <immintrin.h>
#include <string.h>

#include "internal.h"

/* Smallest piece worth a descriptor: the twin's fixed start per
 * descriptor (probing both buffers) is a few µs, 64 KiB about 5 µs of copy. */
#define PIECE_MIN (64u << 10)
#define PIECE_MAX (1u << 20) /* largest: the end waits for one of these */
#define DEV_HELD 2 /* device pieces in flight: one running, one queued */
#define LATE_MAX 9 /* the longest pause is 2^8 - 1 calls */
#define TRY_EVERY 16 /* one call in this many tries the way not chosen, */
#define TRY_GAP_MAX 4 /* ... and up to 16 << 4 = 256 while it keeps losing */

__thread struct accel_split_stats accel_split_last;

struct split {
	struct accel_ctx *ctx;
	struct accel_queue *q;
	char *dst;
	const char *src;
	size_t lo, hi; /* [lo, hi) is not claimed yet */
	size_t dev_done; /* bytes the device completed */
	size_t cpu_done, taken_back; /* bytes this CPU copied, took back */
	struct accel_op op[DEV_HELD]; /* in flight: op[first], op[first+1] */
	unsigned first, held;
	bool dev_started; /* a device piece completed: give it two */
	bool stream;
	int rc;
};

/* Pieces shrink with what is left, so the last device piece is short. */
static size_t piece(const struct split *s)
{
	size_t p = (s->hi - s->lo) / 4;

	if (p > PIECE_MAX)
		p = PIECE_MAX;
	if (p > s->ctx->info.max_xfer)
		p = s->ctx->info.max_xfer;
	p &= ~(size_t)4095;
	return p < PIECE_MIN ? PIECE_MIN : p;
}

struct cpu_part {
	char *dst;
	const char *src;
	size_t n;
	bool stream;
};

static void cpu_part_run(void *arg)
{
	struct cpu_part *c = arg;

	/* The device writes its part to memory (cache control clear); past
	 * the cache the CPU's part is faster done the same way. */
	if (c->stream)
		accel_copy_stream(c->dst, c->src, c->n);
	else
		memcpy(c->dst, c->src, c->n);
}

/* [off, off + n) on this CPU; a bad buffer ends the split with -EFAULT. */
static void cpu_copy(struct split *s, size_t off, size_t n)
{
	struct cpu_part c = { s->dst + off, s->src + off, n, s->stream };
	int rc = accel_guarded_run(cpu_part_run, &c);

	s->cpu_done += n;
	if (rc && !s->rc)
		s->rc = rc;
}

/* Give the device pieces from the top while it holds fewer than it may. */
static void feed(struct split *s)
{
	unsigned may = s->dev_started ? DEV_HELD : 1;

	while (!s->rc && s->held < may && s->hi - s->lo >= 2 * PIECE_MIN) {
		size_t p = piece(s);
		struct accel_op *op = &s->op[(s->first + s->held) % DEV_HELD];

		accel_prep_memmove(op, s->dst + s->hi - p, s->src + s->hi - p, p,
				   0);
		if (accel_submit(s->ctx, op))
			return; /* queue full (or refused): the CPU goes on */
		s->hi -= p;
		s->held++;
	}
}

/* Settle the device's finished pieces, oldest first. */
static void reap(struct split *s, bool wait)
{
	while (s->held) {
		struct accel_op *op = &s->op[s->first];
		int rc = wait ? accel_wait(s->ctx, op, ACCEL_WAIT_PAUSE) :
				accel_poll(s->ctx, op);

		if (rc == -EINPROGRESS)
			return;
		if (rc && !s->rc)
			s->rc = rc;
		s->dev_done += op->orig_size;
		s->dev_started = true;
		s->first = (s->first + 1) % DEV_HELD;
		s->held--;
	}
}

/* The range is used up: take back what the device has not started, newest
 * first (the queue gives back only its last), and do it here. */
static void take_back(struct split *s)
{
	int (*tb)(struct accel_queue *, const struct dsa_desc *) =
		s->q->ops->take_back;

	while (tb && s->held) {
		struct accel_op *op =
			&s->op[(s->first + s->held - 1) % DEV_HELD];

		if (tb(s->q, &op->desc))
			break;
		op->state = ACCEL_OPST_IDLE;
		s->held--;
		s->dev_done += op->result_bytes; /* before a page fault */
		s->taken_back += op->desc.size;
		/* What remains of it: a faulted piece resumed from its
		 * descriptor's (adjusted) addresses. */
		if (!s->rc)
			cpu_copy(s, (size_t)((char *)(uintptr_t)op->desc.dst -
					     s->dst),
				 op->desc.size);
	}
}

/* A split the device barely helped with says the device is late. */
static void account(const struct split *s, size_t n, _Atomic unsigned *pct,
		    struct accel_split_class *k)
{
	unsigned p = (unsigned)((s->dev_done * 100) / n);
	unsigned old = atomic_load_explicit(pct, memory_order_relaxed);

	atomic_store_explicit(pct, (old + p) / 2, memory_order_relaxed);
	if (s->dev_done * 8 >= n) {
		atomic_store_explicit(&k->late, 0, memory_order_relaxed);
		return;
	}
	old = atomic_load_explicit(&k->late, memory_order_relaxed);
	if (old < LATE_MAX)
		old++;
	atomic_store_explicit(&k->late, old, memory_order_relaxed);
	/* Once late is chance (a device asleep wakes slowly); twice in a row
	 * is a pattern: 1, 3, 7 ... 255 calls without it. */
	atomic_store_explicit(&k->skip, (1u << (old - 1)) - 1,
			      memory_order_relaxed);
}

static unsigned class_of(size_t n)
{
	unsigned c = 0;

	for (n >>= 21; n && c + 1 < ACCEL_SPLIT_CLASSES; n >>= 1)
		c++;
	return c;
}

/* A copy the CPU does alone. */
static int cpu_only(struct split *s, size_t n)
{
	cpu_copy(s, 0, n);
	accel_split_last = (struct accel_split_stats){ .cpu = n };
	accel_tls_path = ACCEL_PATH_CPU;
	return s->rc;
}

static int split_run(struct split *s, size_t n, _Atomic unsigned *pct,
		     struct accel_split_class *k)
{
	s->q = accel_queue_get(s->ctx);
	if (!s->q)
		return -ENOMEM;
	feed(s);
	if (!s->held) /* too small to share, or the queue is full */
		return cpu_only(s, n);
	while (s->lo < s->hi && !s->rc) {
		size_t p = piece(s);

		if (p > s->hi - s->lo)
			p = s->hi - s->lo;
		cpu_copy(s, s->lo, p);
		s->lo += p;
		reap(s, false);
		feed(s);
	}
	take_back(s);
	reap(s, true);
	account(s, n, pct, k);
	accel_split_last = (struct accel_split_stats){
		.cpu = s->cpu_done, .dev = s->dev_done,
		.taken_back = s->taken_back
	};
	/* The path taken: the device was offered a share (accel_split_last
	 * tells how much it did). */
	accel_tls_path = ACCEL_PATH_SPLIT;
	return s->rc;
}

/*
 * Split, or the CPU alone?  Whichever has cost less per byte at this size
 * lately, each way timed as it runs; the other way is tried now and then
 * (one call in TRY_EVERY, then half as often each time the trial loses
 * again, down to one in 256) so that a change (a neighbour's load coming
 * or going) is seen without paying for a losing trial every 16 calls: on
 * the crowded 2-core machine a losing split trial cost 3 times a CPU copy
 * at 4 MiB, and at one in 16 that alone took the size to 0.7-0.8x of
 * glibc (docs/performance.md, section 3).  No data yet means split: that
 * is how it is learnt.
 */
static bool want_split(struct accel_split_class *k, bool *tried)
{
	unsigned skip = atomic_load_explicit(&k->skip, memory_order_relaxed);
	unsigned calls = atomic_fetch_add_explicit(&k->calls, 1,
						   memory_order_relaxed);
	unsigned cpu = atomic_load_explicit(&k->cost_cpu, memory_order_relaxed);
	unsigned split =
		atomic_load_explicit(&k->cost_split, memory_order_relaxed);
	unsigned every = TRY_EVERY << atomic_load_explicit(
				 &k->trial_gap, memory_order_relaxed);
	bool trial = calls % every == every - 1;

	*tried = false;

	if (skip) {
		atomic_store_explicit(&k->skip, skip - 1, memory_order_relaxed);
		return false;
	}
	if (!cpu || !split)
		return !trial; /* learning: the CPU alone is timed too */
	*tried = trial;
	return (split <= cpu) != trial;
}

/* After a trial: it lost if the way tried is still the costlier one. */
static void trial_done(struct accel_split_class *k, bool split)
{
	unsigned cpu = atomic_load_explicit(&k->cost_cpu, memory_order_relaxed);
	unsigned sp = atomic_load_explicit(&k->cost_split, memory_order_relaxed);
	unsigned gap = atomic_load_explicit(&k->trial_gap, memory_order_relaxed);
	bool lost = split ? sp > cpu : cpu >= sp;

	gap = lost ? (gap < TRY_GAP_MAX ? gap + 1 : gap) : 0;
	atomic_store_explicit(&k->trial_gap, gap, memory_order_relaxed);
}

/* Costs are smoothed, and one sample counts for at most twice the current
 * figure: a call the scheduler stopped half-way says little. */
static void learn(_Atomic unsigned *cost, uint64_t ns, size_t n)
{
	uint64_t per = ns * (1u << 20) / n;
	unsigned old = atomic_load_explicit(cost, memory_order_relaxed);

	if (per > UINT32_MAX / 2)
		per = UINT32_MAX / 2;
	if (old && per > 2ull * old)
		per = 2ull * old;
	atomic_store_explicit(cost,
			      old ? (unsigned)((7ull * old + per) / 8) :
				    (unsigned)per,
			      memory_order_relaxed);
}

int accel_split_copy(struct accel_ctx *ctx, void *dst, const void *src,
		     size_t n)
{
	struct accel_split_class *k = &ctx->tune.split_class[class_of(n)];
	struct split s = { .ctx = ctx, .dst = dst, .src = src, .hi = n,
			   .stream = n >= accel_stream_min };
	bool split, tried;
	uint64_t t0;
	int rc;

	/* Never a buffer; and memcpy() may not even be handed one. */
	if (!dst || !src)
		return -EFAULT;
	split = want_split(k, &tried);
	t0 = accel_now_ns();

	rc = split ? split_run(&s, n,
			       &ctx->tune.split_device_pct[class_of(n)], k) :
		     cpu_only(&s, n);
	if (rc == 0)
		learn(split ? &k->cost_split : &k->cost_cpu,
		      accel_now_ns() - t0, n);
	if (rc == 0 && tried)
		trial_done(k, split);
	return rc;
}
