// SPDX-License-Identifier: MIT
/*
 * The server loop of accel-vfio-user: up to N clients at once, each with a
 * device of its own (registers, DMA regions, eventfds, PASID table), all
 * on the one host queue the first device opened; poll(2) over the
 * listening socket and the clients' sockets, one whole message at a time.
 *
 * Accounting: when a client goes (and at exit) the server prints what its
 * device still holds after the release, one line on the log:
 *   vfu-accounting: regions=R eventfds=E pasids=P partial=G inflight=I when=disconnect client=K
 *   vfu-accounting: regions=R eventfds=E pasids=P partial=G inflight=I when=exit clients=N
 * (at exit summed over every device), and rewrites the stats file with
 * that line and a totals line (docs/vfio-user.md has the format).
 */
#include "vfu_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define VFU_IO_TIMEOUT_MS 10000

struct vfu_client {
	struct vfu_dsa *d;
	int sock; /* -1: free */
	unsigned int id; /* 1, 2, ... in order of arrival */
};

static void vfu_acct_add(struct vfu_dsa_stats *sum,
			 const struct vfu_dsa_stats *s)
{
	sum->dma_regions += s->dma_regions;
	sum->irq_fds += s->irq_fds;
	sum->pasids += s->pasids;
	sum->partial += s->partial;
	sum->inflight += s->inflight;
	sum->messages += s->messages;
	sum->errors += s->errors;
	sum->descs += s->descs;
	sum->host_descs += s->host_descs;
	sum->model_descs += s->model_descs;
	sum->faults += s->faults;
	sum->irqs += s->irqs;
	sum->walks += s->walks;
	sum->portal_dropped += s->portal_dropped;
}

int vfu_dsa_format_accounting(const struct vfu_dsa_stats *s, char *buf,
			      size_t n)
{
	int len = snprintf(buf, n,
			   "vfu-accounting: regions=%u eventfds=%u pasids=%u "
			   "partial=%u inflight=%u",
			   s->dma_regions, s->irq_fds, s->pasids, s->partial,
			   s->inflight);

	return len < 0 || (size_t)len >= n ? -ENOSPC : len;
}

/* The stats file, replaced whole (write, then rename) so a reader never
 * sees half of it. */
static void vfu_stats_write(const char *path, const char *line,
			    const struct vfu_dsa_stats *sum,
			    unsigned int clients)
{
	char tmp[4096];
	FILE *f;

	if (!path || snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return;
	f = fopen(tmp, "we");
	if (!f)
		return;
	fprintf(f,
		"%s\nvfu-totals: clients=%u messages=%llu errors=%llu descs=%llu "
		"host_descs=%llu model_descs=%llu faults=%llu walks=%llu "
		"irqs=%llu portal_dropped=%llu\n",
		line, clients, (unsigned long long)sum->messages,
		(unsigned long long)sum->errors,
		(unsigned long long)sum->descs,
		(unsigned long long)sum->host_descs,
		(unsigned long long)sum->model_descs,
		(unsigned long long)sum->faults,
		(unsigned long long)sum->walks, (unsigned long long)sum->irqs,
		(unsigned long long)sum->portal_dropped);
	if (fclose(f) || rename(tmp, path))
		unlink(tmp);
}

static void vfu_totals(struct vfu_client *c, unsigned int n,
		       struct vfu_dsa_stats *sum)
{
	unsigned int i;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < n; i++) {
		struct vfu_dsa_stats s;

		vfu_dsa_get_stats(c[i].d, &s);
		vfu_acct_add(sum, &s);
	}
}

/* The client has gone (or broke its stream): release, then account. */
static void vfu_client_end(struct vfu_client *all, unsigned int n,
			   struct vfu_client *c, const struct vfu_server_opts *o,
			   unsigned int clients, int why)
{
	struct vfu_dsa_stats s, sum;
	char line[256];

	vfu_dsa_disconnect(c->d);
	close(c->sock);
	c->sock = -1;
	vfu_dsa_get_stats(c->d, &s);
	vfu_dsa_format_accounting(&s, line, sizeof(line));
	snprintf(line + strlen(line), sizeof(line) - strlen(line),
		 " when=disconnect client=%u", c->id);
	if (why != -ENOTCONN)
		fprintf(o->log, "accel-vfio-user: client %u dropped: %s\n", c->id,
			strerror(-why));
	fprintf(o->log, "%s\n", line);
	fflush(o->log);
	vfu_totals(all, n, &sum);
	vfu_stats_write(o->stats_file, line, &sum, clients);
}

static void vfu_client_start(struct vfu_client *c, int sock, unsigned int id,
			     int timeout_ms)
{
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };

	/* A client that stalls inside a message would hold every other
	 * client up (messages are read whole): it gets this long. */
	setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	c->sock = sock;
	c->id = id;
}

int vfu_server_run(int lsock, const struct vfu_dsa_config *cfg,
		   const struct vfu_server_opts *opts)
{
	struct vfu_server_opts o = *opts;
	struct pollfd pfd[2 + VFU_SERVER_MAX_CLIENTS];
	struct vfu_client c[VFU_SERVER_MAX_CLIENTS];
	unsigned int n = o.clients, i, accepted = 0, active = 0;
	struct vfu_dsa_stats sum;
	char line[256];
	int err = 0;

	if (!n || n > VFU_SERVER_MAX_CLIENTS)
		return -EINVAL;
	if (!o.log)
		o.log = stderr;
	if (o.io_timeout_ms <= 0)
		o.io_timeout_ms = VFU_IO_TIMEOUT_MS;
	memset(c, 0, sizeof(c));
	for (i = 0; i < n; i++) {
		err = i ? vfu_dsa_create_shared(&c[i].d, cfg,
						cfg->model_only ? NULL : c[0].d) :
			  vfu_dsa_create(&c[i].d, cfg);
		c[i].sock = -1;
		if (err)
			goto out;
	}
	if (o.ready)
		o.ready(o.ready_ctx, c[0].d);
	while (!(o.once && accepted == n && !active)) {
		/* who[k]: the client index behind pfd[k], or one of these */
		enum { WHO_STOP = -2, WHO_LISTEN = -1 };
		int who[2 + VFU_SERVER_MAX_CLIENTS];
		unsigned int np = 0, k;
		bool accept_now = false;

		if (o.stop_fd >= 0) {
			who[np] = WHO_STOP;
			pfd[np++] = (struct pollfd){ o.stop_fd, POLLIN, 0 };
		}
		if (active < n && !(o.once && accepted == n)) {
			who[np] = WHO_LISTEN;
			pfd[np++] = (struct pollfd){ lsock, POLLIN, 0 };
		}
		for (i = 0; i < n; i++)
			if (c[i].sock >= 0) {
				who[np] = (int)i;
				pfd[np++] = (struct pollfd){ c[i].sock, POLLIN, 0 };
			}
		if (poll(pfd, np, -1) < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		for (k = 0; k < np; k++) {
			if (!pfd[k].revents)
				continue;
			if (who[k] == WHO_STOP)
				goto stop;
			if (who[k] == WHO_LISTEN) {
				accept_now = true;
			} else {
				struct vfu_client *cl = &c[who[k]];
				int r = vfu_dsa_serve_msg(cl->d, cl->sock);

				if (r) {
					vfu_client_end(c, n, cl, &o, accepted, r);
					active--;
				}
			}
		}
		if (accept_now) {
			int sk = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);

			if (sk < 0) {
				if (errno == EINTR || errno == EAGAIN ||
				    errno == ECONNABORTED)
					continue;
				err = -errno;
				break;
			}
			for (i = 0; c[i].sock >= 0; i++)
				;
			vfu_client_start(&c[i], sk, ++accepted, o.io_timeout_ms);
			active++;
			fprintf(o.log, "accel-vfio-user: client %u connected\n",
				accepted);
			fflush(o.log);
		}
	}
stop:
	for (i = 0; i < n; i++)
		if (c[i].sock >= 0)
			vfu_client_end(c, n, &c[i], &o, accepted, -ENOTCONN);
	vfu_totals(c, n, &sum);
	vfu_dsa_format_accounting(&sum, line, sizeof(line));
	snprintf(line + strlen(line), sizeof(line) - strlen(line),
		 " when=exit clients=%u", accepted);
	fprintf(o.log, "%s\n", line);
	fflush(o.log);
	vfu_stats_write(o.stats_file, line, &sum, accepted);
out:
	/* The owner of the host queue goes last. */
	for (i = n; i-- > 0;)
		vfu_dsa_destroy(c[i].d);
	return err;
}
