// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope: load pinning
 *
 * The kernel reads modules, firmware, kexec images, policies and
 * certificates only from the filesystem init runs from.  Unlike LoadPin,
 * which pins whatever filesystem the first load came from, the pin is init's
 * root: the initramfs while init runs from it, then, once, the block-backed
 * root init switches to.  A system that loads a module from its initramfs
 * therefore keeps loading from its real root afterwards, and an attacker
 * cannot choose the pin by winning the race to the first load.
 */

#define pr_fmt(fmt) "pinscope: " fmt

#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kernel_read_file.h>
#include <linux/lsm_hooks.h>
#include <linux/moduleparam.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/pid_namespace.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string_helpers.h>

#include "pinscope.h"

/* LoadPin's names and syntax: pinscope.exclude=firmware,kernel-module */
static char *exclude_names[READING_MAX_ID];
static int exclude_count;
module_param_array_named(exclude, exclude_names, charp, &exclude_count, 0);
MODULE_PARM_DESC(exclude, "Load types not to pin (comma-separated)");
static bool exclude_id[READING_MAX_ID] __ro_after_init;

/*
 * The pinned superblock, NULL before the first decision.  It is written
 * under pin_lock, including from sb_free_security() under sb_lock, so
 * nothing here may sleep while holding it.  A superblock stays pinned
 * only while it exists: its sb_free_security() clears the pin and sets
 * pin_unmounted, after which every load is refused.
 */
static struct super_block *pinned_sb;
static bool pin_unmounted;
static DEFINE_SPINLOCK(pin_lock);

/**
 * get_init_root - the root directory of init, with a reference
 * @root: filled in on success; the caller must path_put() it
 *
 * Init is pid 1 of the initial pid namespace: a module loader inside a
 * container does not choose the pin.
 *
 * Return: true when @root was filled in.
 */
static bool get_init_root(struct path *root)
{
	struct task_struct *init;
	bool found = false;

	rcu_read_lock();
	init = find_task_by_pid_ns(1, &init_pid_ns);
	if (init)
		get_task_struct(init);
	rcu_read_unlock();
	if (!init)
		return false;

	task_lock(init);
	if (init->fs) {
		get_fs_root(init->fs, root);
		found = true;
	}
	task_unlock(init);
	put_task_struct(init);
	return found;
}

/**
 * pin_follow_init - move the pin to init's root when that is allowed
 * @root_sb: the superblock of init's root
 *
 * The first decision pins init's root.  The pin moves once more, from a
 * root without a block device (rootfs, tmpfs) to a block-backed root init
 * has switched to; a block-backed pin never moves again.
 *
 * Context: pin_lock held.
 * Return: true when the pin was set or moved.
 */
static bool pin_follow_init(struct super_block *root_sb)
{
	lockdep_assert_held(&pin_lock);

	if (pin_unmounted || pinned_sb == root_sb)
		return false;
	if (pinned_sb && (pinned_sb->s_bdev || !root_sb->s_bdev))
		return false;
	pinned_sb = root_sb;
	return true;
}

enum pin_verdict {
	PIN_MATCH,	/* the load comes from the pinned filesystem */
	PIN_OTHER,	/* it does not */
	PIN_UNMOUNTED,	/* the pinned filesystem is gone: nothing matches */
};

/**
 * refresh_pin - bring the pin up to date with init's root, and judge a load
 * @load_sb: the superblock the load comes from, or NULL
 * @dev: scratch space for the name of a newly pinned device
 * @len: size of @dev
 *
 * The comparison is made under pin_lock, so that a pinned superblock that
 * is being freed cannot be mistaken for a new one at the same address.
 *
 * Return: whether @load_sb is the pinned superblock.
 */
static enum pin_verdict refresh_pin(struct super_block *load_sb, char *dev,
				    size_t len)
{
	enum pin_verdict verdict;
	struct path root;
	bool have_root, moved = false;
	bool readonly = false;
	char fstype[32] = "";

	have_root = get_init_root(&root);
	spin_lock(&pin_lock);
	/* the reference on init's root keeps its superblock alive here */
	if (have_root)
		moved = pin_follow_init(root.mnt->mnt_sb);
	if (pin_unmounted)
		verdict = PIN_UNMOUNTED;
	else
		verdict = load_sb && load_sb == pinned_sb ? PIN_MATCH : PIN_OTHER;
	if (moved) {
		strscpy(dev, pinned_sb->s_id, len);
		strscpy(fstype, pinned_sb->s_type->name, sizeof(fstype));
		readonly = sb_rdonly(pinned_sb);
	}
	spin_unlock(&pin_lock);
	if (have_root)
		path_put(&root);

	if (moved)
		pr_info("pinned to init's root: dev=%s fstype=%s (%s)\n",
			dev, fstype, readonly ? "read-only" : "writable");
	return verdict;
}

static void report_load(const char *origin, struct file *file,
			const char *operation)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	char *cmdline, *pathname;
	struct super_block *sb;

	if (!__ratelimit(&rs))
		return;
	cmdline = kstrdup_quotable_cmdline(current, GFP_KERNEL);
	if (!file) {
		pr_notice("%s %s obj=<unknown> pid=%d cmdline=\"%s\"\n",
			  origin, operation, task_pid_nr(current),
			  cmdline ?: "<no_memory>");
		kfree(cmdline);
		return;
	}
	pathname = kstrdup_quotable_file(file, GFP_KERNEL);
	sb = file->f_path.mnt->mnt_sb;
	pr_notice("%s %s obj=\"%s\" pid=%d cmdline=\"%s\" dev=%s fstype=%s\n",
		  origin, operation, pathname ?: "<no_memory>",
		  task_pid_nr(current), cmdline ?: "<no_memory>",
		  sb->s_id, sb->s_type->name);
	kfree(pathname);
	kfree(cmdline);
}

/**
 * pinscope_check - decide one kernel file load
 * @file: the file read, or NULL for a load that comes with no file
 * @id: what the kernel is loading
 *
 * Return: 0 to allow, -EPERM to refuse.
 */
static int pinscope_check(struct file *file, enum kernel_read_file_id id)
{
	const char *origin = kernel_read_file_id_str(id);
	char dev[sizeof(file->f_path.mnt->mnt_sb->s_id)];
	bool enforce = READ_ONCE(pinscope_enforce);
	enum pin_verdict verdict;

	if ((unsigned int)id < READING_MAX_ID && exclude_id[id]) {
		pinscope_count(PINSCOPE_LOAD_EXCLUDED);
		return 0;
	}

	/* init_module(), kexec_load(): no file, so no filesystem to trust */
	if (!file) {
		if (!enforce) {
			report_load(origin, NULL, "old-api-pinning-ignored");
			pinscope_count(PINSCOPE_LOAD_IGNORED);
			return 0;
		}
		report_load(origin, NULL, "old-api-denied");
		pinscope_count(PINSCOPE_LOAD_OLD_API_DENIED);
		return -EPERM;
	}

	verdict = refresh_pin(file->f_path.mnt->mnt_sb, dev, sizeof(dev));
	if (verdict == PIN_MATCH) {
		pinscope_count(PINSCOPE_LOAD_ALLOWED);
		return 0;
	}
	if (!enforce) {
		report_load(origin, file, "pinning-ignored");
		pinscope_count(PINSCOPE_LOAD_IGNORED);
		return 0;
	}
	if (verdict == PIN_OTHER) {
		report_load(origin, file, "denied");
		pinscope_count(PINSCOPE_LOAD_DENIED);
	} else {
		report_load(origin, file, "denied (pinned filesystem unmounted)");
		pinscope_count(PINSCOPE_LOAD_UNMOUNTED_DENIED);
	}
	return -EPERM;
}

static int pinscope_read_file(struct file *file, enum kernel_read_file_id id,
			      bool contents)
{
	return pinscope_check(file, id);
}

static int pinscope_load_data(enum kernel_load_data_id id, bool contents)
{
	return pinscope_check(NULL, (enum kernel_read_file_id)id);
}

/* Called under sb_lock: must not sleep. */
static void pinscope_sb_free_security(struct super_block *sb)
{
	spin_lock(&pin_lock);
	if (sb == pinned_sb && !pin_unmounted) {
		pinned_sb = NULL;
		pin_unmounted = true;
		pr_info("pinned filesystem dev=%s unmounted: refusing further loads\n",
			sb->s_id);
	}
	spin_unlock(&pin_lock);
}

/**
 * pinscope_load_show_status - the load-pinning lines of securityfs status
 * @m: the status file
 */
void pinscope_load_show_status(struct seq_file *m)
{
	char dev[sizeof(pinned_sb->s_id)] = "none";
	char fstype[32] = "none";
	const char *sep = "";
	int i;

	refresh_pin(NULL, dev, sizeof(dev));
	spin_lock(&pin_lock);
	if (pin_unmounted) {
		strscpy(dev, "unmounted", sizeof(dev));
		strscpy(fstype, "unmounted", sizeof(fstype));
	} else if (pinned_sb) {
		strscpy(dev, pinned_sb->s_id, sizeof(dev));
		strscpy(fstype, pinned_sb->s_type->name, sizeof(fstype));
	}
	spin_unlock(&pin_lock);

	seq_printf(m, "enforce=%d\n", READ_ONCE(pinscope_enforce));
	seq_puts(m, "exclude=");
	for (i = 0; i < READING_MAX_ID; i++) {
		if (exclude_id[i]) {
			seq_printf(m, "%s%s", sep, kernel_read_file_id_str(i));
			sep = ",";
		}
	}
	seq_printf(m, "\npinned=%s\npinned_fstype=%s\n", dev, fstype);
}

static void __init parse_exclude(void)
{
	int i, j;

	for (i = 0; i < exclude_count; i++) {
		const char *name = exclude_names[i];

		if (!name || !*name)
			continue;
		for (j = 0; j < READING_MAX_ID; j++) {
			if (!strcmp(name, kernel_read_file_id_str(j))) {
				exclude_id[j] = true;
				pr_info("not pinning %s loads\n", name);
				break;
			}
		}
		if (j == READING_MAX_ID)
			pr_warn("unknown exclude type '%s' ignored\n", name);
	}
}

static struct security_hook_list pinscope_load_hooks[] __lsm_ro_after_init = {
	LSM_HOOK_INIT(sb_free_security, pinscope_sb_free_security),
	LSM_HOOK_INIT(kernel_read_file, pinscope_read_file),
	LSM_HOOK_INIT(kernel_load_data, pinscope_load_data),
};

void __init pinscope_load_init(const char *lsm)
{
	/* pinscope_load_data() relies on the two enums matching */
	BUILD_BUG_ON((int)READING_MAX_ID != (int)LOADING_MAX_ID);
	BUILD_BUG_ON((int)READING_MODULE != (int)LOADING_MODULE);
	BUILD_BUG_ON((int)READING_FIRMWARE != (int)LOADING_FIRMWARE);
	BUILD_BUG_ON((int)READING_KEXEC_IMAGE != (int)LOADING_KEXEC_IMAGE);
	BUILD_BUG_ON((int)READING_POLICY != (int)LOADING_POLICY);
	BUILD_BUG_ON((int)READING_X509_CERTIFICATE != (int)LOADING_X509_CERTIFICATE);

	parse_exclude();
	security_add_hooks(pinscope_load_hooks, ARRAY_SIZE(pinscope_load_hooks), lsm);
}
