/* SPDX-License-Identifier: MIT */
/*
 * Installed as <accel.h>: libaccel's headers moved to <accel/accel.h> and
 * <accel/dsa_hw.h>; programs written for the old path keep building.
 */
#include <accel/accel.h>
