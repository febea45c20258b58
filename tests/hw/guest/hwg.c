// SPDX-License-Identifier: MIT
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hwg.h"

const char *hwg_dev(const char *var)
{
	const char *v = getenv(var);

	cr_assert(v && *v, "$%s names no queue (run by tests/hw/guest-hw.sh)",
		  var);
	return v;
}

void hwg_open(struct kt_q *q, const char *var)
{
	const char *name = hwg_dev(var);
	int rc = kt_open(q, name, true, false);

	cr_assert_eq(rc, 0, "open %s ($%s): %s", name, var, strerror(-rc));
	cr_assert(q->qi.submit & UACCE_DSA_SUBMIT_WRITE, "%s: no write(2)",
		  name);
}

long hwg_write(struct kt_q *q, const struct dsa_desc *d, unsigned int n)
{
	ssize_t w = write(q->fd, d, n * sizeof(*d));

	return w < 0 ? -errno : (long)w;
}

uint8_t hwg_run(struct kt_q *q, struct dsa_desc *d, struct dsa_comp *c)
{
	int rc = kt_write(q, d);

	cr_assert_eq(rc, 0, "write: %s", strerror(-rc));
	return kt_wait(c, 5000);
}

void hwg_inject(const char *var, const char *cmd)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/device/sim_inject", UACCE_SYSFS_DIR,
		 hwg_dev(var));
	fd = open(path, O_WRONLY);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	n = write(fd, cmd, strlen(cmd));
	cr_assert_eq(n, (ssize_t)strlen(cmd), "%s < '%s': %s", path, cmd,
		     strerror(errno));
	close(fd);
}

short hwg_poll(struct kt_q *q, int ms)
{
	struct pollfd p = { .fd = q->fd, .events = POLLIN };
	int n = poll(&p, 1, ms);

	cr_assert_geq(n, 0, "poll: %s", strerror(errno));
	return n ? p.revents : 0;
}
