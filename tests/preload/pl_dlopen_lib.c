// SPDX-License-Identifier: MIT
/* A library loaded with dlopen() that copies: its memcpy is the preload's. */
#include <stdint.h>
#include <string.h>

int pl_dl_copy(void *dst, const void *src, size_t n);
int pl_dl_copy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
	return memcmp(dst, src, n);
}
