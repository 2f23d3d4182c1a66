// SPDX-License-Identifier: GPL-2.0-only
/* Names for numbers: constants, errnos and syscalls of each x86 ABI. */
#include <asm/unistd.h>
#include <errno.h>
#include <linux/audit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "groups.h"
#include "policy.h"
#include "syscalls.h"

struct ps_constant {
	const char *name;
	uint64_t value;
};

/* gen/constants.c (scripts/gen-constants.sh), sorted by name (C locale) */
extern const struct ps_constant ps_constants[];
extern const unsigned long ps_n_constants;

static int constant_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ps_constant *)elem)->name);
}

bool ps_constant_lookup(const char *name, uint64_t *value)
{
	const struct ps_constant *c;

	c = bsearch(name, ps_constants, ps_n_constants, sizeof(*c),
		    constant_cmp);
	if (!c)
		return false;
	*value = c->value;
	return true;
}

const char *ps_constant_name(uint64_t value, const char *prefix)
{
	size_t len = strlen(prefix);
	unsigned long i;

	for (i = 0; i < ps_n_constants; i++)
		if (ps_constants[i].value == value &&
		    !strncmp(ps_constants[i].name, prefix, len))
			return ps_constants[i].name;
	return NULL;
}

int ps_errno_lookup(const char *name)
{
	uint64_t v;

	if (name[0] != 'E' || !ps_constant_lookup(name, &v) || v == 0 ||
	    v > 4095)
		return -1;
	return (int)v;
}

const char *ps_errno_name(int err)
{
	return err > 0 ? strerrorname_np(err) : NULL;
}

/* the generator's hash (scripts/gen-syscalls.sh by_hash): keep them alike */
static unsigned int name_slot(const char *name)
{
	uint32_t h = 0;

	for (; *name; name++)
		h = h * 31 + (unsigned char)*name;
	return (h + (h >> 11)) & (PS_SYSCALL_HASH_SLOTS - 1);
}

const int *ps_syscall_numbers(const char *name)
{
	unsigned int s, i;

	for (s = name_slot(name); (i = ps_syscall_hash[s]);
	     s = (s + 1) & (PS_SYSCALL_HASH_SLOTS - 1))
		if (!strcmp(ps_syscall_names[i - 1].name, name))
			return ps_syscall_names[i - 1].nr;
	return NULL;
}

int ps_syscall_lookup_arch(enum ps_arch arch, const char *name)
{
	const int *nr;

	if ((unsigned int)arch >= PS_N_ARCH)
		return -1;
	nr = ps_syscall_numbers(name);
	return nr ? nr[arch] : -1;
}

const char *ps_syscall_name_arch(enum ps_arch arch, int nr)
{
	const struct ps_syscall_table *t;
	unsigned int i;

	if ((unsigned int)arch >= PS_N_ARCH)
		return NULL;
	t = &ps_syscall_tables[arch];
	/* compared before subtracting, so a negative NR cannot wrap */
	if (nr < t->base || (unsigned int)(nr - t->base) >= t->n_by_nr)
		return NULL;
	i = t->by_nr[nr - t->base];
	return i ? t->by_name[i - 1].name : NULL;
}

unsigned int ps_syscall_range(enum ps_arch arch, int *base)
{
	*base = 0;
	if ((unsigned int)arch >= PS_N_ARCH)
		return 0;
	*base = ps_syscall_tables[arch].base;
	return ps_syscall_tables[arch].n_by_nr;
}

bool ps_arch_of(uint32_t audit_arch, int nr, enum ps_arch *arch)
{
	switch (audit_arch) {
	case AUDIT_ARCH_X86_64:
		/* x32 enters through the 64-bit entry, told apart by the bit */
		*arch = nr & __X32_SYSCALL_BIT ? PS_ARCH_X32 : PS_ARCH_X86_64;
		return true;
	case AUDIT_ARCH_I386:
		*arch = PS_ARCH_I386;
		return true;
	}
	return false;
}

uint32_t ps_arch_audit(enum ps_arch arch)
{
	switch (arch) {
	case PS_ARCH_X86_64:
	case PS_ARCH_X32:
		return AUDIT_ARCH_X86_64;
	case PS_ARCH_I386:
		return AUDIT_ARCH_I386;
	}
	return 0;
}

const char *ps_arch_name(enum ps_arch arch)
{
	switch (arch) {
	case PS_ARCH_X86_64:
		return "x86_64";
	case PS_ARCH_I386:
		return "i386";
	case PS_ARCH_X32:
		return "x32";
	}
	return "?";
}

int ps_syscall_lookup(const char *name)
{
	return ps_syscall_lookup_arch(PS_ARCH_NATIVE, name);
}

int ps_syscall_rule_nr(const int nr[PS_N_ARCH])
{
	if (nr[PS_ARCH_NATIVE] < 0 && PS_ARCH_NATIVE == PS_ARCH_X86_64 &&
	    nr[PS_ARCH_I386] >= 0)
		return nr[PS_ARCH_I386] + PS_I386_ONLY;
	return nr[PS_ARCH_NATIVE];
}

int ps_syscall_lookup_rule(const char *name)
{
	const int *nr = ps_syscall_numbers(name);

	return nr ? ps_syscall_rule_nr(nr) : -1;
}

/*
 * Callers print or compare several names at once (a sort comparator holds
 * two), so a known name is the table's own string; only the rare unknown
 * number is formatted, into a ring deep enough for those uses.
 */
const char *ps_syscall_name(int nr)
{
	static __thread char ring[4][24];
	static __thread unsigned int next;
	const char *name =
		ps_is_i386_only(nr) ?
			ps_syscall_name_arch(PS_ARCH_I386, nr - PS_I386_ONLY) :
			ps_syscall_name_arch(PS_ARCH_NATIVE, nr);
	char *buf;

	if (name)
		return name;
	buf = ring[next++ % 4];
	snprintf(buf, sizeof(ring[0]), "syscall_%d", nr);
	return buf;
}

const struct ps_group *ps_group_find(const char *name)
{
	size_t i;

	for (i = 0; i < ps_n_groups; i++)
		if (!strcmp(ps_groups[i].name, name))
			return &ps_groups[i];
	return NULL;
}
