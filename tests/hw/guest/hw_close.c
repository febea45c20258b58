// SPDX-License-Identifier: MIT
/*
 * Closing a queue with work in flight: the driver drains the opener's work
 * (Drain PASID on a shared queue, command 11; Drain WQ on a dedicated one)
 * before its PASID and address space go, so by the time close() returns
 * every descriptor it accepted has its record.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hwg.h"

#define N 48
#define XFER (32 * 1024)

Test(hw_close, drains_work_in_flight)
{
	const char *vars[] = { "HW_V1_SWQ", "HW_V2_DWQ", "HW_V2_SWQ" };
	uint8_t *src = malloc(XFER), *dst = malloc(XFER);

	cr_assert(src && dst);
	memset(src, 0x3c, XFER);
	memset(dst, 0, XFER); /* present: no fault without block-on-fault */
	for (int i = 0; i < 3; i++) {
		static _Alignas(32) struct dsa_comp recs[N];
		struct kt_q q;
		int n;

		memset(recs, 0, sizeof(recs));
		hwg_open(&q, vars[i]);
		for (n = 0; n < N; n++) {
			struct dsa_desc d;

			kt_desc(&d, DSA_OP_MEMMOVE, 0, src, dst, XFER, &recs[n]);
			if (hwg_write(&q, &d, 1) != (long)sizeof(d))
				break;
		}
		cr_assert_gt(n, 1);
		kt_close(&q);
		for (int k = 0; k < n; k++)
			cr_assert_eq(recs[k].status, DSA_COMP_SUCCESS,
				     "%s: descriptor %d of %d: status %#x at close",
				     vars[i], k, n, recs[k].status);
	}
	free(src);
	free(dst);
}
