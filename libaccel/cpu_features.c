// SPDX-License-Identifier: MIT
/*
 * Which submission and wait instructions this CPU has.  Inside a QEMU guest
 * MOVDIR64B and ENQCMD raise SIGILL, so nothing may assume them: CPUID leaf
 * 7 (ECX bit 5 WAITPKG, bit 27 MOVDIRI, bit 28 MOVDIR64B, bit 29 ENQCMD).
 */
#include <cpuid.h>

#include "internal.h"

struct accel_cpu accel_cpu;

void accel_cpu_detect(void)
{
	unsigned a, b, c, d;

	if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		accel_cpu.waitpkg = c & (1u << 5);
		accel_cpu.movdir64b = c & (1u << 28);
		accel_cpu.enqcmd = c & (1u << 29);
	}
	if (__get_cpuid(1, &a, &b, &c, &d))
		accel_cpu.sse42 = c & (1u << 20);
	if (__get_cpuid(0x80000001u, &a, &b, &c, &d))
		accel_cpu.prefetchw = c & (1u << 8); /* PRFCHW */
}
