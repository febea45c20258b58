// SPDX-License-Identifier: MIT
/*
 * libFuzzer over the register file: config space, BAR0 (the twin's
 * registers, the PASID_ROOT window, the MSI-X table) and BAR2 (portals),
 * as a guest's driver
 * would touch them, with guest RAM seeded from the input so that the
 * descriptors, batch lists and records the writes point at are the
 * fuzzer's too.  Input: mode byte, 2-byte RAM length, RAM, then accesses
 * of [kind, offset (2 bytes), length, value bytes].
 */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fz_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int regions[4] = { VFU_PCI_CONFIG, VFU_PCI_BAR0,
						 VFU_PCI_BAR2, 5 };
	static const uint32_t lens[8] = { 1, 2, 4, 8, 64, 3, 16, 0 };
	uint8_t buf[64];
	size_t ram_len;

	if (size < 3)
		return 0;
	ram_len = (size_t)(data[1] | data[2] << 8);
	fz_fresh(data + 3, ram_len < size - 3 ? ram_len : size - 3, data[0] & 1);
	if (ram_len > size - 3)
		return 0;
	data += 3 + ram_len;
	size -= 3 + ram_len;
	while (size >= 4) {
		unsigned int region = regions[data[0] & 3];
		bool write = data[0] & 4;
		uint32_t len = lens[data[0] >> 3 & 7];
		/* Offsets: BAR2's high bits pick the queue. */
		uint64_t off = (uint64_t)(data[1] | data[2] << 8) |
			       (uint64_t)(data[3] & 0x3) << 16;

		data += 4;
		size -= 4;
		if (write) {
			uint32_t take = len < size ? len : (uint32_t)size;

			memset(buf, 0, sizeof(buf));
			memcpy(buf, data, take);
			data += take;
			size -= take;
			vfu_dsa_region_write(fz_dev, region, off, buf, len);
		} else {
			vfu_dsa_region_read(fz_dev, region, off, buf, len);
		}
	}
	return 0;
}
