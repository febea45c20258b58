// SPDX-License-Identifier: MIT
/*
 * libFuzzer over the message decoder: the input is a stream of vfio-user
 * messages (framed by their own size fields, as the socket frames them),
 * handed to vfu_dsa_handle_msg one by one.  Byte 0 chooses whether a valid
 * VERSION goes first and whether the queues are up; the next 2 bytes give
 * how much of the rest seeds guest RAM.
 */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fz_init();
	return 0;
}

static void fz_version(void)
{
	static const char caps[] = "{\"capabilities\":{\"pgsizes\":4096}}";
	uint8_t msg[16 + 4 + sizeof(caps)], reply[VFU_DSA_REPLY_MAX];
	struct vfu_hdr h = { .msg_id = 1, .cmd = VFU_CMD_VERSION,
			     .msg_size = sizeof(msg) };
	size_t rlen;

	memset(msg, 0, sizeof(msg));
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + 20, caps, sizeof(caps));
	vfu_dsa_handle_msg(fz_dev, msg, sizeof(msg), NULL, 0, reply, &rlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t reply[VFU_DSA_REPLY_MAX];
	size_t ram_len, rlen;
	uint8_t mode;

	if (size < 3)
		return 0;
	mode = data[0];
	ram_len = (size_t)(data[1] | data[2] << 8);
	data += 3;
	size -= 3;
	if (ram_len > size)
		ram_len = size;
	fz_fresh(data, ram_len, mode & 2);
	data += ram_len;
	size -= ram_len;
	if (mode & 1)
		fz_version();
	while (size) {
		struct vfu_hdr h;
		size_t len;

		if (size < VFU_HDR_SIZE) {
			vfu_dsa_handle_msg(fz_dev, data, size, NULL, 0, reply,
					   &rlen);
			break;
		}
		memcpy(&h, data, sizeof(h));
		/* The socket would read msg_size bytes (a header at least). */
		len = h.msg_size < VFU_HDR_SIZE ? VFU_HDR_SIZE :
		      h.msg_size > size	       ? size :
						 h.msg_size;
		vfu_dsa_handle_msg(fz_dev, data, len, NULL, 0, reply, &rlen);
		if (rlen < VFU_HDR_SIZE && rlen)
			abort();
		data += len;
		size -= len;
	}
	return 0;
}
