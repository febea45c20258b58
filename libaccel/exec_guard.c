// SPDX-License-Identifier: MIT
/*
 * A fault guard around the in-process device model.
 *
 * The simulated IO page table (mem_user.c) answers "present?" exactly and
 * cheaply, but not "may this present page be written?" (a read-only or
 * PROT_NONE mapping): asking the kernel costs as much as the copy itself.
 * A real device would get a translation fault there and report it in the
 * completion record.  So the model runs under a SIGSEGV/SIGBUS guard: a
 * fault inside it ends the descriptor with the fault status instead of
 * killing the process.  Faults anywhere else go to the handler that was
 * installed before ours, or to the default action.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include "internal.h"

static struct sigaction prev_segv, prev_bus;
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;

static __thread sigjmp_buf *guard_jmp;
static __thread uint64_t guard_addr;
static __thread bool guard_write;

static void chain(int sig, siginfo_t *si, void *uc)
{
	struct sigaction *prev = sig == SIGSEGV ? &prev_segv : &prev_bus;

	if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction) {
		prev->sa_sigaction(sig, si, uc);
		return;
	}
	if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
		prev->sa_handler(sig);
		return;
	}
	/* Re-run the faulting instruction under the default action. */
	signal(sig, SIG_DFL);
}

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
	sigjmp_buf *jb = guard_jmp;

	if (!jb) {
		chain(sig, si, ucv);
		return;
	}
	guard_jmp = NULL;
	guard_addr = (uint64_t)(uintptr_t)si->si_addr;
#ifdef REG_ERR
	{
		ucontext_t *uc = ucv;

		/* x86 page-fault error code: bit 1 set for a write. */
		guard_write = uc->uc_mcontext.gregs[REG_ERR] & 2;
	}
#else
	guard_write = false;
#endif
	siglongjmp(*jb, 1);
}

static void guard_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &prev_segv);
	sigaction(SIGBUS, &sa, &prev_bus);
}

void accel_guard_init(void)
{
	pthread_once(&guard_once, guard_install);
}

/*
 * The device's own store of a completion record.  It is made directly: the
 * kernel brings in a page that is not present, as the OS answers the
 * device's page request for its record, and an address that cannot be
 * written (unmapped, read-only) comes back as -EFAULT, for the model to
 * report as its software error, rather than as a fault of the descriptor.
 * Cheaper than asking the kernel first: a system call per record was most
 * of a small descriptor's time on the twin.
 */
int accel_guarded_write_comp(uint64_t addr, const struct dsa_comp *c)
{
	struct dsa_comp *out = (struct dsa_comp *)(uintptr_t)addr;
	sigjmp_buf jb, *outer = guard_jmp;

	if (sigsetjmp(jb, 0)) {
		guard_jmp = outer;
		return -EFAULT;
	}
	guard_jmp = &jb;
	/* The status byte last, with release: a poller never sees a half
	 * written record. */
	memcpy((uint8_t *)out + 1, (const uint8_t *)c + 1, sizeof(*c) - 1);
	__atomic_store_n(&out->status, c->status, __ATOMIC_RELEASE);
	guard_jmp = outer;
	return 0;
}

uint8_t accel_exec_guarded(struct model_exec *x, const struct dsa_desc *d)
{
	sigjmp_buf jb;
	struct dsa_comp c;

	if (sigsetjmp(jb, 0) == 0) {
		uint8_t st;

		guard_jmp = &jb;
		st = model_exec_desc(x, d);
		guard_jmp = NULL;
		return st;
	}
	/* The model faulted on a present page it may not access. */
	memset(&c, 0, sizeof(c));
	c.status = ((dsa_desc_flags(d) & DSA_FLAG_BOF) ?
			    DSA_COMP_PAGE_FAULT_IR :
			    DSA_COMP_PAGE_FAULT_NOBOF) |
		   (guard_write ? DSA_COMP_STATUS_WRITE : 0);
	if (dsa_desc_opcode(d) == DSA_OP_BATCH)
		c.status = DSA_COMP_BATCH_FAIL;
	c.fault_addr = guard_addr;
	if ((dsa_desc_flags(d) & DSA_FLAG_CRAV) &&
	    sigsetjmp(jb, 0) == 0) {
		guard_jmp = &jb;
		if (x->mem->ops->write_comp(x->mem, d->completion_addr, &c)) {
			x->swerr_addr = d->completion_addr;
			x->swerr_status = DSA_COMP_CRA_XLAT;
			x->swerr_valid = 1;
		}
	}
	guard_jmp = NULL;
	return c.status;
}

/*
 * Plain CPU work on the caller's buffers under the same guard: the calling
 * CPU's share of a split copy (split_copy.c), which must answer a bad
 * pointer as the device's share does, with -EFAULT, not a signal.  What
 * fn wrote before the fault stays written, as after a partial completion.
 */
int accel_guarded_run(void (*fn)(void *arg), void *arg)
{
	sigjmp_buf jb, *outer = guard_jmp;

	accel_guard_init();
	if (sigsetjmp(jb, 0)) {
		guard_jmp = outer;
		return -EFAULT;
	}
	guard_jmp = &jb;
	fn(arg);
	guard_jmp = outer;
	return 0;
}
