// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The shared software DSA model, run by the register twin. */
#include "../../libaccel/model/model_ops_tfetch.c"
