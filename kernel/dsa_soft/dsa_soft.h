/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The software DSA device: queues whose descriptors run in a kernel worker
 * inside the opener's address space, through the same model as libaccel's
 * emul backend.
 */
#ifndef UACCEL_DSA_SOFT_H
#define UACCEL_DSA_SOFT_H

#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "model.h"
#include "uacce_drv.h"

struct dsa_soft_dev {
	struct platform_device *pdev;
	struct uacce_device *uacce;
	atomic_t queues; /* open */
	u32 max_queues;
};

struct dsa_soft_queue {
	struct uacce_queue *uq;
	struct dsa_soft_dev *sd;
	struct page *mmio_page; /* descriptor slots */
	struct page *dus_page; /* struct uacce_soft_ctl */
	struct dsa_desc *slots;
	struct uacce_soft_ctl *ctl;
	u64 head; /* the worker's own copy: ctl->head is user-writable */

	/* Descriptors that came by write(2). */
	spinlock_t wlock;
	struct dsa_desc *wfifo;
	u64 whead, wtail;
	u32 wcap;

	struct task_struct *worker;
	wait_queue_head_t wait;
	atomic_t kick;
	bool mm_gone; /* the opener's address space is gone: discard */
	bool stopping; /* stop asked: give up work in flight, run no more */
	bool aborted; /* the worker gave up (dsa_soft_mem.c): no records */
	u64 dropped; /* ring slots overwritten before they were taken */

	struct model_mem mem;
	struct model_exec exec;
	u8 *bounce;
};

extern const struct uacce_ops dsa_soft_ops;
extern const struct model_mem_ops dsa_soft_mem_ops;

int dsa_soft_worker(void *arg);
void dsa_soft_kick(struct dsa_soft_queue *sq);

#endif /* UACCEL_DSA_SOFT_H */
