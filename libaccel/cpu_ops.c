// SPDX-License-Identifier: MIT
/*
 * The CPU paths of the synchronous calls: small work the calling thread does
 * itself.  They keep the device's promise about bad pointers: a NULL or
 * unmapped buffer is -EFAULT and the process goes on.  NULL is answered
 * before any access (passing it to memcpy is undefined even when the length
 * is 0); any other bad address faults inside the guard of exec_guard.c.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

struct cpu_job {
	void *dst;
	const void *a, *b; /* sources; for fill, the pattern */
	size_t n;
	unsigned plen;
	uint32_t seed;
	uint32_t *crc;
	size_t *at;
	int result; /* compare: 0 equal, 1 different */
};

static void memmove_run(void *arg)
{
	struct cpu_job *j = arg;

	memmove(j->dst, j->a, j->n);
}

int accel_cpu_memmove(void *dst, const void *src, size_t n)
{
	struct cpu_job j = { .dst = dst, .a = src, .n = n };

	if (!n)
		return 0;
	if (!dst || !src)
		return -EFAULT;
	return accel_guarded_run(memmove_run, &j);
}

/* Past $ACCEL_STREAM_MIN, to memory rather than the cache (copy_stream.c). */
static void copy_run(void *arg)
{
	struct cpu_job *j = arg;

	if (j->n >= accel_stream_min)
		accel_copy_stream(j->dst, j->a, j->n);
	else
		memcpy(j->dst, j->a, j->n);
}

int accel_cpu_copy(void *dst, const void *src, size_t n)
{
	struct cpu_job j = { .dst = dst, .a = src, .n = n };

	if (!n)
		return 0;
	if (!dst || !src)
		return -EFAULT;
	return accel_guarded_run(copy_run, &j);
}

/* The first 64 bytes from the pattern, then doubling copies of them. */
static void fill_run(void *arg)
{
	struct cpu_job *j = arg;
	const uint8_t *pat = j->a;
	uint8_t *d = j->dst;
	size_t i, n = j->n;

	for (i = 0; i < n && i < 64; i++)
		d[i] = pat[i % j->plen];
	while (i < n) {
		size_t c = i < n - i ? i : n - i;

		memcpy(d + i, d, c);
		i += c;
	}
}

int accel_cpu_fill(void *dst, const void *pattern, unsigned plen, size_t n)
{
	struct cpu_job j = { .dst = dst, .a = pattern, .n = n, .plen = plen };

	if (!n)
		return 0;
	if (!dst || !pattern)
		return -EFAULT;
	return accel_guarded_run(fill_run, &j);
}

static void compare_run(void *arg)
{
	struct cpu_job *j = arg;
	const uint8_t *a = j->a, *b = j->b;
	size_t i = 0, n = j->n;

	while (i < n) {
		size_t c = n - i < 256 ? n - i : 256;

		if (memcmp(a + i, b + i, c)) {
			while (a[i] == b[i])
				i++;
			break;
		}
		i += c;
	}
	if (j->at)
		*j->at = i;
	j->result = i < n;
}

int accel_cpu_compare(const void *a, const void *b, size_t n,
		      size_t *differ_at)
{
	struct cpu_job j = { .a = a, .b = b, .n = n, .at = differ_at };
	int rc;

	if (n && (!a || !b))
		return -EFAULT;
	rc = accel_guarded_run(compare_run, &j);
	return rc ? rc : j.result;
}

static void crc_run(void *arg)
{
	struct cpu_job *j = arg;

	*j->crc = model_crc32c(j->seed, j->a, j->n);
}

int accel_cpu_crc32c(const void *src, size_t n, uint32_t seed, uint32_t *crc)
{
	struct cpu_job j = { .a = src, .n = n, .seed = seed, .crc = crc };

	if (!crc || (n && !src))
		return -EFAULT;
	return accel_guarded_run(crc_run, &j);
}
