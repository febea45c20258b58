// SPDX-License-Identifier: MIT
/*
 * accel-vfio-user: a virtual DSA for one guest at a time, served over a
 * vfio-user socket (docs/vfio-user.md shows the QEMU command line).
 */
#include "vfu_dsa.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: accel-vfio-user -s SOCKET [options]\n"
		"  -s, --socket PATH     listen on this unix socket (created)\n"
		"  -q, --queues N        work queues the guest sees (1-8, default 8)\n"
		"  -z, --wq-size N       entries shared by the queues (1-128)\n"
		"  -m, --mode MODE       any | dedicated | shared (queue modes offered)\n"
		"  -d, --dsa VERSION     1 (DSA 1.0, default) or 2 (DSA 2.0)\n"
		"  -b, --backend NAME    host libaccel backend (default auto)\n"
		"      --model           run guest work in the in-process model\n"
		"      --no-pv           no paravirtual extension (looks like hardware)\n"
		"  -1, --once            serve one client, then exit\n"
		"  -h, --help\n");
}

static int parse_uint(const char *s, unsigned int *v)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(s, &end, 0);
	if (errno || !*s || *end || x > 0xffffffffu)
		return -EINVAL;
	*v = (unsigned int)x;
	return 0;
}

static int listen_on(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s;

	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	strcpy(a.sun_path, path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	unlink(path);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 1)) {
		int err = -errno;

		close(s);
		return err;
	}
	return s;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "queues", required_argument, NULL, 'q' },
		{ "wq-size", required_argument, NULL, 'z' },
		{ "mode", required_argument, NULL, 'm' },
		{ "dsa", required_argument, NULL, 'd' },
		{ "backend", required_argument, NULL, 'b' },
		{ "model", no_argument, NULL, 'M' },
		{ "no-pv", no_argument, NULL, 'P' },
		{ "once", no_argument, NULL, '1' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vfu_dsa_config cfg;
	const char *path = NULL;
	struct vfu_dsa *d;
	bool once = false;
	int c, ls, err;

	vfu_dsa_config_default(&cfg);
	while ((c = getopt_long(argc, argv, "s:q:z:m:d:b:1h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			path = optarg;
			break;
		case 'q':
			if (parse_uint(optarg, &cfg.num_wqs))
				goto bad;
			break;
		case 'z':
			if (parse_uint(optarg, &cfg.total_wq_size))
				goto bad;
			break;
		case 'm':
			if (!strcmp(optarg, "any"))
				cfg.mode = VFU_DSA_MODE_ANY;
			else if (!strcmp(optarg, "dedicated"))
				cfg.mode = VFU_DSA_MODE_DEDICATED;
			else if (!strcmp(optarg, "shared"))
				cfg.mode = VFU_DSA_MODE_SHARED;
			else
				goto bad;
			break;
		case 'd':
			if (parse_uint(optarg, &cfg.version))
				goto bad;
			break;
		case 'b':
			cfg.backend = optarg;
			break;
		case 'M':
			cfg.model_only = true;
			break;
		case 'P':
			cfg.no_pv = true;
			break;
		case '1':
			once = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (!path || optind != argc)
		goto bad;
	signal(SIGPIPE, SIG_IGN);
	err = vfu_dsa_create(&d, &cfg);
	if (err) {
		fprintf(stderr, "accel-vfio-user: device: %s\n", strerror(-err));
		return 1;
	}
	ls = listen_on(path);
	if (ls < 0) {
		fprintf(stderr, "accel-vfio-user: %s: %s\n", path, strerror(-ls));
		vfu_dsa_destroy(d);
		return 1;
	}
	fprintf(stderr,
		"accel-vfio-user: %s: DSA %u.0, %u queues (%s), %u entries, host queue %s\n",
		path, cfg.version, cfg.num_wqs,
		cfg.mode == VFU_DSA_MODE_ANY ? "any mode" :
		cfg.mode == VFU_DSA_MODE_DEDICATED ? "dedicated" : "shared",
		cfg.total_wq_size, vfu_dsa_backend(d));
	/* One server serves one guest: clients are taken one after another. */
	do {
		int s = accept4(ls, NULL, NULL, SOCK_CLOEXEC);

		if (s < 0) {
			if (errno == EINTR)
				continue;
			perror("accel-vfio-user: accept");
			break;
		}
		err = vfu_dsa_serve(d, s);
		if (err)
			fprintf(stderr, "accel-vfio-user: client dropped: %s\n",
				strerror(-err));
		close(s);
	} while (!once);
	close(ls);
	unlink(path);
	vfu_dsa_destroy(d);
	return 0;
bad:
	usage(stderr);
	return 2;
}
