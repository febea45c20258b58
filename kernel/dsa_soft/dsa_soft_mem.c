// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The model's view of memory in the kernel: the opener's user addresses,
 * reached from the worker after kthread_use_mm().  Without block-on-fault
 * the copies run with page faults disabled, so a page that is not present
 * stops the operation exactly as it would stop a device that may not wait
 * for the OS; with it, the fault is taken and resolved.  Copies go a page
 * at a time so that a fault is reported at the first byte of the page that
 * could not be reached, never somewhere inside a page that could.
 *
 * Every access is also where the worker yields and where it gives up.  The
 * model's loops (operations, batch members) all go through here at least
 * once a bounce buffer (4 KiB), so one descriptor, however large, is
 * preemptible at block granularity, as a device is, and a queue being
 * stopped ends its work within a block.  A fault the worker waits on is
 * ended by the SIGKILL that soft_stop_queue() sends it (the worker allows
 * that one signal): the kernel's fault path gives up on a fatal signal,
 * so a userfaultfd page nobody resolves, or a page-cache read that waits
 * killably, cannot hold a closing queue.  Work given up is not reported:
 * no completion record is written, as for a descriptor a device's abort
 * abandoned (the kernel's idxd driver, idxd_dma_complete_txd() in
 * drivers/dma/idxd/dma.c, reads a record still 0 after an abort as
 * DMA_TRANS_ABORTED).
 */
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "dsa_soft.h"

static struct dsa_soft_queue *mem_queue(struct model_mem *m)
{
	return container_of(m, struct dsa_soft_queue, mem);
}

/*
 * A reschedule point, then true when the work must be given up: the queue
 * is stopping (release, PUT_Q, removal), the worker was told to drop a
 * fault, or nobody but the worker uses the address space any more (its
 * process exited or exec'd while the file lives on elsewhere).
 */
static bool soft_abandon(struct dsa_soft_queue *sq)
{
	cond_resched();
	if (READ_ONCE(sq->stopping) || fatal_signal_pending(current) ||
	    atomic_read(&sq->uq->mm->mm_users) <= 1)
		sq->aborted = true;
	return sq->aborted;
}

static size_t soft_chunk(u64 addr, size_t left)
{
	return min_t(size_t, left, PAGE_SIZE - offset_in_page(addr));
}

/* One chunk, faults disabled first; returns the bytes not copied. */
static unsigned long soft_copy_in(void *dst, const void __user *p, size_t c,
				  bool block)
{
	unsigned long left;

	pagefault_disable();
	left = __copy_from_user_inatomic(dst, p, c);
	pagefault_enable();
	if (left && block)
		left = copy_from_user(dst, p, c);
	return left;
}

static unsigned long soft_copy_out(void __user *p, const void *src, size_t c,
				   bool block)
{
	unsigned long left;

	pagefault_disable();
	left = __copy_to_user_inatomic(p, src, c);
	pagefault_enable();
	if (left && block)
		left = copy_to_user(p, src, c);
	return left;
}

static size_t soft_read(struct model_mem *m, void *dst, uint64_t src,
			size_t len, bool block, enum model_fault *fault)
{
	struct dsa_soft_queue *sq = mem_queue(m);
	size_t done = 0;

	while (done < len) {
		void __user *p = (void __user *)(uintptr_t)(src + done);
		size_t c = soft_chunk(src + done, len - done);

		if (soft_abandon(sq) || !access_ok(p, c)) {
			*fault = MODEL_FAULT_INVALID;
			break;
		}
		if (soft_copy_in((u8 *)dst + done, p, c, block)) {
			*fault = block ? MODEL_FAULT_INVALID :
					 MODEL_FAULT_NOT_PRESENT;
			break;
		}
		done += c;
	}
	return done;
}

static size_t soft_write(struct model_mem *m, uint64_t dst, const void *src,
			 size_t len, bool block, enum model_fault *fault)
{
	struct dsa_soft_queue *sq = mem_queue(m);
	size_t done = 0;

	while (done < len) {
		void __user *p = (void __user *)(uintptr_t)(dst + done);
		size_t c = soft_chunk(dst + done, len - done);

		if (soft_abandon(sq) || !access_ok(p, c)) {
			*fault = MODEL_FAULT_INVALID;
			break;
		}
		if (soft_copy_out(p, (const u8 *)src + done, c, block)) {
			*fault = block ? MODEL_FAULT_INVALID :
					 MODEL_FAULT_NOT_PRESENT;
			break;
		}
		done += c;
	}
	return done;
}

/*
 * The device resolves faults on its completion record; status last.  An
 * abandoned descriptor gets no record (0: nothing for SWERR either).
 */
static int soft_write_comp(struct model_mem *m, uint64_t addr,
			   const struct dsa_comp *c)
{
	struct dsa_soft_queue *sq = mem_queue(m);
	u8 __user *p = (u8 __user *)(uintptr_t)addr;

	if (soft_abandon(sq))
		return 0;
	if (!access_ok(p, sizeof(*c)))
		return -EFAULT;
	if (soft_copy_out(p + 1, (const u8 *)c + 1, sizeof(*c) - 1, true))
		return soft_abandon(sq) ? 0 : -EFAULT;
	smp_wmb();
	if (soft_abandon(sq))
		return 0;
	if (soft_copy_out(p, &c->status, 1, true))
		return soft_abandon(sq) ? 0 : -EFAULT;
	return 0;
}

/*
 * No probe (every access is a bounce copy through the executor's buffer)
 * and no flush: a cache flush of user lines from the worker is not worth
 * the SMAP dance for a device whose writes land in the cache anyway.
 */
const struct model_mem_ops dsa_soft_mem_ops = {
	.read = soft_read,
	.write = soft_write,
	.write_comp = soft_write_comp,
};
