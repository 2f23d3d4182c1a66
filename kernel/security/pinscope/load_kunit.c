// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of pinscope's load pinning decisions: where the pin goes for
 * each kind of root init can switch to, what a load is judged against,
 * when the pin counts as writable, and the pinscope.exclude= list.
 *
 * They work on synthetic superblocks and on arrays of their own, never on
 * the live pin.  This file is #included at the end of load.c, whose
 * functions are static (CONFIG_SECURITY_PINSCOPE_KUNIT_TEST).
 */

#include <kunit/test.h>

/*
 * The roots init may switch to from the initramfs, one filesystem type
 * each: only their identity matters to the rule.  tmpfs is here because
 * the initial rootfs may be a tmpfs inside, yet a tmpfs anyone mounts is
 * not the initial rootfs.
 */
static struct file_system_type pin_test_types[] = {
	{ .name = "ext4" },	/* a disk */
	{ .name = "9p" },	/* no block device */
	{ .name = "overlay" },	/* a live image's squashfs and tmpfs */
	{ .name = "btrfs" },	/* no single block device */
	{ .name = "nfs" },
	{ .name = "tmpfs" },
};

static void pin_test_type_desc(struct file_system_type *type, char *desc)
{
	strscpy(desc, type->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pin_test_root, pin_test_types, pin_test_type_desc);

static struct super_block *pin_test_sb(struct kunit *test,
				       struct file_system_type *type)
{
	struct super_block *sb = kunit_kzalloc(test, sizeof(*sb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sb);
	sb->s_type = type;
	return sb;
}

/* Apply pin_rule() to @pinned as pin_follow_init() does to the live pin. */
static enum pin_change pin_test_follow(struct super_block **pinned,
				       bool unmounted,
				       struct super_block *root_sb,
				       bool init_exec)
{
	enum pin_change change = pin_rule(*pinned, unmounted, root_sb, init_exec);

	if (change != PIN_KEPT)
		*pinned = root_sb;
	return change;
}

#define LOAD	false	/* a load, with init's root where it is */
#define EXEC	true	/* init executes a program from its root */

/* Init's first exec off the initramfs pins its root, whatever it is. */
static void pin_init_exec_pins_its_root(struct kunit *test)
{
	const struct file_system_type *type = test->param_value;
	struct super_block *root = pin_test_sb(test, (void *)type);
	struct super_block *pinned = NULL;

	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, root, EXEC), PIN_SET);
	KUNIT_EXPECT_PTR_EQ(test, pinned, root);
	/* the same root again changes nothing */
	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, root, EXEC), PIN_KEPT);
	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, root, LOAD), PIN_KEPT);
	KUNIT_EXPECT_PTR_EQ(test, pinned, root);
}

/*
 * A load pins only the initramfs, and only while init runs from it: one
 * while init's root is anything else (init chrooted by an attacker before
 * it execs from its new root) pins nothing; neither does init's exec from
 * the initramfs itself.
 */
static void pin_load_pins_only_the_initramfs(struct kunit *test)
{
	const struct file_system_type *type = test->param_value;
	struct super_block *initramfs = pin_test_sb(test, &rootfs_fs_type);
	struct super_block *root = pin_test_sb(test, (void *)type);
	struct super_block *pinned = NULL;

	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, root, LOAD), PIN_KEPT);
	KUNIT_EXPECT_PTR_EQ(test, pinned, NULL);
	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, initramfs, EXEC), PIN_KEPT);
	KUNIT_EXPECT_PTR_EQ(test, pinned, NULL);
	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, initramfs, LOAD), PIN_SET);
	KUNIT_EXPECT_PTR_EQ(test, pinned, initramfs);
}

/*
 * A pin on the initramfs follows init to its new root once, when init
 * execs from there, not on a load that finds init elsewhere; from there it
 * follows init nowhere: not to another root of any kind, not back to a
 * rootfs-typed superblock.
 */
static void pin_follows_init_off_the_initramfs_once(struct kunit *test)
{
	const struct file_system_type *type = test->param_value;
	struct super_block *initramfs = pin_test_sb(test, &rootfs_fs_type);
	struct super_block *root = pin_test_sb(test, (void *)type);
	struct super_block *pinned = NULL;
	int i;

	KUNIT_ASSERT_EQ(test, pin_test_follow(&pinned, false, initramfs, LOAD), PIN_SET);
	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, initramfs, LOAD), PIN_KEPT);
	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, initramfs, EXEC), PIN_KEPT);
	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, root, LOAD), PIN_KEPT);
	KUNIT_EXPECT_PTR_EQ(test, pinned, initramfs);
	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, root, EXEC), PIN_MOVED);
	KUNIT_EXPECT_PTR_EQ(test, pinned, root);

	for (i = 0; i < ARRAY_SIZE(pin_test_types); i++) {
		struct super_block *next = pin_test_sb(test, &pin_test_types[i]);

		KUNIT_EXPECT_EQ_MSG(test, pin_test_follow(&pinned, false, next, EXEC), PIN_KEPT,
				    "the pin moved again, from %s to %s",
				    type->name, pin_test_types[i].name);
		KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, next, LOAD), PIN_KEPT);
		KUNIT_EXPECT_PTR_EQ(test, pinned, root);
	}
	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, pin_test_sb(test, &rootfs_fs_type),
					      EXEC),
			PIN_KEPT);
	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false, pin_test_sb(test, &rootfs_fs_type),
					      LOAD),
			PIN_KEPT);
	KUNIT_EXPECT_PTR_EQ(test, pinned, root);
}

/* A first pin that is not the initramfs is final from the start. */
static void pin_off_the_initramfs_is_final(struct kunit *test)
{
	const struct file_system_type *type = test->param_value;
	struct super_block *root = pin_test_sb(test, (void *)type);
	struct super_block *pinned = NULL;
	int i;

	KUNIT_ASSERT_EQ(test, pin_test_follow(&pinned, false, root, EXEC), PIN_SET);
	for (i = 0; i < ARRAY_SIZE(pin_test_types); i++) {
		KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, false,
						      pin_test_sb(test, &pin_test_types[i]),
						      EXEC),
				PIN_KEPT);
		KUNIT_EXPECT_PTR_EQ(test, pinned, root);
	}
}

/* Once the pinned filesystem is gone, no root becomes the pin. */
static void pin_unmounted_is_never_replaced(struct kunit *test)
{
	const struct file_system_type *type = test->param_value;
	struct super_block *root = pin_test_sb(test, (void *)type);
	struct super_block *pinned = NULL;

	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, true, root, EXEC), PIN_KEPT);
	KUNIT_EXPECT_PTR_EQ(test, pinned, NULL);
	KUNIT_EXPECT_EQ(test, pin_test_follow(&pinned, true,
					      pin_test_sb(test, &rootfs_fs_type), LOAD),
			PIN_KEPT);
	KUNIT_EXPECT_PTR_EQ(test, pinned, NULL);
}

static void pin_judge_matches_only_the_pinned_sb(struct kunit *test)
{
	struct super_block *pinned = pin_test_sb(test, &pin_test_types[0]);
	struct super_block *other = pin_test_sb(test, &pin_test_types[0]);

	KUNIT_EXPECT_EQ(test, pin_judge(pinned, false, pinned), PIN_MATCH);
	KUNIT_EXPECT_EQ(test, pin_judge(pinned, false, other), PIN_OTHER);
	/* a load with no superblock, before any pin, matches nothing */
	KUNIT_EXPECT_EQ(test, pin_judge(NULL, false, NULL), PIN_OTHER);
	KUNIT_EXPECT_EQ(test, pin_judge(NULL, false, other), PIN_OTHER);
	KUNIT_EXPECT_EQ(test, pin_judge(pinned, false, NULL), PIN_OTHER);
	/* an unmounted pin refuses everything, whatever pointer is left */
	KUNIT_EXPECT_EQ(test, pin_judge(NULL, true, NULL), PIN_UNMOUNTED);
	KUNIT_EXPECT_EQ(test, pin_judge(NULL, true, other), PIN_UNMOUNTED);
	KUNIT_EXPECT_EQ(test, pin_judge(pinned, true, pinned), PIN_UNMOUNTED);
}

static enum pin_access pin_test_writable(struct super_block *sb)
{
	enum pin_access writable;

	spin_lock(&pin_lock);
	writable = pin_writable(sb);
	spin_unlock(&pin_lock);
	return writable;
}

/*
 * Read-only counts only when the device is read-only: a read-only mount of
 * a writable device does not, and without a device it is unknown.
 */
static void pin_writable_needs_a_read_only_device(struct kunit *test)
{
	struct super_block *sb = pin_test_sb(test, &pin_test_types[0]);
	struct block_device *bdev = kunit_kzalloc(test, sizeof(*bdev), GFP_KERNEL);
	struct block_device *part0 = kunit_kzalloc(test, sizeof(*part0), GFP_KERNEL);
	struct gendisk *disk = kunit_kzalloc(test, sizeof(*disk), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bdev);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, part0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, disk);
	disk->part0 = part0;
	bdev->bd_disk = disk;

	/* no block device (9p, NFS, btrfs, overlayfs): a read-only mount says little */
	KUNIT_EXPECT_EQ(test, pin_test_writable(sb), PIN_WRITABLE);
	sb->s_flags |= SB_RDONLY;
	KUNIT_EXPECT_EQ(test, pin_test_writable(sb), PIN_ACCESS_UNKNOWN);

	sb->s_bdev = bdev;
	KUNIT_EXPECT_EQ_MSG(test, pin_test_writable(sb), PIN_WRITABLE,
			    "a read-only mount of a writable disk counts as read-only");
	bdev->bd_read_only = true;
	KUNIT_EXPECT_EQ(test, pin_test_writable(sb), PIN_READ_ONLY);
	bdev->bd_read_only = false;
	set_bit(GD_READ_ONLY, &disk->state);
	KUNIT_EXPECT_EQ(test, pin_test_writable(sb), PIN_READ_ONLY);
	/* a writable mount is writable, whatever the device */
	sb->s_flags &= ~SB_RDONLY;
	KUNIT_EXPECT_EQ(test, pin_test_writable(sb), PIN_WRITABLE);
}

/*
 * The firmware fallbacks, asked about after every request that found no
 * file: refused when enforcing and allowed when not, as any load with no
 * file, but counted apart and never a line of report_load() each.
 */
static void firmware_fallback_counted_apart(struct kunit *test)
{
	atomic_long_t *denied = &pinscope_stats[PINSCOPE_LOAD_FW_FALLBACK_DENIED];
	atomic_long_t *ignored = &pinscope_stats[PINSCOPE_LOAD_IGNORED];
	long d = atomic_long_read(denied), i = atomic_long_read(ignored);

	KUNIT_EXPECT_EQ(test, firmware_fallback(true), -EPERM);
	KUNIT_EXPECT_EQ(test, firmware_fallback(true), -EPERM);
	KUNIT_EXPECT_EQ(test, atomic_long_read(denied), d + 2);
	KUNIT_EXPECT_EQ(test, firmware_fallback(false), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(ignored), i + 1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(denied), d + 2);
}

/*
 * LoadPin's names, exactly, each for its own type.  exclude_type() is boot
 * code: these cases are in the init section with it, and the suite is
 * registered as one that runs at boot, before that section is freed.
 */
static void __init exclude_names_each_load_type(struct kunit *test)
{
	int id;

	for (id = 0; id < READING_MAX_ID; id++)
		KUNIT_EXPECT_EQ_MSG(test, exclude_type(kernel_read_file_id_str(id)), id,
				    "pinscope.exclude=%s", kernel_read_file_id_str(id));
}

static void __init exclude_names_nothing_else(struct kunit *test)
{
	static const char *const names[] = {
		"", "no-such-type", "Kernel-Module", "kernel-module ", " firmware",
		"firmware,kernel-module", "kernel_module", "module",
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		KUNIT_EXPECT_EQ_MSG(test, exclude_type(names[i]), -ENOENT,
				    "pinscope.exclude=%s", names[i]);
}

static struct kunit_case __refdata pinscope_load_test_cases[] = {
	KUNIT_CASE_PARAM(pin_init_exec_pins_its_root, pin_test_root_gen_params),
	KUNIT_CASE_PARAM(pin_load_pins_only_the_initramfs, pin_test_root_gen_params),
	KUNIT_CASE_PARAM(pin_follows_init_off_the_initramfs_once, pin_test_root_gen_params),
	KUNIT_CASE_PARAM(pin_off_the_initramfs_is_final, pin_test_root_gen_params),
	KUNIT_CASE_PARAM(pin_unmounted_is_never_replaced, pin_test_root_gen_params),
	KUNIT_CASE(pin_judge_matches_only_the_pinned_sb),
	KUNIT_CASE(pin_writable_needs_a_read_only_device),
	KUNIT_CASE(firmware_fallback_counted_apart),
	KUNIT_CASE(exclude_names_each_load_type),
	KUNIT_CASE(exclude_names_nothing_else),
	{}
};

static struct kunit_suite pinscope_load_test_suite = {
	.name = "pinscope_load",
	.test_cases = pinscope_load_test_cases,
};

kunit_test_init_section_suites(&pinscope_load_test_suite);
