// SPDX-License-Identifier: MIT
/*
 * Completion interrupts: a descriptor with DSA_FLAG_RCI raises its queue's
 * vector, which reaches the opener as the framework's ABI has it: the
 * queue's eventfd (UACCE_CMD_DSA_EVENTFD) is signalled and poll() becomes
 * readable.  The interrupt handle is the driver's to choose: a descriptor
 * naming another (0 is the device's error vector) still reaches its queue.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hwg.h"

static const char *const all_queues[] = { "HW_V1_SWQ", "HW_V2_DWQ", "HW_V2_SWQ" };

static int attach_eventfd(struct kt_q *q)
{
	int32_t efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	cr_assert_geq(efd, 0);
	cr_assert_eq(ioctl(q->fd, UACCE_CMD_DSA_EVENTFD, &efd), 0,
		     "UACCE_CMD_DSA_EVENTFD: %s", strerror(errno));
	return efd;
}

/* Wait up to ms for the eventfd; its count (0: not signalled). */
static uint64_t efd_wait(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t v = 0;

	if (poll(&p, 1, ms) == 1 && read(efd, &v, sizeof(v)) != sizeof(v))
		v = 0;
	return v;
}

Test(hw_irq, completion_interrupt_signals_eventfd_and_poll)
{
	for (int i = 0; i < 3; i++) {
		static _Alignas(32) struct dsa_comp c;
		const uint16_t handles[] = { 0, 7, 0xffff };
		struct dsa_desc d;
		struct kt_q q;
		int efd;

		hwg_open(&q, all_queues[i]);
		efd = attach_eventfd(&q);
		(void)hwg_poll(&q, 0);
		/* Without the flag: no interrupt. */
		kt_desc(&d, DSA_OP_NOOP, 0, NULL, NULL, 0, &c);
		cr_assert_eq(hwg_run(&q, &d, &c), DSA_COMP_SUCCESS);
		cr_assert_eq(efd_wait(efd, 300), 0,
			     "%s: eventfd signalled without RCI", all_queues[i]);
		cr_assert_eq(hwg_poll(&q, 0), 0);
		for (unsigned h = 0; h < 3; h++) {
			kt_desc(&d, DSA_OP_NOOP, DSA_FLAG_RCI, NULL, NULL, 0, &c);
			d.int_handle = handles[h];
			cr_assert_eq(hwg_run(&q, &d, &c), DSA_COMP_SUCCESS);
			cr_assert_neq(efd_wait(efd, 5000), 0,
				      "%s: no completion interrupt (handle %u)",
				      all_queues[i], handles[h]);
			cr_assert(hwg_poll(&q, 5000) & POLLIN,
				  "%s: poll() not readable after RCI",
				  all_queues[i]);
		}
		close(efd);
		kt_close(&q);
	}
}
