// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope: load pinning and ptrace scope
 *
 * Registration, boot parameters and the sysctls.  The sysctls only ever
 * raise a setting: an attacker who gained root must not be able to switch
 * a protection off that the boot configuration switched on.
 */

#define pr_fmt(fmt) "pinscope: " fmt

#include <linux/capability.h>
#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <linux/moduleparam.h>
#include <linux/sysctl.h>

#include "pinscope.h"

atomic_long_t pinscope_stats[PINSCOPE_STAT_MAX];
bool pinscope_enabled __ro_after_init;

/* the framework turns each size into pinscope's offset in the blob */
struct lsm_blob_sizes pinscope_blob_sizes __ro_after_init = {
	.lbs_cred = sizeof(struct pinscope_cred),
	.lbs_task = sizeof(struct pinscope_task),
};

int pinscope_enforce = IS_ENABLED(CONFIG_SECURITY_PINSCOPE_ENFORCE);
module_param_named(enforce, pinscope_enforce, int, 0);
MODULE_PARM_DESC(enforce, "Enforce load pinning (0 or 1)");

int pinscope_ptrace_scope = CONFIG_SECURITY_PINSCOPE_PTRACE_SCOPE;
module_param_named(ptrace_scope, pinscope_ptrace_scope, int, 0);
MODULE_PARM_DESC(ptrace_scope, "Ptrace scope (0 to 3)");

#ifdef CONFIG_SYSCTL
/**
 * pinscope_dointvec_raise - sysctl handler for a setting that only rises
 * @table: the sysctl; data is the setting, extra1/extra2 its bounds
 * @write: whether this is a write
 * @buffer: user data
 * @lenp: its length
 * @ppos: file position
 *
 * A value out of bounds is -EINVAL; a lower value is -EPERM.  The
 * compare-and-exchange keeps two racing writers from lowering it.
 *
 * Return: 0 or a negative errno.
 */
static int pinscope_dointvec_raise(struct ctl_table *table, int write,
				   void *buffer, size_t *lenp, loff_t *ppos)
{
	struct ctl_table copy = *table;
	int *setting = table->data;
	int value = READ_ONCE(*setting);
	int old, rc;

	copy.data = &value;
	rc = proc_dointvec_minmax(&copy, write, buffer, lenp, ppos);
	if (rc || !write)
		return rc;
	old = READ_ONCE(*setting);
	do {
		if (value < old)
			return -EPERM;
	} while (!try_cmpxchg(setting, &old, value));
	return 0;
}

static int pinscope_enforce_sysctl(struct ctl_table *table, int write,
				   void *buffer, size_t *lenp, loff_t *ppos)
{
	/*
	 * Only an administrator of the whole system: euid 0 alone is not
	 * enough, so that a root process stripped of its capabilities (a
	 * container's root, a sandboxed service) cannot turn enforcement on
	 * and refuse every load the system needs.
	 */
	if (write && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	return pinscope_dointvec_raise(table, write, buffer, lenp, ppos);
}

static int pinscope_scope_sysctl(struct ctl_table *table, int write,
				 void *buffer, size_t *lenp, loff_t *ppos)
{
	/* as Yama: only a ptrace administrator of the whole system */
	if (write && !capable(CAP_SYS_PTRACE))
		return -EPERM;
	return pinscope_dointvec_raise(table, write, buffer, lenp, ppos);
}

static int scope_max = PINSCOPE_SCOPE_NO_ATTACH;

static struct ctl_table pinscope_sysctl_table[] = {
	{
		.procname	= "enforce",
		.data		= &pinscope_enforce,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= pinscope_enforce_sysctl,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{
		.procname	= "ptrace_scope",
		.data		= &pinscope_ptrace_scope,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= pinscope_scope_sysctl,
		.extra1		= SYSCTL_ZERO,
		.extra2		= &scope_max,
	},
	{ }
};

static void __init pinscope_init_sysctl(void)
{
	if (!register_sysctl("kernel/pinscope", pinscope_sysctl_table))
		panic("pinscope: sysctl registration failed.\n");
}
#else
static inline void pinscope_init_sysctl(void) { }
#endif /* CONFIG_SYSCTL */

/* Out-of-range boot values fall back to the build's defaults, loudly. */
static void __init pinscope_check_params(int *enforce, int *scope)
{
	if (*enforce != 0 && *enforce != 1) {
		pr_warn("enforce=%d is not 0 or 1: enforcing\n", *enforce);
		*enforce = 1;
	}
	if (*scope < PINSCOPE_SCOPE_DISABLED || *scope > PINSCOPE_SCOPE_NO_ATTACH) {
		pr_warn("ptrace_scope=%d is not 0 to 3: using %d\n",
			*scope, CONFIG_SECURITY_PINSCOPE_PTRACE_SCOPE);
		*scope = CONFIG_SECURITY_PINSCOPE_PTRACE_SCOPE;
	}
}

static int __init pinscope_init(void)
{
	pinscope_check_params(&pinscope_enforce, &pinscope_ptrace_scope);
	pr_info("load pinning %s, ptrace scope %d\n",
		pinscope_enforce ? "enforced" : "not enforced",
		pinscope_ptrace_scope);
	pinscope_load_init("pinscope");
	pinscope_ptrace_init("pinscope");
	pinscope_init_sysctl();
	pinscope_enabled = true;
	return 0;
}

DEFINE_LSM(pinscope) = {
	.name = "pinscope",
	.init = pinscope_init,
	.blobs = &pinscope_blob_sizes,
};

#ifdef CONFIG_SECURITY_PINSCOPE_KUNIT_TEST
#include "lsm_kunit.c"
#endif
