/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the pinscope selftests share: the guest's layout, the kernel log,
 * module loads and pinscope's securityfs files.  Include after
 * kselftest_harness.h.
 */
#ifndef PINSCOPE_TEST_H
#define PINSCOPE_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PINSCOPE_TEST_MODULE	"/lib/modules/pinscope/test_module.ko"
#define PINSCOPE_SECURITYFS	"/sys/kernel/security/pinscope"

static inline const char *pinscope_scenario(void)
{
	const char *s = getenv("PINSCOPE_SCENARIO");

	return s ? s : "";
}

/*
 * The test module where another mount of the guest's root holds it: the
 * image keeps each kernel's modules in a directory of their own
 * (PINSCOPE_MODULES, set by the guest's init), which init binds over
 * /lib/modules/pinscope only on the root it runs from.
 */
static inline void test_module_under(char *buf, size_t len, const char *root)
{
	const char *m = getenv("PINSCOPE_MODULES");

	snprintf(buf, len, "%s/lib/modules/pinscope/%s/test_module.ko", root, m ? m : "");
}

/*
 * The pin each scenario's init leaves: the root init switched to (qemu/init),
 * as pinscope's status names it, what its status says of whether it is
 * writable ("1", "0", or "unknown" for a read-only mount with no single
 * block device), and whether root can write a file to it here.  The
 * unmount scenario's pin was the disk, and is gone.
 */
struct pinscope_root {
	const char *scenario, *dev, *fstype, *writable;
	bool takes_files;
};

static inline const struct pinscope_root *pinscope_expected_root(void)
{
	static const struct pinscope_root roots[] = {
		{ "initramfs",	"rootfs",	"rootfs",	"1",	true },
		{ "debug",	"rootfs",	"rootfs",	"1",	true },
		{ "disk",	"vda",		"ext4",		"0",	false },
		{ "stacked",	"vda",		"ext4",		"0",	false },
		{ "verity",	"vda",		"ext4",		"0",	false },
		{ "9p",		"9p",		"9p",		"unknown", false },
		{ "overlay",	"overlay",	"overlay",	"1",	true },
		/* btrfs names its superblock after the device, with no s_bdev */
		{ "btrfs",	"vdc",		"btrfs",	"unknown", false },
		{ "unmount",	"unmounted",	"unmounted",	"0",	false },
	};
	const char *s = getenv("PINSCOPE_SCENARIO");

	for (size_t i = 0; s && i < ARRAY_SIZE(roots); i++)
		if (!strcmp(s, roots[i].scenario))
			return &roots[i];
	return NULL;
}

/* Is @lsm one of the active LSMs? */
static inline bool lsm_is_active(const char *lsm)
{
	char buf[256], *tok, *save;
	ssize_t n;
	int fd = open("/sys/kernel/security/lsm", O_RDONLY);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (tok = strtok_r(buf, ",\n", &save); tok; tok = strtok_r(NULL, ",\n", &save))
		if (!strcmp(tok, lsm))
			return true;
	return false;
}

/*
 * The kernel log from a mark on: open /dev/kmsg, skip what is there, and
 * later look for a line among the records that came after.
 */
static inline int kmsg_mark(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Does a record after the mark contain every one of the NULL-terminated
 * @needles?  The message is the text after the record's ';' header.
 */
static inline bool kmsg_has(int fd, const char *const needles[])
{
	char rec[2048];
	ssize_t n;

	for (;;) {
		const char *msg;
		bool all = true;

		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten records: go on */
			continue;
		if (n <= 0)
			return false;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (const char *const *p = needles; *p; p++)
			all &= !!strstr(msg, *p);
		if (all)
			return true;
	}
}

/* finit_module(2) of @path: 0 or the errno. */
static inline int load_module_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? errno : 0;
	close(fd);
	return ret;
}

/* init_module(2) of @path's contents, the old API with no file: 0 or the errno. */
static inline int load_module_buffer(const char *path)
{
	struct stat st;
	void *image = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret = ENOMEM;

	if (fd < 0)
		return errno;
	if (!fstat(fd, &st))
		image = malloc(st.st_size);
	if (!image) {
		close(fd);
		return ret;
	}
	if (read(fd, image, st.st_size) != st.st_size)
		ret = EIO;
	else
		ret = syscall(SYS_init_module, image, (unsigned long)st.st_size, "") ? errno : 0;
	free(image);
	close(fd);
	return ret;
}

static inline int unload_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? errno : 0;
}

/* Copy @src to @dst (a test puts the same module on untrusted filesystems). */
static inline int copy_file(const char *src, const char *dst)
{
	char buf[65536];
	ssize_t n;
	int in = open(src, O_RDONLY), out;

	if (in < 0)
		return errno;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		close(in);
		return errno;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	close(in);
	/* a short write or a failed close: the copy is not whole */
	return close(out) || n < 0 ? EIO : 0;
}

/* Write @val to a sysctl or sysfs file: 0 or the errno. */
static inline int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? errno : 0;
	close(fd);
	return (int)n;
}

static inline int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/*
 * The value of "@key=" in a key=value file such as pinscope's status or
 * stats, as a string in @val; -1 when the file or the key is missing.
 */
static inline int read_key(const char *path, const char *key, char *val, size_t len)
{
	char buf[4096], *line, *save;
	size_t klen = strlen(key);

	if (read_file(path, buf, sizeof(buf)))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, key, klen) && line[klen] == '=') {
			snprintf(val, len, "%s", line + klen + 1);
			return 0;
		}
	}
	return -1;
}

/* Does the kernel refuse modules without a valid signature (MODULE_SIG_FORCE)? */
static inline bool sig_enforced(void)
{
	char val[8];

	return !read_file("/sys/module/module/parameters/sig_enforce", val, sizeof(val)) &&
	       val[0] == 'Y';
}

/* finit_module(2) of @path with @flags: 0 or the errno. */
static inline int finit_flags(const char *path, int flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return errno;
	ret = syscall(SYS_finit_module, fd, "", flags) ? errno : 0;
	close(fd);
	return ret;
}

/* The log line of a refusal of @obj from a @dev of type @fstype. */
static inline bool refusal_logged(int kmsg, const char *obj, const char *dev, const char *fstype)
{
	char o[4200], d[64], t[64];

	snprintf(o, sizeof(o), "obj=\"%s\"", obj);
	snprintf(d, sizeof(d), "dev=%s ", dev);
	snprintf(t, sizeof(t), "fstype=%s", fstype);
	return kmsg_has(kmsg, (const char *const[]){ "pinscope: kernel-module denied",
						     o, d, t, NULL });
}

/* A tmpfs on @dir holding a copy of @src as @name. */
static inline int mount_tmpfs_with(const char *dir, const char *src, const char *name)
{
	char path[8192];

	mkdir(dir, 0755);
	if (mount("pinscope-evil", dir, "tmpfs", 0, "mode=0755"))
		return errno;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return copy_file(src, path);
}

/*
 * PINSCOPE_LAST_LEAVES_A_FRESH_LOG_WINDOW(), at the end of a test file:
 * its last fixture (fixtures run in order, TEST()s before them all). The
 * refusals' log lines are rate-limited, 10 in a window of 5 s, and the next
 * binary in the boot checks its own refusals' lines. This binary's window
 * opened after it started: wait until that window has surely closed.
 */
#define PINSCOPE_LAST_LEAVES_A_FRESH_LOG_WINDOW()				\
static struct timespec pinscope_started;					\
static void __attribute__((constructor)) pinscope_note_start(void)		\
{										\
	clock_gettime(CLOCK_MONOTONIC, &pinscope_started);			\
}										\
FIXTURE(last) {									\
	int unused;								\
};										\
FIXTURE_SETUP(last)								\
{										\
}										\
FIXTURE_TEARDOWN(last)								\
{										\
}										\
TEST_F(last, leave_the_log_rate_limit_a_fresh_window)				\
{										\
	struct timespec now;							\
	long elapsed_ms;							\
										\
	clock_gettime(CLOCK_MONOTONIC, &now);					\
	elapsed_ms = (now.tv_sec - pinscope_started.tv_sec) * 1000 +		\
		     (now.tv_nsec - pinscope_started.tv_nsec) / 1000000;	\
	if (elapsed_ms < 5200)							\
		usleep((5200 - elapsed_ms) * 1000);				\
}

/* A counter from pinscope's stats file, or -1. */
static inline long pinscope_stat(const char *key)
{
	char val[64];

	if (read_key(PINSCOPE_SECURITYFS "/stats", key, val, sizeof(val)))
		return -1;
	return strtol(val, NULL, 10);
}

#endif /* PINSCOPE_TEST_H */
