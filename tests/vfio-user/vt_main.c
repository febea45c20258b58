// SPDX-License-Identifier: MIT
/* The runner: every test, or those whose name contains argv[1]. */
#include "vt.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

static struct vt_test *vt_head, **vt_tail = &vt_head;
static jmp_buf vt_jmp;

void vt_register(struct vt_test *t)
{
	*vt_tail = t;
	vt_tail = &t->next;
}

void vt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  %s:%d: check failed: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	longjmp(vt_jmp, 1);
}

void vt_skip(const char *why)
{
	fprintf(stderr, "  skipped: %s\n", why);
	longjmp(vt_jmp, 2);
}

int vt_count_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!dir)
		return -1;
	while ((e = readdir(dir)))
		n += e->d_name[0] != '.';
	closedir(dir);
	return n - 1; /* the directory's own */
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	static unsigned int pass, fail, skip;
	struct timespec t0, t1;
	static struct vt_test *t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (t = vt_head; t; t = t->next) {
		volatile int before;

		if (filter && !strstr(t->name, filter))
			continue;
		before = vt_count_fds();
		switch (setjmp(vt_jmp)) {
		case 0:
			break;
		case 2:
			fprintf(stderr, "SKIP %s\n", t->name);
			skip++;
			continue;
		default:
			fprintf(stderr, "FAIL %s\n", t->name);
			fail++;
			continue;
		}
		t->fn();
		/* Whatever a test opened (or the device kept) is gone. */
		if (vt_count_fds() != before) {
			fprintf(stderr, "FAIL %s: %d fds before, %d after\n",
				t->name, before, vt_count_fds());
			fail++;
			continue;
		}
		pass++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("vfio-user: %u passed, %u failed", pass, fail);
	if (skip)
		printf(", %u skipped", skip);
	printf(" (%.1f s)\n", (double)(t1.tv_sec - t0.tv_sec) +
				       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return fail ? 1 : 0;
}
