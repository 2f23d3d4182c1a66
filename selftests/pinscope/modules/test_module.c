// SPDX-License-Identifier: GPL-2.0
/*
 * The module of the 2018 LoadPin demonstration: it only says hello and
 * goodbye, so that a load and an unload can be seen in the kernel log.
 */
#include <linux/module.h>
#include <linux/printk.h>

static int __init test_module_init(void)
{
	pr_info("test_module: Hello, world\n");
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
