// SPDX-License-Identifier: GPL-2.0
/*
 * Load pinning: the kernel reads modules and firmware only from the
 * filesystem init runs from; from tmpfs, the untrusted data disk or the 9p
 * share it refuses, with EPERM and a log line naming the file, the process,
 * the device and the filesystem type, and the counter of the decision moves.
 *
 * The same binary runs in several boots (boots.list): enforcing, with
 * pinscope.enforce=0, with pinscope.exclude=, and with a module loaded by
 * the initramfs before init switched to the disk.  Each test states which
 * boot it needs and skips, saying so, elsewhere.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pinscope_test.h"

#define FW_SYSFS	"/sys/devices/virtual/misc/test_firmware"
#define FW_PATH_PARAM	"/sys/module/firmware_class/parameters/path"
#define FW_TRUSTED	"pinscope/test-firmware.bin"
#define FW_CONTENT	"pinscope test firmware\n"

static const char *boot(void)
{
	const char *b = getenv("PINSCOPE_BOOT");

	return b ? b : "";
}

/* The pinscope status value of @key, "" when absent. */
static const char *status(const char *key)
{
	static char val[128];

	if (read_key(PINSCOPE_SECURITYFS "/status", key, val, sizeof(val)))
		val[0] = '\0';
	return val;
}

static bool enforcing(void)
{
	return !strcmp(status("enforce"), "1");
}

/* The 9p mount of the host directory, where the tests were started. */
static const char *host_share(void)
{
	static char cwd[4096];

	return getcwd(cwd, sizeof(cwd)) ? cwd : "/";
}

/*
 * Load the test module copied to @dir; returns the errno of finit_module.
 * The copy is removed; a module that did load is unloaded.
 */
static int load_copy_in(const char *dir, char *path, size_t len)
{
	int err, fd;

	/*
	 * A name of its own: the host share is one directory for every
	 * guest, and make check boots two at a time
	 */
	snprintf(path, len, "%s/pinscope-load-test.XXXXXX.ko", dir);
	fd = mkstemps(path, 3);
	if (fd < 0)
		return errno | 0x10000;
	close(fd);
	err = copy_file(PINSCOPE_TEST_MODULE, path);
	if (err) {
		unlink(path);
		return err | 0x10000;	/* not a load result: fails any EXPECT */
	}
	err = load_module_file(path);
	if (!err)
		unload_module("test_module");
	unlink(path);
	return err;
}

FIXTURE(pin) {
	int kmsg;
};

FIXTURE_SETUP(pin)
{
	if (!lsm_is_active("pinscope"))
		SKIP(return, "pinscope is not active in this kernel");
	self->kmsg = kmsg_mark();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(pin)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
}

TEST_F(pin, status_names_the_pinned_root)
{
	const struct pinscope_root *want = pinscope_expected_root();

	ASSERT_NE(NULL, want) TH_LOG("no expected root for scenario '%s'", pinscope_scenario());
	/*
	 * Reading the status settles nothing: in the initramfs, before any
	 * load, it says so; the first load from it pins it.
	 */
	if (!strcmp(want->dev, "rootfs") && !strcmp(status("pinned"), "none")) {
		ASSERT_EQ(0, load_module_file(PINSCOPE_TEST_MODULE));
		EXPECT_EQ(0, unload_module("test_module"));
	}
	EXPECT_STREQ(want->dev, status("pinned"));
	EXPECT_STREQ(want->fstype, status("pinned_fstype"));
}

TEST_F(pin, module_from_the_pinned_root_loads)
{
	/* an excluded type is not judged at all */
	const char *counter = strstr(status("exclude"), "kernel-module") ?
			      "load_excluded" : "load_allowed";
	long before = pinscope_stat(counter);
	const char *needles[] = { "test_module: Hello, world", NULL };

	ASSERT_EQ(0, load_module_file(PINSCOPE_TEST_MODULE));
	EXPECT_TRUE(kmsg_has(self->kmsg, needles));
	EXPECT_EQ(0, unload_module("test_module"));
	EXPECT_EQ(before + 1, pinscope_stat(counter));
}

FIXTURE(untrusted) {
	int kmsg;
};

FIXTURE_VARIANT(untrusted) {
	const char *dir;	/* NULL: the host share */
	const char *fstype;
	const char *dev;
};

FIXTURE_VARIANT_ADD(untrusted, tmpfs) { .dir = "/tmp", .fstype = "tmpfs", .dev = "tmpfs" };
FIXTURE_VARIANT_ADD(untrusted, data_disk) { .dir = "/mnt/data", .fstype = "ext2", .dev = "vdb" };
FIXTURE_VARIANT_ADD(untrusted, host_9p_share) { .dir = NULL, .fstype = "9p", .dev = "9p" };

FIXTURE_SETUP(untrusted)
{
	if (!lsm_is_active("pinscope"))
		SKIP(return, "pinscope is not active in this kernel");
	self->kmsg = kmsg_mark();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(untrusted)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
}

TEST_F(untrusted, module_refused_when_enforcing)
{
	char path[4200], obj[4300], dev[64], fstype[64];
	const char *needles[] = { "pinscope: kernel-module denied", obj, dev, fstype, NULL };
	long before = pinscope_stat("load_denied");

	if (!enforcing() || strstr(status("exclude"), "kernel-module"))
		SKIP(return, "boot %s does not enforce module pinning", boot());
	EXPECT_EQ(EPERM, load_copy_in(variant->dir ?: host_share(), path, sizeof(path)));
	snprintf(obj, sizeof(obj), "obj=\"%s\"", path);
	snprintf(dev, sizeof(dev), "dev=%s", variant->dev);
	snprintf(fstype, sizeof(fstype), "fstype=%s", variant->fstype);
	EXPECT_TRUE(kmsg_has(self->kmsg, needles)) TH_LOG("no log line with %s %s %s", obj, dev, fstype);
	EXPECT_EQ(before + 1, pinscope_stat("load_denied"));
}

TEST_F(untrusted, module_allowed_and_logged_when_not_enforcing)
{
	char path[4200], obj[4300];
	const char *needles[] = { "pinscope: kernel-module pinning-ignored", obj, NULL };
	long before = pinscope_stat("load_ignored");

	if (enforcing())
		SKIP(return, "boot %s enforces (the permissive boot checks this)", boot());
	EXPECT_EQ(0, load_copy_in(variant->dir ?: host_share(), path, sizeof(path)));
	snprintf(obj, sizeof(obj), "obj=\"%s\"", path);
	EXPECT_TRUE(kmsg_has(self->kmsg, needles));
	EXPECT_EQ(before + 1, pinscope_stat("load_ignored"));
}

TEST_F(pin, old_api_module_load_refused_when_enforcing)
{
	const char *needles[] = { "pinscope: kernel-module old-api-denied", NULL };
	long before = pinscope_stat("load_old_api_denied");

	if (!enforcing() || strstr(status("exclude"), "kernel-module"))
		SKIP(return, "boot %s does not enforce module pinning", boot());
	/* the module's own bytes, from the pinned root: the API is the issue */
	EXPECT_EQ(EPERM, load_module_buffer(PINSCOPE_TEST_MODULE));
	EXPECT_TRUE(kmsg_has(self->kmsg, needles));
	EXPECT_EQ(before + 1, pinscope_stat("load_old_api_denied"));
}

TEST_F(pin, old_api_module_load_allowed_when_not_enforcing)
{
	if (enforcing())
		SKIP(return, "boot %s enforces (the permissive boot checks this)", boot());
	EXPECT_EQ(0, load_module_buffer(PINSCOPE_TEST_MODULE));
	EXPECT_EQ(0, unload_module("test_module"));
}

/* Ask test_firmware to load @name; 0 or the errno of the request. */
static int request_firmware_named(const char *name)
{
	return write_file(FW_SYSFS "/trigger_request", name);
}

TEST_F(pin, firmware_from_the_pinned_root_loads)
{
	char buf[64];

	if (access(FW_SYSFS, F_OK))
		SKIP(return, "no test_firmware driver (CONFIG_TEST_FIRMWARE)");
	ASSERT_EQ(0, write_file(FW_PATH_PARAM, ""));
	ASSERT_EQ(0, request_firmware_named(FW_TRUSTED));
	ASSERT_EQ(0, read_file("/dev/test_firmware", buf, sizeof(buf)));
	EXPECT_STREQ(FW_CONTENT, buf);
}

/*
 * A request that finds no file asks pinscope about the firmware fallback
 * (with FW_LOADER_USER_HELPER, whose sysfs class has a timeout), whether
 * or not the fallback would run. A missing optional firmware is no attack:
 * each is refused and counted, and none may print a line, which would
 * spend the log's rate limit (10 lines in 5 s) and hide the refusal after
 * them.
 */
#define FW_MISSING_REQUESTS	12

TEST_F(pin, firmware_from_elsewhere_refused)
{
	const char *needles[] = { "pinscope: firmware denied",
				  "obj=\"/tmp/pinscope-fw/pinscope-elsewhere.bin\"", NULL };
	const char *fallback[] = { "pinscope: firmware old-api-denied", NULL };
	bool helper = !access("/sys/class/firmware/timeout", F_OK);
	long before = pinscope_stat("load_firmware_fallback_denied");
	char name[64];
	int i, mark;

	if (access(FW_SYSFS, F_OK))
		SKIP(return, "no test_firmware driver (CONFIG_TEST_FIRMWARE)");
	if (!enforcing() || strstr(status("exclude"), "firmware"))
		SKIP(return, "boot %s does not enforce firmware pinning", boot());
	ASSERT_LE(0, before) TH_LOG("no load_firmware_fallback_denied in stats");
	/* a mark of its own: kmsg_has() reads past what it finds */
	mark = kmsg_mark();
	ASSERT_LE(0, mark);
	ASSERT_EQ(0, write_file(FW_PATH_PARAM, ""));
	for (i = 0; i < FW_MISSING_REQUESTS; i++) {
		snprintf(name, sizeof(name), "pinscope-missing-%d.bin", i);
		EXPECT_EQ(ENOENT, request_firmware_named(name));
	}
	mkdir("/tmp/pinscope-fw", 0755);
	ASSERT_EQ(0, copy_file("/lib/firmware/" FW_TRUSTED, "/tmp/pinscope-fw/pinscope-elsewhere.bin"));
	ASSERT_EQ(0, write_file(FW_PATH_PARAM, "/tmp/pinscope-fw"));
	/* the last search path's ENOENT is what the request reports */
	EXPECT_NE(0, request_firmware_named("pinscope-elsewhere.bin"));
	EXPECT_TRUE(kmsg_has(self->kmsg, needles)) TH_LOG("the refusal's line is missing: was the rate limit spent?");
	EXPECT_FALSE(kmsg_has(mark, fallback));
	close(mark);
	/* the refused one fell back too, after its search */
	EXPECT_EQ(before + (helper ? FW_MISSING_REQUESTS + 1 : 0),
		  pinscope_stat("load_firmware_fallback_denied"))
		TH_LOG("user helper %s", helper ? "built" : "not built");
	write_file(FW_PATH_PARAM, "");
}

TEST_F(pin, exclude_lifts_only_the_named_type)
{
	const char *unknown[] = { "pinscope: unknown exclude type 'no-such-type' ignored", NULL };
	int boot_log = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	char path[4200];

	if (strcmp(status("exclude"), "kernel-module"))
		SKIP(return, "boot %s has no pinscope.exclude=kernel-module", boot());
	ASSERT_TRUE(enforcing());
	/* the boot also named a type that does not exist: logged, ignored */
	EXPECT_TRUE(kmsg_has(boot_log, unknown));
	close(boot_log);
	EXPECT_EQ(0, load_copy_in("/tmp", path, sizeof(path)));
	/* firmware stays pinned */
	mkdir("/tmp/pinscope-fw", 0755);
	ASSERT_EQ(0, copy_file("/lib/firmware/" FW_TRUSTED, "/tmp/pinscope-fw/pinscope-elsewhere.bin"));
	ASSERT_EQ(0, write_file(FW_PATH_PARAM, "/tmp/pinscope-fw"));
	EXPECT_NE(0, request_firmware_named("pinscope-elsewhere.bin"));
	write_file(FW_PATH_PARAM, "");
}

TEST_F(pin, pin_followed_init_from_the_initramfs_to_its_new_root)
{
	const struct pinscope_root *want = pinscope_expected_root();
	char log[256], path[4200];

	if (read_file("/run/pinscope/preswitch", log, sizeof(log)))
		SKIP(return, "boot %s loaded nothing before switching root", boot());
	ASSERT_NE(NULL, want) TH_LOG("no expected root for scenario '%s'", pinscope_scenario());
	/* the initramfs's own load was allowed: the pin was on the initramfs */
	ASSERT_NE(NULL, strstr(log, "loaded ")) TH_LOG("initramfs load: %s", log);
	EXPECT_STREQ(want->dev, status("pinned"));
	EXPECT_STREQ(want->fstype, status("pinned_fstype"));
	/* LoadPin would refuse this: its pin stayed on the initramfs */
	EXPECT_EQ(0, load_module_file(PINSCOPE_TEST_MODULE));
	EXPECT_EQ(0, unload_module("test_module"));
	EXPECT_EQ(EPERM, load_copy_in("/tmp", path, sizeof(path)));
	EXPECT_EQ(EPERM, load_copy_in("/mnt/data", path, sizeof(path)));
}

/*
 * Last, in a fixture of its own: once raised, enforcement stays on for the
 * rest of the boot, and the tests above must see the boot's own setting.
 */
FIXTURE(raise) {
	int unused;
};

FIXTURE_SETUP(raise)
{
	if (!lsm_is_active("pinscope"))
		SKIP(return, "pinscope is not active in this kernel");
}

FIXTURE_TEARDOWN(raise)
{
}

/*
 * Root with no capability at all (a container's root, a sandboxed
 * service: CapEff and CapBnd empty) may not raise enforcement, which would
 * refuse every load the system needs: that takes CAP_SYS_ADMIN.
 */
TEST_F(raise, enforce_sysctl_needs_cap_sys_admin)
{
	const char *sysctl = "/proc/sys/kernel/pinscope/enforce";
	char before[8], after[8];
	int status;
	pid_t pid;

	ASSERT_EQ(0, read_file(sysctl, before, sizeof(before)));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];
		char caps[4096];

		/* the bounding set first: dropping it takes CAP_SETPCAP */
		for (int cap = 0; cap < 64; cap++)
			prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
		memset(d, 0, sizeof(d));
		if (syscall(SYS_capset, &h, d))
			_exit(100);
		if (geteuid() != 0)
			_exit(101);
		if (read_file("/proc/self/status", caps, sizeof(caps)) ||
		    !strstr(caps, "CapEff:\t0000000000000000") ||
		    !strstr(caps, "CapBnd:\t0000000000000000"))
			_exit(102);
		_exit(write_file(sysctl, "1"));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_GT(100, WEXITSTATUS(status)) TH_LOG("dropping the capabilities failed (%d)",
						   WEXITSTATUS(status));
	EXPECT_EQ(EPERM, WEXITSTATUS(status));
	ASSERT_EQ(0, read_file(sysctl, after, sizeof(after)));
	EXPECT_STREQ(before, after);
}

TEST_F(raise, enforce_sysctl_only_rises)
{
	const char *sysctl = "/proc/sys/kernel/pinscope/enforce";
	char path[4200], buf[8];

	if (enforcing())
		SKIP(return, "boot %s already enforces: nothing to raise", boot());
	ASSERT_EQ(EINVAL, write_file(sysctl, "2"));
	ASSERT_EQ(0, read_file(sysctl, buf, sizeof(buf)));
	ASSERT_STREQ("0\n", buf);
	ASSERT_EQ(0, write_file(sysctl, "1"));
	EXPECT_TRUE(enforcing());
	EXPECT_EQ(EPERM, load_copy_in("/tmp", path, sizeof(path)));
	/* and there is no way back, even for root */
	EXPECT_NE(0, write_file(sysctl, "0"));
	ASSERT_EQ(0, read_file(sysctl, buf, sizeof(buf)));
	EXPECT_STREQ("1\n", buf);
	EXPECT_TRUE(enforcing());
}

/*
 * The counters tell of every user's refused loads and attaches: root's to
 * read.  status (the pin, the settings) stays readable by everyone.
 */
TEST_F(raise, stats_readable_by_root_only)
{
	char buf[64];
	int status;
	pid_t pid;

	ASSERT_EQ(0, read_file(PINSCOPE_SECURITYFS "/stats", buf, sizeof(buf)));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(100);
		if (read_file(PINSCOPE_SECURITYFS "/status", buf, sizeof(buf)))
			_exit(101);
		/* read_file() keeps open()'s errno */
		_exit(read_file(PINSCOPE_SECURITYFS "/stats", buf, sizeof(buf)) ? errno : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_GT(100, WEXITSTATUS(status)) TH_LOG("uid 1000 could not read status (%d)",
						   WEXITSTATUS(status));
	EXPECT_EQ(EACCES, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
