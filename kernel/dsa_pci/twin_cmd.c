// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The register twin (twin/), built into the simulated device. */
#include "../../twin/twin_cmd.c"
