// SPDX-License-Identifier: MIT
/*
 * accel-vfio-user: a virtual DSA served over a vfio-user socket, to one
 * guest or (-c N) up to N guests at once on one host queue
 * (docs/vfio-user.md shows the QEMU command line).
 */
#include "vfu_dsa.h"

#include <errno.h>
#include <fcntl.h>
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
		"  -v, --verbose         name every refused message on stderr\n"
		"  -c, --clients N       serve up to N clients at once (1-16, default 1)\n"
		"  -1, --once            serve one client (with -c N: N clients), then exit\n"
		"      --stats-file PATH rewrite PATH with the accounting line at every\n"
		"                        client's end and at exit\n"
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
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, VFU_SERVER_MAX_CLIENTS)) {
		int err = -errno;

		close(s);
		return err;
	}
	return s;
}

static int stop_pipe[2] = { -1, -1 };

static void on_stop(int sig)
{
	char b = (char)sig;

	(void)!write(stop_pipe[1], &b, 1);
}

struct ready {
	const char *path;
	const struct vfu_dsa_config *cfg;
	unsigned int clients;
};

static void on_ready(void *ctx, const struct vfu_dsa *d)
{
	const struct ready *r = ctx;

	fprintf(stderr,
		"accel-vfio-user: %s: DSA %u.0, %u queues (%s), %u entries, host queue %s, %u client%s at once%s\n",
		r->path, r->cfg->version, r->cfg->num_wqs,
		r->cfg->mode == VFU_DSA_MODE_ANY ? "any mode" :
		r->cfg->mode == VFU_DSA_MODE_DEDICATED ? "dedicated" : "shared",
		r->cfg->total_wq_size, vfu_dsa_backend(d), r->clients,
		r->clients == 1 ? "" : "s",
		r->cfg->no_pv ? ", no paravirtual extension" : "");
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
		{ "verbose", no_argument, NULL, 'v' },
		{ "once", no_argument, NULL, '1' },
		{ "clients", required_argument, NULL, 'c' },
		{ "stats-file", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vfu_server_opts so = { .clients = 1, .stop_fd = -1 };
	struct vfu_dsa_config cfg;
	struct sigaction sa;
	const char *path = NULL;
	struct ready r;
	int c, ls, err;

	vfu_dsa_config_default(&cfg);
	while ((c = getopt_long(argc, argv, "s:q:z:m:d:b:c:1vh", opts, NULL)) != -1) {
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
		case 'v':
			cfg.log_errors = true;
			break;
		case '1':
			so.once = true;
			break;
		case 'c':
			if (parse_uint(optarg, &so.clients) || !so.clients ||
			    so.clients > VFU_SERVER_MAX_CLIENTS)
				goto bad;
			break;
		case 'S':
			so.stats_file = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	/* Before the socket path is touched (listen_on replaces it). */
	if (!path || optind != argc || vfu_dsa_config_check(&cfg))
		goto bad;
	signal(SIGPIPE, SIG_IGN);
	/* SIGTERM/SIGINT end the loop through a pipe, so that every client
	 * is released and the exit accounting is written. */
	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK)) {
		perror("accel-vfio-user: pipe");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	so.stop_fd = stop_pipe[0];
	ls = listen_on(path);
	if (ls < 0) {
		fprintf(stderr, "accel-vfio-user: %s: %s\n", path, strerror(-ls));
		return 1;
	}
	r.path = path;
	r.cfg = &cfg;
	r.clients = so.clients;
	so.ready = on_ready;
	so.ready_ctx = &r;
	err = vfu_server_run(ls, &cfg, &so);
	close(ls);
	unlink(path);
	if (err) {
		fprintf(stderr, "accel-vfio-user: %s\n", strerror(-err));
		return 1;
	}
	return 0;
bad:
	usage(stderr);
	return 2;
}
