// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: any bytes as a policy file, parsed and compiled the
 * way `pinscope compile` and `pinscope run` do (make fuzz); every program
 * that compiles is then run in the interpreter and held against the
 * oracle (tests/unit/oracle.c), so a filter that decides one call wrong
 * is a finding, not only a crash. The options are drawn from the input's
 * size, so the corpus covers them all without a format of its own.
 * An input that starts with '{' is an OCI profile, read as run --oci
 * reads it (its own default action, so none is drawn). The readers and
 * the compiler print nothing (their diagnostics are kept, util/diag.h),
 * so the fuzzer needs no output masking.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "compile.h"
#include "diag.h"
#include "oci.h"
#include "oracle.h"
#include "policy.h"

/* inputs per syscall: enough for every constant's edges, and fast */
#define FUZZ_INPUTS 96

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ps_action defaults[] = {
		{ PS_ACT_KILL_PROCESS, 0 },
		{ PS_ACT_ERRNO, 38 },
		{ PS_ACT_TRAP, 0 },
		{ PS_ACT_LOG, 0 },
	};
	struct ps_filter_options opt = {
		/* the launcher's gate, or a loader's or the library's filter */
		.exec_gate = size & 1,
		.report = (size & 3) == 3,
		.arch_all = size & 4,
		.no_exec = size & 8,
		.loader_exec = !(size & 17) && (size & 128),
	};
	/* a fixed kernel, so that minKernel decides alike on every machine */
	static const struct ps_oci_options oo = { .kernel = "6.1.0" };
	bool oci = size && data[0] == '{';
	struct ps_policy p;
	struct ps_filter f;
	struct ps_oracle o;
	int ret;

	if (((size >> 5) & 3) && !oci) {
		opt.default_set = true;
		opt.default_action = defaults[(size >> 5) & 3];
	}
	ps_policy_init(&p);
	ret = oci ? ps_oci_load_buffer(&p, "fuzz.json", (const char *)data,
				       size, &oo) :
		    ps_policy_load_buffer(&p, "fuzz.policy", (const char *)data,
					  size);
	if (ret == 0) {
		ps_oracle_init(&o, &p, &opt, NULL);
		if (ps_filter_build(&f, &p, &opt) == 0) {
			unsigned int diffs = o.conflicts || o.layouts ?
						     1 :
						     ps_check_program_limit(
							     &p, &opt, &f.prog,
							     stdout,
							     FUZZ_INPUTS, NULL);

			if (o.conflicts)
				printf("# compiled although its rules conflict\n");
			if (o.layouts)
				printf("# compiled although i386 or x32 reads its arguments otherwise\n");
			if (diffs) {
				printf("# %u differences from the oracle; the policy:\n%.*s\n",
				       diffs, (int)size, (const char *)data);
				__builtin_trap();
			}
			ps_filter_free(&f);
		}
		ps_oracle_free(&o);
	}
	ps_policy_free(&p);
	ps_diags_clear();
	return 0;
}
