// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope: /sys/kernel/security/pinscope/{status,stats}
 *
 * Both files are read-only, one "key=value" per line, for scripts and for
 * `pinscope status`.  status (the pin and the settings) is everyone's;
 * stats is root's, as its counters tell of every user's refused loads and
 * attaches.  verity.c adds the write-once verity_digests.
 */

#define pr_fmt(fmt) "pinscope: " fmt

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/security.h>
#include <linux/seq_file.h>

#include "pinscope.h"

static int status_show(struct seq_file *m, void *v)
{
	pinscope_load_show_status(m);
	seq_printf(m, "ptrace_scope=%d\n", READ_ONCE(pinscope_ptrace_scope));
	pinscope_verity_show_status(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static const char * const stat_names[PINSCOPE_STAT_MAX] = {
	[PINSCOPE_LOAD_ALLOWED]			= "load_allowed",
	[PINSCOPE_LOAD_DENIED]			= "load_denied",
	[PINSCOPE_LOAD_IGNORED]			= "load_ignored",
	[PINSCOPE_LOAD_EXCLUDED]		= "load_excluded",
	[PINSCOPE_LOAD_OLD_API_DENIED]		= "load_old_api_denied",
	[PINSCOPE_LOAD_UNMOUNTED_DENIED]	= "load_unmounted_denied",
	[PINSCOPE_LOAD_VERITY_ALLOWED]		= "load_verity_allowed",
	[PINSCOPE_PTRACE_ALLOWED_DESCENDANT]	= "ptrace_allowed_descendant",
	[PINSCOPE_PTRACE_ALLOWED_EXCEPTION]	= "ptrace_allowed_exception",
	[PINSCOPE_PTRACE_ALLOWED_CAPABILITY]	= "ptrace_allowed_capability",
	[PINSCOPE_PTRACE_DENIED]		= "ptrace_denied",
	[PINSCOPE_TRACEME_DENIED]		= "traceme_denied",
	[PINSCOPE_PTRACER_SET]			= "ptracer_set",
	[PINSCOPE_PTRACER_CLEARED]		= "ptracer_cleared",
	[PINSCOPE_PTRACER_DROPPED_ON_EXEC]	= "ptracer_dropped_on_exec",
	[PINSCOPE_LOAD_FW_FALLBACK_DENIED]	= "load_firmware_fallback_denied",
};

static int stats_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < PINSCOPE_STAT_MAX; i++)
		seq_printf(m, "%s=%ld\n", stat_names[i],
			   atomic_long_read(&pinscope_stats[i]));
	seq_printf(m, "ptracer_exceptions=%lu\n", pinscope_ptracer_count());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int __init pinscope_init_securityfs(void)
{
	struct dentry *dir, *file;

	/* lsm= may have left pinscope out */
	if (!pinscope_enabled)
		return 0;
	dir = securityfs_create_dir("pinscope", NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	file = securityfs_create_file("status", 0444, dir, NULL, &status_fops);
	if (IS_ERR(file))
		goto err;
	file = securityfs_create_file("stats", 0400, dir, NULL, &stats_fops);
	if (IS_ERR(file))
		goto err;
	file = pinscope_verity_init_securityfs(dir);
	if (IS_ERR(file))
		goto err;
	return 0;
err:
	securityfs_remove(dir);
	return PTR_ERR(file);
}
fs_initcall(pinscope_init_securityfs);
