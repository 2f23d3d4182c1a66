// SPDX-License-Identifier: GPL-2.0
/*
 * Load pinning with nothing but the test binary: a kernel module read from
 * a tmpfs the test mounts itself is refused, from a memfd too, a load with
 * no file is refused, and a file on the pinned root passes pinscope (the
 * module loader then rejects it, as it is no module).  Root's ways around
 * the pin that need only tmpfs and mount namespaces: a chroot into a tmpfs
 * is refused, a chroot into a directory of the pin is still the pin; a
 * tmpfs over a directory of the pin, in a mount namespace of its own, is
 * refused, and a bind mount of the pin is still the pin.  None of it moves
 * the pin.  None of it needs a test
 * module, a second disk or a fixed path, so a test farm runs it unchanged;
 * each case that the boot's settings do not allow skips, saying why.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
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

/* A file on the pin to load, in a directory of the pin. */
struct probe {
	char path[PATH_MAX];
	char dir[PATH_MAX];
	const char *name;	/* in dir */
	bool module;		/* pinscope's test module, which really loads */
};

/* Is @path (not a link to follow) on the pinned filesystem? */
static bool on_the_pin(const char *path)
{
	char devno[32], mine[32];
	struct stat st;

	if (stat(path, &st) ||
	    read_key(PINSCOPE_SECURITYFS "/status", "pinned_devno", devno, sizeof(devno)))
		return false;
	snprintf(mine, sizeof(mine), "%u:%u", major(st.st_dev), minor(st.st_dev));
	return !strcmp(devno, mine);
}

/*
 * The probe: pinscope's test module where its images install it (on the
 * pin, in every scenario of qemu/init), unless PINSCOPE_FARM says to do
 * as on a test farm: there, this binary or init's, whichever is on the
 * pin. -1, with why in @why, when there is none.
 */
static int find_probe(struct probe *p, char *why, size_t len)
{
	static const char *const bins[] = { "/proc/self/exe", "/proc/1/exe" };
	char *slash;
	size_t i;
	ssize_t n;

	p->module = !getenv("PINSCOPE_FARM") && !access(PINSCOPE_TEST_MODULE, R_OK);
	if (p->module)
		snprintf(p->path, sizeof(p->path), "%s", PINSCOPE_TEST_MODULE);
	for (i = 0; !p->module && i < ARRAY_SIZE(bins); i++) {
		n = readlink(bins[i], p->path, sizeof(p->path) - 1);
		if (n < 0)
			continue;
		p->path[n] = '\0';
		/* a " (deleted)" binary is on no filesystem at that path */
		if (on_the_pin(p->path))
			break;
	}
	if (!p->module && i == ARRAY_SIZE(bins)) {
		snprintf(why, len, "neither this binary nor init's is on the pinned filesystem: %s",
			 "install the tests on the root filesystem");
		return -1;
	}
	snprintf(p->dir, sizeof(p->dir), "%s", p->path);
	slash = strrchr(p->dir, '/');
	p->name = p->path + (slash - p->dir) + 1;
	if (slash == p->dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return 0;
}

/*
 * Did pinscope allow the load of a file of the pin that ended with @err?
 * The test module loads (and is unloaded here); another file is refused by
 * the module loader, not by pinscope, and load_allowed counted it.
 */
static bool pin_allowed(const struct probe *p, int err, long allowed_before)
{
	if (p->module && !err)
		return !unload_module("test_module");
	return !p->module && err && err != EPERM &&
	       pinscope_stat("load_allowed") > allowed_before;
}

/* Run @fn(@p, @results) in a child; its two results, or -1 for a set-up failure. */
static int in_child(int (*fn)(const struct probe *p, int results[2]),
		    const struct probe *p, int results[2])
{
	int pipefd[2], status_word;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int r[2] = { -1, -1 }, err;

		close(pipefd[0]);
		err = fn(p, r);
		if (write(pipefd[1], r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(err ? 1 : 0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], results, 2 * sizeof(int)) != 2 * sizeof(int)) {
		results[0] = -1;
		results[1] = -1;
	}
	close(pipefd[0]);
	if (waitpid(pid, &status_word, 0) != pid || !WIFEXITED(status_word) ||
	    WEXITSTATUS(status_word))
		return -1;
	return 0;
}

FIXTURE(refusal) {
	char dir[64];		/* the test's own tmpfs */
	char path[96];		/* the binary's copy in it */
	int kmsg;
	bool mounted;
	bool ready;		/* set up; 6.1's harness runs a test after a SKIP in setup */
	char pinned[64], devno[32];	/* the pin when the test began */
	struct probe probe;	/* a file on the pin, */
	char no_probe[512];	/* or why there is none ("" when there is) */
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
	read_key(PINSCOPE_SECURITYFS "/status", "pinned", self->pinned, sizeof(self->pinned));
	read_key(PINSCOPE_SECURITYFS "/status", "pinned_devno", self->devno, sizeof(self->devno));
	if (find_probe(&self->probe, self->no_probe, sizeof(self->no_probe)) == 0)
		self->no_probe[0] = '\0';
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
	if (self->ready) {
		char val[64] = "", init_root[32] = "";
		struct stat st;

		/*
		 * Nothing a test did moved the pin. On a system that stays in
		 * its initramfs, the first load sets it: to init's root, never
		 * to the test's tmpfs.
		 */
		read_key(PINSCOPE_SECURITYFS "/status", "pinned_devno", val, sizeof(val));
		if (!stat("/proc/1/root/", &st))
			snprintf(init_root, sizeof(init_root), "%u:%u", major(st.st_dev),
				 minor(st.st_dev));
		if (strcmp(self->pinned, "none") || strcmp(val, init_root))
			EXPECT_STREQ(self->devno, val);
		read_key(PINSCOPE_SECURITYFS "/status", "pinned", val, sizeof(val));
		if (strcmp(self->pinned, "none"))
			EXPECT_STREQ(self->pinned, val);
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

/* A memfd is a file of the kernel's internal tmpfs: not the pin. */
TEST_F(refusal, memfd_refused)
{
	static const char *const needles[] = { "pinscope: kernel-module denied",
					       "obj=\"/memfd:pinscope-probe", "fstype=tmpfs",
					       NULL };
	char buf[65536];
	long denied = pinscope_stat("load_denied");
	int in, fd, err;
	ssize_t n;

	if (!self->ready)
		return;
	fd = memfd_create("pinscope-probe", MFD_CLOEXEC);
	ASSERT_LE(0, fd);
	in = open(self->path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, in);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ASSERT_EQ(n, write(fd, buf, n));
	close(in);
	err = syscall(SYS_finit_module, fd, "", 0) ? errno : 0;
	close(fd);
	EXPECT_EQ(EPERM, err);
	EXPECT_TRUE(kmsg_has(self->kmsg, needles));
	EXPECT_EQ(denied + 1, pinscope_stat("load_denied"));
}

/* chroot into a tmpfs, then into a directory of the pin */
static int chroot_loads(const struct probe *p, int results[2])
{
	const char *jail = "/tmp/pinscope-jail";
	char name[PATH_MAX + 2];
	pid_t pid;
	int st;

	if (mount_tmpfs_with(jail, p->path, "evil.ko"))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(chroot(jail) || chdir("/") ? 255 : finit_flags("/evil.ko", 0));
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	results[0] = WEXITSTATUS(st);
	umount(jail);
	rmdir(jail);
	if (chroot(p->dir) || chdir("/"))
		return -1;
	snprintf(name, sizeof(name), "/%s", p->name);
	results[1] = finit_flags(name, 0);
	return 0;
}

/*
 * The child's two loads: the first, of the tmpfs's @refused, refused with
 * its line; the second, of the pin's file, allowed. (The fixture's data is
 * FIXTURE_DATA(refusal), spelt out for checkpatch.)
 */
static void refused_then_allowed(struct __test_metadata *_metadata,
				 struct _test_data_refusal *self,
				 int (*loads)(const struct probe *p, int results[2]),
				 const char *refused)
{
	long allowed = pinscope_stat("load_allowed");
	int r[2];

	if (!self->ready)
		return;
	if (self->no_probe[0])
		SKIP(return, "%s", self->no_probe);
	ASSERT_EQ(0, in_child(loads, &self->probe, r));
	EXPECT_EQ(EPERM, r[0]);
	EXPECT_TRUE(refusal_logged(self->kmsg, refused ?: self->probe.path, "tmpfs", "tmpfs"));
	EXPECT_TRUE(pin_allowed(&self->probe, r[1], allowed))
		TH_LOG("the pin's %s, from %s: %s", self->probe.name, self->probe.dir,
		       strerror(r[1]));
}

/* chroot() changes the caller's root, never init's: the pin is a filesystem. */
TEST_F(refusal, chroot_does_not_move_the_pin)
{
	refused_then_allowed(_metadata, self, chroot_loads, "/evil.ko");
}

/*
 * In a mount namespace of its own, a tmpfs over the probe's directory, so
 * that the usual path names the tmpfs's copy; then a bind mount of the
 * directory elsewhere, which is still the pin.
 */
static int namespace_loads(const struct probe *p, int results[2])
{
	const char *copy = "/tmp/pinscope-ns.copy", *bind = "/tmp/pinscope-bind";
	char path[PATH_MAX + 32];

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	/* the tmpfs hides the file it copies: copy it first */
	if (copy_file(p->path, copy) || mount_tmpfs_with(p->dir, copy, p->name))
		return -1;
	unlink(copy);
	results[0] = finit_flags(p->path, 0);
	if (umount(p->dir) || (mkdir(bind, 0755) && errno != EEXIST) ||
	    mount(p->dir, bind, NULL, MS_BIND, NULL))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", bind, p->name);
	results[1] = finit_flags(path, 0);
	umount(bind);
	rmdir(bind);
	return 0;
}

TEST_F(refusal, mount_namespace_does_not_move_the_pin)
{
	refused_then_allowed(_metadata, self, namespace_loads, NULL);
}

PINSCOPE_LAST_LEAVES_A_FRESH_LOG_WINDOW()

TEST_HARNESS_MAIN
