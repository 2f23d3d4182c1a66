// SPDX-License-Identifier: GPL-2.0
/*
 * The module of the 2018 LoadPin demonstration: it only says hello and
 * goodbye, so that a load and an unload can be seen in the kernel log.
 * With use_after_free=1 it also reads memory it has just freed, so that
 * qemu/tests/pipeline can show a KASAN kernel fail the run on such a bug;
 * with oops=1 it oopses, which the test kernels' oops=panic makes a panic
 * (the hardened kernels have no sysrq to crash them with).
 */
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>

static bool use_after_free;
module_param(use_after_free, bool, 0);
MODULE_PARM_DESC(use_after_free, "Read freed memory, for KASAN (default: no)");

static bool oops;
module_param(oops, bool, 0);
MODULE_PARM_DESC(oops, "Oops on load, to crash the test kernel (default: no)");

static int __init test_module_init(void)
{
	char *p;

	pr_info("test_module: Hello, world\n");
	BUG_ON(oops);
	if (!use_after_free)
		return 0;
	p = kmalloc(64, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	kfree(p);
	/* the compiler must not see that p is gone */
	OPTIMIZER_HIDE_VAR(p);
	pr_info("test_module: read %d after kfree\n", READ_ONCE(p[8]));
	return 0;
}

static void __exit test_module_exit(void)
{
	pr_info("test_module: Goodbye\n");
}

module_init(test_module_init);
module_exit(test_module_exit);
MODULE_DESCRIPTION("pinscope selftest module");
MODULE_LICENSE("GPL");
