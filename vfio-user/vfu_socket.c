// SPDX-License-Identifier: MIT
/*
 * The connection: messages framed by their header's size on a stream
 * socket, fds as SCM_RIGHTS with the first bytes of a message.  A size
 * field below a header is answered with an error and serving goes on; a
 * size beyond our largest message is drained (up to a bound) and answered
 * E2BIG; a message cut short by the client's leaving ends the connection.
 * Either way the client's regions and eventfds are released at the end.
 */
#include "vfu_internal.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

/* A client may send a message this large to be refused; more: it goes. */
#define VFU_DRAIN_MAX (1u << 20)

/* Read exactly n bytes; fds that come with them are appended. */
static int vfu_recv(int sock, void *buf, size_t n, int *fds,
		    unsigned int *nfds)
{
	size_t got = 0;

	while (got < n) {
		union {
			struct cmsghdr h;
			char b[CMSG_SPACE(VFU_MAX_MSG_FDS * sizeof(int))];
		} ctl;
		struct iovec iov = { (char *)buf + got, n - got };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = ctl.b,
				     .msg_controllen = sizeof(ctl.b) };
		struct cmsghdr *c;
		ssize_t r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return got ? -EPIPE : -ENOTCONN;
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			unsigned int k, cnt;

			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			cnt = (unsigned int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			for (k = 0; k < cnt; k++) {
				int fd;

				memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof(int));
				if (*nfds < VFU_MAX_MSG_FDS + 1)
					fds[(*nfds)++] = fd;
				else
					close(fd);
			}
		}
		got += (size_t)r;
	}
	return 0;
}

static int vfu_send(int sock, const void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = send(sock, (const char *)buf + done, n - done,
				 MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		done += (size_t)w;
	}
	return 0;
}

static int vfu_drain(int sock, size_t n)
{
	uint8_t junk[4096];
	int fds[VFU_MAX_MSG_FDS + 1];
	unsigned int k, got = 0;
	int err = 0;

	while (n && !err) {
		size_t c = n < sizeof(junk) ? n : sizeof(junk);

		err = vfu_recv(sock, junk, c, fds, &got);
		n -= c;
	}
	for (k = 0; k < got; k++)
		close(fds[k]);
	return err;
}

static void vfu_close_fds(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		close(fds[i]);
}

/* One message: 0 to go on, negative to end the connection. */
static int vfu_serve_one(struct vfu_dsa *d, int sock, uint8_t *msg,
			 uint8_t *reply)
{
	int fds[VFU_MAX_MSG_FDS + 1];
	unsigned int nfds = 0;
	struct vfu_hdr h;
	size_t len = VFU_HDR_SIZE, rlen;
	int err;

	err = vfu_recv(sock, msg, VFU_HDR_SIZE, fds, &nfds);
	if (err)
		goto out_fds;
	memcpy(&h, msg, sizeof(h));
	if (h.msg_size > VFU_MAX_MSG) {
		struct vfu_hdr rh = { .msg_id = h.msg_id, .cmd = h.cmd,
				      .msg_size = VFU_HDR_SIZE,
				      .flags = VFU_FLAG_TYPE_REPLY | VFU_FLAG_ERROR,
				      .error_no = E2BIG };

		vfu_close_fds(fds, nfds);
		d->stats.messages++;
		d->stats.errors++;
		if (h.msg_size - VFU_HDR_SIZE > VFU_DRAIN_MAX)
			return -EMSGSIZE;
		err = vfu_drain(sock, h.msg_size - VFU_HDR_SIZE);
		return err ? err : vfu_send(sock, &rh, sizeof(rh));
	}
	/* A size below the header is the decoder's to refuse. */
	if (h.msg_size > VFU_HDR_SIZE) {
		len = h.msg_size;
		err = vfu_recv(sock, msg + VFU_HDR_SIZE, len - VFU_HDR_SIZE,
			       fds, &nfds);
		/* Gone after the header: a message cut short, not a
		 * clean close between messages. */
		if (err == -ENOTCONN)
			err = -EPIPE;
		if (err)
			goto out_fds;
	}
	vfu_dsa_handle_msg(d, msg, len, fds, nfds, reply, &rlen);
	return rlen ? vfu_send(sock, reply, rlen) : 0;

out_fds:
	vfu_close_fds(fds, nfds);
	return err;
}

int vfu_dsa_serve_msg(struct vfu_dsa *d, int sock)
{
	static __thread uint8_t msg[VFU_MAX_MSG + 1];
	static __thread uint8_t reply[VFU_DSA_REPLY_MAX];

	return vfu_serve_one(d, sock, msg, reply);
}

int vfu_dsa_serve(struct vfu_dsa *d, int sock)
{
	int err;

	do
		err = vfu_dsa_serve_msg(d, sock);
	while (!err);
	vfu_dsa_disconnect(d);
	return err == -ENOTCONN ? 0 : err;
}
