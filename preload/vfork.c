// SPDX-License-Identifier: MIT
/*
 * vfork().  The child runs in its parent's memory, on its parent's stack
 * and thread-local storage, until it execs or exits; POSIX allows it
 * nothing else, yet programs copy there (building an argument vector, say).
 * Through libaccel such a copy would use, and change, the parent's
 * context, queue and statistics from another process, and a first call
 * would even open the device with malloc in the child.  So the child is
 * marked (pl_tls_vfork, in the shared thread-local storage): its large
 * calls go to the C library, counted "fallback-vfork" in the parent's
 * statistics (the counters are the parent's memory), and an exec there
 * reports nothing (exec.c): the parent reports them at its exit.
 *
 * The wrapper cannot be C: the child returns from it and reuses its stack
 * frame before the parent does.  As glibc's own vfork, it keeps the
 * return address in a register (each process has its own), not on the
 * stack, across the system call.  The parent clears the mark when the
 * kernel lets it run again, i.e. when the child is gone or has exec'd.
 * posix_spawn() needs none of this: glibc's child there calls only
 * glibc's internal functions, never the preload.
 */
#include <errno.h>

#include "preload.h"

__thread unsigned pl_tls_vfork;

/* The parent's error path, in C: errno from the system call's answer. */
PL_HIDDEN int pl_vfork_failed(int err);
int pl_vfork_failed(int err)
{
	errno = err;
	return -1;
}

/* x86-64 Linux: SYS_vfork is 58; syscall clobbers rax, rcx and r11 only. */
__asm__(".text\n"
	".globl vfork\n"
	".type vfork, @function\n"
	".globl __vfork\n"
	".type __vfork, @function\n"
	"vfork:\n"
	"__vfork:\n"
	"	endbr64\n"
	"	popq %rdi\n" /* the return address, out of the shared stack */
	"	movq pl_tls_vfork@gottpoff(%rip), %rcx\n"
	"	incl %fs:(%rcx)\n"
	"	movl $58, %eax\n"
	"	syscall\n"
	"	pushq %rdi\n"
	"	testq %rax, %rax\n"
	"	jz 1f\n" /* the child: 0, marked */
	"	movq pl_tls_vfork@gottpoff(%rip), %rcx\n"
	"	decl %fs:(%rcx)\n" /* the parent, running again: unmarked */
	"	cmpq $-4095, %rax\n"
	"	jae 2f\n"
	"1:	ret\n"
	"2:	negl %eax\n"
	"	movl %eax, %edi\n"
	"	jmp pl_vfork_failed\n"
	".size vfork, .-vfork\n"
	".size __vfork, .-__vfork\n");
