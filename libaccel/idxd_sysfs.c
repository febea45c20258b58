// SPDX-License-Identifier: MIT
/*
 * Discovery of the stock kernel's DSA work queues, from the attributes
 * Documentation/ABI/stable/sysfs-driver-dsa lists under
 * /sys/bus/dsa/devices/{dsaD,wqD.Q}.  Formats follow drivers/dma/idxd/
 * sysfs.c, which changed over the years:
 *   op_cap  5.6-5.12: "%#llx" of the low 64 bits only;
 *           5.13-6.2: four "%#llx" words, least significant first,
 *           separated by spaces;
 *           6.3 on:   a 256-bit bitmap ("%*pb"): eight 32-bit hex groups,
 *           most significant first, separated by commas (since the 2024
 *           erratum fix the BATCH bit is cleared there when user
 *           submission is unsafe).
 *   wq max_transfer_size / max_batch_size: absent before 5.10 (then the
 *           device's own attributes or GENCAP give the limits).
 *   wq type: "none", "kernel", "user" (and "mdev" on some 5.x kernels).
 * Anything missing or unparseable makes a queue unusable with a reason,
 * never a guess.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idxd.h"
#include "internal.h"

const char *idxd_sysfs_root(void)
{
	const char *e = getenv("ACCEL_IDXD_SYSFS");

	return e && *e ? e : IDXD_SYSFS_DEFAULT;
}

const char *idxd_dev_root(void)
{
	const char *e = getenv("ACCEL_IDXD_DEV");

	return e && *e ? e : IDXD_DEV_DEFAULT;
}

static void say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* One attribute's text, trailing newline removed.  0 or -errno. */
static int attr_read(const char *root, const char *obj, const char *attr,
		     char *buf, size_t len)
{
	int rc = accel_sysfs_read(root, obj, attr, buf, len);
	size_t n;

	if (rc)
		return rc;
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

/* A whole-string unsigned number (base 0: "0x.." allowed). */
static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

static int parse_int(const char *s, int *v)
{
	char *end;
	long x;

	if (!*s)
		return -EINVAL;
	errno = 0;
	x = strtol(s, &end, 10);
	if (errno || *end || x < -1 || x > 65535)
		return -EINVAL;
	*v = (int)x;
	return 0;
}

/* Read a numeric attribute; -ENOENT when it is absent. */
static int attr_u64(const char *root, const char *obj, const char *attr,
		    uint64_t *v)
{
	char buf[64];
	int rc = attr_read(root, obj, attr, buf, sizeof(buf));

	return rc ? rc : parse_u64(buf, v);
}

static int hexdigits(const char *s, size_t n, uint64_t *v)
{
	size_t i;

	*v = 0;
	if (!n || n > 16)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -EINVAL;
		*v = (*v << 4) |
		     (uint64_t)(isdigit((unsigned char)s[i]) ?
					s[i] - '0' :
					(tolower((unsigned char)s[i]) - 'a' + 10));
	}
	return 0;
}

/* "%*pb": 32-bit groups, most significant first, comma separated. */
static int parse_bitmap(const char *t, uint64_t bits[4])
{
	uint64_t groups[8], g;
	unsigned n = 0, i;

	for (;;) {
		size_t len = strcspn(t, ",");

		if (n == 8 || hexdigits(t, len, &g) || g > 0xffffffffull)
			return -EINVAL;
		groups[n++] = g;
		if (!t[len])
			break;
		t += len + 1;
	}
	for (i = 0; i < n; i++) {
		unsigned bit = 32 * (n - 1 - i);

		bits[bit / 64] |= groups[i] << (bit % 64);
	}
	return 0;
}

/* "%#llx" words separated by spaces, least significant first. */
static int parse_words(const char *t, uint64_t bits[4])
{
	unsigned n = 0;

	while (*t) {
		size_t len = strcspn(t, " ");
		char word[24];
		uint64_t v;

		if (n == 4 || !len || len >= sizeof(word))
			return -EINVAL;
		memcpy(word, t, len);
		word[len] = 0;
		/* "%#llx" prints zero as "0" and anything else as 0x... */
		if (strcmp(word, "0") &&
		    (strncmp(word, "0x", 2) || parse_u64(word, &v)))
			return -EINVAL;
		if (!strcmp(word, "0"))
			v = 0;
		bits[n++] = v;
		t += len;
		while (*t == ' ')
			t++;
	}
	return n ? 0 : -EINVAL;
}

int idxd_parse_opcap(const char *text, uint64_t bits[4])
{
	memset(bits, 0, 4 * sizeof(bits[0]));
	if (!text || !*text)
		return -EINVAL;
	if (strchr(text, ','))
		return parse_bitmap(text, bits);
	/* A single group with no comma and no 0x is a bitmap of <= 32 bits. */
	if (strncmp(text, "0x", 2) && strcmp(text, "0") && !strchr(text, ' '))
		return parse_bitmap(text, bits);
	return parse_words(text, bits);
}

/* "wqD.Q" with D and Q decimal; the device is "dsaD". */
static bool wq_name_ok(const char *wq, unsigned *d)
{
	unsigned q;
	int n = 0;

	return sscanf(wq, "wq%u.%u%n", d, &q, &n) == 2 && wq[n] == 0;
}

static int read_device(const char *root, struct idxd_wq_info *w, char *why,
		       size_t len)
{
	char buf[160];
	uint64_t v;
	int rc;

	rc = attr_read(root, w->dev, "state", buf, sizeof(buf));
	if (rc == -ENOENT) {
		say(why, len, "%s: no device %s in %s (an IAA queue, or the "
			"idxd driver is not bound)", w->wq, w->dev, root);
		return -ENODEV;
	}
	if (rc || strcmp(buf, "enabled")) {
		say(why, len, "%s: device %s is %s, not enabled (accel-config "
			"enable-device %s)", w->wq, w->dev, rc ? "unreadable" : buf,
			w->dev);
		return -EPERM;
	}
	rc = attr_read(root, w->dev, "op_cap", buf, sizeof(buf));
	if (rc || idxd_parse_opcap(buf, w->op_cap)) {
		say(why, len, "%s: device %s op_cap %s", w->wq, w->dev,
		    rc ? "missing" : "unparseable");
		return -EINVAL;
	}
	/* gen_cap appeared with 5.8-era drivers; without it nothing is
	 * known of block-on-fault, so it is off. */
	rc = attr_u64(root, w->dev, "gen_cap", &w->gen_cap);
	if (rc == -EINVAL) {
		say(why, len, "%s: device %s gen_cap unparseable", w->wq, w->dev);
		return rc;
	}
	if (rc)
		w->gen_cap = 0;
	/* A user queue needs SVA: the kernel says whether it has it. */
	if (!attr_u64(root, w->dev, "pasid_enabled", &v) && !v) {
		say(why, len, "%s: device %s has no PASID/SVA (boot with "
			"intel_iommu=on,sm_on and a kernel with "
			"CONFIG_INTEL_IOMMU_SVM)", w->wq, w->dev);
		return -EPERM;
	}
	w->version = attr_u64(root, w->dev, "version", &v) ? 0 : (uint32_t)v;
	if (attr_read(root, w->dev, "numa_node", buf, sizeof(buf)) ||
	    parse_int(buf, &w->numa_node))
		w->numa_node = -1;
	return 0;
}

/* A queue limit: the queue's attribute, else the device's, else GENCAP's
 * shift; -EINVAL when one is present but garbage. */
static int limit(const char *root, const struct idxd_wq_info *w,
		 const char *attr, unsigned shift, uint64_t *v)
{
	int rc = attr_u64(root, w->wq, attr, v);

	if (rc == -ENOENT)
		rc = attr_u64(root, w->dev, attr, v);
	if (rc == -ENOENT && shift) {
		*v = 1ull << shift;
		rc = 0;
	}
	if (!rc && !*v)
		rc = -EINVAL;
	return rc;
}

int idxd_wq_read(const char *root, const char *devroot, const char *wq,
		 struct idxd_wq_info *w, char *why, size_t len)
{
	char buf[160];
	uint64_t v;
	unsigned d;
	int rc;

	memset(w, 0, sizeof(*w));
	w->numa_node = -1;
	if (!wq_name_ok(wq, &d) || strlen(wq) >= sizeof(w->wq)) {
		say(why, len, "%s: not a work queue name (wqD.Q)", wq);
		return -ENODEV;
	}
	snprintf(w->wq, sizeof(w->wq), "%s", wq);
	snprintf(w->dev, sizeof(w->dev), "dsa%u", d);
	rc = attr_read(root, wq, "state", buf, sizeof(buf));
	if (rc) {
		say(why, len, "%s: no such work queue in %s", wq, root);
		return -ENODEV;
	}
	if (strcmp(buf, "enabled")) {
		say(why, len, "%s: queue is %s, not enabled (accel-config "
			"enable-wq %s/%s)", wq, buf, w->dev, wq);
		return -EPERM;
	}
	rc = attr_read(root, wq, "type", buf, sizeof(buf));
	if (rc || strcmp(buf, "user")) {
		say(why, len, "%s: queue type is %s, not user (accel-config "
			"config-wq --type=user; kernel queues serve the kernel's "
			"dmaengine only)", wq, rc ? "unknown" : buf);
		return -EPERM;
	}
	rc = read_device(root, w, why, len);
	if (rc)
		return rc;
	rc = attr_read(root, wq, "mode", buf, sizeof(buf));
	if (rc || (strcmp(buf, "shared") && strcmp(buf, "dedicated"))) {
		say(why, len, "%s: mode %s", wq, rc ? "missing" : "unknown");
		return -EINVAL;
	}
	w->shared = !strcmp(buf, "shared");
	if (attr_u64(root, wq, "size", &v) || !v || v > 0xffff) {
		say(why, len, "%s: size missing, zero or garbage", wq);
		return -EINVAL;
	}
	w->size = (uint32_t)v;
	/* A shared queue refuses enqueues at its threshold (0 on dedicated). */
	if (w->shared) {
		if (attr_u64(root, wq, "threshold", &v) || !v || v > w->size) {
			say(why, len, "%s: shared queue threshold missing or out "
				"of range (accel-config config-wq --threshold)",
			    wq);
			return -EINVAL;
		}
		w->threshold = (uint32_t)v;
	}
	if (limit(root, w, "max_transfer_size",
		  IDXD_GENCAP_XFER_SHIFT(w->gen_cap), &w->max_xfer) ||
	    limit(root, w, "max_batch_size",
		  IDXD_GENCAP_BATCH_SHIFT(w->gen_cap), &v) || v > 0xffffffffu) {
		say(why, len, "%s: transfer or batch limit missing or garbage",
		    wq);
		return -EINVAL;
	}
	w->max_batch = (uint32_t)v;
	w->bof = (w->gen_cap & IDXD_GENCAP_BOF) &&
		 !attr_u64(root, wq, "block_on_fault", &v) && v == 1;
	if (attr_read(root, wq, "group_id", buf, sizeof(buf)) ||
	    parse_int(buf, &w->group_id))
		w->group_id = -1;
	if (attr_read(root, wq, "name", w->name, sizeof(w->name)))
		w->name[0] = 0;
	snprintf(w->node, sizeof(w->node), "%s/%s", devroot, wq);
	return 0;
}

/* "wq0.1", "dsa0/wq0.1" or "/dev/dsa/wq0.1": the queue's name. */
static const char *want_name(const char *want)
{
	const char *slash = strrchr(want, '/');

	return slash ? slash + 1 : want;
}

static bool mode_ok(const struct idxd_wq_info *w, int mode)
{
	return !mode || (mode == 2) == w->shared;
}

int idxd_wq_find(const char *want, int node, int mode,
		 struct idxd_wq_info *out, char *why, size_t len)
{
	const char *root = idxd_sysfs_root(), *devroot = idxd_dev_root();
	struct idxd_wq_info w;
	struct dirent **names;
	int n, i, best = -1, best_d = 0, found = 0;
	char first_why[256] = "";

	if (want) {
		int rc = idxd_wq_read(root, devroot, want_name(want), out, why,
				      len);

		if (rc)
			return rc;
		if (strchr(want, '/') && want[0] == '/')
			snprintf(out->node, sizeof(out->node), "%s", want);
		if (!mode_ok(out, mode)) {
			say(why, len, "%s is a %s queue, not the %s one asked for",
			    out->wq, out->shared ? "shared" : "dedicated",
			    mode == 2 ? "shared" : "dedicated");
			return -EINVAL;
		}
		return 0;
	}
	if (node < 0)
		node = accel_numa_caller_node();
	n = scandir(root, &names, NULL, alphasort);
	if (n < 0) {
		say(why, len, "no DSA devices: %s is missing (is the idxd "
			"driver loaded? modprobe idxd)", root);
		return -ENODEV;
	}
	for (i = 0; i < n; i++) {
		unsigned d;

		if (wq_name_ok(names[i]->d_name, &d)) {
			char r[256] = "";

			found++;
			if (!idxd_wq_read(root, devroot, names[i]->d_name, &w, r,
					  sizeof(r)) &&
			    mode_ok(&w, mode)) {
				int dd = accel_numa_distance(node, w.numa_node);

				if (best < 0 || dd < best_d) {
					*out = w;
					best = i;
					best_d = dd;
				}
			} else if (!first_why[0]) {
				snprintf(first_why, sizeof(first_why), "%s",
					 r[0] ? r : "wrong mode");
			}
		}
		free(names[i]);
	}
	free(names);
	if (best >= 0)
		return 0;
	if (!found)
		say(why, len, "no DSA work queues in %s (configure one with "
			"accel-config: see docs/idxd.md)", root);
	else
		say(why, len, "no enabled user work queue%s among %d (first: "
			"%s)", mode ? " of that mode" : "", found, first_why);
	return -ENODEV;
}
