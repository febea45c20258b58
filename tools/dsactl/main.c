// SPDX-License-Identifier: MIT
/*
 * dsactl: list, check, apply, enable, disable, set.  See dsactl(8).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsactl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dsactl [--sysfs DIR] COMMAND [ARGS]\n"
		"  list                     devices, groups and queues with state and config\n"
		"  dump                     the current configuration as a file for apply\n"
		"  check FILE               check a configuration file (and against the devices)\n"
		"  apply FILE               check, then put a configuration file into effect\n"
		"  enable OBJECT...         enable dsa<N> or wq<N>.<M>\n"
		"  disable OBJECT...        disable them\n"
		"  set OBJECT KEY=VALUE...  write attributes of one object\n");
}

static char *read_file(const char *path, int *rc)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	size_t len = 0, cap = 4096, n;
	char *buf, *nb;

	*rc = 0;
	if (!f) {
		*rc = -errno;
		return NULL;
	}
	buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	if (!buf)
		*rc = -ENOMEM;
	else if (ferror(f))
		*rc = -EIO;
	if (f != stdin)
		fclose(f);
	if (*rc) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		*rc = -EINVAL;
		free(buf);
		return NULL;
	}
	return buf;
}

static int cmd_file(const char *root, const char *path, bool apply)
{
	struct dsactl_conf c;
	char *text;
	int rc, crc;

	text = read_file(path, &rc);
	if (!text) {
		fprintf(stderr, "dsactl: %s: %s\n", path, strerror(-rc));
		return rc;
	}
	/* Every mistake at once: the checks run on what did parse. */
	rc = dsactl_conf_parse(&c, path, text, stderr);
	if (!rc || rc == -EINVAL) {
		if (!apply && access(root, F_OK)) {
			fprintf(stderr, "dsactl: %s: no devices, the file is checked alone\n", root);
			crc = dsactl_conf_check(&c, NULL, NULL, stderr);
		} else {
			crc = dsactl_conf_check(&c, dsactl_caps_sysfs, (void *)root, stderr);
		}
		if (!rc)
			rc = crc;
	}
	if (!rc && apply)
		rc = dsactl_apply(root, &c, stderr);
	if (!rc && !apply)
		printf("%s: ok\n", path);
	dsactl_conf_free(&c);
	free(text);
	return rc;
}

static int cmd_enable(const char *root, char **objs, int n, bool on)
{
	int i, rc;

	for (i = 0; i < n; i++) {
		rc = dsactl_write(root, objs[i], "enable", on ? "1" : "0", "", stderr);
		if (rc)
			return rc;
	}
	return 0;
}

static int cmd_set(const char *root, const char *obj, char **pairs, int n)
{
	int i, rc;

	for (i = 0; i < n; i++) {
		char *eq = strchr(pairs[i], '=');

		if (!eq || eq == pairs[i]) {
			fprintf(stderr, "dsactl: '%s': expected KEY=VALUE\n", pairs[i]);
			return -EINVAL;
		}
		*eq = '\0';
		rc = dsactl_write(root, obj, pairs[i], eq + 1, "", stderr);
		if (rc)
			return rc;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *root = getenv("DSACTL_SYSFS");
	const char *cmd;
	int rc;

	if (!root)
		root = DSACTL_SYSFS_DEFAULT;
	argv++;
	argc--;
	if (argc >= 2 && !strcmp(argv[0], "--sysfs")) {
		root = argv[1];
		argv += 2;
		argc -= 2;
	}
	if (argc < 1 || !strcmp(argv[0], "-h") || !strcmp(argv[0], "--help")) {
		usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? 2 : 0;
	}
	cmd = argv[0];
	if (!strcmp(cmd, "list") && argc == 1)
		rc = dsactl_list(root, stdout);
	else if (!strcmp(cmd, "dump") && argc == 1)
		rc = dsactl_dump(root, stdout);
	else if ((!strcmp(cmd, "check") || !strcmp(cmd, "apply")) && argc == 2)
		rc = cmd_file(root, argv[1], !strcmp(cmd, "apply"));
	else if ((!strcmp(cmd, "enable") || !strcmp(cmd, "disable")) && argc >= 2)
		rc = cmd_enable(root, argv + 1, argc - 1, !strcmp(cmd, "enable"));
	else if (!strcmp(cmd, "set") && argc >= 3)
		rc = cmd_set(root, argv[1], argv + 2, argc - 2);
	else {
		usage(stderr);
		return 2;
	}
	if (rc == -ENOENT && (!strcmp(cmd, "list") || !strcmp(cmd, "dump")))
		fprintf(stderr, "dsactl: %s: no such directory (is dsa_pci loaded?)\n", root);
	return rc ? 1 : 0;
}
