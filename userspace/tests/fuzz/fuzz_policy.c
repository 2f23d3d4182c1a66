// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: any bytes as a policy file, parsed and compiled the
 * way `pinscope compile` and `pinscope run` do (make fuzz).
 */
#include <stddef.h>
#include <stdint.h>

#include "compile.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_policy p;
	struct ps_filter f;
	struct ps_filter_options opt = { .launcher = true, .report = size & 1 };

	ps_policy_init(&p);
	if (ps_policy_load_buffer(&p, "fuzz.policy", (const char *)data, size) == 0 &&
	    ps_filter_build(&f, &p, &opt) == 0)
		ps_filter_free(&f);
	ps_policy_free(&p);
	return 0;
}
