// SPDX-License-Identifier: GPL-2.0
/*
 * Where the pin goes, and what no one but init can do about it.
 *
 * The pin is init's root: the initramfs while init runs from it, then,
 * once, the root init switches to, whatever its filesystem (each scenario
 * of qemu/init switches to one: ext4, 9p, an overlay), and never again.
 * It leaves the initramfs when init execs from its new root, not when a
 * load or a status read finds init's root elsewhere.
 * The status and the log say which filesystem, and whether root could
 * write to it.  Then the attacker's cases, each with the refused load's
 * errno and log line and a permitted load that really loads:
 *   - root makes init itself chroot (with ptrace) before anything loaded:
 *     the pin was settled when init executed from its root, and reading
 *     the status changes nothing;
 *   - a root process that is not init: pivot_root() moves init's root, but
 *     not the pin;
 *   - a container's pid 1: its root is not init's;
 *   (chroot, mount namespaces, tmpfs and memfd: pin_ns_test, which a test
 *   farm runs too.)
 * The unmount scenario's pin (the disk init left) is gone: every load is
 * refused.  Compressed modules load from the pin with
 * MODULE_INIT_COMPRESSED_FILE; decompressing in userspace means
 * init_module(), refused with a hint.
 *
 * This binary runs first in its boots (tests.list), and its first test
 * first: nothing may load before the case of init's chroot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <sys/user.h>
#endif

#include "kselftest_harness.h"
#include "pinscope_test.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

#define TEST_MODULE_XZ	PINSCOPE_TEST_MODULE ".xz"
#define MODULE_DIR	"/lib/modules/pinscope"
#define HELLO		"test_module: Hello, world"

/* The pinscope status value of @key, "" when absent. */
static const char *status(const char *key)
{
	static char val[128];

	if (read_key(PINSCOPE_SECURITYFS "/status", key, val, sizeof(val)))
		val[0] = '\0';
	return val;
}

/*
 * Enforcing for modules?  Asked of the sysctl and the command line, not of
 * the status: the case of init's chroot reads the status only once init
 * is in the attacker's root, to show that reading it decides nothing.
 */
static bool enforcing(void)
{
	char buf[4096], *exclude;

	if (read_file("/proc/sys/kernel/pinscope/enforce", buf, sizeof(buf)) ||
	    strcmp(buf, "1\n"))
		return false;
	if (read_file("/proc/cmdline", buf, sizeof(buf)))
		return false;
	exclude = strstr(buf, "pinscope.exclude=");
	return !exclude || !strstr(strtok(exclude, " \n"), "kernel-module");
}

static bool pin_unmounted(void)
{
	return !strcmp(pinscope_scenario(), "unmount");
}

/* The whole kernel log, from its first record on. */
static int kmsg_from_boot(void)
{
	return open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
}

static bool boot_log_has(const char *const needles[])
{
	int fd = kmsg_from_boot();
	bool found;

	if (fd < 0)
		return false;
	found = kmsg_has(fd, needles);
	close(fd);
	return found;
}

/*
 * finit_module() of @path: 0 when the module loaded, said hello and
 * unloaded again, else the errno (EBADMSG: loaded but silent).  It reads
 * the log from a mark of its own, leaving the caller's where it was.
 */
static int load_really(const char *path, int flags)
{
	const char *hello[] = { HELLO, NULL };
	int kmsg = kmsg_mark();
	int err = finit_flags(path, flags);

	if (!err && !kmsg_has(kmsg, hello)) {
		unload_module("test_module");
		err = EBADMSG;
	} else if (!err) {
		err = unload_module("test_module");
	}
	if (kmsg >= 0)
		close(kmsg);
	return err;
}

/*
 * The major:minor of init's root, from @mountinfo (/proc/1/mountinfo, whose
 * paths are relative to init's root).
 */
static int init_root_devno(const char *mountinfo, char *devno, size_t len)
{
	char line[1024], dev[32], mnt[512];
	FILE *f = fopen(mountinfo, "r");
	int found = -1;

	if (!f)
		return -1;
	/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ...; the last "/" is on top */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %31s %*s %511s", dev, mnt) == 2 && !strcmp(mnt, "/")) {
			snprintf(devno, len, "%s", dev);
			found = 0;
		}
	fclose(f);
	return found;
}

/* The status still names the scenario's root. */
static bool pin_is_the_scenarios(void)
{
	const struct pinscope_root *want = pinscope_expected_root();

	return want && !strcmp(want->dev, status("pinned")) &&
	       !strcmp(want->fstype, status("pinned_fstype"));
}

static int mount_tmpfs_with_module(const char *dir, const char *name)
{
	return mount_tmpfs_with(dir, PINSCOPE_TEST_MODULE, name);
}

/*
 * 6.1's harness runs a test's body even when its fixture's setup skipped
 * it (6.12's does not): a setup skips with SETUP_SKIP, which the fixture's
 * `skipped` remembers, and each body returns first, then.
 */
#define SETUP_SKIP(...) do { self->skipped = true; SKIP(return, __VA_ARGS__); } while (0)
#define RETURN_IF_SKIPPED() do { if (self->skipped) return; } while (0)

#if defined(__x86_64__)
/* the "syscall" instruction, as a little-endian word */
#define X86_SYSCALL_INSN	0x050f

/* Wait for @pid's next stop: its signal, 0 for a ptrace event stop, or -1. */
static int wait_stop(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status))
		return -1;
	return status >> 16 ? 0 : WSTOPSIG(status);
}

/*
 * Make init (pid 1) call chroot(@path), as root can below ptrace scope 3:
 * seize it, interrupt the system call it waits in, point it back at that
 * call's "syscall" instruction with chroot's number and @path written below
 * its stack, step over it, then put its memory and registers back, so that
 * the call it was interrupted in restarts.  A signal that arrives meanwhile
 * is delivered on detach.  Returns 0, the errno of chroot() in init, or
 * the errno of a ptrace step; EAGAIN when init was caught outside a system
 * call (on its way back into the one a previous injection restarted: rip
 * then points at the "syscall" instruction, not past it), having changed
 * nothing.
 */
static int try_init_chroot(const char *path)
{
	struct user_regs_struct saved, regs;
	long words[16], old[16];
	size_t n = strlen(path) / sizeof(long) + 1, i;
	unsigned long addr;
	int err = 0, sig, pending = 0, tries;

	if (n > ARRAY_SIZE(words))
		return ENAMETOOLONG;
	memset(words, 0, sizeof(words));
	memcpy(words, path, strlen(path));
	if (ptrace(PTRACE_SEIZE, 1, 0, 0))
		return errno;
	if (ptrace(PTRACE_INTERRUPT, 1, 0, 0)) {
		err = errno;
		goto detach;
	}
	sig = wait_stop(1);
	if (sig < 0) {
		err = ECHILD;
		goto detach;
	}
	pending = sig;
	if (ptrace(PTRACE_GETREGS, 1, 0, &saved)) {
		err = errno;
		goto detach;
	}
	/* init waits in a system call (wait4() for its command) */
	errno = 0;
	if ((long)saved.orig_rax < 0 ||
	    (ptrace(PTRACE_PEEKTEXT, 1, saved.rip - 2, 0) & 0xffff) != X86_SYSCALL_INSN ||
	    errno) {
		err = EAGAIN;
		goto detach;
	}
	/* past the red zone, on the stack init already has */
	addr = (saved.rsp - 1024) & ~15UL;
	for (i = 0; i < n; i++) {
		errno = 0;
		old[i] = ptrace(PTRACE_PEEKDATA, 1, addr + i * sizeof(long), 0);
		if (errno || ptrace(PTRACE_POKEDATA, 1, addr + i * sizeof(long), words[i])) {
			err = errno ?: EIO;
			n = i;
			goto restore;
		}
	}
	regs = saved;
	regs.orig_rax = -1;	/* no restart of the interrupted call here */
	regs.rax = SYS_chroot;
	regs.rdi = addr;
	regs.rip = saved.rip - 2;
	if (ptrace(PTRACE_SETREGS, 1, 0, &regs)) {
		err = errno;
		goto restore;
	}
	sig = -1;
	for (tries = 0; tries < 8; tries++) {
		if (ptrace(PTRACE_SINGLESTEP, 1, 0, 0)) {
			err = errno;
			break;
		}
		sig = wait_stop(1);
		if (sig == SIGTRAP || sig < 0)
			break;
		/* a signal stopped it before the step: keep it for later */
		if (sig && !pending)
			pending = sig;
	}
	if (sig != SIGTRAP || ptrace(PTRACE_GETREGS, 1, 0, &regs))
		err = err ?: EIO;
	else
		err = (long)regs.rax < 0 ? -(long)regs.rax : 0;
restore:
	for (i = 0; i < n; i++)
		ptrace(PTRACE_POKEDATA, 1, addr + i * sizeof(long), old[i]);
	if (ptrace(PTRACE_SETREGS, 1, 0, &saved))
		err = err ?: errno;
detach:
	ptrace(PTRACE_DETACH, 1, 0, pending);
	return err;
}

/* try_init_chroot(), until init is caught waiting in a system call */
static int make_init_chroot(const char *path)
{
	int err, tries = 0;

	while ((err = try_init_chroot(path)) == EAGAIN && ++tries < 200)
		usleep(10000);
	return err;
}
#else
static int make_init_chroot(const char *path)
{
	return EOPNOTSUPP;
}
#endif

/* Is @path's directory the one of @st? */
static bool same_dir(const char *path, const struct stat *st)
{
	struct stat other;

	return !stat(path, &other) && other.st_dev == st->st_dev && other.st_ino == st->st_ino;
}

FIXTURE(attack) {
	bool skipped;	/* SETUP_SKIP */
	int kmsg;
};

FIXTURE_SETUP(attack)
{
	self->kmsg = -1;
	if (!lsm_is_active("pinscope"))
		SETUP_SKIP("pinscope is not active in this kernel");
	if (pin_unmounted())
		SETUP_SKIP("the pin is unmounted: nothing loads (the unmount tests)");
	if (!enforcing())
		SETUP_SKIP("this boot does not enforce module pinning");
	self->kmsg = kmsg_mark();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(attack)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
}

/*
 * Root, at ptrace scope 1 or 2, makes init itself chroot into a tmpfs of
 * its own before anything has loaded, reads the status, and loads a module
 * from the tmpfs.  The pin was settled when init executed from its root
 * (on a system that stays in its initramfs, only a load while init runs
 * from the initramfs sets it): the load is refused, and the status, read
 * while init was in the tmpfs, names the scenario's root (or nothing yet).
 * Init is put back, through the tmpfs's own /proc, and the pin's module
 * loads.  First in the file: nothing may have loaded before it.
 */
TEST_F(attack, root_makes_init_chroot_before_the_first_load)
{
	const struct pinscope_root *want = pinscope_expected_root();
	const char *evil = "/tmp/pinscope-init-evil";
	char during[128], during_fstype[32], back[64];
	struct stat evil_st, root_st;
	bool in_evil, restored, initramfs;
	int err, load;

	RETURN_IF_SKIPPED();
#if !defined(__x86_64__)
	SKIP(return, "the injection into init is written for x86-64");
#endif
	ASSERT_NE(NULL, want) TH_LOG("no expected root for scenario '%s'", pinscope_scenario());
	initramfs = !strcmp(want->dev, "rootfs");
	ASSERT_EQ(0, mount_tmpfs_with_module(evil, "evil.ko"));
	ASSERT_EQ(0, mkdir("/tmp/pinscope-init-evil/proc", 0755));
	ASSERT_EQ(0, mount("proc", "/tmp/pinscope-init-evil/proc", "proc", 0, NULL));
	ASSERT_EQ(0, stat(evil, &evil_st));
	ASSERT_EQ(0, stat("/", &root_st));

	err = make_init_chroot(evil);
	ASSERT_EQ(0, err) TH_LOG("chroot injected into init: %s", strerror(err));
	/* the attack worked on init: its root is now the attacker's tmpfs */
	in_evil = same_dir("/proc/1/root/", &evil_st);
	snprintf(during, sizeof(during), "%s", status("pinned"));
	snprintf(during_fstype, sizeof(during_fstype), "%s", status("pinned_fstype"));
	load = load_really("/tmp/pinscope-init-evil/evil.ko", 0);

	/* back: the magic link of this process's root, from init's new root */
	snprintf(back, sizeof(back), "/proc/%d/root", getpid());
	err = make_init_chroot(back);
	restored = same_dir("/proc/1/root/", &root_st);
	umount2("/tmp/pinscope-init-evil/proc", MNT_DETACH);
	umount2(evil, MNT_DETACH);
	ASSERT_TRUE(restored) TH_LOG("init is left in the tmpfs: %s", strerror(err));

	EXPECT_TRUE(in_evil) TH_LOG("init's root did not move to the tmpfs");
	EXPECT_EQ(EPERM, load) TH_LOG("the module from init's tmpfs root: %s", strerror(load));
	EXPECT_TRUE(refusal_logged(self->kmsg, "/tmp/pinscope-init-evil/evil.ko", "tmpfs", "tmpfs"));
	/* read while init was in the tmpfs: it decided nothing */
	if (initramfs && !strcmp(during, "none")) {
		EXPECT_STREQ("none", during_fstype);
	} else {
		EXPECT_TRUE(!strcmp(want->dev, during) && !strcmp(want->fstype, during_fstype))
			TH_LOG("pinned=%s (%s) while init was in the tmpfs", during, during_fstype);
	}
	EXPECT_EQ(0, load_really(PINSCOPE_TEST_MODULE, 0));
	EXPECT_TRUE(pin_is_the_scenarios()) TH_LOG("pinned=%s (%s)", status("pinned"),
						   status("pinned_fstype"));
}

/*
 * A root process in init's mount namespace pivots the root it shares with
 * init to its own tmpfs: init's root moves with it (pivot_root() moves
 * every process whose root was the caller's).  The pin left the
 * initramfs when init executed from its real root, so no decision after
 * the pivot follows init onto the attacker's tmpfs.  From the initramfs
 * itself no pivot is possible.
 */
TEST_F(attack, root_pivot_moves_init_but_not_the_pin)
{
	const struct pinscope_root *want = pinscope_expected_root();
	const char *evil = "/tmp/pinscope-evil";
	char expect_pin[128], init_root[64] = "", evil_dev[64];
	const char *pinned_line[] = { expect_pin, NULL };
	struct stat st;
	int err, load_evil, load_pinned, back;

	RETURN_IF_SKIPPED();
	ASSERT_NE(NULL, want) TH_LOG("no expected root for scenario '%s'", pinscope_scenario());
	ASSERT_EQ(0, mount_tmpfs_with_module(evil, "evil.ko"));
	ASSERT_EQ(0, mkdir("/tmp/pinscope-evil/old", 0755));
	ASSERT_EQ(0, stat(evil, &st));
	snprintf(evil_dev, sizeof(evil_dev), "%u:%u", major(st.st_dev), minor(st.st_dev));

	err = syscall(SYS_pivot_root, evil, "/tmp/pinscope-evil/old") ? errno : 0;
	if (!strcmp(want->dev, "rootfs")) {
		/* the initramfs is no mount of its own: it cannot be pivoted */
		EXPECT_EQ(EINVAL, err);
		EXPECT_EQ(EPERM, load_really("/tmp/pinscope-evil/evil.ko", 0));
		EXPECT_TRUE(refusal_logged(self->kmsg, "/tmp/pinscope-evil/evil.ko", "tmpfs", "tmpfs"));
		EXPECT_TRUE(pin_is_the_scenarios()) TH_LOG("pinned=%s", status("pinned"));
		umount(evil);
		return;
	}
	ASSERT_EQ(0, err) TH_LOG("pivot_root: %s", strerror(err));
	/* the attack worked on init: its root is now the attacker's tmpfs */
	init_root_devno("/old/proc/1/mountinfo", init_root, sizeof(init_root));
	/* no /dev here: the log is read once back */
	load_evil = finit_flags("/evil.ko", 0);
	load_pinned = finit_flags("/old" PINSCOPE_TEST_MODULE, 0);

	/* back: the old root becomes the root of everyone on the tmpfs */
	back = syscall(SYS_pivot_root, "/old", "/old/tmp/pinscope-evil") ? errno : 0;
	ASSERT_EQ(0, back) TH_LOG("pivot back: %s: the guest is left on the tmpfs", strerror(back));
	umount2(evil, MNT_DETACH);

	EXPECT_STREQ(evil_dev, init_root) TH_LOG("init's root did not move to the tmpfs");
	EXPECT_EQ(EPERM, load_evil);
	EXPECT_TRUE(refusal_logged(self->kmsg, "/evil.ko", "tmpfs", "tmpfs"));
	EXPECT_EQ(0, load_pinned) TH_LOG("the pinned root's module, seen from the tmpfs: %s",
					 strerror(load_pinned));
	if (!load_pinned) {
		const char *hello[] = { HELLO, NULL };

		EXPECT_TRUE(kmsg_has(self->kmsg, hello));
		EXPECT_EQ(0, unload_module("test_module"));
	}
	EXPECT_TRUE(pin_is_the_scenarios()) TH_LOG("pinned=%s (%s)", status("pinned"),
						   status("pinned_fstype"));
	/* the line that settled the pin names init's real root */
	snprintf(expect_pin, sizeof(expect_pin), "dev=%s fstype=%s (", want->dev, want->fstype);
	EXPECT_TRUE(boot_log_has(pinned_line)) TH_LOG("no pin line with %s", expect_pin);
}

/*
 * The container's pid 1 is not init: it may pivot into its own root, in its
 * own mount namespace, but the pin stays; a module from the pin, bound into
 * the container, still loads.
 */
TEST_F(attack, container_pid1_does_not_move_the_pin)
{
	const char *ctr = "/tmp/pinscope-ctr";
	int status_word, pipefd[2];
	int results[3] = { -1, -1, -1 };
	pid_t outer;

	RETURN_IF_SKIPPED();
	ASSERT_EQ(0, pipe(pipefd));
	mkdir(ctr, 0755);
	outer = fork();
	ASSERT_LE(0, outer);
	if (outer == 0) {
		pid_t inner;

		close(pipefd[0]);
		if (unshare(CLONE_NEWNS | CLONE_NEWPID))
			_exit(10);
		inner = fork();
		if (inner < 0)
			_exit(11);
		if (inner == 0) {
			int r[3];

			/* as a runtime does: private mounts, its own root */
			mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
			if (mount_tmpfs_with_module(ctr, "evil.ko") ||
			    mkdir("/tmp/pinscope-ctr/pinned", 0755) ||
			    mount(MODULE_DIR, "/tmp/pinscope-ctr/pinned", NULL, MS_BIND, NULL) ||
			    mkdir("/tmp/pinscope-ctr/old", 0755) || chdir(ctr))
				_exit(12);
			/* pivot_root(); from the initramfs, MS_MOVE and chroot */
			if (syscall(SYS_pivot_root, ".", "old") == 0) {
				umount2("/old", MNT_DETACH);
			} else if (mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".")) {
				_exit(13);
			}
			if (chdir("/"))
				_exit(14);
			r[0] = getpid();
			r[1] = finit_flags("/evil.ko", 0);
			r[2] = finit_flags("/pinned/test_module.ko", 0);
			if (!r[2])
				unload_module("test_module");
			if (write(pipefd[1], r, sizeof(r)) != sizeof(r))
				_exit(15);
			_exit(0);
		}
		if (waitpid(inner, &status_word, 0) != inner)
			_exit(16);
		_exit(WIFEXITED(status_word) ? WEXITSTATUS(status_word) : 17);
	}
	close(pipefd[1]);
	ASSERT_EQ(outer, waitpid(outer, &status_word, 0));
	ASSERT_TRUE(WIFEXITED(status_word));
	ASSERT_EQ(0, WEXITSTATUS(status_word)) TH_LOG("container set-up step %d failed",
						      WEXITSTATUS(status_word));
	ASSERT_EQ((ssize_t)sizeof(results), read(pipefd[0], results, sizeof(results)));
	close(pipefd[0]);
	rmdir(ctr);

	EXPECT_EQ(1, results[0]) TH_LOG("the loader was not the container's pid 1");
	EXPECT_EQ(EPERM, results[1]);
	EXPECT_TRUE(refusal_logged(self->kmsg, "/evil.ko", "tmpfs", "tmpfs"));
	EXPECT_EQ(0, results[2]) TH_LOG("the pin's module, bound into the container: %s",
					strerror(results[2]));
	{
		const char *hello[] = { HELLO, NULL };

		EXPECT_TRUE(kmsg_has(self->kmsg, hello));
	}
	EXPECT_TRUE(pin_is_the_scenarios()) TH_LOG("pinned=%s", status("pinned"));
}

/*
 * What "writable" means: a module root writes onto a writable pin loads
 * (on the initramfs, or through an overlay into its tmpfs upper layer); a
 * read-only pin takes no new file at all.
 */
TEST_F(attack, what_root_can_write_to_the_pin_it_can_load)
{
	const struct pinscope_root *want = pinscope_expected_root();
	const char *planted = "/pinscope-planted.ko";
	int err;

	RETURN_IF_SKIPPED();
	ASSERT_NE(NULL, want) TH_LOG("no expected root for scenario '%s'", pinscope_scenario());
	EXPECT_STREQ(want->writable, status("pinned_writable"));
	err = copy_file(PINSCOPE_TEST_MODULE, planted);
	if (!want->takes_files) {
		EXPECT_EQ(EROFS, err) TH_LOG("a read-only pin took a new file: %s", strerror(err));
		return;
	}
	ASSERT_EQ(0, err);
	EXPECT_EQ(0, load_really(planted, 0));
	unlink(planted);
}

/*
 * The overlay root is the pin, not its layers: the read-only squashfs and
 * the tmpfs upper layer, each reached directly, are other filesystems.
 */
TEST_F(attack, overlay_layers_are_not_the_pin)
{
	const char *through = "/root/pinscope-upper.ko";
	const char *upper = "/run/root-rw/upper/root/pinscope-upper.ko";
	char lower[128];

	RETURN_IF_SKIPPED();
	test_module_under(lower, sizeof(lower), "/run/root-ro");
	if (strcmp(pinscope_scenario(), "overlay"))
		SKIP(return, "only the overlay scenario has layers");
	EXPECT_EQ(EPERM, load_really(lower, 0));
	EXPECT_TRUE(refusal_logged(self->kmsg, lower, "vdc", "squashfs"));
	ASSERT_EQ(0, copy_file(PINSCOPE_TEST_MODULE, through));
	EXPECT_EQ(EPERM, load_really(upper, 0)) TH_LOG("%s", upper);
	EXPECT_TRUE(refusal_logged(self->kmsg, upper, "tmpfs", "tmpfs"));
	unlink(through);
}

FIXTURE(follow) {
	bool skipped;	/* SETUP_SKIP */
	int unused;
};

FIXTURE_SETUP(follow)
{
	if (!lsm_is_active("pinscope"))
		SETUP_SKIP("pinscope is not active in this kernel");
}

FIXTURE_TEARDOWN(follow)
{
}

TEST_F(follow, status_names_init_root)
{
	const struct pinscope_root *want = pinscope_expected_root();
	char devno[32];

	RETURN_IF_SKIPPED();
	ASSERT_NE(NULL, want) TH_LOG("no expected root for scenario '%s'", pinscope_scenario());
	EXPECT_STREQ(want->dev, status("pinned"));
	EXPECT_STREQ(want->fstype, status("pinned_fstype"));
	EXPECT_STREQ(want->writable, status("pinned_writable"));
	if (pin_unmounted()) {
		EXPECT_STREQ("0:0", status("pinned_devno"));
		return;
	}
	/* the same superblock as the mount of init's root, seen from /proc */
	ASSERT_EQ(0, init_root_devno("/proc/1/mountinfo", devno, sizeof(devno)));
	EXPECT_STREQ(devno, status("pinned_devno"));
}

/* The log says where the pin went, from where, and whether it is writable. */
TEST_F(follow, log_names_the_pin)
{
	const struct pinscope_root *want = pinscope_expected_root();
	char log[256], line[256];
	const char *needles[] = { line, NULL };
	bool preswitch = !read_file("/run/pinscope/preswitch", log, sizeof(log));
	const char *access;

	RETURN_IF_SKIPPED();
	ASSERT_NE(NULL, want) TH_LOG("no expected root for scenario '%s'", pinscope_scenario());
	if (pin_unmounted()) {
		const char *gone[] = {
			"pinscope: pinned filesystem dev=vda fstype=ext4 unmounted: refusing further loads",
			NULL };
		const char *moved[] = { "pinscope: pin moved", NULL };

		snprintf(line, sizeof(line), "pinscope: pinned to init's root: dev=vda fstype=ext4 (read-only)");
		EXPECT_TRUE(boot_log_has(needles)) TH_LOG("no line '%s'", line);
		EXPECT_TRUE(boot_log_has(gone));
		/* init's second switch, to 9p, did not take the pin along */
		EXPECT_FALSE(boot_log_has(moved));
		return;
	}
	/*
	 * Init's exec from its new root set or moved the pin; in the initramfs
	 * the first load of this file's tests did.
	 */
	if (!strcmp(want->writable, "1"))
		access = "(writable: whoever can write to it can load from it)";
	else if (!strcmp(want->writable, "0"))
		access = "(read-only)";
	else
		access = "(read-only mount with no single block device: whoever can change what it shows can load from it)";
	if (preswitch) {
		snprintf(line, sizeof(line),
			 "pinscope: pinned to init's root: dev=rootfs fstype=rootfs (writable");
		EXPECT_TRUE(boot_log_has(needles)) TH_LOG("no line '%s'", line);
		snprintf(line, sizeof(line),
			 "pinscope: pin moved from the initramfs to init's new root: dev=%s fstype=%s %s",
			 want->dev, want->fstype, access);
	} else {
		snprintf(line, sizeof(line), "pinscope: pinned to init's root: dev=%s fstype=%s %s",
			 want->dev, want->fstype, access);
	}
	EXPECT_TRUE(boot_log_has(needles)) TH_LOG("no line '%s'", line);
}

FIXTURE(unmounted) {
	bool skipped;	/* SETUP_SKIP */
	int kmsg;
};

FIXTURE_SETUP(unmounted)
{
	self->kmsg = -1;
	if (!lsm_is_active("pinscope"))
		SETUP_SKIP("pinscope is not active in this kernel");
	if (!pin_unmounted())
		SETUP_SKIP("the pin of scenario %s is mounted", pinscope_scenario());
	self->kmsg = kmsg_mark();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(unmounted)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
}

TEST_F(unmounted, every_load_is_refused)
{
	const char *from_root[] = { "pinscope: kernel-module denied (pinned filesystem unmounted)",
				    "obj=\"" PINSCOPE_TEST_MODULE "\"", "dev=9p", NULL };
	const char *from_tmp[] = { "pinscope: kernel-module denied (pinned filesystem unmounted)",
				   "obj=\"/tmp/pinscope-gone.ko\"", "dev=tmpfs", NULL };
	const char *old_api[] = { "pinscope: kernel-module old-api-denied", NULL };
	long before = pinscope_stat("load_unmounted_denied");

	RETURN_IF_SKIPPED();
	/* the root init runs from now is not the pin: nothing is */
	EXPECT_EQ(EPERM, load_module_file(PINSCOPE_TEST_MODULE));
	EXPECT_TRUE(kmsg_has(self->kmsg, from_root));
	ASSERT_EQ(0, copy_file(PINSCOPE_TEST_MODULE, "/tmp/pinscope-gone.ko"));
	EXPECT_EQ(EPERM, load_module_file("/tmp/pinscope-gone.ko"));
	EXPECT_TRUE(kmsg_has(self->kmsg, from_tmp));
	unlink("/tmp/pinscope-gone.ko");
	EXPECT_EQ(before + 2, pinscope_stat("load_unmounted_denied"));
	EXPECT_EQ(EPERM, load_module_buffer(PINSCOPE_TEST_MODULE));
	EXPECT_TRUE(kmsg_has(self->kmsg, old_api));
}

/* Mounting the disk again makes a new superblock: the pin does not return. */
TEST_F(unmounted, the_same_disk_mounted_again_is_not_the_pin)
{
	char module[128], obj[160];
	const char *again[] = { "pinscope: kernel-module denied (pinned filesystem unmounted)",
				obj, "dev=vda", NULL };

	RETURN_IF_SKIPPED();
	test_module_under(module, sizeof(module), "/tmp/pinscope-disk");
	snprintf(obj, sizeof(obj), "obj=\"%s\"", module);
	mkdir("/tmp/pinscope-disk", 0755);
	ASSERT_EQ(0, mount("/dev/vda", "/tmp/pinscope-disk", "ext4", MS_RDONLY, NULL))
		TH_LOG("mount /dev/vda: %s", strerror(errno));
	EXPECT_EQ(EPERM, load_module_file(module));
	EXPECT_TRUE(kmsg_has(self->kmsg, again));
	EXPECT_STREQ("unmounted", status("pinned"));
	umount("/tmp/pinscope-disk");
	rmdir("/tmp/pinscope-disk");
}

FIXTURE(compressed) {
	bool skipped;	/* SETUP_SKIP */
	int kmsg;
};

FIXTURE_SETUP(compressed)
{
	char algo[16];

	self->kmsg = -1;
	if (!lsm_is_active("pinscope"))
		SETUP_SKIP("pinscope is not active in this kernel");
	if (read_file("/sys/module/compression", algo, sizeof(algo)) || strcmp(algo, "xz\n"))
		SETUP_SKIP("the kernel does not decompress xz modules (CONFIG_MODULE_DECOMPRESS)");
	if (pin_unmounted())
		SETUP_SKIP("the pin is unmounted: nothing loads");
	self->kmsg = kmsg_mark();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(compressed)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
}

TEST_F(compressed, xz_module_from_the_pin_loads)
{
	long before = pinscope_stat("load_allowed");

	RETURN_IF_SKIPPED();
	/*
	 * Without the flag the kernel takes the xz stream for the module:
	 * not ELF, or, where signatures are enforced, a module with no
	 * signature (the signature is inside the stream).
	 */
	EXPECT_EQ(sig_enforced() ? EKEYREJECTED : ENOEXEC, finit_flags(TEST_MODULE_XZ, 0));
	EXPECT_EQ(0, load_really(TEST_MODULE_XZ, MODULE_INIT_COMPRESSED_FILE));
	EXPECT_EQ(before + 2, pinscope_stat("load_allowed"));
}

TEST_F(compressed, xz_module_from_elsewhere_refused)
{
	RETURN_IF_SKIPPED();
	if (!enforcing())
		SKIP(return, "this boot does not enforce module pinning");
	ASSERT_EQ(0, copy_file(TEST_MODULE_XZ, "/tmp/pinscope-test.ko.xz"));
	EXPECT_EQ(EPERM, load_really("/tmp/pinscope-test.ko.xz", MODULE_INIT_COMPRESSED_FILE));
	EXPECT_TRUE(refusal_logged(self->kmsg, "/tmp/pinscope-test.ko.xz", "tmpfs", "tmpfs"));
	unlink("/tmp/pinscope-test.ko.xz");
}

/*
 * A loader that decompresses in userspace (Debian 12's kmod) hands the
 * bytes to init_module(): no file to check.  The log says why, and how.
 */
TEST_F(compressed, userspace_decompressed_module_refused_with_a_hint)
{
	const char *needles[] = { "pinscope: kernel-module old-api-denied",
		"hint=\"init_module(2) passes no file to check: load the file with finit_module(2), adding MODULE_INIT_COMPRESSED_FILE for a compressed module\"",
		NULL };

	RETURN_IF_SKIPPED();
	if (!enforcing())
		SKIP(return, "this boot does not enforce module pinning");
	/* the decompressed bytes are the uncompressed module's */
	EXPECT_EQ(EPERM, load_module_buffer(PINSCOPE_TEST_MODULE));
	EXPECT_TRUE(kmsg_has(self->kmsg, needles));
}

PINSCOPE_LAST_LEAVES_A_FRESH_LOG_WINDOW()

TEST_HARNESS_MAIN
