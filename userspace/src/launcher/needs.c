// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the launcher and the preload library need from the filters they
 * load, stated as options and rules for the compiler, which knows no
 * loader (compile.h's ps_filter_options).
 */
#include <string.h>

#include "launch.h"

void ps_launch_needs(struct ps_filter_options *o)
{
	o->exec_gate = true;
}

/*
 * --preload's outer filter, loaded by the launcher before its exec,
 * allows besides the policy what a dynamically linked program needs
 * until libc has started (@critical, the launcher's execve among them)
 * and what libpinscope-preload.so then calls to load the policy: reading
 * its memfd, no_new_privs, seccomp, and the check that the filter reached
 * it sealed (common/memfd.h). prctl's option and fcntl's cmd are ints, so
 * the compiler compares their low halves alone (argwidths.h).
 */
static const char preload_needs[] = "@critical: allow\n"
				    "fstat: 1\n"
				    "newfstatat: 1\n"
				    "pread64: 1\n"
				    "close: 1\n"
				    "seccomp: 1\n"
				    "execve: 1\n"
				    "prctl: arg0 == PR_SET_NO_NEW_PRIVS\n"
				    "fcntl: arg1 == F_GET_SEALS\n";

int ps_preload_needs(struct ps_policy *needs)
{
	ps_policy_init(needs);
	return ps_policy_load_buffer(needs, "<preload start-up>", preload_needs,
				     sizeof(preload_needs) - 1);
}
