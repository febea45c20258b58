// SPDX-License-Identifier: MIT
/* The accel-vfio-user program itself, over a unix socket path. */
#include "vt.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t vt_spawn(const char *const *args)
{
	pid_t pid = fork();

	VT_CHECK(pid >= 0);
	if (!pid) {
		execv(args[0], (char *const *)args);
		_exit(127);
	}
	return pid;
}

static int vt_wait_exit(pid_t pid)
{
	int st;

	VT_EQ(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int vt_connect(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s, tries;

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	for (tries = 0; tries < 500; tries++) {
		struct timespec ms = { 0, 10 * 1000 * 1000 };

		s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		VT_CHECK(s >= 0);
		if (!connect(s, (struct sockaddr *)&a, sizeof(a)))
			return s;
		close(s);
		nanosleep(&ms, NULL);
	}
	vt_fail(__FILE__, __LINE__, "no server at %s", path);
}

VT_TEST(server_program_serves_a_client)
{
	const char *server = getenv("VT_SERVER");
	char path[64];
	struct vt v;
	pid_t pid;

	if (!server)
		vt_skip("VT_SERVER (the accel-vfio-user binary) not set");
	snprintf(path, sizeof(path), "/tmp/vt-vfu-%d.sock", (int)getpid());
	{
		const char *args[] = { server, "-s", path, "--once", "-q", "2",
				       "-m", "dedicated", "-z", "64", "-d",
				       "2", "-b", "cpu", NULL };

		pid = vt_spawn(args);
	}
	memset(&v, 0, sizeof(v));
	v.sock = vt_connect(path);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(DSA_FGET(vt_r64(&v, DSA_REG_WQCAP), DSA_WQCAP_NUM_WQS), 2);
	VT_EQ(DSA_FGET(vt_r64(&v, DSA_REG_WQCAP), DSA_WQCAP_TOTAL_SIZE), 64);
	VT_EQ(DSA_FGET(vt_r64(&v, DSA_REG_WQCAP), DSA_WQCAP_SHARED_MODE), 0);
	VT_EQ(vt_cfg32(&v, 0) >> 16, 0x11fb);
	close(v.sock);
	/* --once: the client's leaving ends the server, cleanly. */
	VT_EQ(vt_wait_exit(pid), 0);
	VT_EQ(access(path, F_OK), -1);
}

VT_TEST(server_program_refuses_bad_options)
{
	const char *server = getenv("VT_SERVER");
	const char *bad[][8] = {
		{ "-s", "/tmp/x", "-q", "9", NULL },
		{ "-s", "/tmp/x", "-m", "sideways", NULL },
		{ "-s", "/tmp/x", "-d", "3", NULL },
		{ "-s", "/tmp/x", "-z", "0", NULL },
		{ "-q", "2", NULL },
		{ "-s", "/tmp/x", "extra", NULL },
		{ "-s", "/tmp/x", "-q", "x", NULL },
		{ "-s", "/tmp/x", "-c", "0", NULL },
		{ "-s", "/tmp/x", "-c", "17", NULL },
		{ "-s", "/tmp/x", "--stats-file", NULL },
	};
	size_t i;

	if (!server)
		vt_skip("VT_SERVER (the accel-vfio-user binary) not set");
	/* Refused by the options alone: exit status 2, the path untouched. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *args[10] = { server };
		int k;

		for (k = 0; bad[i][k]; k++)
			args[k + 1] = bad[i][k];
		if (vt_wait_exit(vt_spawn(args)) != 2)
			vt_fail(__FILE__, __LINE__, "option set %zu not refused", i);
	}
}
