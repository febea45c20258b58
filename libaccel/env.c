// SPDX-License-Identifier: MIT
/*
 * The environment variables the library reads.  A value that does not
 * parse is an error of the call that read it, with a message on stderr that
 * names the variable and its value: a typo must not quietly become 0, a
 * truncated number or a default (docs/api.md lists every variable).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

int accel_env_bad(const char *name, const char *value, const char *why)
{
	fprintf(stderr, "libaccel: %s=\"%s\": %s\n", name, value, why);
	return -EINVAL;
}

/*
 * Decimal digits and at most one binary suffix (K, M, G; either case):
 * no sign, blank, hex or octal prefix, fraction or trailing text, and
 * nothing that overflows size_t.  strtoull() accepts all of those.
 */
int accel_parse_size(const char *s, size_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	const char *p = s;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	switch (*p) {
	case '\0':
		break;
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	default:
		return -EINVAL;
	}
	if (shift && p[1])
		return -EINVAL;
	if (v > (UINT64_MAX >> shift) || (v << shift) > SIZE_MAX)
		return -ERANGE;
	*out = (size_t)(v << shift);
	return 0;
}

int accel_env_size(const char *name, size_t *out)
{
	const char *e = getenv(name);
	int rc;

	if (!e)
		return 0;
	rc = accel_parse_size(e, out);
	if (rc == -ERANGE)
		return accel_env_bad(name, e, "size too large");
	if (rc)
		return accel_env_bad(name, e,
				     "not a size (decimal bytes, optionally "
				     "followed by K, M or G)");
	return 0;
}
