// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The model's view of memory in the kernel: the opener's user addresses,
 * reached from the worker after kthread_use_mm().  Without block-on-fault
 * the copies run with page faults disabled, so a page that is not present
 * stops the operation exactly as it would stop a device that may not wait
 * for the OS; with it, the fault is taken and resolved.  Copies go a page
 * at a time so that a fault is reported at the first byte of the page that
 * could not be reached, never somewhere inside a page that could.
 */
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "dsa_soft.h"

static size_t soft_chunk(u64 addr, size_t left)
{
	return min_t(size_t, left, PAGE_SIZE - offset_in_page(addr));
}

static size_t soft_read(struct model_mem *m, void *dst, uint64_t src,
			size_t len, bool block, enum model_fault *fault)
{
	size_t done = 0;

	while (done < len) {
		void __user *p = (void __user *)(uintptr_t)(src + done);
		size_t c = soft_chunk(src + done, len - done);
		unsigned long left;

		if (!access_ok(p, c)) {
			*fault = MODEL_FAULT_INVALID;
			break;
		}
		if (block) {
			left = copy_from_user((u8 *)dst + done, p, c);
		} else {
			pagefault_disable();
			left = __copy_from_user_inatomic((u8 *)dst + done, p, c);
			pagefault_enable();
		}
		if (left) {
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
	size_t done = 0;

	while (done < len) {
		void __user *p = (void __user *)(uintptr_t)(dst + done);
		size_t c = soft_chunk(dst + done, len - done);
		unsigned long left;

		if (!access_ok(p, c)) {
			*fault = MODEL_FAULT_INVALID;
			break;
		}
		if (block) {
			left = copy_to_user(p, (const u8 *)src + done, c);
		} else {
			pagefault_disable();
			left = __copy_to_user_inatomic(p, (const u8 *)src + done,
						       c);
			pagefault_enable();
		}
		if (left) {
			*fault = block ? MODEL_FAULT_INVALID :
					 MODEL_FAULT_NOT_PRESENT;
			break;
		}
		done += c;
	}
	return done;
}

/* The device resolves faults on its completion record; status last. */
static int soft_write_comp(struct model_mem *m, uint64_t addr,
			   const struct dsa_comp *c)
{
	u8 __user *p = (u8 __user *)(uintptr_t)addr;

	if (!access_ok(p, sizeof(*c)))
		return -EFAULT;
	if (copy_to_user(p + 1, (const u8 *)c + 1, sizeof(*c) - 1))
		return -EFAULT;
	smp_wmb();
	if (put_user(c->status, p))
		return -EFAULT;
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
