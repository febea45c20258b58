// SPDX-License-Identifier: MIT
/*
 * What an SVA device sees of a process, simulated from inside it.
 *
 * A real DSA translates through the IOMMU: a page that is mapped but not
 * present (never touched, or reclaimed) faults, and with block-on-fault
 * clear the descriptor completes partially.  mincore() tells presence the
 * same way, without touching the page; MADV_POPULATE_READ/WRITE resolves a
 * fault as the OS would answer a page request, and refuses (no signal) an
 * address with no valid mapping or permission.  So a bad address in a
 * descriptor becomes a completion status, never a SIGSEGV.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

#define PG 4096ull
#define USER_TOP 0x00007ffffffff000ull /* 47-bit user space, last page */
#define VEC_PAGES 4096

/* 1: MADV_POPULATE_* works, 0: the kernel predates 5.14, -1: unknown. */
static _Atomic int populate_ok = -1;
/* Once: threads faulting at the same moment all probed the same page
 * (a data race TSan reported in check-threads). */
static pthread_once_t populate_once = PTHREAD_ONCE_INIT;

static void populate_detect(void)
{
	static char probe_page[4096] __attribute__((aligned(4096)));

	probe_page[0] = 1;
	populate_ok = madvise(probe_page, sizeof(probe_page),
			      MADV_POPULATE_READ) == 0;
}

/*
 * Resolve faults on [addr, addr + len) as the OS answers a page request.
 * EINVAL means no permission for the access (or a PFN mapping the device
 * could not use either); ENOMEM/EFAULT an address with no valid mapping.
 */
static int populate(uint64_t addr, uint64_t len, bool write)
{
	if (populate_ok < 0)
		pthread_once(&populate_once, populate_detect);
	if (!populate_ok) {
		/* Without it: touch by reading, which resolves read faults. */
		volatile const char *p = (const char *)(uintptr_t)addr;
		uint64_t i;

		if (write)
			return -EFAULT;
		for (i = 0; i < len; i += PG)
			(void)p[i];
		return 0;
	}
	if (madvise((void *)(uintptr_t)addr, len,
		    write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ) == 0)
		return 0;
	return -EFAULT;
}

/* Pages of [a, a + n pages) that populate, scanning one by one. */
static uint64_t populate_prefix(uint64_t a, uint64_t n, bool write)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		if (populate(a + i * PG, PG, write))
			break;
	return i;
}

/* Mapped prefix of [a, a + n pages), for mincore() that said ENOMEM. */
static uint64_t mapped_prefix(uint64_t a, uint64_t n, unsigned char *vec)
{
	uint64_t lo = 0, hi = n; /* answer in [lo, hi] */

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;

		if (mincore((void *)(uintptr_t)a, mid * PG, vec) == 0)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * Accessible prefix of one chunk of at most VEC_PAGES pages, starting at
 * page a.  Returns the count of good pages; *f says why it stopped.
 */
static uint64_t probe_chunk(uint64_t a, uint64_t n, bool write, bool block,
			    enum model_fault *f)
{
	unsigned char vec[VEC_PAGES];
	uint64_t i, good = n;

	if (mincore((void *)(uintptr_t)a, n * PG, vec)) {
		good = mapped_prefix(a, n, vec);
		*f = MODEL_FAULT_INVALID;
		if (good && mincore((void *)(uintptr_t)a, good * PG, vec))
			return 0;
	}
	for (i = 0; i < good; i++) {
		if (vec[i] & 1)
			continue;
		if (!block) {
			*f = MODEL_FAULT_NOT_PRESENT;
			return i;
		}
		/* Block on fault: the OS resolves the rest of the chunk. */
		if (populate(a + i * PG, (good - i) * PG, write))
			good = i + populate_prefix(a + i * PG, good - i, write);
		if (good < n)
			*f = MODEL_FAULT_INVALID;
		break;
	}
	/*
	 * A present page can still refuse the access (read-only, PROT_NONE);
	 * checking that here would cost as much as the copy, so the executor
	 * runs under a fault guard instead (accel_exec_guarded()).
	 */
	return good;
}

static size_t user_probe(struct model_mem *m, uint64_t addr, size_t len,
			 bool write, bool block, enum model_fault *f)
{
	uint64_t end = addr + len, pos = addr;

	(void)m;
	*f = MODEL_FAULT_NONE;
	if (len == 0)
		return 0;
	if (end < addr || end > USER_TOP)
		end = USER_TOP;
	if (addr >= end) {
		*f = MODEL_FAULT_INVALID;
		return 0;
	}
	while (pos < end) {
		uint64_t pa = pos & ~(PG - 1);
		uint64_t npg = (end - pa + PG - 1) / PG;
		uint64_t good;

		if (npg > VEC_PAGES)
			npg = VEC_PAGES;
		good = probe_chunk(pa, npg, write, block, f);
		if (good < npg) {
			uint64_t stop = pa + good * PG;

			return stop > addr ? stop - addr : 0;
		}
		pos = pa + npg * PG;
	}
	if (addr + len != end) {
		/* The tail runs past the top of user space. */
		*f = MODEL_FAULT_INVALID;
		return end - addr;
	}
	return len;
}

static size_t user_read(struct model_mem *m, void *dst, uint64_t src,
			size_t len, bool block, enum model_fault *f)
{
	size_t ok = user_probe(m, src, len, false, block, f);

	if (ok) /* not memcpy(dst, NULL, 0): undefined, and UBSan says so */
		memcpy(dst, (const void *)(uintptr_t)src, ok);
	return ok;
}

static size_t user_write(struct model_mem *m, uint64_t dst, const void *src,
			 size_t len, bool block, enum model_fault *f)
{
	size_t ok = user_probe(m, dst, len, true, block, f);

	if (ok)
		memcpy((void *)(uintptr_t)dst, src, ok);
	return ok;
}

/*
 * Pages this thread (the engine, or a cpu-backend submitter) has written
 * completion records to, direct-mapped by page number.  Records come from
 * few pages (ops on submitters' stacks, a batch's record array), so checking
 * the mapping costs a system call only when a record lands on a page not
 * seen lately.
 */
#define COMP_PAGES 64
static __thread uint64_t comp_pages[COMP_PAGES]; /* page number + 1 */

static bool comp_page_known(uint64_t pg)
{
	return comp_pages[pg % COMP_PAGES] == pg + 1;
}

/*
 * A record address with no valid mapping is refused before the store: the
 * store would fault into the guard just the same, but a store to an
 * unmapped address is what memory checkers (valgrind) report as an invalid
 * write, and it would hide real ones.  A page that is mapped but may not be
 * written still faults into the guard.  Pages are remembered only once
 * the probe passed, so an unmapped record page never enters the cache.
 */
static int user_write_comp(struct model_mem *m, uint64_t addr,
			   const struct dsa_comp *c)
{
	uint64_t first = addr / PG, last = (addr + sizeof(*c) - 1) / PG;
	enum model_fault f;

	if (!comp_page_known(first) || !comp_page_known(last)) {
		if (addr + sizeof(*c) < addr ||
		    user_probe(m, addr, sizeof(*c), true, true, &f) <
			    sizeof(*c))
			return -EFAULT;
		comp_pages[first % COMP_PAGES] = first + 1;
		comp_pages[last % COMP_PAGES] = last + 1;
	}
	return accel_guarded_write_comp(addr, c);
}

static void user_flush(struct model_mem *m, uint64_t addr, size_t len)
{
	uint64_t p = addr & ~63ull;

	(void)m;
	for (; p < addr + len; p += 64)
		__builtin_ia32_clflush((const void *)(uintptr_t)p);
	__builtin_ia32_mfence(); /* orders the flushes with later accesses */
}

static void user_copy(struct model_mem *m, void *dst, const void *src,
		      size_t len, bool cache)
{
	(void)m;
	if (!len) /* the model asks for 0 bytes at an address it refused */
		return;
	if (!cache && len >= accel_stream_min)
		accel_copy_stream(dst, src, len);
	else
		memcpy(dst, src, len);
}

static const struct model_mem_ops user_mem_ops = {
	.read = user_read,
	.write = user_write,
	.probe = user_probe,
	.write_comp = user_write_comp,
	.flush = user_flush,
	.copy = user_copy,
};

struct model_mem accel_user_mem = { .ops = &user_mem_ops };

int accel_touch(uint64_t addr, uint64_t len, bool write)
{
	enum model_fault f;

	/*
	 * Bring in the rest of the buffer at once rather than one page per
	 * resubmission; only the faulting byte itself must be valid.
	 */
	if (len > 1 && populate(addr & ~(PG - 1), len + (addr & (PG - 1)),
				write) == 0)
		return 0;
	if (user_probe(&accel_user_mem, addr, 1, write, true, &f) < 1)
		return -EFAULT;
	return 0;
}
