// SPDX-License-Identifier: MIT
/* The protocol: version, information, region access, framing. */
#include "vt.h"

#include <errno.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

static int vt_version_with(struct vt *v, uint16_t major, uint16_t minor,
			   const char *json, size_t jlen, uint16_t *minor_out)
{
	uint8_t msg[4 + 512], out[512];
	struct vfu_version ver = { major, minor };
	int err;

	memcpy(msg, &ver, 4);
	memcpy(msg + 4, json, jlen);
	err = vt_call(v, VFU_CMD_VERSION, msg, 4 + jlen, NULL, 0, out,
		      sizeof(out), NULL);
	if (!err && minor_out)
		memcpy(minor_out, out + 2, 2);
	return err;
}

VT_TEST(version_negotiates)
{
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_close(&v);
}

VT_TEST(version_without_json)
{
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version_with(&v, 0, 0, "", 0, NULL), 0);
	vt_close(&v);
}

VT_TEST(version_twice_refused)
{
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_version(&v), -EINVAL);
	vt_close(&v);
}

VT_TEST(version_other_major_refused)
{
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version_with(&v, 1, 0, "", 0, NULL), -ENOTSUP);
	VT_EQ(vt_version(&v), 0);
	vt_close(&v);
}

VT_TEST(version_minor_not_above_proposed)
{
	struct vt v;
	uint16_t minor = 0xffff;

	vt_open(&v, NULL);
	VT_EQ(vt_version_with(&v, 0, 7, "{}", 3, &minor), 0);
	VT_EQ(minor, 0);
	vt_close(&v);
}

VT_TEST(version_json_malformed_refused)
{
	static const char *bad[] = {
		"{", "}", "[]", "{\"capabilities\":}", "{\"a\" 1}",
		"{\"capabilities\":{\"max_msg_fds\":-1}}",
		"{\"capabilities\":{\"pgsizes\":1.5}}",
		"{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":tru}",
		"{\"a\":1,}", "{} {}", "{\"a\":01e}", "{\"a\":\"\n\"}",
		"{\"capabilities\":{\"pgsizes\":99999999999999999999999}}",
	};
	struct vt v;
	size_t i;

	vt_open(&v, NULL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vt_version_with(&v, 0, 0, bad[i], strlen(bad[i]) + 1,
				    NULL) != -EINVAL)
			vt_fail(__FILE__, __LINE__, "accepted %s", bad[i]);
	/* Still serving, still unversioned. */
	VT_EQ(vt_version(&v), 0);
	vt_close(&v);
}

VT_TEST(version_json_unterminated_refused)
{
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version_with(&v, 0, 0, "{}", 2, NULL), -EINVAL);
	/* A NUL inside the string is not its end. */
	VT_EQ(vt_version_with(&v, 0, 0, "{}\0{}", 6, NULL), -EINVAL);
	vt_close(&v);
}

VT_TEST(version_json_deep_nesting_refused)
{
	char deep[256];
	struct vt v;
	int i;

	for (i = 0; i < 100; i++)
		deep[i] = '[';
	for (; i < 200; i++)
		deep[i] = ']';
	deep[200] = 0;
	memcpy(deep, "{\"a\":", 5);
	vt_open(&v, NULL);
	VT_EQ(vt_version_with(&v, 0, 0, deep, 201, NULL), -EINVAL);
	vt_close(&v);
}

VT_TEST(version_json_unknown_members_skipped)
{
	static const char j[] =
		"{\"capabilities\":{\"max_msg_fds\":4,\"migration\":"
		"{\"pgsize\":4096,\"x\":[1,2,{\"y\":null}]},"
		"\"twin_socket\":{\"supported\":false},\"pgsizes\":4096},"
		"\"vendor\":\"\\u00e9\\\"\"}";
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version_with(&v, 0, 0, j, sizeof(j), NULL), 0);
	vt_close(&v);
}

VT_TEST(version_without_4k_pages_refused)
{
	static const char j[] = "{\"capabilities\":{\"pgsizes\":2097152}}";
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version_with(&v, 0, 0, j, sizeof(j), NULL), -ENOTSUP);
	vt_close(&v);
}

VT_TEST(command_before_version_refused)
{
	struct vfu_device_info i = { .argsz = sizeof(i) };
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_GET_INFO, &i, sizeof(i), NULL, 0,
		      NULL, 0, NULL), -EINVAL);
	vt_close(&v);
}

VT_TEST(device_info)
{
	struct vfu_device_info i = { .argsz = sizeof(i) }, r;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_GET_INFO, &i, sizeof(i), NULL, 0, &r,
		      sizeof(r), NULL), 0);
	VT_EQ(r.flags, VFU_DEVICE_FLAGS_RESET | VFU_DEVICE_FLAGS_PCI);
	VT_EQ(r.num_regions, VFU_PCI_NUM_REGIONS);
	VT_EQ(r.num_irqs, VFU_PCI_NUM_IRQS);
	/* argsz below the structure, or a short message: refused. */
	i.argsz = 8;
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_GET_INFO, &i, sizeof(i), NULL, 0,
		      NULL, 0, NULL), -EINVAL);
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_GET_INFO, &i, 8, NULL, 0, NULL, 0,
		      NULL), -EINVAL);
	vt_close(&v);
}

static int vt_region_info(struct vt *v, uint32_t index,
			  struct vfu_region_info *r)
{
	struct vfu_region_info q = { .argsz = sizeof(q), .index = index };

	return vt_call(v, VFU_CMD_DEVICE_GET_REGION_INFO, &q, sizeof(q), NULL,
		       0, r, sizeof(*r), NULL);
}

VT_TEST(region_info)
{
	struct vfu_region_info r;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_region_info(&v, VFU_PCI_BAR0, &r), 0);
	VT_EQ(r.size, 0x4000);
	VT_EQ(r.flags, VFU_REGION_FLAG_READ | VFU_REGION_FLAG_WRITE);
	VT_EQ(vt_region_info(&v, VFU_PCI_BAR2, &r), 0);
	VT_EQ(r.size, DSA_TWIN_BAR2_SIZE);
	VT_EQ(vt_region_info(&v, VFU_PCI_CONFIG, &r), 0);
	VT_EQ(r.size, 256);
	VT_EQ(vt_region_info(&v, 1, &r), 0);
	VT_EQ(r.size, 0);
	VT_EQ(r.flags, 0);
	VT_EQ(vt_region_info(&v, VFU_PCI_NUM_REGIONS, &r), -EINVAL);
	VT_EQ(vt_region_info(&v, 0xffffffffu, &r), -EINVAL);
	vt_close(&v);
}

VT_TEST(irq_info)
{
	struct vfu_irq_info q = { .argsz = sizeof(q), .index = VFU_PCI_MSIX }, r;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_GET_IRQ_INFO, &q, sizeof(q), NULL, 0,
		      &r, sizeof(r), NULL), 0);
	VT_EQ(r.count, VT_MSIX);
	VT_CHECK(r.flags & VFU_IRQ_INFO_EVENTFD);
	q.index = VFU_PCI_INTX;
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_GET_IRQ_INFO, &q, sizeof(q), NULL, 0,
		      &r, sizeof(r), NULL), 0);
	VT_EQ(r.count, 0);
	q.index = VFU_PCI_NUM_IRQS;
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_GET_IRQ_INFO, &q, sizeof(q), NULL, 0,
		      &r, sizeof(r), NULL), -EINVAL);
	vt_close(&v);
}

VT_TEST(region_access_bounds)
{
	uint8_t buf[8] = { 0 };
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_rd(&v, VFU_PCI_BAR0, 0x4000, buf, 4), -EINVAL);
	VT_EQ(vt_rd(&v, VFU_PCI_BAR0, 0x3ffc, buf, 8), -EINVAL);
	VT_EQ(vt_rd(&v, VFU_PCI_CONFIG, 255, buf, 4), -EINVAL);
	VT_EQ(vt_rd(&v, VFU_PCI_CONFIG, ~0ull - 1, buf, 4), -EINVAL);
	VT_EQ(vt_wr(&v, VFU_PCI_BAR2, DSA_TWIN_BAR2_SIZE - 4, buf, 8), -EINVAL);
	VT_EQ(vt_rd(&v, 1, 0, buf, 4), -EINVAL);
	VT_EQ(vt_rd(&v, VFU_PCI_CONFIG + 1, 0, buf, 4), -EINVAL);
	VT_EQ(vt_rd(&v, 0xffffffffu, 0, buf, 4), -EINVAL);
	VT_EQ(vt_rd(&v, VFU_PCI_CONFIG, 0, buf, 4), 0);
	vt_close(&v);
}

VT_TEST(region_access_counts)
{
	struct vfu_region_access a = { .offset = 0, .region = VFU_PCI_CONFIG,
				       .count = 0 };
	uint8_t msg[sizeof(a) + 8] = { 0 };
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	/* Zero and oversized counts. */
	VT_EQ(vt_call(&v, VFU_CMD_REGION_READ, &a, sizeof(a), NULL, 0, NULL, 0,
		      NULL), -EINVAL);
	a.count = 4097;
	VT_EQ(vt_call(&v, VFU_CMD_REGION_READ, &a, sizeof(a), NULL, 0, NULL, 0,
		      NULL), -EINVAL);
	/* A write whose data is not count bytes. */
	a.count = 4;
	memcpy(msg, &a, sizeof(a));
	VT_EQ(vt_call(&v, VFU_CMD_REGION_WRITE, msg, sizeof(msg), NULL, 0,
		      NULL, 0, NULL), -EINVAL);
	VT_EQ(vt_call(&v, VFU_CMD_REGION_WRITE, msg, sizeof(a) + 2, NULL, 0,
		      NULL, 0, NULL), -EINVAL);
	/* A read carrying data; a request shorter than its struct. */
	VT_EQ(vt_call(&v, VFU_CMD_REGION_READ, msg, sizeof(msg), NULL, 0, NULL,
		      0, NULL), -EINVAL);
	VT_EQ(vt_call(&v, VFU_CMD_REGION_READ, msg, 12, NULL, 0, NULL, 0, NULL),
	      -EINVAL);
	vt_close(&v);
}

VT_TEST(unknown_and_wrong_direction_commands)
{
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	VT_EQ(vt_call(&v, 99, NULL, 0, NULL, 0, NULL, 0, NULL), -ENOTSUP);
	VT_EQ(vt_call(&v, 0, NULL, 0, NULL, 0, NULL, 0, NULL), -ENOTSUP);
	VT_EQ(vt_call(&v, VFU_CMD_DMA_READ, NULL, 0, NULL, 0, NULL, 0, NULL),
	      -EINVAL);
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_GET_REGION_IO_FDS, NULL, 0, NULL, 0,
		      NULL, 0, NULL), -ENOTSUP);
	vt_close(&v);
}

static void vt_hdr(uint8_t *msg, uint16_t id, uint16_t cmd, uint32_t size,
		   uint32_t flags)
{
	struct vfu_hdr h = { .msg_id = id, .cmd = cmd, .msg_size = size,
			     .flags = flags };

	memcpy(msg, &h, sizeof(h));
}

VT_TEST(header_flags_checked)
{
	struct vfu_hdr r;
	uint8_t msg[16];
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_hdr(msg, 7, VFU_CMD_DEVICE_RESET, 16, VFU_FLAG_TYPE_REPLY);
	VT_EQ(vt_send_raw(&v, msg, 16, NULL, 0), 0);
	VT_EQ(vt_recv_reply(&v, &r, NULL, 0), -EINVAL);
	VT_EQ(r.msg_id, 7);
	vt_hdr(msg, 8, VFU_CMD_DEVICE_RESET, 16, VFU_FLAG_ERROR);
	VT_EQ(vt_send_raw(&v, msg, 16, NULL, 0), 0);
	VT_EQ(vt_recv_reply(&v, &r, NULL, 0), -EINVAL);
	vt_hdr(msg, 9, VFU_CMD_DEVICE_RESET, 16, 0x100);
	VT_EQ(vt_send_raw(&v, msg, 16, NULL, 0), 0);
	VT_EQ(vt_recv_reply(&v, &r, NULL, 0), -EINVAL);
	vt_hdr(msg, 10, VFU_CMD_DEVICE_RESET, 16, 0);
	VT_EQ(vt_send_raw(&v, msg, 16, NULL, 0), 0);
	VT_EQ(vt_recv_reply(&v, &r, NULL, 0), 0);
	VT_EQ(r.msg_id, 10);
	vt_close(&v);
}

VT_TEST(no_reply_flag_honoured)
{
	struct vfu_hdr r;
	uint8_t msg[16];
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_hdr(msg, 20, VFU_CMD_DEVICE_RESET, 16, VFU_FLAG_NO_REPLY);
	VT_EQ(vt_send_raw(&v, msg, 16, NULL, 0), 0);
	vt_hdr(msg, 21, VFU_CMD_DEVICE_RESET, 16, 0);
	VT_EQ(vt_send_raw(&v, msg, 16, NULL, 0), 0);
	VT_EQ(vt_recv_reply(&v, &r, NULL, 0), 0);
	VT_EQ(r.msg_id, 21);
	vt_close(&v);
}

VT_TEST(size_below_header_answered)
{
	struct vfu_hdr r;
	uint8_t msg[16];
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_hdr(msg, 30, VFU_CMD_DEVICE_RESET, 4, 0);
	VT_EQ(vt_send_raw(&v, msg, 16, NULL, 0), 0);
	VT_EQ(vt_recv_reply(&v, &r, NULL, 0), -EINVAL);
	VT_EQ(r.msg_id, 30);
	/* Still serving. */
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_RESET, NULL, 0, NULL, 0, NULL, 0,
		      NULL), 0);
	vt_close(&v);
}

VT_TEST(oversized_message_drained)
{
	static uint8_t msg[16 + 20000];
	struct vfu_hdr r;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_hdr(msg, 31, VFU_CMD_REGION_WRITE, sizeof(msg), 0);
	VT_EQ(vt_send_raw(&v, msg, sizeof(msg), NULL, 0), 0);
	VT_EQ(vt_recv_reply(&v, &r, NULL, 0), -E2BIG);
	VT_EQ(r.msg_id, 31);
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_RESET, NULL, 0, NULL, 0, NULL, 0,
		      NULL), 0);
	vt_close(&v);
}

VT_TEST(absurd_size_drops_client)
{
	struct vfu_dsa_stats s;
	uint8_t msg[16];
	struct vt v;

	vt_open(&v, NULL);
	vt_bringup(&v, 1, true, 8);
	vt_hdr(msg, 32, VFU_CMD_REGION_WRITE, 0xffffffffu, 0);
	VT_EQ(vt_send_raw(&v, msg, 16, NULL, 0), 0);
	pthread_join(v.th, NULL);
	VT_EQ(v.serve_rc, -EMSGSIZE);
	close(v.sock);
	v.sock = -1;
	vt_stats(&v, &s);
	VT_EQ(s.dma_regions, 0);
	VT_EQ(s.irq_fds, 0);
	vfu_dsa_destroy(v.d);
	v.d = NULL;
	/* vt_close without the join it already had. */
	{
		int i;

		munmap(v.ram, VT_RAM);
		close(v.memfd);
		for (i = 0; i < VT_MSIX; i++)
			close(v.efd[i]);
	}
}

VT_TEST(truncated_message_ends_connection)
{
	uint8_t msg[48] = { 0 };
	int fd = eventfd(0, EFD_CLOEXEC);
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	vt_hdr(msg, 33, VFU_CMD_DMA_MAP, 48, 0);
	/* Header and an fd, half the body, then gone. */
	VT_EQ(vt_send_raw(&v, msg, 30, &fd, 1), 0);
	close(fd);
	vt_hangup(&v);
	VT_EQ(v.serve_rc, -EPIPE);
	vfu_dsa_destroy(v.d);
}

VT_TEST(too_many_fds_closed)
{
	struct vfu_device_info i = { .argsz = sizeof(i) };
	int fds[20], k;
	struct vt v;

	vt_open(&v, NULL);
	VT_EQ(vt_version(&v), 0);
	for (k = 0; k < 20; k++)
		fds[k] = eventfd(0, EFD_CLOEXEC);
	VT_CHECK(vt_call(&v, VFU_CMD_DEVICE_GET_INFO, &i, sizeof(i), fds, 20,
			 NULL, 0, NULL) < 0);
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_GET_INFO, &i, sizeof(i), fds, 1, NULL,
		      0, NULL), -EINVAL);
	for (k = 0; k < 20; k++)
		close(fds[k]);
	vt_close(&v);
}

VT_TEST(device_reset_message)
{
	uint8_t one = 1;
	struct vt v;

	vt_open(&v, NULL);
	vt_bringup(&v, 1, true, 8);
	VT_EQ(DSA_FGET(vt_r32(&v, DSA_REG_GENSTS), DSA_GENSTS_STATE),
	      DSA_DEV_ENABLED);
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_RESET, &one, 1, NULL, 0, NULL, 0,
		      NULL), -EINVAL);
	VT_EQ(vt_call(&v, VFU_CMD_DEVICE_RESET, NULL, 0, NULL, 0, NULL, 0,
		      NULL), 0);
	VT_EQ(DSA_FGET(vt_r32(&v, DSA_REG_GENSTS), DSA_GENSTS_STATE),
	      DSA_DEV_DISABLED);
	/* Function reset: bus mastering off again. */
	VT_EQ(vt_cfg32(&v, 0x04) & 0x4, 0);
	vt_close(&v);
}
