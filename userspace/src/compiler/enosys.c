// SPDX-License-Identifier: GPL-2.0-only
/*
 * runc's ENOSYS rule for OCI profiles (runc
 * libcontainer/seccomp/patchbpf/enosys_linux.go): a syscall numbered above
 * the highest one the profile names fails with ENOSYS instead of getting
 * the default action, so that a program built for a newer kernel than the
 * profile falls back as it does on an older kernel (glibc retries statx as
 * stat, clone3 as clone, fchmodat2 as fchmodat). runc prepends a stub to
 * libseccomp's program; pinscope's emitter gives those numbers ENOSYS in
 * its own search (emit.c), and the launcher's view (plan.c) says the same.
 *
 * As runc does it:
 * - per architecture: the largest number the profile's entries name on
 *   that arch (names it cannot resolve there do not count; an arch whose
 *   largest is 0 gets no rule); x32 apart from x86_64;
 * - not when the default action is allow or log (runc: or trace, which
 *   pinscope does not take): a permissive default lets new calls run.
 * Where pinscope differs, and why: the threshold is never below a syscall
 * the filter itself rules (the policy's, and the launcher's own execve,
 * execveat and seccomp), so the rule never overrides a decision; runc's
 * stub runs first and would give a profile naming only read and write
 * ENOSYS for execve. Docker's and Podman's profiles name numbers far
 * above those, so they decide the same.
 */
#include <errno.h>

#include "compile.h"

/* ARCH's number for the native syscall NR (by name), or -1 */
static int64_t arch_nr(enum ps_arch arch, int nr)
{
	if (arch == PS_ARCH_X86_64)
		return ps_is_i386_only(nr) ? -1 : nr;
	return ps_syscall_lookup_arch(arch, ps_syscall_name(nr));
}

/* arch_nr() of every arch at once: one look-up of the name, not one an arch */
static void arch_nrs(int nr, int64_t out[PS_N_ARCH])
{
	const int *all = ps_syscall_numbers(ps_syscall_name(nr));
	unsigned int a;

	for (a = 0; a < PS_N_ARCH; a++)
		out[a] = a == PS_ARCH_X86_64 ? (ps_is_i386_only(nr) ? -1 : nr) :
			 all		     ? all[a] :
					       -1;
}

void ps_filter_enosys(struct ps_filter *f, const struct ps_policy *p)
{
	static const char *const launcher[] = { "execve", "execveat",
						"seccomp" };
	int64_t top[PS_N_ARCH], nr[PS_N_ARCH];
	unsigned int a, i;

	for (a = 0; a < PS_N_ARCH; a++)
		f->enosys_above[a] = -1;
	if (!p->oci_enosys || f->opt.trace ||
	    f->default_action.type == PS_ACT_ALLOW ||
	    f->default_action.type == PS_ACT_LOG)
		return;
	for (a = 0; a < PS_N_ARCH; a++)
		top[a] = p->oci_last_nr[a];
	for (i = 0; i < p->n; i++) {
		arch_nrs(p->rules[i].nr, nr);
		for (a = 0; a < PS_N_ARCH; a++)
			if (nr[a] > top[a])
				top[a] = nr[a];
	}
	for (a = 0; a < PS_N_ARCH; a++) {
		/* an arch the profile names nothing of gets no rule */
		if (!p->oci_last_nr[a])
			continue;
		for (i = 0; i < ARRAY_SIZE(launcher); i++) {
			int64_t l = ps_syscall_lookup_arch(a, launcher[i]);

			if (l > top[a])
				top[a] = l;
		}
		f->enosys_above[a] = top[a];
	}
}

bool ps_filter_enosys_applies(const struct ps_filter *f, enum ps_arch arch,
			      int64_t nr)
{
	unsigned int i;

	if ((unsigned int)arch >= PS_N_ARCH || f->enosys_above[arch] < 0 ||
	    nr <= f->enosys_above[arch])
		return false;
	/* a plan above the threshold (preload's start-up calls) decides */
	for (i = 0; i < f->n_plans; i++)
		if (arch_nr(arch, f->plans[i].nr) == nr)
			return false;
	return true;
}
