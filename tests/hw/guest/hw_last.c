// SPDX-License-Identifier: MIT
/*
 * Run last, alone (guest-hw.sh runs the hw_last suite after the rest): a
 * halt that only a function level reset recovers leaves the DSA 2.0
 * device halted until the driver is unloaded.  Openers get -EIO, new
 * opens too.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "hwg.h"

Test(hw_last, halt_needing_flr_stays_halted)
{
	static _Alignas(32) struct dsa_comp c;
	struct dsa_desc d;
	struct kt_q q;
	long n = 0;

	hwg_open(&q, "HW_V2_SWQ");
	(void)hwg_poll(&q, 0);
	hwg_inject("HW_V2_SWQ", "halt-flr");
	cr_assert(hwg_poll(&q, 5000) & POLLIN, "not woken by the halt");
	for (int i = 0; i < 1000 && n != -EIO; i++) {
		kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &c);
		n = hwg_write(&q, &d, 1);
		usleep(5000);
	}
	cr_assert_eq(n, -EIO);
	kt_close(&q);
	cr_assert_eq(kt_open(&q, hwg_dev("HW_V2_SWQ"), true, false), -EIO,
		     "a halted device took a new opener");
}
