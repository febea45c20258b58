// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The shared software DSA model, built into the soft device. */
#include "../../libaccel/model/model_ops_tfetch.c"
