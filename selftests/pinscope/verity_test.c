// SPDX-License-Identifier: GPL-2.0
/*
 * dm-verity trust: off the pin, a load is allowed from a dm-verity device
 * whose root digest is on the list given once by pinscope.verity_digests=
 * (or, from an initramfs, in /sys/kernel/security/pinscope/verity_digests),
 * and refused, with EPERM and a log line that says why, from a device that
 * is not verity, whose digest is not listed, that ignores corruption,
 * checks blocks only once, has found a corrupted block, or whose table
 * replaced another.  Once the pin is final, no list can be given.
 *
 * The verity scenario (qemu/run) attaches the disks qemu/build-image made
 * with veritysetup; /opt/pinscope/verity.params holds the tables that open
 * them, which the tests load through /dev/mapper/control.  The list can be
 * given once per boot, so each boot tests one way of giving it:
 *   verity            a good list; every decision on it
 *   verity-malformed  a bad digest after a good one
 *   verity-unknown    an unknown algorithm after a good digest
 *   verity-param      a digest of the wrong length
 *   disk              no list: none can be given once the pin is final
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pinscope_test.h"

#define PARAMS		"/opt/pinscope/verity.params"
#define DIGESTS		PINSCOPE_SECURITYFS "/verity_digests"
#define MODULE_NAME	"test_module"

static const char *boot(void)
{
	const char *b = getenv("PINSCOPE_BOOT");

	return b ? b : "";
}

static const char *param(const char *key)
{
	static char val[4][512];
	static int next;
	char *v = val[next++ % 4];

	if (read_key(PARAMS, key, v, sizeof(val[0])))
		v[0] = '\0';
	return v;
}

static const char *status(const char *key)
{
	static char val[128];

	if (read_key(PINSCOPE_SECURITYFS "/status", key, val, sizeof(val)))
		val[0] = '\0';
	return val;
}

/* Why the boot cannot run a test, or NULL. */
static const char *unusable(void)
{
	if (strcmp(pinscope_scenario(), "verity"))
		return "needs the verity scenario's disks (qemu/run --scenario verity)";
	if (access(PARAMS, R_OK))
		return "no " PARAMS " (made by qemu/build-image)";
	if (access(DIGESTS, F_OK))
		return "the kernel has no " DIGESTS " (CONFIG_SECURITY_PINSCOPE_VERITY)";
	return NULL;
}

#define NEED_BOOT(name) do {						\
	const char *why_not = unusable();				\
	if (why_not)							\
		SKIP(return, "%s", why_not);				\
	if (strcmp(boot(), name))					\
		SKIP(return, "runs in the %s boot, not %s", name, boot()); \
} while (0)

/* A dm ioctl on /dev/mapper/control with @extra bytes of payload: 0 or errno. */
static int dm_ioctl(unsigned long cmd, const char *name, unsigned int flags,
		    const void *extra, size_t extra_len, struct dm_ioctl *out)
{
	char buf[sizeof(struct dm_ioctl) + 1024] __attribute__((aligned(8)));
	struct dm_ioctl *io = (struct dm_ioctl *)buf;
	int fd, ret = 0;

	if (extra_len > sizeof(buf) - sizeof(*io))
		return E2BIG;
	memset(buf, 0, sizeof(buf));
	io->version[0] = DM_VERSION_MAJOR;
	io->data_size = sizeof(buf);
	io->data_start = sizeof(*io);
	io->flags = flags;
	snprintf(io->name, sizeof(io->name), "%s", name);
	if (extra_len) {
		memcpy(buf + sizeof(*io), extra, extra_len);
		io->target_count = 1;
	}
	fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (ioctl(fd, cmd, io))
		ret = errno;
	close(fd);
	if (!ret && out)
		*out = *io;
	return ret;
}

/*
 * Load the one-target @table ("START LENGTH TYPE ARGS...", as dmsetup takes
 * it) as @name's inactive table, read-only, and resume the device with it.
 * Returns 0 or the errno of the step that failed.
 */
static int dm_load_and_resume(const char *name, const char *table)
{
	char spec_buf[sizeof(struct dm_target_spec) + 512] __attribute__((aligned(8)));
	struct dm_target_spec *spec = (struct dm_target_spec *)spec_buf;
	unsigned long long start, length;
	int args = 0, err;

	memset(spec_buf, 0, sizeof(spec_buf));
	if (sscanf(table, "%llu %llu %15s %n", &start, &length, spec->target_type, &args) != 3 ||
	    strlen(table + args) >= sizeof(spec_buf) - sizeof(*spec))
		return EINVAL;
	spec->sector_start = start;
	spec->length = length;
	strcpy(spec_buf + sizeof(*spec), table + args);
	err = dm_ioctl(DM_TABLE_LOAD, name, DM_READONLY_FLAG, spec_buf,
		       sizeof(*spec) + strlen(table + args) + 1, NULL);
	if (err)
		return err;
	/* DM_DEV_SUSPEND without DM_SUSPEND_FLAG resumes */
	return dm_ioctl(DM_DEV_SUSPEND, name, 0, NULL, 0, NULL);
}

/*
 * Open a device-mapper device @name with the one-target @table; its node
 * in @dev.  Returns 0 or the errno of the step that failed.
 */
static int dm_open(const char *name, const char *table, char *dev, size_t len)
{
	struct dm_ioctl io;
	int err;

	err = dm_ioctl(DM_DEV_CREATE, name, 0, NULL, 0, &io);
	if (err)
		return err;
	err = dm_load_and_resume(name, table);
	if (err) {
		dm_ioctl(DM_DEV_REMOVE, name, 0, NULL, 0, NULL);
		return err;
	}
	snprintf(dev, len, "/dev/dm-%u", (unsigned int)(io.dev & 0xff) |
		 (unsigned int)((io.dev >> 12) & ~0xffULL));
	return 0;
}

/*
 * Replace @name's live table with @table, as root can at any time (dmsetup
 * suspend, reload, resume), its filesystem staying mounted.
 */
static int dm_reload(const char *name, const char *table)
{
	int err = dm_ioctl(DM_DEV_SUSPEND, name, DM_SUSPEND_FLAG, NULL, 0, NULL);

	return err ?: dm_load_and_resume(name, table);
}

/* A device opened from a table and its filesystem mounted read-only. */
struct vdev {
	char name[32], dev[32], dir[64], module[160];
	bool open, mounted;
};

static int vdev_up(struct vdev *v, const char *name, const char *table)
{
	int err;

	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "pinscope-%s", name);
	snprintf(v->dir, sizeof(v->dir), "/tmp/%s", v->name);
	/* the image holds each kernel's module, as the root does */
	snprintf(v->module, sizeof(v->module), "%s/%s/%s.ko", v->dir,
		 getenv("PINSCOPE_MODULES") ? getenv("PINSCOPE_MODULES") : "", MODULE_NAME);
	err = dm_open(v->name, table, v->dev, sizeof(v->dev));
	if (err)
		return err;
	v->open = true;
	mkdir(v->dir, 0755);
	if (mount(v->dev, v->dir, "ext2", MS_RDONLY, NULL))
		return errno;
	v->mounted = true;
	return 0;
}

static void vdev_down(struct vdev *v)
{
	if (v->mounted)
		umount(v->dir);
	if (v->open)
		dm_ioctl(DM_DEV_REMOVE, v->name, 0, NULL, 0, NULL);
	rmdir(v->dir);
}

static int write_digests(const char *list)
{
	return write_file(DIGESTS, list);
}

/* Write the list with the listed digest: 0 or the errno. */
static int give_listed(void)
{
	char list[256];

	snprintf(list, sizeof(list), "# the verity scenario's data disk\n%s\n",
		 param("listed_digest"));
	return write_digests(list);
}

/* In the verity boot the command line gave the listed digest: 0, or EPERM. */
static int trust_listed(void)
{
	return strcmp(status("verity_digests"), "1") ? EPERM : 0;
}

/* A load that must be refused, with EPERM and a log line naming @why. */
static void expect_refused(struct __test_metadata *_metadata, const char *module,
			   const char *why)
{
	char obj[160];
	int kmsg = kmsg_mark(), err;
	const char *needles[] = { "kernel-module denied", obj, why, NULL };

	snprintf(obj, sizeof(obj), "obj=\"%s\"", module);
	err = load_module_file(module);
	if (!err)
		unload_module(MODULE_NAME);
	EXPECT_EQ(EPERM, err) {
		TH_LOG("finit_module(%s): %s, not EPERM", module, strerror(err));
	}
	EXPECT_TRUE(kmsg_has(kmsg, needles)) {
		TH_LOG("no log line with \"%s\" and \"%s\"", obj, why ? why : "");
	}
	close(kmsg);
}

/* A load that must work: the module really is loaded. */
static void expect_loads(struct __test_metadata *_metadata, const char *module)
{
	long before = pinscope_stat("load_verity_allowed");
	int err = load_module_file(module);

	ASSERT_EQ(0, err) {
		TH_LOG("finit_module(%s): %s", module, strerror(err));
	}
	EXPECT_EQ(0, access("/sys/module/" MODULE_NAME, F_OK)) {
		TH_LOG("finit_module() succeeded but /sys/module/%s is missing", MODULE_NAME);
	}
	EXPECT_EQ(before + 1, pinscope_stat("load_verity_allowed"));
	EXPECT_EQ(0, unload_module(MODULE_NAME));
}

TEST(listed_digest_loads_off_the_pin)
{
	struct vdev v;
	int err;

	NEED_BOOT("verity");
	ASSERT_EQ(0, trust_listed());
	ASSERT_STREQ("vda", status("pinned")) {
		TH_LOG("the pin must be the ext4 root, so that the verity device is off it");
	}
	err = vdev_up(&v, "listed", param("listed_table"));
	EXPECT_EQ(0, err) {
		TH_LOG("opening the listed verity device: %s", strerror(err));
	}
	if (!err)
		expect_loads(_metadata, v.module);
	vdev_down(&v);
}

/*
 * The table may name the hash by its driver ("sha256-generic"): the tree is
 * the same, so is the digest, and the device is trusted as with "sha256".
 */
TEST(listed_digest_with_a_driver_name_loads)
{
	char table[512];
	const char *listed = param("listed_table");
	const char *alg = strstr(listed, " sha256 ");
	struct vdev v;
	int err;

	NEED_BOOT("verity");
	ASSERT_EQ(0, trust_listed());
	ASSERT_NE(NULL, alg) TH_LOG("no sha256 in the listed table: %s", listed);
	snprintf(table, sizeof(table), "%.*s sha256-generic %s", (int)(alg - listed), listed,
		 alg + strlen(" sha256 "));
	err = vdev_up(&v, "driver", table);
	EXPECT_EQ(0, err) {
		TH_LOG("opening the listed device as \"%s\": %s", table, strerror(err));
	}
	if (!err)
		expect_loads(_metadata, v.module);
	vdev_down(&v);
}

TEST(unlisted_digest_refused)
{
	struct vdev v;
	int err;

	NEED_BOOT("verity");
	ASSERT_EQ(0, trust_listed());
	/* the same data, under a tree with another salt: another root digest */
	err = vdev_up(&v, "unlisted", param("unlisted_table"));
	EXPECT_EQ(0, err) {
		TH_LOG("opening the unlisted verity device: %s", strerror(err));
	}
	if (!err)
		expect_refused(_metadata, v.module, "hint=\"dm-verity: root digest not listed\"");
	vdev_down(&v);
}

TEST(non_verity_devices_refused)
{
	char linear[128], module[96];
	unsigned long long sectors = 0;
	struct vdev v;
	int err;

	NEED_BOOT("verity");
	ASSERT_EQ(0, trust_listed());
	/* the very filesystem the listed device verifies, through dm-linear */
	ASSERT_EQ(1, sscanf(param("listed_table"), "%*u %llu", &sectors));
	snprintf(linear, sizeof(linear), "0 %llu linear /dev/vdc 0", sectors);
	err = vdev_up(&v, "linear", linear);
	EXPECT_EQ(0, err) {
		TH_LOG("opening a dm-linear device with \"%s\": %s", linear, strerror(err));
	}
	if (!err)
		expect_refused(_metadata, v.module, "hint=\"dm-verity: not a dm-verity device\"");
	vdev_down(&v);

	/* and the plain data disk */
	snprintf(module, sizeof(module), "/mnt/data/%s.ko", MODULE_NAME);
	ASSERT_EQ(0, copy_file(PINSCOPE_TEST_MODULE, module));
	expect_refused(_metadata, module, "hint=\"dm-verity: not a dm-verity device\"");
	unlink(module);
}

TEST(weakened_verity_refused)
{
	static const struct {
		const char *option, *why;
	} cases[] = {
		{ "ignore_corruption", "hint=\"dm-verity: the device ignores corruption\"" },
		{ "check_at_most_once",
		  "hint=\"dm-verity: the device checks a block only the first time it is read\"" },
	};
	char table[512];

	NEED_BOOT("verity");
	ASSERT_EQ(0, trust_listed());
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vdev v;
		int err;

		/* the listed digest, with one optional argument */
		snprintf(table, sizeof(table), "%s 1 %s", param("listed_table"), cases[i].option);
		err = vdev_up(&v, cases[i].option, table);
		EXPECT_EQ(0, err) {
			TH_LOG("opening a verity device with %s: %s", cases[i].option, strerror(err));
		}
		if (!err)
			expect_refused(_metadata, v.module, cases[i].why);
		vdev_down(&v);
	}
}

TEST(corrupted_device_refused_once_verity_found_it)
{
	char path[128], buf[4096];
	struct vdev v;
	int err, fd;
	ssize_t n;

	NEED_BOOT("verity");
	ASSERT_EQ(0, trust_listed());
	/* the listed tree over a copy of the data with one block changed */
	err = vdev_up(&v, "corrupt", param("corrupt_table"));
	ASSERT_EQ(0, err) {
		TH_LOG("opening the corrupted verity device: %s", strerror(err));
		vdev_down(&v);
	}
	/* nothing corrupted has been read: the device is still trusted */
	expect_loads(_metadata, v.module);

	snprintf(path, sizeof(path), "%s/corrupt-me", v.dir);
	fd = open(path, O_RDONLY);
	EXPECT_LE(0, fd);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	err = errno;
	EXPECT_EQ(-1, n) {
		TH_LOG("reading the corrupted block gave %zd bytes, not EIO", n);
	}
	EXPECT_EQ(EIO, err);
	if (fd >= 0)
		close(fd);

	expect_refused(_metadata, v.module,
		       "hint=\"dm-verity: the device has found a corrupted block\"");
	vdev_down(&v);
}

/* Read all of @path, so that its blocks are in the page cache: 0 or errno. */
static int read_whole(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n < 0 ? errno : 0;
}

#define REPLACED_HINT "hint=\"dm-verity: the table replaced another, whose blocks may still be cached\""

/*
 * Open device @name with @first, read @file in it (the module if NULL)
 * expecting @read_err, expect the load refused with @why_first if given,
 * reload the device with @again as root can, and expect the load refused
 * for the table replacing another.
 */
static void reloaded_device_refused(struct __test_metadata *_metadata, const char *name,
				    const char *first, const char *file, int read_err,
				    const char *why_first, const char *again)
{
	char path[160];
	struct vdev v;
	int err;

	err = vdev_up(&v, name, first);
	EXPECT_EQ(0, err) {
		TH_LOG("opening %s with \"%s\": %s", name, first, strerror(err));
	}
	if (!err) {
		snprintf(path, sizeof(path), "%s/%s", v.dir, file ?: "");
		EXPECT_EQ(read_err, read_whole(file ? path : v.module));
		if (why_first)
			expect_refused(_metadata, v.module, why_first);
		err = dm_reload(v.name, again);
		EXPECT_EQ(0, err) {
			TH_LOG("reloading %s with \"%s\": %s", name, again, strerror(err));
		}
		if (!err)
			expect_refused(_metadata, v.module, REPLACED_HINT);
	}
	vdev_down(&v);
}

/*
 * Root reads the module through a dm-linear device over the data (the page
 * cache now holds blocks no tree verified: they could be altered ones),
 * then reloads the device with the listed verity table, whose status says
 * "V": the load is refused, since the cached blocks did not come through
 * it.
 */
TEST(table_reloaded_over_linear_refused)
{
	char linear[128];
	unsigned long long sectors = 0;

	NEED_BOOT("verity");
	ASSERT_EQ(0, trust_listed());
	ASSERT_EQ(1, sscanf(param("listed_table"), "%*u %llu", &sectors));
	snprintf(linear, sizeof(linear), "0 %llu linear /dev/vdc 0", sectors);
	reloaded_device_refused(_metadata, "relinear", linear, NULL, 0, NULL,
				param("listed_table"));
}

/*
 * The same with the listed tree itself first, but ignoring corruption, so
 * that altered blocks would be read and cached: after a reload without
 * ignore_corruption, the load is refused.
 */
TEST(table_reloaded_over_weakened_verity_refused)
{
	char table[512];

	NEED_BOOT("verity");
	ASSERT_EQ(0, trust_listed());
	snprintf(table, sizeof(table), "%s 1 ignore_corruption", param("listed_table"));
	reloaded_device_refused(_metadata, "reweak", table, NULL, 0, NULL,
				param("listed_table"));
}

/*
 * A corrupted block found, the device refused; root reloads the same
 * table, which clears dm-verity's corruption flag (status "V" again): the
 * device stays refused.
 */
TEST(corruption_not_cleared_by_a_reload)
{
	NEED_BOOT("verity");
	ASSERT_EQ(0, trust_listed());
	reloaded_device_refused(_metadata, "recorrupt", param("corrupt_table"), "corrupt-me", EIO,
				"hint=\"dm-verity: the device has found a corrupted block\"",
				param("corrupt_table"));
}

TEST(second_write_refused)
{
	int kmsg, err;
	const char *needles[] = { "verity_digests: sealed: write by pid=", "refused", NULL };

	NEED_BOOT("verity");
	ASSERT_EQ(0, trust_listed());
	kmsg = kmsg_mark();
	err = write_digests("sha256:0000000000000000000000000000000000000000000000000000000000000000\n");
	EXPECT_EQ(EPERM, err) {
		TH_LOG("a second write to %s: %s, not EPERM", DIGESTS, strerror(err));
	}
	EXPECT_TRUE(kmsg_has(kmsg, needles));
	close(kmsg);
	EXPECT_STREQ("1", status("verity_digests"));
	EXPECT_STREQ("1", status("verity_sealed"));
}

/*
 * A list of the command line refused: the log line naming @entry and
 * @problem, then nothing trusted, the list sealed, and the listed device
 * refused.
 */
static void expect_list_refused(struct __test_metadata *_metadata, const char *entry,
				const char *problem)
{
	const char *needles[] = { entry, problem, "nothing trusted", NULL };
	const char *sealed[] = { "the list was refused: no dm-verity device is trusted; sealed",
				 NULL };
	struct vdev v;
	int kmsg, err;

	/* the boot parameter's lines: read the log from its start */
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	EXPECT_TRUE(kmsg_has(kmsg, needles)) {
		TH_LOG("no log line with \"%s\" and \"%s\"", entry, problem);
	}
	close(kmsg);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	EXPECT_TRUE(kmsg_has(kmsg, sealed));
	close(kmsg);
	EXPECT_STREQ("0", status("verity_digests"));
	EXPECT_STREQ("1", status("verity_sealed"));

	/* nothing was applied, not even the good first entry */
	err = vdev_up(&v, "after-bad-list", param("listed_table"));
	EXPECT_EQ(0, err);
	if (!err)
		expect_refused(_metadata, v.module, "dev=dm-");
	vdev_down(&v);

	/* and the list cannot be given again */
	EXPECT_EQ(EPERM, give_listed());
}

/* boots.list: the listed digest, sha256:<64 zeros>, sha256:<63 zeros>z */
TEST(malformed_list_refused_whole)
{
	NEED_BOOT("verity-malformed");
	expect_list_refused(_metadata, "pinscope.verity_digests=: entry 3 (\"sha256:",
			    "the digest is not hexadecimal");
}

/* boots.list: the listed digest, whirlpool:<128 zeros> */
TEST(unknown_algorithm_refused)
{
	NEED_BOOT("verity-unknown");
	expect_list_refused(_metadata, "pinscope.verity_digests=: entry 2 (\"whirlpool:",
			    "unknown digest algorithm (known: sha256, sha384, sha512)");
}

/* boots.list: sha256:<64 zeros>, sha256:12 */
TEST(malformed_boot_parameter_refused)
{
	NEED_BOOT("verity-param");
	expect_list_refused(_metadata, "pinscope.verity_digests=: entry 2 (\"sha256:12\")",
			    "the digest does not have the algorithm's length");
}

/*
 * Root, on a system that gave no list, writes one naming a device of its
 * own: refused, as the pin is final (init has executed from its root), and
 * nothing is trusted.
 */
TEST(no_list_once_the_pin_is_final)
{
	const char *final[] = { "the pin is final and no list was given", "sealed", NULL };
	const char *refused[] = { "verity_digests: sealed: write by pid=", "refused", NULL };
	int kmsg, err;

	if (access(DIGESTS, F_OK))
		SKIP(return, "the kernel has no " DIGESTS " (CONFIG_SECURITY_PINSCOPE_VERITY)");
	if (strcmp(pinscope_scenario(), "disk"))
		SKIP(return, "needs a boot with no list, from a disk (the disk boot)");
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	EXPECT_TRUE(kmsg_has(kmsg, final));
	close(kmsg);
	EXPECT_STREQ("1", status("verity_sealed"));
	kmsg = kmsg_mark();
	err = write_digests("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
	EXPECT_EQ(EPERM, err) {
		TH_LOG("a write to %s after boot: %s, not EPERM", DIGESTS, strerror(err));
	}
	EXPECT_TRUE(kmsg_has(kmsg, refused));
	close(kmsg);
	EXPECT_STREQ("0", status("verity_digests"));
}

TEST_HARNESS_MAIN
