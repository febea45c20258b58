// SPDX-License-Identifier: MIT
/*
 * A program that loads a copying library with dlopen() after start-up,
 * and copies before any library's constructor has run.
 *   pl_dlopen path/to/pl_dlopen_lib.so
 * Prints "dlopen: N passed, M failed"; exit status 0 when none failed.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "pl_check.h"

#define SZ (4u << 20)

static unsigned pl_passed, pl_failed;
static int early_ok;

/*
 * Runs before any shared library's constructor (the executable's
 * preinit_array), so before the preload has found the C library: its
 * built-in copy must serve.
 */
static void early_copy(void)
{
	static uint8_t a[1u << 20], b[1u << 20];

	pl_fill(a, 5, sizeof(a));
	memcpy(b, a, sizeof(b));
	memset(a, 0, sizeof(a));
	early_ok = !pl_holds(b, 5, 0, sizeof(b)) && !pl_all(a, 0, sizeof(a));
}
__attribute__((section(".preinit_array"), used)) static void (*early)(void) =
	early_copy;

int main(int argc, char **argv)
{
	int (*copy)(void *, const void *, size_t);
	uint8_t *a = malloc(SZ), *b = malloc(SZ);
	void *h;
	unsigned i;

	if (argc != 2 || !a || !b)
		return 2;
	PL_EXPECT(early_ok, "copy and fill before any constructor");
	h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "%s\n", dlerror());
		return 2;
	}
	*(void **)&copy = dlsym(h, "pl_dl_copy");
	if (!copy)
		return 2;
	for (i = 0; i < 4; i++) {
		pl_fill(a, i, SZ);
		PL_EXPECT(copy(b, a, SZ) == 0, "copy in the dlopen'ed library");
		PL_EXPECT(!pl_holds(b, i, 0, SZ), "what it copied");
	}
	dlclose(h);
	free(a);
	free(b);
	printf("dlopen: %u passed, %u failed\n", pl_passed, pl_failed);
	return pl_failed ? 1 : 0;
}
