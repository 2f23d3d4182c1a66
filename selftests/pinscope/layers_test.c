// SPDX-License-Identifier: GPL-2.0
/*
 * pinscope beside the rest of a hardened kernel's defences, and which one
 * refuses what.  The test kernels enforce module signatures
 * (MODULE_SIG_FORCE), run lockdown at integrity, send every usermode
 * helper through one static program and stack Landlock and Yama with
 * pinscope (qemu/hardening.config).  Where two layers judge the same act,
 * the first in the kernel's path refuses, and only it logs:
 *
 * - finit_module: pinscope judges the file when the kernel reads it, and
 *   signing the bytes after: a signed module off the pin is pinscope's
 *   refusal (EPERM), an unsigned one on the pin is signing's (EKEYREJECTED).
 * - kexec_load and init_module bring no file: pinscope refuses them when it
 *   enforces; when it does not, lockdown refuses kexec_load and signing
 *   the unsigned module.
 * - ptrace: Landlock comes before pinscope in the LSM order; a tracer in a
 *   Landlock domain cannot attach outside it, whatever pinscope allows.
 * - request_module: the kernel runs /sbin/usermode-helper (the guest's
 *   qemu/usermode-helper.c) and nothing else, whatever root writes to
 *   /proc/sys/kernel/modprobe.
 *
 * Runs in the scope2 boot (enforcing) and the permissive one; each case
 * says which it needs.  First in both, so that pinscope's log lines (rate
 * limited) are not spent by earlier tests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/landlock.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pinscope_test.h"

#define UNSIGNED_MODULE	"/lib/modules/pinscope/test_module.unsigned.ko"
#define OFF_PIN_DIR	"/tmp/pinscope-layers"
#define SIG_REJECTED	"Loading of unsigned module is rejected"

static bool enforcing(void)
{
	char val[16];

	return !read_key(PINSCOPE_SECURITYFS "/status", "enforce", val, sizeof(val)) &&
	       !strcmp(val, "1");
}

/* The lockdown level in force: "integrity", "none", ... or "" without lockdown. */
static const char *lockdown_level(void)
{
	static char buf[128];
	char *open, *close;

	if (read_file("/sys/kernel/security/lockdown", buf, sizeof(buf)))
		return "";
	open = strchr(buf, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close)
		return "";
	*close = '\0';
	return open + 1;
}

/*
 * Two marks on the kernel log, both before the act: one to find the
 * refusing layer's line, the other to show no other layer logged.
 */
FIXTURE(signing) {
	int kmsg, other;
	char path[256];
};

FIXTURE_SETUP(signing)
{
	if (!lsm_is_active("pinscope"))
		SKIP(return, "pinscope is not active in this kernel");
	if (!sig_enforced())
		SKIP(return, "this kernel does not enforce module signatures");
	ASSERT_EQ(0, access(UNSIGNED_MODULE, R_OK)) TH_LOG("%s: the build leaves an unsigned copy", UNSIGNED_MODULE);
	mkdir(OFF_PIN_DIR, 0700);
	ASSERT_EQ(0, mount("tmpfs", OFF_PIN_DIR, "tmpfs", 0, "mode=0700"));
	self->kmsg = kmsg_mark();
	self->other = kmsg_mark();
	ASSERT_LE(0, self->kmsg);
	ASSERT_LE(0, self->other);
}

FIXTURE_TEARDOWN(signing)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
	if (self->other >= 0)
		close(self->other);
	umount(OFF_PIN_DIR);
	rmdir(OFF_PIN_DIR);
}

TEST_F(signing, signed_module_on_the_pin_loads)
{
	const char *loaded[] = { "test_module: Hello, world", NULL };

	ASSERT_EQ(0, load_module_file(PINSCOPE_TEST_MODULE));
	EXPECT_TRUE(kmsg_has(self->kmsg, loaded));
	EXPECT_EQ(0, unload_module("test_module"));
}

TEST_F(signing, signed_module_off_the_pin_refused_by_pinscope)
{
	char obj[300];
	const char *pinscope[] = { "pinscope: kernel-module denied", obj, "fstype=tmpfs", NULL };
	const char *signing[] = { SIG_REJECTED, NULL };
	long denied = pinscope_stat("load_denied");

	if (!enforcing())
		SKIP(return, "pinscope does not enforce in this boot");
	snprintf(self->path, sizeof(self->path), OFF_PIN_DIR "/signed.ko");
	ASSERT_EQ(0, copy_file(PINSCOPE_TEST_MODULE, self->path));
	snprintf(obj, sizeof(obj), "obj=\"%s\"", self->path);
	EXPECT_EQ(EPERM, load_module_file(self->path));
	EXPECT_EQ(denied + 1, pinscope_stat("load_denied"));
	EXPECT_TRUE(kmsg_has(self->kmsg, pinscope)) TH_LOG("no pinscope refusal naming %s", obj);
	/* signing never saw it: the load ended when the kernel read the file */
	EXPECT_FALSE(kmsg_has(self->other, signing));
}

TEST_F(signing, unsigned_module_on_the_pin_refused_by_signing)
{
	const char *signing[] = { SIG_REJECTED, NULL };
	const char *pinscope[] = { "pinscope: kernel-module", NULL };
	long allowed = pinscope_stat("load_allowed");

	EXPECT_EQ(EKEYREJECTED, load_module_file(UNSIGNED_MODULE));
	/* pinscope let the file through: it is on the pin */
	EXPECT_EQ(allowed + 1, pinscope_stat("load_allowed"));
	EXPECT_TRUE(kmsg_has(self->kmsg, signing));
	EXPECT_FALSE(kmsg_has(self->other, pinscope));
}

TEST_F(signing, unsigned_module_off_the_pin_refused_by_pinscope_first)
{
	const char *signing[] = { SIG_REJECTED, NULL };
	const char *pinscope[] = { "pinscope: kernel-module denied", "obj=\"" OFF_PIN_DIR "/unsigned.ko\"", NULL };

	if (!enforcing())
		SKIP(return, "pinscope does not enforce in this boot");
	snprintf(self->path, sizeof(self->path), OFF_PIN_DIR "/unsigned.ko");
	ASSERT_EQ(0, copy_file(UNSIGNED_MODULE, self->path));
	EXPECT_EQ(EPERM, load_module_file(self->path));
	EXPECT_TRUE(kmsg_has(self->kmsg, pinscope));
	EXPECT_FALSE(kmsg_has(self->other, signing));
}

TEST_F(signing, old_api_unsigned_module_refused_by_signing_when_not_enforcing)
{
	const char *pinscope[] = { "pinscope: kernel-module old-api-pinning-ignored", NULL };
	const char *signing[] = { SIG_REJECTED, NULL };

	if (enforcing())
		SKIP(return, "pinscope enforces in this boot: it refuses the old API itself (load_test)");
	EXPECT_EQ(EKEYREJECTED, load_module_buffer(UNSIGNED_MODULE));
	EXPECT_TRUE(kmsg_has(self->kmsg, pinscope));
	EXPECT_TRUE(kmsg_has(self->kmsg, signing));
}

FIXTURE(lockdown) {
	int kmsg, other;
};

FIXTURE_SETUP(lockdown)
{
	if (!lsm_is_active("pinscope"))
		SKIP(return, "pinscope is not active in this kernel");
	if (strcmp(lockdown_level(), "integrity"))
		SKIP(return, "lockdown is not at integrity in this kernel (level '%s')", lockdown_level());
	self->kmsg = kmsg_mark();
	self->other = kmsg_mark();
	ASSERT_LE(0, self->kmsg);
	ASSERT_LE(0, self->other);
}

FIXTURE_TEARDOWN(lockdown)
{
	if (self->kmsg >= 0)
		close(self->kmsg);
	if (self->other >= 0)
		close(self->other);
}

static int kexec_load_nothing(void)
{
	/* no segments: the checks come before anything is read */
	return syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL) ? errno : 0;
}

TEST_F(lockdown, kexec_load_refused_by_pinscope_when_enforcing)
{
	const char *pinscope[] = { "pinscope: kexec-image old-api-denied", NULL };
	const char *lockdown[] = { "Lockdown:", "kexec of unsigned images is restricted", NULL };
	long denied = pinscope_stat("load_old_api_denied");

	if (!enforcing())
		SKIP(return, "pinscope does not enforce in this boot");
	EXPECT_EQ(EPERM, kexec_load_nothing());
	EXPECT_EQ(denied + 1, pinscope_stat("load_old_api_denied"));
	EXPECT_TRUE(kmsg_has(self->kmsg, pinscope));
	/* lockdown comes after pinscope in kexec_load_check(): never asked */
	EXPECT_FALSE(kmsg_has(self->other, lockdown));
}

TEST_F(lockdown, kexec_load_refused_by_lockdown_when_pinscope_does_not_enforce)
{
	const char *pinscope[] = { "pinscope: kexec-image old-api-pinning-ignored", NULL };
	const char *lockdown[] = { "Lockdown:", "kexec of unsigned images is restricted", NULL };

	if (enforcing())
		SKIP(return, "pinscope enforces in this boot (the permissive boot checks this)");
	EXPECT_EQ(EPERM, kexec_load_nothing());
	EXPECT_TRUE(kmsg_has(self->kmsg, pinscope));
	EXPECT_TRUE(kmsg_has(self->kmsg, lockdown));
}

/*
 * request_module() from an unknown filesystem type: the kernel runs its
 * usermode helper with the configured modprobe as argv[0].
 */
static int mount_unknown_type(void)
{
	return mount("none", "/mnt", "pinscope-no-such-fs", 0, NULL) ? errno : 0;
}

FIXTURE(umh) {
	int kmsg;
	char modprobe[256];
};

FIXTURE_SETUP(umh)
{
	ASSERT_EQ(0, read_file("/proc/sys/kernel/modprobe", self->modprobe, sizeof(self->modprobe)));
	self->modprobe[strcspn(self->modprobe, "\n")] = '\0';
	if (access("/sbin/usermode-helper", X_OK))
		SKIP(return, "the guest image has no /sbin/usermode-helper");
	self->kmsg = kmsg_mark();
	ASSERT_LE(0, self->kmsg);
}

FIXTURE_TEARDOWN(umh)
{
	write_file("/proc/sys/kernel/modprobe", self->modprobe);
	unlink("/tmp/pinscope-evil-modprobe");
	unlink("/tmp/pinscope-evil-ran");
	if (self->kmsg >= 0)
		close(self->kmsg);
}

TEST_F(umh, modprobe_reached_through_the_static_helper)
{
	const char *ran[] = { "usermode-helper: ran", self->modprobe, "fs-pinscope-no-such-fs", NULL };

	EXPECT_EQ(ENODEV, mount_unknown_type());
	EXPECT_TRUE(kmsg_has(self->kmsg, ran)) TH_LOG("the helper did not log running %s", self->modprobe);
}

TEST_F(umh, root_cannot_make_the_kernel_run_its_own_modprobe)
{
	const char *refused[] = { "usermode-helper: refused /tmp/pinscope-evil-modprobe", NULL };
	int fd = open("/tmp/pinscope-evil-modprobe", O_WRONLY | O_CREAT | O_TRUNC, 0755);

	ASSERT_LE(0, fd);
	dprintf(fd, "#!/bin/sh\ntouch /tmp/pinscope-evil-ran\n");
	close(fd);
	ASSERT_EQ(0, write_file("/proc/sys/kernel/modprobe", "/tmp/pinscope-evil-modprobe"));
	EXPECT_EQ(ENODEV, mount_unknown_type());
	EXPECT_NE(0, access("/tmp/pinscope-evil-ran", F_OK)) TH_LOG("the kernel ran root's own modprobe");
	EXPECT_TRUE(kmsg_has(self->kmsg, refused));
}

/* Enter a Landlock domain (it handles file reads; no rule grants any). */
static int landlock_enter(void)
{
	struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE };
	int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);

	if (fd < 0)
		return errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_landlock_restrict_self, fd, 0)) {
		close(fd);
		return errno;
	}
	close(fd);
	return 0;
}

/*
 * A child tries to attach to its sibling, which names it with
 * PR_SET_PTRACER: pinscope allows that at scope 1 and 2 (root's
 * CAP_SYS_PTRACE at 2).  From inside a Landlock domain, Landlock refuses
 * it first.  Returns the child's attach errno, or 0.
 */
static int attach_to_sibling(bool in_landlock, long *pinscope_calls)
{
	int go[2], status;
	pid_t target, tracer;
	char c;
	long before = pinscope_stat("ptrace_allowed_exception") +
		      pinscope_stat("ptrace_allowed_capability") + pinscope_stat("ptrace_denied");

	if (pipe(go))
		return -1;
	target = fork();
	if (target == 0) {
		close(go[1]);
		prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		pause();
		_exit(0);
	}
	tracer = fork();
	if (tracer == 0) {
		int err = in_landlock ? landlock_enter() : 0;

		if (err)
			_exit(100);
		if (ptrace(PTRACE_ATTACH, target, 0, 0))
			_exit(errno);
		waitpid(target, NULL, 0);
		ptrace(PTRACE_DETACH, target, 0, 0);
		_exit(0);
	}
	waitpid(tracer, &status, 0);
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
	close(go[0]);
	close(go[1]);
	*pinscope_calls = pinscope_stat("ptrace_allowed_exception") +
			  pinscope_stat("ptrace_allowed_capability") + pinscope_stat("ptrace_denied") - before;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ptrace_refused_by_landlock_before_pinscope)
{
	long calls;
	char scope[8];

	if (!lsm_is_active("landlock") || !lsm_is_active("pinscope"))
		SKIP(return, "needs Landlock and pinscope active");
	if (read_key(PINSCOPE_SECURITYFS "/status", "ptrace_scope", scope, sizeof(scope)) ||
	    atoi(scope) > 2)
		SKIP(return, "pinscope refuses every attach at scope 3");
	/* outside any domain pinscope decides, and allows */
	ASSERT_EQ(0, attach_to_sibling(false, &calls));
	EXPECT_EQ(1, calls);
	/* inside one, Landlock refuses first and pinscope is not asked */
	EXPECT_EQ(EPERM, attach_to_sibling(true, &calls));
	EXPECT_EQ(0, calls);
}

TEST(hardened_lsm_order)
{
	char lsms[256];

	ASSERT_EQ(0, read_file("/sys/kernel/security/lsm", lsms, sizeof(lsms)));
	if (!strstr(lsms, "lockdown"))
		SKIP(return, "not the default LSM order (%s): a boot with lsm=", lsms);
	/* Landlock, lockdown and Yama stacked with pinscope, pinscope last */
	EXPECT_NE(NULL, strstr(lsms, "landlock"));
	EXPECT_NE(NULL, strstr(lsms, "yama"));
	EXPECT_NE(NULL, strstr(lsms, ",pinscope")) TH_LOG("LSMs: %s", lsms);
}

/* The guest's init applied the recommended sysctls (qemu/sysctl.conf). */
TEST(recommended_sysctls_in_force)
{
	FILE *f = fopen("/etc/sysctl.d/pinscope-hardening.conf", "r");
	char line[256], key[128], want[64], path[200], have[64];
	int checked = 0;

	ASSERT_NE(NULL, f) TH_LOG("the image has no /etc/sysctl.d/pinscope-hardening.conf");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127[a-z0-9_.] = %63s", key, want) != 2)
			continue;
		snprintf(path, sizeof(path), "/proc/sys/%s", key);
		for (char *p = path + strlen("/proc/sys/"); *p; p++)
			if (*p == '.')
				*p = '/';
		if (read_file(path, have, sizeof(have)))
			continue;	/* a key this kernel lacks */
		have[strcspn(have, "\n")] = '\0';
		EXPECT_STREQ(want, have) TH_LOG("%s", key);
		checked++;
	}
	fclose(f);
	EXPECT_LE(8, checked);
}

TEST_HARNESS_MAIN
