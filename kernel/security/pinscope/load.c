// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope: load pinning
 *
 * The kernel reads modules, firmware, kexec images, policies and
 * certificates only from the filesystem init runs from.  Unlike LoadPin,
 * which pins whatever filesystem the first load came from, the pin is init's
 * root: the initramfs while init runs from it, then, once, whatever root init
 * switches to, with a block device or without one (btrfs, NFS, 9p,
 * overlayfs).  A system that loads a module from its initramfs therefore
 * keeps loading from its real root afterwards, and an attacker cannot choose
 * the pin by winning the race to the first load.
 *
 * The pin leaves the initramfs when init execs from another filesystem,
 * as init does when it has switched root, and not when a load or a status
 * read finds init's root elsewhere: what a root process can make init do
 * in between (a chroot injected with ptrace) does not choose the pin.
 */

#define pr_fmt(fmt) "pinscope: " fmt

#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/init.h>
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
 * under pin_lock, held only for short sections that never sleep.  A
 * superblock stays pinned only while it is mounted: its sb_delete() clears
 * the pin and sets pin_unmounted, after which every load is refused.
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

enum pin_change {
	PIN_KEPT,	/* the pin stays where it was */
	PIN_SET,	/* the first decision pinned init's root */
	PIN_MOVED,	/* init left the initramfs: the pin followed it */
};

/**
 * pin_rule - where the pin goes when init's root is @root_sb
 * @pinned: the pinned superblock, or NULL before the first decision
 * @unmounted: whether the pinned filesystem is gone
 * @root_sb: the superblock of init's root
 * @init_exec: true when init is executing a program with @root_sb as its
 *             root, false for a load
 *
 * Init's exec from a root other than the initial rootfs settles the pin
 * there: it pins that root, or moves a pin on the initial rootfs to it,
 * whatever its filesystem.  A load only pins the initial rootfs, while
 * init runs from it (a system that never leaves its initramfs, or a load
 * before init switches root), and moves nothing: once init has left the
 * initramfs, what init's root is at the time of a load is what a root
 * process can make it (a chroot injected into init with ptrace), so it is
 * not asked.  Any pin off the initial rootfs is final.  The initial rootfs
 * is the only superblock of rootfs_fs_type, a type no one can mount, so no
 * filesystem another process mounts can pass for it.
 *
 * Return: PIN_SET or PIN_MOVED when the pin is to become @root_sb, else
 * PIN_KEPT.
 */
static enum pin_change pin_rule(const struct super_block *pinned,
				bool unmounted,
				const struct super_block *root_sb,
				bool init_exec)
{
	bool initramfs = root_sb->s_type == &rootfs_fs_type;

	if (unmounted || pinned == root_sb)
		return PIN_KEPT;
	if (!init_exec)
		return !pinned && initramfs ? PIN_SET : PIN_KEPT;
	if (initramfs)
		return PIN_KEPT;
	if (!pinned)
		return PIN_SET;
	if (pinned->s_type != &rootfs_fs_type)
		return PIN_KEPT;
	return PIN_MOVED;
}

/**
 * pin_follow_init - pin init's root, or follow init off the initramfs
 * @root_sb: the superblock of init's root
 * @init_exec: whether init is executing from it, as for pin_rule()
 *
 * Context: pin_lock held.
 * Return: whether the pin was set, moved or kept, as pin_rule() decides.
 */
static enum pin_change pin_follow_init(struct super_block *root_sb,
				       bool init_exec)
{
	enum pin_change change;

	lockdep_assert_held(&pin_lock);

	change = pin_rule(pinned_sb, pin_unmounted, root_sb, init_exec);
	if (change != PIN_KEPT)
		pinned_sb = root_sb;
	return change;
}

/* What is known of whether the pinned filesystem's content can change. */
enum pin_access {
	PIN_READ_ONLY,		/* a read-only mount of a read-only device */
	PIN_WRITABLE,		/* a read-write mount, or a writable device */
	PIN_ACCESS_UNKNOWN,	/* a read-only mount with no single device */
};

/**
 * pin_writable - could the pinned filesystem's content change under it?
 * @sb: the pinned superblock
 *
 * Whoever can write to the pinned filesystem can load what they wrote.
 * Root can remount a read-only mount of a writable block device
 * read-write, so only a read-only device counts as read-only (and root
 * with CAP_SYS_ADMIN can still clear a device's read-only flag, or reload
 * a device-mapper table).  Without a single block device (9p, NFS, btrfs,
 * overlayfs) a read-only mount says nothing of what a server, another
 * mount or a lower layer can change: that is unknown, where LoadPin
 * assumes writable.
 *
 * Context: pin_lock held, so that @sb is not being freed.
 */
static enum pin_access pin_writable(struct super_block *sb)
{
	lockdep_assert_held(&pin_lock);

	if (!sb_rdonly(sb))
		return PIN_WRITABLE;
	if (!sb->s_bdev)
		return PIN_ACCESS_UNKNOWN;
	return bdev_read_only(sb->s_bdev) ? PIN_READ_ONLY : PIN_WRITABLE;
}

static const char *const pin_access_log[] = {
	[PIN_READ_ONLY]		= "read-only",
	[PIN_WRITABLE]		= "writable: whoever can write to it can load from it",
	[PIN_ACCESS_UNKNOWN]	=
		"read-only mount with no single block device: whoever can change what it shows can load from it",
};

static const char *const pin_access_status[] = {
	[PIN_READ_ONLY]		= "0",
	[PIN_WRITABLE]		= "1",
	[PIN_ACCESS_UNKNOWN]	= "unknown",
};

enum pin_verdict {
	PIN_MATCH,	/* the load comes from the pinned filesystem */
	PIN_OTHER,	/* it does not */
	PIN_UNMOUNTED,	/* the pinned filesystem is gone: nothing matches */
};

/**
 * pin_judge - does a load come from the pinned filesystem?
 * @pinned: the pinned superblock, or NULL before the first decision
 * @unmounted: whether the pinned filesystem is gone
 * @load_sb: the superblock the load comes from, or NULL
 *
 * Return: the verdict on a load from @load_sb.
 */
static enum pin_verdict pin_judge(const struct super_block *pinned,
				  bool unmounted,
				  const struct super_block *load_sb)
{
	if (unmounted)
		return PIN_UNMOUNTED;
	return load_sb && load_sb == pinned ? PIN_MATCH : PIN_OTHER;
}

/**
 * settle_pin - apply pin_rule() to the live pin, and judge a load
 * @root: init's root, or NULL when init has none
 * @init_exec: whether init is executing from @root
 * @load_sb: the superblock the load comes from, or NULL
 *
 * The comparison is made under pin_lock, so that a pinned superblock that
 * is being freed cannot be mistaken for a new one at the same address.
 * The caller's reference on @root keeps its superblock alive here.
 *
 * Context: may sleep (the log line), not under a spinlock.
 * Return: whether @load_sb is the pinned superblock.
 */
static enum pin_verdict settle_pin(const struct path *root, bool init_exec,
				   struct super_block *load_sb)
{
	char dev[sizeof(load_sb->s_id)], fstype[32];
	enum pin_change change = PIN_KEPT;
	enum pin_verdict verdict;
	enum pin_access access = PIN_READ_ONLY;
	bool final = false;

	spin_lock(&pin_lock);
	if (root)
		change = pin_follow_init(root->mnt->mnt_sb, init_exec);
	verdict = pin_judge(pinned_sb, pin_unmounted, load_sb);
	if (change != PIN_KEPT) {
		strscpy(dev, pinned_sb->s_id, sizeof(dev));
		strscpy(fstype, pinned_sb->s_type->name, sizeof(fstype));
		access = pin_writable(pinned_sb);
		final = pinned_sb->s_type != &rootfs_fs_type;
	}
	spin_unlock(&pin_lock);

	if (change != PIN_KEPT)
		pr_info("%s: dev=%s fstype=%s (%s)\n",
			change == PIN_SET ? "pinned to init's root" :
			"pin moved from the initramfs to init's new root",
			dev, fstype, pin_access_log[access]);
	/* the dm-verity list is trusted as the pin is: from then on, no list */
	if (final)
		pinscope_verity_seal();
	return verdict;
}

/**
 * judge_load - judge a load against the pin
 * @load_sb: the superblock the load comes from
 *
 * Before the pin is settled, a load while init runs from the initial
 * rootfs pins it (pin_rule()).
 *
 * Return: whether @load_sb is the pinned superblock.
 */
static enum pin_verdict judge_load(struct super_block *load_sb)
{
	enum pin_verdict verdict;
	struct path root;

	if (!get_init_root(&root))
		return settle_pin(NULL, false, load_sb);
	verdict = settle_pin(&root, false, load_sb);
	path_put(&root);
	return verdict;
}

/**
 * pinscope_load_exec - init executes a program: settle the pin on its root
 *
 * Called from bprm_committed_creds for every exec; only that of init, pid
 * 1 of the initial pid namespace, counts.  Init execs from its new root
 * when it has switched root (switch_root and run-init chroot, then exec),
 * before any other program runs from there, so the pin leaves the
 * initramfs at a moment that init, not an attacker, chooses.
 */
void pinscope_load_exec(void)
{
	struct path root;

	if (!is_global_init(current) || !current->fs)
		return;
	get_fs_root(current->fs, &root);
	settle_pin(&root, true, NULL);
	path_put(&root);
}

/*
 * Why init_module() is refused, and what to do instead: a loader that
 * decompresses a module itself, as Debian 12's kmod does, ends up here.
 */
#ifdef CONFIG_MODULE_DECOMPRESS
#define OLD_API_MODULE_HINT \
	"init_module(2) passes no file to check: load the file with finit_module(2), adding MODULE_INIT_COMPRESSED_FILE for a compressed module"
#else
#define OLD_API_MODULE_HINT \
	"init_module(2) passes no file to check: load the file with finit_module(2); for a compressed module, CONFIG_MODULE_DECOMPRESS lets the kernel decompress it"
#endif

/**
 * report_load - log a load that is refused, or would be when enforcing
 * @origin: what was loaded, as kernel_read_file_id_str() names it
 * @file: the file read, or NULL for a load that comes with no file
 * @operation: the decision
 * @hint: why, and how to load it instead, or NULL
 *
 * Context: may sleep (the allocations).
 */
static void report_load(const char *origin, struct file *file,
			const char *operation, const char *hint)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	const char *sep = hint ? " hint=\"" : "";
	const char *end = hint ? "\"" : "";
	char *cmdline, *pathname;
	struct super_block *sb;

	if (!__ratelimit(&rs))
		return;
	hint = hint ?: "";
	cmdline = kstrdup_quotable_cmdline(current, GFP_KERNEL);
	if (!file) {
		pr_notice("%s %s obj=<unknown> pid=%d cmdline=\"%s\"%s%s%s\n",
			  origin, operation, task_pid_nr(current),
			  cmdline ?: "<no_memory>", sep, hint, end);
		kfree(cmdline);
		return;
	}
	pathname = kstrdup_quotable_file(file, GFP_KERNEL);
	sb = file->f_path.mnt->mnt_sb;
	pr_notice("%s %s obj=\"%s\" pid=%d cmdline=\"%s\" dev=%s fstype=%s%s%s%s\n",
		  origin, operation, pathname ?: "<no_memory>",
		  task_pid_nr(current), cmdline ?: "<no_memory>",
		  sb->s_id, sb->s_type->name, sep, hint, end);
	kfree(pathname);
	kfree(cmdline);
}

/*
 * The firmware loader asks before its fallbacks (the sysfs user helper,
 * EFI's embedded copies) each time a request found no file, whether or not
 * a fallback would then run: every missing optional firmware comes here.
 * Those are no attack, and a line for each would spend report_load()'s
 * rate limit and hide the refusals that matter, so the fallback is refused
 * (or, when not enforcing, allowed) as before, counted, and told once.
 */
static int firmware_fallback(bool enforce)
{
	if (!enforce) {
		pr_notice_once("firmware fallback pinning-ignored: loads with no file are allowed, counted as load_ignored\n");
		pinscope_count(PINSCOPE_LOAD_IGNORED);
		return 0;
	}
	pr_notice_once("firmware fallback denied: no file to pin; each one is counted as load_firmware_fallback_denied\n");
	pinscope_count(PINSCOPE_LOAD_FW_FALLBACK_DENIED);
	return -EPERM;
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
	bool enforce = READ_ONCE(pinscope_enforce);
	const char *why = NULL;
	enum pin_verdict verdict;

	if ((unsigned int)id < READING_MAX_ID && exclude_id[id]) {
		pinscope_count(PINSCOPE_LOAD_EXCLUDED);
		return 0;
	}

	/* init_module(), kexec_load(): no file, so no filesystem to trust */
	if (!file) {
		const char *hint = id == READING_MODULE ? OLD_API_MODULE_HINT : NULL;

		if (id == READING_FIRMWARE)
			return firmware_fallback(enforce);
		if (!enforce) {
			report_load(origin, NULL, "old-api-pinning-ignored", hint);
			pinscope_count(PINSCOPE_LOAD_IGNORED);
			return 0;
		}
		report_load(origin, NULL, "old-api-denied", hint);
		pinscope_count(PINSCOPE_LOAD_OLD_API_DENIED);
		return -EPERM;
	}

	verdict = judge_load(file->f_path.mnt->mnt_sb);
	if (verdict == PIN_MATCH) {
		pinscope_count(PINSCOPE_LOAD_ALLOWED);
		return 0;
	}
	/* off the pin, a trusted dm-verity device vouches for the file */
	if (verdict == PIN_OTHER && pinscope_verity_trusted(file, &why)) {
		pinscope_count(PINSCOPE_LOAD_VERITY_ALLOWED);
		return 0;
	}
	if (!enforce) {
		report_load(origin, file, "pinning-ignored", why);
		pinscope_count(PINSCOPE_LOAD_IGNORED);
		return 0;
	}
	if (verdict == PIN_OTHER) {
		report_load(origin, file, "denied", why);
		pinscope_count(PINSCOPE_LOAD_DENIED);
	} else {
		report_load(origin, file, "denied (pinned filesystem unmounted)",
			    NULL);
		pinscope_count(PINSCOPE_LOAD_UNMOUNTED_DENIED);
	}
	return -EPERM;
}

static int pinscope_read_file(struct file *file, enum kernel_read_file_id id,
			      bool contents)
{
	return pinscope_check(file, id);
}

/*
 * A load that a dm-verity device vouched for when it started is judged
 * again once the file is read: root may have reloaded the device's table
 * meanwhile, and the bytes read may have come through the new one.  Reads
 * into part of a buffer (request_partial_firmware_into_buf()) do not come
 * here, so only their start is judged.
 */
static int pinscope_post_read_file(struct file *file, char *buf, loff_t size,
				   enum kernel_read_file_id id)
{
	const char *why = NULL;

	if (((unsigned int)id < READING_MAX_ID && exclude_id[id]) ||
	    !READ_ONCE(pinscope_enforce) ||
	    judge_load(file->f_path.mnt->mnt_sb) != PIN_OTHER ||
	    pinscope_verity_trusted(file, &why))
		return 0;
	report_load(kernel_read_file_id_str(id), file, "denied after the read", why);
	pinscope_count(PINSCOPE_LOAD_DENIED);
	return -EPERM;
}

static int pinscope_load_data(enum kernel_load_data_id id, bool contents)
{
	return pinscope_check(NULL, (enum kernel_read_file_id)id);
}

/*
 * Called from generic_shutdown_super(), while the superblock still holds
 * its block device and its filesystem type: once the pin is cleared here,
 * no reader of pinned_sb (under pin_lock) can reach a released device or
 * an unloaded filesystem module, which the later sb_free_security() (on
 * 6.12, from a work item after an RCU grace period) would allow.
 */
static void pinscope_sb_delete(struct super_block *sb)
{
	spin_lock(&pin_lock);
	if (sb == pinned_sb && !pin_unmounted) {
		pinned_sb = NULL;
		pin_unmounted = true;
		pr_info("pinned filesystem dev=%s fstype=%s unmounted: refusing further loads\n",
			sb->s_id, sb->s_type->name);
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
	unsigned int major = 0, minor = 0;
	enum pin_access access = PIN_READ_ONLY;
	const char *sep = "";
	int i;

	/* reading changes nothing: the pin is only what loads and init made it */
	spin_lock(&pin_lock);
	if (pin_unmounted) {
		strscpy(dev, "unmounted", sizeof(dev));
		strscpy(fstype, "unmounted", sizeof(fstype));
	} else if (pinned_sb) {
		strscpy(dev, pinned_sb->s_id, sizeof(dev));
		strscpy(fstype, pinned_sb->s_type->name, sizeof(fstype));
		/* what /proc/PID/mountinfo shows: 9p's s_id is only "9p" */
		major = MAJOR(pinned_sb->s_dev);
		minor = MINOR(pinned_sb->s_dev);
		access = pin_writable(pinned_sb);
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
	seq_printf(m, "pinned_devno=%u:%u\npinned_writable=%s\n",
		   major, minor, pin_access_status[access]);
}

/**
 * exclude_type - the load type a pinscope.exclude= name stands for
 * @name: LoadPin's name for it, as kernel_read_file_id_str() gives
 *
 * Return: the enum kernel_read_file_id, or -ENOENT for no type.
 */
static int __init exclude_type(const char *name)
{
	int id;

	for (id = 0; id < READING_MAX_ID; id++)
		if (!strcmp(name, kernel_read_file_id_str(id)))
			return id;
	return -ENOENT;
}

static void __init parse_exclude(void)
{
	int i, id;

	for (i = 0; i < exclude_count; i++) {
		const char *name = exclude_names[i];

		if (!name || !*name)
			continue;
		id = exclude_type(name);
		if (id < 0) {
			/* a command line written for a newer kernel still boots */
			pr_warn("unknown exclude type '%s' ignored\n", name);
			continue;
		}
		exclude_id[id] = true;
		pr_info("not pinning %s loads\n", name);
	}
}

static struct security_hook_list pinscope_load_hooks[] __lsm_ro_after_init = {
	LSM_HOOK_INIT(sb_delete, pinscope_sb_delete),
	LSM_HOOK_INIT(kernel_read_file, pinscope_read_file),
	LSM_HOOK_INIT(kernel_post_read_file, pinscope_post_read_file),
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

#ifdef CONFIG_SECURITY_PINSCOPE_KUNIT_TEST
#include "load_kunit.c"
#endif
