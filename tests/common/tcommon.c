// SPDX-License-Identifier: MIT
#include "tcommon.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define MAX_BACKENDS 8

static char names_buf[256];
static const char *names[MAX_BACKENDS];
static int nnames = -1;

static void parse_backends(void)
{
	const char *env = getenv("ACCEL_TEST_BACKENDS");
	char *save = NULL, *tok;

	snprintf(names_buf, sizeof(names_buf), "%s",
		 env && *env ? env : "emul cpu");
	nnames = 0;
	for (tok = strtok_r(names_buf, " ,", &save);
	     tok && nnames < MAX_BACKENDS; tok = strtok_r(NULL, " ,", &save))
		names[nnames++] = tok;
}

int tb_count(void)
{
	if (nnames < 0)
		parse_backends();
	return nnames;
}

const char *tb_name(int i)
{
	return i < tb_count() ? names[i] : "?";
}

struct accel_ctx *tb_open_opts(int i, struct accel_opts *o)
{
	struct accel_ctx *c = NULL;
	int rc;

	o->backend = tb_name(i);
	/* A named uacce device (e.g. one queue of dsa_pci) instead of the
	 * first one found. */
	if (!o->device && !strcmp(o->backend, "uacce"))
		o->device = getenv("ACCEL_TEST_DEVICE");
	rc = accel_open_opts(&c, o);
	cr_assert_eq(rc, 0, "backend %s: open failed: %s", tb_name(i),
		     accel_strerror(rc));
	cr_assert_str_eq(accel_backend_name(c), tb_name(i));
	return c;
}

struct accel_ctx *tb_open(int i)
{
	struct accel_opts o = { .numa_node = -1 };

	return tb_open_opts(i, &o);
}

void *tb_pages(size_t npages)
{
	void *p = mmap(NULL, npages * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	cr_assert_neq(p, MAP_FAILED, "mmap %zu pages", npages);
	return p;
}

void tb_pages_free(void *p, size_t npages)
{
	munmap(p, npages * 4096);
}

/*
 * Present, and kept present: a device without block-on-fault reports a
 * page fault on a page that is not present at that moment, and a
 * transparent huge page collapse or split (khugepaged, which Debian's
 * kernels run on every anonymous mapping) leaves the range not present
 * for a moment, as a real device would see it too.  Tests that expect an
 * exact status keep their buffers out of huge pages (the failure seen:
 * a page fault on a just-written DIF source in the 6.1 guest; the race
 * itself is tests/hw/guest/hw_fault.c).
 */
void tb_touch(void *p, size_t len)
{
	volatile char *c = p;
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)4095;
	size_t i;

	if (len)
		madvise((void *)a,
			((uintptr_t)p + len - a + 4095) & ~(uintptr_t)4095,
			MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += 4096)
		c[i] = c[i];
	if (len)
		c[len - 1] = c[len - 1];
}

void *tb_unmapped(size_t npages)
{
	/*
	 * Far below where mmap places things on its own: a hole next to
	 * ordinary mappings could be reused by the next mmap (a backend's
	 * queue regions, say) and stop being unmapped.
	 */
	static uintptr_t next = 0x6f0000000000ull;
	void *p = mmap((void *)next, npages * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	cr_assert_neq(p, MAP_FAILED, "reserve a range to unmap");
	next += (npages + 1) * 4096;
	munmap(p, npages * 4096);
	return p;
}

void tb_desc(struct dsa_desc *d, uint8_t op, uint32_t flags, void *src,
	     void *dst, uint32_t n)
{
	memset(d, 0, sizeof(*d));
	d->op_flags = dsa_op_flags(op, flags);
	d->src = (uintptr_t)src;
	d->dst = (uintptr_t)dst;
	d->size = n;
}

uint8_t tb_run_raw_as_is(struct accel_ctx *c, const struct dsa_desc *d,
			 volatile struct dsa_comp *comp)
{
	struct timespec t0, t;
	int rc;

	while ((rc = accel_submit_raw(c, d)) == -EAGAIN)
		;
	cr_assert_eq(rc, 0, "submit_raw: %s", accel_strerror(rc));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!__atomic_load_n(&comp->status, __ATOMIC_ACQUIRE)) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		cr_assert_lt(t.tv_sec - t0.tv_sec, 10,
			     "no completion record after 10 s (opcode %#x)",
			     dsa_desc_opcode(d));
	}
	return comp->status;
}

uint8_t tb_run_raw(struct accel_ctx *c, struct dsa_desc *d,
		   struct dsa_comp *comp)
{
	memset(comp, 0, sizeof(*comp));
	d->op_flags |= DSA_FLAG_CRAV | DSA_FLAG_RCR;
	d->completion_addr = (uintptr_t)comp;
	return tb_run_raw_as_is(c, d, comp);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

void tb_seed(uint64_t s)
{
	rng_state = s ? s : 1;
}

uint64_t tb_rand(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

size_t tb_rand_size(size_t max)
{
	/* Half the draws small (<= 256), the rest anywhere up to max. */
	size_t lim = (tb_rand() & 1) && max > 256 ? 256 : max;

	return 1 + tb_rand() % lim;
}

void tb_fill_random(void *p, size_t n)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)tb_rand();
}

uint32_t ref_crc32c(uint32_t seed, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	uint32_t c = ~seed;
	int k;

	while (n--) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1)));
	}
	return ~c;
}
