// SPDX-License-Identifier: MIT
/*
 * The configuration file: parsing and the checks that need no device
 * (syntax, names, keys, ranges, rules across keys of one queue) and those
 * against a device's capabilities.  Every mistake is reported with its
 * line; the driver applies the same rules again (kernel/dsa_pci/
 * dsa_pci_config.c), so a file that passes here is refused there only for
 * what the file does not say (another queue's current size, say).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dsactl.h"

struct key_rule {
	const char *name;
	unsigned int kinds; /* 1 << enum dsactl_kind */
	long long min, max;
};

#define K_DSA (1u << DSACTL_DSA)
#define K_WQ (1u << DSACTL_WQ)
#define K_ENG (1u << DSACTL_ENGINE)

/*
 * Ranges are the register fields' (include/dsa_regs.h): WQCFG size and
 * threshold 16 bits, priority 4 bits (0 refused, as the driver does),
 * transfer shift up to 31, batch shift 4 bits; group -1 is "none".
 */
static const struct key_rule key_rules[DSACTL_K_COUNT] = {
	[DSACTL_K_GROUP_ID] = { "group_id", K_WQ | K_ENG, -1, 255 },
	[DSACTL_K_MODE] = { "mode", K_WQ, 0, 1 },
	[DSACTL_K_SIZE] = { "size", K_WQ, 0, 65535 },
	[DSACTL_K_THRESHOLD] = { "threshold", K_WQ, 1, 65535 },
	[DSACTL_K_PRIORITY] = { "priority", K_WQ, 1, 15 },
	[DSACTL_K_BOF] = { "block_on_fault", K_WQ, 0, 1 },
	[DSACTL_K_MAX_XFER] = { "max_transfer_size", K_WQ, 1, 1ll << 31 },
	[DSACTL_K_MAX_BATCH] = { "max_batch_size", K_WQ, 1, 1ll << 15 },
	[DSACTL_K_ENABLE] = { "enable", K_DSA | K_WQ, 0, 1 },
};

const char *dsactl_key_name(enum dsactl_key k)
{
	return key_rules[k].name;
}

const char *dsactl_kind_name(enum dsactl_kind k)
{
	return k == DSACTL_DSA ? "dsa" : k == DSACTL_WQ ? "wq" : "engine";
}

void dsactl_section_name(const struct dsactl_section *s, char *buf, size_t len)
{
	if (s->kind == DSACTL_DSA)
		snprintf(buf, len, "dsa%d", s->dev);
	else
		snprintf(buf, len, "%s%d.%d", dsactl_kind_name(s->kind), s->dev,
			 s->idx);
}

__attribute__((format(printf, 4, 5))) static void
note(FILE *err, const char *fname, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	fprintf(err, "%s:%u: ", fname, line);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* A decimal number of at most 9 digits, all of s. */
static int parse_index(const char *s, const char **end)
{
	long v = 0;
	int n = 0;

	while (*s >= '0' && *s <= '9' && n < 9) {
		v = v * 10 + (*s++ - '0');
		n++;
	}
	*end = s;
	return n ? (int)v : -1;
}

/* "dsa3", "wq3.1", "engine3.0". */
static int parse_section_name(const char *name, struct dsactl_section *s)
{
	static const struct {
		const char *prefix;
		enum dsactl_kind kind;
	} kinds[] = { { "dsa", DSACTL_DSA }, { "wq", DSACTL_WQ },
		      { "engine", DSACTL_ENGINE } };
	const char *p;
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t l = strlen(kinds[i].prefix);

		if (strncmp(name, kinds[i].prefix, l))
			continue;
		s->kind = kinds[i].kind;
		s->dev = parse_index(name + l, &p);
		s->idx = 0;
		if (s->dev < 0)
			return -EINVAL;
		if (s->kind != DSACTL_DSA) {
			if (*p != '.')
				return -EINVAL;
			s->idx = parse_index(p + 1, &p);
			if (s->idx < 0)
				return -EINVAL;
		}
		return *p ? -EINVAL : 0;
	}
	return -EINVAL;
}

/* A number with an optional k, m or g (powers of 1024) suffix. */
static int parse_number(const char *v, long long *out)
{
	char *end;
	long long x;
	int shift = 0;

	errno = 0;
	x = strtoll(v, &end, 0);
	if (end == v || errno)
		return -EINVAL;
	if (*end == 'k' || *end == 'K')
		shift = 10;
	else if (*end == 'm' || *end == 'M')
		shift = 20;
	else if (*end == 'g' || *end == 'G')
		shift = 30;
	if (shift)
		end++;
	if (*end)
		return -EINVAL;
	if (!shift) {
		*out = x;
		return 0;
	}
	/* Shifting a negative number is undefined: no "-1k". */
	if (x < 0 || x > (LLONG_MAX >> shift))
		return -ERANGE;
	*out = x << shift;
	return 0;
}

static int parse_value(enum dsactl_key k, const char *v, long long *out)
{
	if (k == DSACTL_K_MODE) {
		if (!strcmp(v, "dedicated"))
			*out = 1;
		else if (!strcmp(v, "shared"))
			*out = 0;
		else
			return -EINVAL;
		return 0;
	}
	return parse_number(v, out);
}

static struct dsactl_section *conf_add(struct dsactl_conf *c)
{
	struct dsactl_section *s;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;

		s = realloc(c->sec, cap * sizeof(*s));
		if (!s)
			return NULL;
		c->sec = s;
		c->cap = cap;
	}
	s = &c->sec[c->n++];
	memset(s, 0, sizeof(*s));
	return s;
}

static const struct dsactl_section *conf_find(const struct dsactl_conf *c,
					      size_t upto,
					      const struct dsactl_section *s)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (c->sec[i].kind == s->kind && c->sec[i].dev == s->dev &&
		    c->sec[i].idx == s->idx)
			return &c->sec[i];
	return NULL;
}

static int parse_header(struct dsactl_conf *c, char *p, unsigned int line,
			struct dsactl_section **cur, FILE *err)
{
	struct dsactl_section tmp, *s;
	const struct dsactl_section *prev;
	char *close = strchr(p, ']');
	char *name;

	*cur = NULL;
	if (!close || *trim(close + 1)) {
		note(err, c->fname, line, "a section header is [name] alone on its line");
		return -EINVAL;
	}
	*close = '\0';
	name = trim(p + 1);
	memset(&tmp, 0, sizeof(tmp));
	if (parse_section_name(name, &tmp)) {
		note(err, c->fname, line,
		     "unknown section [%s]: expected dsa<N>, wq<N>.<M> or engine<N>.<M>",
		     name);
		return -EINVAL;
	}
	prev = conf_find(c, c->n, &tmp);
	if (prev) {
		note(err, c->fname, line, "section [%s] already given at line %u",
		     name, prev->line);
		return -EINVAL;
	}
	s = conf_add(c);
	if (!s)
		return -ENOMEM;
	*s = tmp;
	s->line = line;
	*cur = s;
	return 0;
}

static int parse_pair(struct dsactl_conf *c, char *p, unsigned int line,
		      struct dsactl_section *s, FILE *err)
{
	char *eq = strchr(p, '='), *key, *val, name[32];
	long long v;
	int k, rc;

	if (!eq) {
		note(err, c->fname, line, "expected 'key = value' or a [section]");
		return -EINVAL;
	}
	*eq = '\0';
	key = trim(p);
	val = trim(eq + 1);
	for (k = 0; k < DSACTL_K_COUNT; k++)
		if (!strcmp(key, key_rules[k].name))
			break;
	if (k == DSACTL_K_COUNT) {
		note(err, c->fname, line,
		     "unknown key '%s' (mode, size, threshold, priority, group_id, block_on_fault, max_transfer_size, max_batch_size, enable)",
		     key);
		return -EINVAL;
	}
	if (!s) {
		note(err, c->fname, line, "'%s' before any [section]", key);
		return -EINVAL;
	}
	dsactl_section_name(s, name, sizeof(name));
	if (!(key_rules[k].kinds & (1u << s->kind))) {
		note(err, c->fname, line, "'%s' does not apply to [%s]", key, name);
		return -EINVAL;
	}
	if (s->has[k]) {
		note(err, c->fname, line, "'%s' of [%s] already set at line %u", key,
		     name, s->key_line[k]);
		return -EINVAL;
	}
	if (!*val) {
		note(err, c->fname, line, "'%s' has no value", key);
		return -EINVAL;
	}
	rc = parse_value((enum dsactl_key)k, val, &v);
	if (rc) {
		note(err, c->fname, line, k == DSACTL_K_MODE ?
		     "mode '%s': dedicated or shared" : "'%s' is not a number (for %s)",
		     val, key);
		return -EINVAL;
	}
	if (v < key_rules[k].min || v > key_rules[k].max) {
		note(err, c->fname, line, "%s %lld: out of range %lld to %lld", key, v,
		     key_rules[k].min, key_rules[k].max);
		return -EINVAL;
	}
	s->has[k] = true;
	s->val[k] = v;
	s->key_line[k] = line;
	return 0;
}

int dsactl_conf_parse(struct dsactl_conf *c, const char *fname,
		      const char *text, FILE *err)
{
	struct dsactl_section *cur = NULL;
	const char *p = text;
	unsigned int line = 0;
	int rc, bad = 0;

	memset(c, 0, sizeof(*c));
	c->fname = fname;
	while (*p) {
		size_t len = strcspn(p, "\n");
		char *buf = strndup(p, len), *s, *hash;

		if (!buf)
			return -ENOMEM;
		line++;
		p += len + (p[len] == '\n');
		hash = strpbrk(buf, "#;");
		if (hash)
			*hash = '\0';
		s = trim(buf);
		rc = 0;
		if (*s == '[') {
			rc = parse_header(c, s, line, &cur, err);
			/* Keys after a bad header belong to nothing: say so
			 * once, at the header. */
			if (rc == -EINVAL)
				cur = NULL;
		} else if (*s) {
			if (cur || !bad)
				rc = parse_pair(c, s, line, cur, err);
		}
		free(buf);
		if (rc == -ENOMEM)
			return rc;
		bad += rc != 0;
	}
	return bad ? -EINVAL : 0;
}

void dsactl_conf_free(struct dsactl_conf *c)
{
	free(c->sec);
	memset(c, 0, sizeof(*c));
}

/* ---- checks across keys and against the device ---- */

static int check_wq_alone(const struct dsactl_conf *c,
			  const struct dsactl_section *s, FILE *err)
{
	const bool *h = s->has;
	const long long *v = s->val;
	char name[32];
	int bad = 0;

	dsactl_section_name(s, name, sizeof(name));
	if (h[DSACTL_K_THRESHOLD] && h[DSACTL_K_MODE] && v[DSACTL_K_MODE]) {
		note(err, c->fname, s->key_line[DSACTL_K_THRESHOLD],
		     "[%s]: a threshold applies to shared queues only", name);
		bad++;
	}
	if (h[DSACTL_K_THRESHOLD] && h[DSACTL_K_SIZE] &&
	    v[DSACTL_K_THRESHOLD] > v[DSACTL_K_SIZE]) {
		note(err, c->fname, s->key_line[DSACTL_K_THRESHOLD],
		     "[%s]: threshold %lld above size %lld", name,
		     v[DSACTL_K_THRESHOLD], v[DSACTL_K_SIZE]);
		bad++;
	}
	if (h[DSACTL_K_ENABLE] && v[DSACTL_K_ENABLE]) {
		if (h[DSACTL_K_GROUP_ID] && v[DSACTL_K_GROUP_ID] < 0) {
			note(err, c->fname, s->key_line[DSACTL_K_ENABLE],
			     "[%s]: enabled but in no group (group_id -1)", name);
			bad++;
		}
		if (h[DSACTL_K_SIZE] && !v[DSACTL_K_SIZE]) {
			note(err, c->fname, s->key_line[DSACTL_K_ENABLE],
			     "[%s]: enabled with size 0", name);
			bad++;
		}
	}
	return bad;
}

static int check_against(const struct dsactl_conf *c,
			 const struct dsactl_section *s,
			 const struct dsactl_caps *cap, FILE *err)
{
	const bool *h = s->has;
	const long long *v = s->val;
	char name[32];
	int bad = 0;

	dsactl_section_name(s, name, sizeof(name));
	if (s->kind == DSACTL_WQ && (unsigned int)s->idx >= cap->nwqs) {
		note(err, c->fname, s->line, "[%s]: dsa%d has queues 0 to %u", name,
		     s->dev, cap->nwqs - 1);
		return 1;
	}
	if (s->kind == DSACTL_ENGINE && (unsigned int)s->idx >= cap->nengines) {
		note(err, c->fname, s->line, "[%s]: dsa%d has engines 0 to %u", name,
		     s->dev, cap->nengines - 1);
		return 1;
	}
	if (h[DSACTL_K_GROUP_ID] && v[DSACTL_K_GROUP_ID] >= (long long)cap->ngroups) {
		note(err, c->fname, s->key_line[DSACTL_K_GROUP_ID],
		     "[%s]: group %lld: dsa%d has groups 0 to %u", name,
		     v[DSACTL_K_GROUP_ID], s->dev, cap->ngroups - 1);
		bad++;
	}
	if (s->kind != DSACTL_WQ)
		return bad;
	if (h[DSACTL_K_SIZE] && v[DSACTL_K_SIZE] > cap->total_size) {
		note(err, c->fname, s->key_line[DSACTL_K_SIZE],
		     "[%s]: size %lld above the device's %u entries in all", name,
		     v[DSACTL_K_SIZE], cap->total_size);
		bad++;
	}
	if (h[DSACTL_K_MODE] && !v[DSACTL_K_MODE] && !cap->shared) {
		note(err, c->fname, s->key_line[DSACTL_K_MODE],
		     "[%s]: dsa%d has no shared queues", name, s->dev);
		bad++;
	}
	if (h[DSACTL_K_MODE] && !v[DSACTL_K_MODE] && !cap->pasid &&
	    h[DSACTL_K_ENABLE] && v[DSACTL_K_ENABLE]) {
		note(err, c->fname, s->key_line[DSACTL_K_ENABLE],
		     "[%s]: a shared queue needs PASID support, which dsa%d lacks",
		     name, s->dev);
		bad++;
	}
	if (h[DSACTL_K_BOF] && v[DSACTL_K_BOF] && !cap->bof) {
		note(err, c->fname, s->key_line[DSACTL_K_BOF],
		     "[%s]: dsa%d has no block on fault", name, s->dev);
		bad++;
	}
	if (h[DSACTL_K_MAX_XFER] && (unsigned long long)v[DSACTL_K_MAX_XFER] > cap->max_xfer) {
		note(err, c->fname, s->key_line[DSACTL_K_MAX_XFER],
		     "[%s]: max_transfer_size %lld above the device's %llu", name,
		     v[DSACTL_K_MAX_XFER], cap->max_xfer);
		bad++;
	}
	if (h[DSACTL_K_MAX_BATCH] && !cap->max_batch) {
		note(err, c->fname, s->key_line[DSACTL_K_MAX_BATCH],
		     "[%s]: dsa%d has no batch operation", name, s->dev);
		bad++;
	} else if (h[DSACTL_K_MAX_BATCH] &&
		   (unsigned long long)v[DSACTL_K_MAX_BATCH] > cap->max_batch) {
		note(err, c->fname, s->key_line[DSACTL_K_MAX_BATCH],
		     "[%s]: max_batch_size %lld above the device's %llu", name,
		     v[DSACTL_K_MAX_BATCH], cap->max_batch);
		bad++;
	}
	return bad;
}

/* The sizes this file gives one device's queues, against WQCAP. */
static int check_total(const struct dsactl_conf *c, size_t first,
		       const struct dsactl_caps *cap, FILE *err)
{
	int dev = c->sec[first].dev;
	unsigned int last = 0;
	long long sum = 0;
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct dsactl_section *s = &c->sec[i];

		if (s->dev != dev || s->kind != DSACTL_WQ || !s->has[DSACTL_K_SIZE])
			continue;
		sum += s->val[DSACTL_K_SIZE];
		last = s->key_line[DSACTL_K_SIZE];
	}
	if (sum <= cap->total_size)
		return 0;
	note(err, c->fname, last,
	     "dsa%d: the queues' sizes add up to %lld, the device holds %u entries in all",
	     dev, sum, cap->total_size);
	return 1;
}

int dsactl_conf_check(const struct dsactl_conf *c, dsactl_caps_fn caps,
		      void *ctx, FILE *err)
{
	struct dsactl_caps cap;
	int bad = 0, rc;
	size_t i, j;

	for (i = 0; i < c->n; i++)
		if (c->sec[i].kind == DSACTL_WQ)
			bad += check_wq_alone(c, &c->sec[i], err);
	if (!caps)
		return bad ? -EINVAL : 0;
	for (i = 0; i < c->n; i++) {
		const struct dsactl_section *s = &c->sec[i];
		bool first = true;

		/* Once per device, at its first section. */
		for (j = 0; j < i; j++)
			if (c->sec[j].dev == s->dev)
				first = false;
		rc = caps(ctx, s->dev, &cap);
		if (rc) {
			if (first) {
				note(err, c->fname, s->line, "no device dsa%d", s->dev);
				bad++;
			}
			continue;
		}
		bad += check_against(c, s, &cap, err);
		if (first)
			bad += check_total(c, i, &cap, err);
	}
	return bad ? -EINVAL : 0;
}
