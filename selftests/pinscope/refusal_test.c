// SPDX-License-Identifier: GPL-2.0
/*
 * Load pinning with nothing but the test binary: a kernel module read from
 * a tmpfs the test mounts itself is refused, a load with no file is
 * refused, and a file on the pinned root passes pinscope (the module
 * loader then rejects it, as it is no module).  None of it needs a test
 * module, a second disk or a fixed path, so a test farm runs it unchanged;
 * each case that the boot's settings do not allow skips, saying why.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pinscope_test.h"

/* pinscope's status value of @key in @val; false when absent. */
static bool status_is(const char *key, const char *want)
{
	char val[128];

	return !read_key(PINSCOPE_SECURITYFS "/status", key, val, sizeof(val)) &&
	       !strcmp(val, want);
}

static bool modules_excluded(void)
{
	char val[256];

	return !read_key(PINSCOPE_SECURITYFS "/status", "exclude", val, sizeof(val)) &&
	       strstr(val, "kernel-module");
}

FIXTURE(refusal) {
	char dir[64];		/* the test's own tmpfs */
	char path[96];		/* the binary's copy in it */
	int kmsg;
	bool mounted;
	bool ready;		/* set up; 6.1's harness runs a test after a SKIP in setup */
};

FIXTURE_SETUP(refusal)
{
	char val[16];

	self->kmsg = -1;
	if (read_key(PINSCOPE_SECURITYFS "/status", "enforce", val, sizeof(val)))
		SKIP(return, "pinscope is not active (no %s/status)", PINSCOPE_SECURITYFS);
	if (!status_is("enforce", "1"))
		SKIP(return, "load pinning is not enforced (pinscope.enforce=0)");
	if (modules_excluded())
		SKIP(return, "kernel-module loads are excluded (pinscope.exclude=)");
	if (access("/proc/modules", F_OK))
		SKIP(return, "this kernel loads no modules (CONFIG_MODULES)");
	snprintf(self->dir, sizeof(self->dir), "/tmp/pinscope-refusal.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, mount("pinscope-refusal", self->dir, "tmpfs", 0, "size=16m")) {
		TH_LOG("mount tmpfs on %s: %s", self->dir, strerror(errno));
	}
	self->mounted = true;
	snprintf(self->path, sizeof(self->path), "%s/not-a-module.ko", self->dir);
	/* any file will do: pinscope decides before the loader reads it */
	ASSERT_EQ(0, copy_file("/proc/self/exe", self->path));
	self->kmsg = kmsg_mark();
	self->ready = true;
}

FIXTURE_TEARDOWN(refusal)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
	if (self->mounted) {
		umount(self->dir);
		rmdir(self->dir);
	}
}

TEST_F(refusal, module_from_a_new_tmpfs_refused)
{
	long denied = pinscope_stat("load_denied");
	char obj[128];
	const char *const logged[] = { "kernel-module denied", obj, "fstype=tmpfs", NULL };

	if (!self->ready)
		return;
	snprintf(obj, sizeof(obj), "obj=\"%s\"", self->path);
	EXPECT_EQ(EPERM, load_module_file(self->path)) {
		TH_LOG("a tmpfs mounted after boot is never the pinned root");
	}
	EXPECT_EQ(denied + 1, pinscope_stat("load_denied"));
	ASSERT_LE(0, self->kmsg);
	EXPECT_TRUE(kmsg_has(self->kmsg, logged)) {
		TH_LOG("no 'kernel-module denied ... fstype=tmpfs' line for %s", self->path);
	}
}

TEST_F(refusal, module_without_a_file_refused)
{
	long denied = pinscope_stat("load_old_api_denied");

	if (!self->ready)
		return;
	EXPECT_EQ(EPERM, load_module_buffer(self->path)) {
		TH_LOG("init_module() with a buffer has no file to check: refused");
	}
	EXPECT_EQ(denied + 1, pinscope_stat("load_old_api_denied"));
}

TEST_F(refusal, file_on_the_pinned_root_passes_pinscope)
{
	long allowed = pinscope_stat("load_allowed");
	char devno[32], mine[32];
	struct stat st;
	int err;

	if (!self->ready)
		return;
	ASSERT_EQ(0, stat("/proc/self/exe", &st));
	snprintf(mine, sizeof(mine), "%u:%u", major(st.st_dev), minor(st.st_dev));
	if (read_key(PINSCOPE_SECURITYFS "/status", "pinned_devno", devno, sizeof(devno)))
		SKIP(return, "the status has no pinned_devno");
	if (strcmp(devno, mine))
		SKIP(return, "this binary is on %s, not on the pinned root (%s): %s",
		     mine, devno, "install the tests on the root filesystem");
	err = load_module_file("/proc/self/exe");
	EXPECT_NE(EPERM, err) {
		TH_LOG("a file on the pinned root was refused");
	}
	EXPECT_NE(0, err) {
		TH_LOG("an executable was accepted as a module");
	}
	EXPECT_EQ(allowed + 1, pinscope_stat("load_allowed"));
}

TEST_HARNESS_MAIN
