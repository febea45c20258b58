// SPDX-License-Identifier: MIT
/*
 * Putting a checked file into effect, device by device.  The driver takes
 * a queue's attributes only while the queue is disabled, and sizes and
 * groups only while the whole device is (dsa_pci_config.c, after idxd),
 * so: find what actually changes; disable the device if a size or group
 * changes, else only the queues that change; write the new values
 * (shrinking sizes before growing ones, so the total never passes WQCAP
 * on the way); enable the device again, then every queue that the file
 * enables or that was enabled before and the file leaves alone.  The
 * first refusal stops the run, with the driver's reason and the line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dsactl.h"

#define MAX_WQS 64

struct dev_run {
	const char *root;
	const struct dsactl_conf *c;
	FILE *err;
	int dev;
	char dsa[32];
	/* Per queue of the device (by index): a section, enabled before. */
	const struct dsactl_section *wq_sec[MAX_WQS];
	bool wq_was[MAX_WQS];
	unsigned int nwqs;
};

static void obj_name(const struct dsactl_section *s, char *buf, size_t len)
{
	dsactl_section_name(s, buf, len);
}

static long long roundup_pow2(long long v)
{
	long long p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

/* The value the driver would show after writing the file's. */
static long long effective(enum dsactl_key k, long long v)
{
	if (k == DSACTL_K_MAX_XFER || k == DSACTL_K_MAX_BATCH)
		return roundup_pow2(v);
	return v;
}

/* Does the section's key differ from what the device has now? */
static bool differs(struct dev_run *r, const struct dsactl_section *s,
		    enum dsactl_key k)
{
	char obj[32], buf[64];
	long long cur;

	obj_name(s, obj, sizeof(obj));
	if (k == DSACTL_K_MODE) {
		if (dsactl_read(r->root, obj, "mode", buf, sizeof(buf)))
			return true;
		return strcmp(buf, s->val[k] ? "dedicated" : "shared") != 0;
	}
	if (dsactl_read_ll(r->root, obj, dsactl_key_name(k), &cur))
		return true;
	return cur != effective(k, s->val[k]);
}

static int write_key(struct dev_run *r, const struct dsactl_section *s,
		     enum dsactl_key k)
{
	char obj[32], val[32], where[300];

	obj_name(s, obj, sizeof(obj));
	if (k == DSACTL_K_MODE)
		snprintf(val, sizeof(val), "%s", s->val[k] ? "dedicated" : "shared");
	else
		snprintf(val, sizeof(val), "%lld", s->val[k]);
	snprintf(where, sizeof(where), "%s:%u: ", r->c->fname, s->key_line[k]);
	return dsactl_write(r->root, obj, dsactl_key_name(k), val, where, r->err);
}

static int set_enable(struct dev_run *r, const char *obj, bool on,
		      unsigned int line)
{
	char where[300] = "";

	if (line)
		snprintf(where, sizeof(where), "%s:%u: ", r->c->fname, line);
	return dsactl_write(r->root, obj, "enable", on ? "1" : "0", where, r->err);
}

static bool is_on(struct dev_run *r, const char *obj)
{
	long long v;

	return !dsactl_read_ll(r->root, obj, "enable", &v) && v;
}

static int write_sizes(struct dev_run *r, bool shrink)
{
	unsigned int i;
	long long cur;
	char obj[32];
	int rc;

	for (i = 0; i < r->nwqs; i++) {
		const struct dsactl_section *s = r->wq_sec[i];

		if (!s || !s->has[DSACTL_K_SIZE] || !differs(r, s, DSACTL_K_SIZE))
			continue;
		obj_name(s, obj, sizeof(obj));
		if (dsactl_read_ll(r->root, obj, "size", &cur))
			cur = 0;
		if ((s->val[DSACTL_K_SIZE] < cur) != shrink)
			continue;
		rc = write_key(r, s, DSACTL_K_SIZE);
		if (rc)
			return rc;
	}
	return 0;
}

static int write_values(struct dev_run *r)
{
	const struct dsactl_conf *c = r->c;
	size_t i;
	int k, rc;

	for (i = 0; i < c->n; i++) {
		const struct dsactl_section *s = &c->sec[i];

		if (s->dev != r->dev || s->kind != DSACTL_ENGINE ||
		    !s->has[DSACTL_K_GROUP_ID] || !differs(r, s, DSACTL_K_GROUP_ID))
			continue;
		rc = write_key(r, s, DSACTL_K_GROUP_ID);
		if (rc)
			return rc;
	}
	rc = write_sizes(r, true);
	if (!rc)
		rc = write_sizes(r, false);
	if (rc)
		return rc;
	for (i = 0; i < c->n; i++) {
		const struct dsactl_section *s = &c->sec[i];

		if (s->dev != r->dev || s->kind != DSACTL_WQ)
			continue;
		for (k = 0; k < DSACTL_K_ENABLE; k++) {
			if (k == DSACTL_K_SIZE || !s->has[k] ||
			    !differs(r, s, (enum dsactl_key)k))
				continue;
			rc = write_key(r, s, (enum dsactl_key)k);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Which queues change, and does the device have to go down for it? */
static bool plan(struct dev_run *r, bool wq_changes[MAX_WQS])
{
	const struct dsactl_conf *c = r->c;
	bool whole = false;
	size_t i;
	int k;

	for (i = 0; i < c->n; i++) {
		const struct dsactl_section *s = &c->sec[i];

		if (s->dev != r->dev ||
		    (s->kind == DSACTL_WQ && (unsigned int)s->idx >= r->nwqs))
			continue;
		if (s->kind == DSACTL_ENGINE && s->has[DSACTL_K_GROUP_ID] &&
		    differs(r, s, DSACTL_K_GROUP_ID))
			whole = true;
		if (s->kind != DSACTL_WQ)
			continue;
		for (k = 0; k < DSACTL_K_ENABLE; k++) {
			if (!s->has[k] || !differs(r, s, (enum dsactl_key)k))
				continue;
			wq_changes[s->idx] = true;
			if (k == DSACTL_K_SIZE || k == DSACTL_K_GROUP_ID)
				whole = true;
		}
	}
	return whole;
}

static int apply_device(struct dev_run *r, const struct dsactl_section *dsa_sec)
{
	bool wq_changes[MAX_WQS] = { false }, whole, want_dev, want;
	char obj[32];
	unsigned int i;
	int rc;

	for (i = 0; i < r->nwqs; i++) {
		snprintf(obj, sizeof(obj), "wq%d.%u", r->dev, i);
		r->wq_was[i] = is_on(r, obj);
	}
	want_dev = dsa_sec && dsa_sec->has[DSACTL_K_ENABLE] ?
			   dsa_sec->val[DSACTL_K_ENABLE] != 0 : is_on(r, r->dsa);
	whole = plan(r, wq_changes);
	if (is_on(r, r->dsa) && (whole || !want_dev)) {
		rc = set_enable(r, r->dsa, false, dsa_sec ? dsa_sec->line : 0);
		if (rc)
			return rc;
	}
	for (i = 0; i < r->nwqs; i++) {
		const struct dsactl_section *s = r->wq_sec[i];
		bool off = s && s->has[DSACTL_K_ENABLE] && !s->val[DSACTL_K_ENABLE];

		snprintf(obj, sizeof(obj), "wq%d.%u", r->dev, i);
		if ((wq_changes[i] || off) && is_on(r, obj)) {
			rc = set_enable(r, obj, false, s->line);
			if (rc)
				return rc;
		}
	}
	rc = write_values(r);
	if (rc)
		return rc;
	if (want_dev && !is_on(r, r->dsa)) {
		rc = set_enable(r, r->dsa, true, dsa_sec ? dsa_sec->line : 0);
		if (rc)
			return rc;
	}
	for (i = 0; i < r->nwqs; i++) {
		const struct dsactl_section *s = r->wq_sec[i];

		want = s && s->has[DSACTL_K_ENABLE] ? s->val[DSACTL_K_ENABLE] != 0 :
						       r->wq_was[i];
		snprintf(obj, sizeof(obj), "wq%d.%u", r->dev, i);
		if (!want || is_on(r, obj))
			continue;
		rc = set_enable(r, obj, true,
				s ? (s->has[DSACTL_K_ENABLE] ? s->key_line[DSACTL_K_ENABLE] :
							       s->line) : 0);
		if (rc)
			return rc;
	}
	return 0;
}

int dsactl_apply(const char *root, const struct dsactl_conf *c, FILE *err)
{
	size_t i, j;
	int rc;

	for (i = 0; i < c->n; i++) {
		struct dev_run r = { .root = root, .c = c, .err = err };
		const struct dsactl_section *dsa_sec = NULL;
		long long nwqs;
		bool seen = false;

		for (j = 0; j < i; j++)
			if (c->sec[j].dev == c->sec[i].dev)
				seen = true;
		if (seen)
			continue;
		r.dev = c->sec[i].dev;
		snprintf(r.dsa, sizeof(r.dsa), "dsa%d", r.dev);
		rc = dsactl_read_ll(root, r.dsa, "max_work_queues", &nwqs);
		if (rc) {
			fprintf(err, "%s:%u: dsa%d: %s\n", c->fname, c->sec[i].line,
				r.dev, strerror(-rc));
			return rc;
		}
		r.nwqs = nwqs > MAX_WQS ? MAX_WQS : (unsigned int)nwqs;
		for (j = 0; j < c->n; j++) {
			const struct dsactl_section *s = &c->sec[j];

			if (s->dev != r.dev)
				continue;
			if (s->kind == DSACTL_DSA)
				dsa_sec = s;
			else if (s->kind == DSACTL_WQ && (unsigned int)s->idx < r.nwqs)
				r.wq_sec[s->idx] = s;
		}
		rc = apply_device(&r, dsa_sec);
		if (rc)
			return rc;
	}
	return 0;
}
