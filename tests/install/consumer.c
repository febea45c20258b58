// SPDX-License-Identifier: MIT
/*
 * A program built the way a user builds one: only the installed headers,
 * pkg-config's flags and the shared library.  Compiled as C11 and as C++,
 * with and without the inline memcpy, so the public header stays usable by
 * both and the inline fast path keeps matching the library it inlines.
 */
#ifdef CONSUMER_NEW_PATH
#include <accel/accel.h>
#else
#include <accel.h> /* the old path: a forwarding header */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIG (3u << 20)

static int fail(const char *what, int rc)
{
	fprintf(stderr, "consumer: %s: %s\n", what, accel_strerror(rc));
	return 1;
}

int main(void)
{
	unsigned char *a = (unsigned char *)malloc(BIG);
	unsigned char *b = (unsigned char *)calloc(1, BIG);
	struct accel_ctx *c;
	uint32_t crc = 0;
	int rc;

	if (!a || !b)
		return 1;
	for (unsigned i = 0; i < BIG; i++)
		a[i] = (unsigned char)(i * 13 + 7);
	if ((rc = accel_open(&c, "emul")))
		return fail("accel_open", rc);
	if ((rc = accel_memcpy(c, b, a, 200)) ||
	    accel_last_path(c) != ACCEL_PATH_CPU || memcmp(a, b, 200))
		return fail("small copy", rc ? rc : -EIO);
	if ((rc = accel_memcpy(c, b, a, BIG)) ||
	    accel_last_path(c) == ACCEL_PATH_CPU || memcmp(a, b, BIG))
		return fail("large copy", rc ? rc : -EIO);
	if ((rc = accel_crc32c(c, "123456789", 9, 0, &crc)) ||
	    crc != 0xE3069283u)
		return fail("crc32c", rc ? rc : -EIO);
	accel_close(c);
	free(a);
	free(b);
	printf("consumer: ok (%s)\n", accel_path_name(ACCEL_PATH_SPLIT));
	return 0;
}
