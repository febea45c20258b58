/* SPDX-License-Identifier: MIT */
#ifndef TESTS_TSAN_PLANTED_H
#define TESTS_TSAN_PLANTED_H
#include <stdbool.h>
/* The deliberate race named by $ACCEL_PLANT, if any (planted.c); true when
 * one was planted (the program then exits 0: only the report can fail it). */
bool stress_planted(void);
#endif
