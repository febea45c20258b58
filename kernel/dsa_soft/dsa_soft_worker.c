// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A queue's worker: the "engine" of the soft device.  It takes descriptors
 * from the ring and from write(2), runs each through the model inside the
 * opener's address space, spins briefly after work and then sleeps until
 * a doorbell.  It touches that address space only while it holds a user
 * reference on it, so a dying process's memory is never reached after it
 * is torn down: once the reference cannot be had, work is discarded.
 */
#include <linux/kthread.h>
#include <linux/sched/mm.h>
#include <linux/timekeeping.h>

#include "dsa_soft.h"

#define DSA_SOFT_SPIN_NS 50000 /* busy-poll this long after the last work */
#define DSA_SOFT_PASS_MAX 16 /* descriptors per address-space entry */

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

/*
 * The slot at head is ours when its sequence says so.  A later sequence
 * means the submitter wrote past the queue's size and overwrote it: the
 * descriptor is lost, as a posted write to a full dedicated queue is.
 */
static bool ring_take(struct dsa_soft_queue *sq, struct dsa_desc *out)
{
	u64 h = sq->head;
	u32 i = h % UACCE_SOFT_RING_SLOTS;
	u64 s = smp_load_acquire(&sq->ctl->seq[i]);

	if (s == h + 1) {
		memcpy(out, &sq->slots[i], sizeof(*out));
		sq->head = h + 1;
		smp_store_release(&sq->ctl->head, h + 1);
		return true;
	}
	if (s > h + 1 && s - (h + 1) < (1ull << 62)) {
		sq->dropped++;
		sq->head = h + 1;
		smp_store_release(&sq->ctl->head, h + 1);
	}
	return false;
}

static bool has_work(struct dsa_soft_queue *sq)
{
	u64 s = smp_load_acquire(
		&sq->ctl->seq[sq->head % UACCE_SOFT_RING_SLOTS]);

	return READ_ONCE(sq->wtail) != READ_ONCE(sq->whead) ||
	       s - (sq->head + 1) < (1ull << 62);
}

static void discard_all(struct dsa_soft_queue *sq)
{
	struct dsa_desc d;

	while (wfifo_take(sq, &d) || ring_take(sq, &d))
		;
}

/* One pass: returns how many descriptors ran. */
static unsigned int run_pass(struct dsa_soft_queue *sq)
{
	struct mm_struct *mm = sq->uq->mm;
	unsigned int n = 0;
	bool notify = false;
	struct dsa_desc d;

	if (!mmget_not_zero(mm)) {
		sq->mm_gone = true;
		discard_all(sq);
		return 0;
	}
	kthread_use_mm(mm);
	while (n < DSA_SOFT_PASS_MAX &&
	       (wfifo_take(sq, &d) || ring_take(sq, &d))) {
		model_exec_desc(&sq->exec, &d);
		if (dsa_desc_flags(&d) & DSA_FLAG_RCI)
			notify = true;
		n++;
	}
	kthread_unuse_mm(mm);
	mmput(mm);
	if (n) {
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

	while (!kthread_should_stop()) {
		if (!sq->mm_gone && run_pass(sq)) {
			idle_since = ktime_get_ns();
			cond_resched();
			continue;
		}
		if (!sq->mm_gone &&
		    ktime_get_ns() - idle_since < DSA_SOFT_SPIN_NS) {
			cpu_relax();
			cond_resched();
			continue;
		}
		/* Pairs with the submitter's fence between publishing a
		 * slot and reading worker_idle. */
		WRITE_ONCE(sq->ctl->worker_idle, 1);
		smp_mb();
		if (!sq->mm_gone && has_work(sq)) {
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
