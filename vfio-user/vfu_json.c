// SPDX-License-Identifier: MIT
/*
 * The version message's JSON ("VFIO_USER_VERSION", version data): parsed
 * just enough to validate it (RFC 8259 grammar, bounded nesting, no
 * allocation) and to read the numbers of the "capabilities" object.
 * Unknown members are skipped; anything malformed is -EINVAL.
 */
#include "vfu_internal.h"

#include <errno.h>

#define VFU_JSON_DEPTH 8

struct vfu_json {
	const char *p, *end;
	struct vfu_caps *caps;
};

static void ws(struct vfu_json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
				 *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool lit(struct vfu_json *j, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, s, n))
		return false;
	j->p += n;
	return true;
}

/* A string; its raw body (escapes not decoded) in *s, *n. */
static int string(struct vfu_json *j, const char **s, size_t *n)
{
	if (j->p >= j->end || *j->p != '"')
		return -EINVAL;
	*s = ++j->p;
	while (j->p < j->end && *j->p != '"') {
		if ((unsigned char)*j->p < 0x20)
			return -EINVAL;
		if (*j->p == '\\') {
			j->p++;
			if (j->p >= j->end)
				return -EINVAL;
			if (*j->p == 'u') {
				int k;

				for (k = 0; k < 4; k++) {
					j->p++;
					if (j->p >= j->end ||
					    !strchr("0123456789abcdefABCDEF", *j->p) ||
					    !*j->p)
						return -EINVAL;
				}
			} else if (!strchr("\"\\/bfnrt", *j->p) || !*j->p) {
				return -EINVAL;
			}
		}
		j->p++;
	}
	if (j->p >= j->end)
		return -EINVAL;
	*n = (size_t)(j->p - *s);
	j->p++;
	return 0;
}

/* A number; *v its value when it is a non-negative integer that fits. */
static int number(struct vfu_json *j, uint64_t *v, bool *is_uint)
{
	const char *start = j->p;
	bool frac = false;

	*v = 0;
	*is_uint = true;
	if (j->p < j->end && *j->p == '-') {
		*is_uint = false;
		j->p++;
	}
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return -EINVAL;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		unsigned int dgt = (unsigned int)(*j->p - '0');

		if (*v > (UINT64_MAX - dgt) / 10)
			*is_uint = false;
		else
			*v = *v * 10 + dgt;
		j->p++;
	}
	if (j->p < j->end && *j->p == '.') {
		frac = true;
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return -EINVAL;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		frac = true;
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return -EINVAL;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (frac)
		*is_uint = false;
	return j->p > start ? 0 : -EINVAL;
}

static bool key_is(const char *k, size_t n, const char *want)
{
	return strlen(want) == n && !memcmp(k, want, n);
}

static int value(struct vfu_json *j, int depth, bool in_caps_obj,
		 const char *key, size_t keylen);

static int object(struct vfu_json *j, int depth, bool is_caps)
{
	j->p++; /* '{' */
	ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		const char *k;
		size_t kn;
		int err;

		ws(j);
		err = string(j, &k, &kn);
		if (err)
			return err;
		ws(j);
		if (j->p >= j->end || *j->p != ':')
			return -EINVAL;
		j->p++;
		ws(j);
		err = value(j, depth + 1, is_caps, k, kn);
		if (err)
			return err;
		ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return 0;
		}
		return -EINVAL;
	}
}

static int array(struct vfu_json *j, int depth)
{
	j->p++; /* '[' */
	ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		int err;

		ws(j);
		err = value(j, depth + 1, false, NULL, 0);
		if (err)
			return err;
		ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return 0;
		}
		return -EINVAL;
	}
}

/* key: the member name this value belongs to (NULL in an array);
 * in_caps_obj: the value is a member of "capabilities". */
static int value(struct vfu_json *j, int depth, bool in_caps_obj,
		 const char *key, size_t keylen)
{
	const char *s;
	size_t n;
	uint64_t v;
	bool is_uint;
	int err;

	if (depth > VFU_JSON_DEPTH || j->p >= j->end)
		return -EINVAL;
	switch (*j->p) {
	case '{':
		/* Only the top level's "capabilities" member is ours. */
		return object(j, depth, depth == 1 && key &&
						key_is(key, keylen, "capabilities"));
	case '[':
		return array(j, depth);
	case '"':
		return string(j, &s, &n);
	case 't':
		return lit(j, "true") ? 0 : -EINVAL;
	case 'f':
		return lit(j, "false") ? 0 : -EINVAL;
	case 'n':
		return lit(j, "null") ? 0 : -EINVAL;
	}
	err = number(j, &v, &is_uint);
	if (err || !in_caps_obj || !key)
		return err;
	if (!is_uint)
		return -EINVAL; /* our capabilities are counts and sizes */
	if (key_is(key, keylen, "max_msg_fds"))
		j->caps->max_msg_fds = v;
	else if (key_is(key, keylen, "max_data_xfer_size"))
		j->caps->max_data_xfer_size = v;
	else if (key_is(key, keylen, "pgsizes"))
		j->caps->pgsizes = v;
	else if (key_is(key, keylen, "max_dma_maps"))
		j->caps->max_dma_maps = v;
	return 0;
}

int vfu_json_caps(const char *s, size_t len, struct vfu_caps *caps)
{
	struct vfu_json j = { .p = s, .end = s + len, .caps = caps };
	int err;

	/* Defaults of the "Version" capabilities table. */
	caps->max_msg_fds = 1;
	caps->max_data_xfer_size = 1048576;
	caps->pgsizes = 4096;
	caps->max_dma_maps = 65535;
	ws(&j);
	if (j.p >= j.end || *j.p != '{')
		return -EINVAL;
	err = object(&j, 0, false);
	if (err)
		return err;
	ws(&j);
	return j.p == j.end ? 0 : -EINVAL;
}
