// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A queue's worker: the "engine" of the soft device.  It takes descriptors
 * from the ring and from write(2), runs each through the model inside the
 * opener's address space, spins briefly after work and then sleeps until
 * a doorbell.  It touches that address space only while it holds a user
 * reference on it, so a dying process's memory is never reached after it
 * is torn down: once the reference cannot be had, work is discarded.
 *
 * Liveness: a pass runs at most DSA_SOFT_PASS_MAX descriptors and every
 * descriptor yields at each block it touches (dsa_soft_mem.c), so the
 * worker never holds its CPU for longer than a block.  Stopping sets
 * ->stopping and sends the worker SIGKILL (soft_stop_queue), which ends
 * the descriptor in flight, and a fault it waits on, within a block.
 *
 * The ring is user-writable: nothing read from it is trusted beyond "is
 * the slot at head the next descriptor".  A slot that is neither that nor
 * a later lap of the same slot (the honest overrun of a dedicated queue)
 * is empty, whatever it holds, and the worker sleeps on it; an overrun is
 * skipped in one step, not slot by slot, so no sequence number, however
 * large, buys the submitter more than one step of the worker's time.
 * A slot is claimed with a compare-and-swap of its sequence number (to
 * h + 1 with UACCE_SOFT_SEQ_CLAIMED set), against the submitter taking it
 * back: a claimed slot is never the next descriptor again, and a slot
 * taken back (or swapped under the worker's feet) is just no work.
 */
#include <linux/kthread.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>

#include "dsa_soft.h"

#define DSA_SOFT_SPIN_NS 50000 /* busy-poll this long after the last work */
#define DSA_SOFT_PASS_MAX 16 /* descriptors per address-space entry */
#define DSA_SOFT_RING_N UACCE_SOFT_RING_SLOTS

void dsa_soft_kick(struct dsa_soft_queue *sq)
{
	atomic_set(&sq->kick, 1);
	wake_up(&sq->wait);
}

static bool wfifo_take(struct dsa_soft_queue *sq, struct dsa_desc *out)
{
	bool got = false;

	spin_lock(&sq->wlock);
	if (sq->whead != sq->wtail) {
		*out = sq->wfifo[sq->whead % sq->wcap];
		sq->whead++;
		got = true;
	}
	spin_unlock(&sq->wlock);
	return got;
}

static u64 ring_seq(struct dsa_soft_queue *sq)
{
	return smp_load_acquire(&sq->ctl->seq[sq->head % DSA_SOFT_RING_N]);
}

/*
 * The slot at head holds s.  s == head + 1: the next descriptor.  A later
 * lap of the same slot (s - 1 = head + k * slots, k >= 1): the submitter
 * wrote past the queue's size, and every position up to s - 1 - slots was
 * overwritten: lost, as a posted write to a full dedicated queue is.
 * Anything else (stale, another slot's number, garbage) is no work.
 */
static bool ring_overrun(u64 h, u64 s)
{
	return s > h + 1 && s - (h + 1) < (1ull << 62) &&
	       (s - 1 - h) % DSA_SOFT_RING_N == 0;
}

static void ring_publish(struct dsa_soft_queue *sq, u64 h)
{
	sq->head = h;
	smp_store_release(&sq->ctl->head, h);
}

static bool ring_take(struct dsa_soft_queue *sq, struct dsa_desc *out)
{
	u64 h = sq->head, s = ring_seq(sq);

	if (ring_overrun(h, s)) {
		sq->dropped += s - DSA_SOFT_RING_N - h;
		h = s - DSA_SOFT_RING_N;
		ring_publish(sq, h);
		s = ring_seq(sq);
	}
	/* Claimed, not just read: the submitter may take back a slot the
	 * worker has not claimed (UACCE_DSA_SUBMIT_TAKE_BACK) by swapping
	 * h + 1 for 0, so exactly one of the two compare-and-swaps wins.
	 * The slots live in a kernel page, so this is no user access. */
	if (s != h + 1 || cmpxchg(&sq->ctl->seq[h % DSA_SOFT_RING_N], s,
				  s | UACCE_SOFT_SEQ_CLAIMED) != s)
		return false;
	memcpy(out, &sq->slots[h % DSA_SOFT_RING_N], sizeof(*out));
	ring_publish(sq, h + 1);
	return true;
}

static bool has_work(struct dsa_soft_queue *sq)
{
	u64 h = sq->head, s = ring_seq(sq);

	return READ_ONCE(sq->wtail) != READ_ONCE(sq->whead) || s == h + 1 ||
	       ring_overrun(h, s);
}

/* Bounded: a ring rewritten under us must not keep the discard going. */
static void discard_all(struct dsa_soft_queue *sq)
{
	unsigned int i = sq->wcap + 2 * DSA_SOFT_RING_N;
	struct dsa_desc d;

	while (i-- && (wfifo_take(sq, &d) || ring_take(sq, &d)))
		;
}

/* One pass: returns how many descriptors ran. */
static unsigned int run_pass(struct dsa_soft_queue *sq)
{
	struct mm_struct *mm = sq->uq->mm;
	unsigned int n = 0;
	bool notify = false;
	struct dsa_desc d;

	if (sq->aborted || !mmget_not_zero(mm)) {
		sq->mm_gone = true;
		discard_all(sq);
		return 0;
	}
	kthread_use_mm(mm);
	while (n < DSA_SOFT_PASS_MAX && !READ_ONCE(sq->stopping) &&
	       (wfifo_take(sq, &d) || ring_take(sq, &d))) {
		model_exec_desc(&sq->exec, &d);
		if (dsa_desc_flags(&d) & DSA_FLAG_RCI)
			notify = true;
		n++;
	}
	kthread_unuse_mm(mm);
	mmput(mm);
	if (n && !sq->aborted) {
		WRITE_ONCE(sq->ctl->completed, READ_ONCE(sq->ctl->completed) + n);
		uacce_queue_updated(sq->uq); /* poll() */
		if (notify || READ_ONCE(sq->ctl->waiters))
			uacce_queue_notify(sq->uq);
	}
	return n;
}

int dsa_soft_worker(void *arg)
{
	struct dsa_soft_queue *sq = arg;
	u64 idle_since = ktime_get_ns();

	/* soft_stop_queue() ends a fault we wait on with this one signal. */
	allow_signal(SIGKILL);
	while (!kthread_should_stop()) {
		cond_resched();
		if (!sq->mm_gone && !READ_ONCE(sq->stopping) && run_pass(sq)) {
			idle_since = ktime_get_ns();
			continue;
		}
		if (!sq->mm_gone && !READ_ONCE(sq->stopping) &&
		    ktime_get_ns() - idle_since < DSA_SOFT_SPIN_NS) {
			cpu_relax();
			continue;
		}
		/* Pairs with the submitter's fence between publishing a
		 * slot and reading worker_idle. */
		WRITE_ONCE(sq->ctl->worker_idle, 1);
		smp_mb();
		if (!sq->mm_gone && !READ_ONCE(sq->stopping) && has_work(sq)) {
			WRITE_ONCE(sq->ctl->worker_idle, 0);
			continue;
		}
		wait_event_idle(sq->wait, kthread_should_stop() ||
						  atomic_xchg(&sq->kick, 0));
		WRITE_ONCE(sq->ctl->worker_idle, 0);
		idle_since = ktime_get_ns();
	}
	return 0;
}
