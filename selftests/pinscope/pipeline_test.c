// SPDX-License-Identifier: GPL-2.0
/*
 * The test guest is what every other test stands on: check that each
 * scenario gives the root, disks, shares and LSMs it promises.
 *
 * The scenario comes from PINSCOPE_SCENARIO, set by the guest's init.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/types.h>
#include <linux/seccomp.h>

#include "kselftest_harness.h"
#include "pinscope_test.h"

static bool disk_root(void)
{
	return !strcmp(pinscope_scenario(), "disk") || !strcmp(pinscope_scenario(), "stacked");
}

/* The fstype column of /proc/mounts for the last mount on @dir. */
static int mount_fstype(const char *dir, char *type, size_t len)
{
	char line[512], dev[128], mnt[256], fstype[64];
	FILE *f = fopen("/proc/mounts", "r");
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %255s %63s", dev, mnt, fstype) != 3)
			continue;
		if (!strcmp(mnt, dir)) {
			snprintf(type, len, "%s", fstype);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

TEST(scenario_is_named)
{
	const char *known[] = { "initramfs", "disk", "stacked", "debug" };
	bool ok = false;

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok |= !strcmp(pinscope_scenario(), known[i]);
	ASSERT_TRUE(ok) TH_LOG("PINSCOPE_SCENARIO='%s'", pinscope_scenario());
}

TEST(root_filesystem_matches_scenario)
{
	struct statfs sfs;
	struct statvfs svfs;
	char type[64];

	ASSERT_EQ(0, statfs("/", &sfs));
	ASSERT_EQ(0, mount_fstype("/", type, sizeof(type)));
	if (disk_root()) {
		/* ext4 on /dev/vda, mounted read-only by init */
		ASSERT_EQ(EXT4_SUPER_MAGIC, sfs.f_type);
		ASSERT_STREQ("ext4", type);
		ASSERT_EQ(0, statvfs("/", &svfs));
		ASSERT_NE(0UL, svfs.f_flag & ST_RDONLY);
		ASSERT_EQ(-1, mkdir("/pinscope-probe", 0700));
		ASSERT_EQ(EROFS, errno);
	} else {
		/* the initramfs: rootfs is tmpfs when the kernel has it */
		ASSERT_EQ(TMPFS_MAGIC, sfs.f_type) TH_LOG("root fstype %s", type);
		ASSERT_STREQ("rootfs", type);
	}
}

TEST(host_directory_is_shared_at_its_path)
{
	char cwd[4096], type[64];

	/* statfs() would not tell: 9p passes the host's f_type through */
	ASSERT_NE(NULL, getcwd(cwd, sizeof(cwd)));
	ASSERT_EQ(0, mount_fstype(cwd, type, sizeof(type))) TH_LOG("%s is not a mount point", cwd);
	ASSERT_STREQ("9p", type);
	/* the runner itself was read from the share */
	ASSERT_EQ(0, access("selftests/pinscope/run-guest", R_OK));
}

TEST(data_disk_is_a_writable_ext2)
{
	const char msg[] = "untrusted";
	char type[64], buf[sizeof(msg)] = "";
	int fd;

	ASSERT_EQ(0, mount_fstype("/mnt/data", type, sizeof(type)));
	ASSERT_STREQ("ext2", type);
	fd = open("/mnt/data/pipeline-probe", O_CREAT | O_TRUNC | O_RDWR, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)sizeof(msg), write(fd, msg, sizeof(msg)));
	ASSERT_EQ((ssize_t)sizeof(msg), pread(fd, buf, sizeof(buf), 0));
	ASSERT_STREQ(msg, buf);
	close(fd);
	ASSERT_EQ(0, unlink("/mnt/data/pipeline-probe"));
}

TEST(tmp_is_tmpfs)
{
	char type[64];

	ASSERT_EQ(0, mount_fstype("/tmp", type, sizeof(type)));
	ASSERT_STREQ("tmpfs", type);
}

TEST(test_module_is_on_the_root)
{
	struct stat st;

	ASSERT_EQ(0, stat(PINSCOPE_TEST_MODULE, &st));
	ASSERT_TRUE(S_ISREG(st.st_mode));
	ASSERT_LT(0, st.st_size);
}

TEST(active_lsms_match_scenario)
{
	char lsms[256];

	ASSERT_EQ(0, read_file("/sys/kernel/security/lsm", lsms, sizeof(lsms)))
		TH_LOG("securityfs is not mounted: %s", strerror(errno));
	ASSERT_NE(NULL, strstr(lsms, "capability"));
	if (!strcmp(pinscope_scenario(), "stacked")) {
		ASSERT_NE(NULL, strstr(lsms, "yama")) TH_LOG("lsm=%s", lsms);
		ASSERT_NE(NULL, strstr(lsms, "loadpin")) TH_LOG("lsm=%s", lsms);
		/* all four, and lockdown (issue 24: the stacked scenario) */
		ASSERT_NE(NULL, strstr(lsms, "landlock")) TH_LOG("lsm=%s", lsms);
		ASSERT_NE(NULL, strstr(lsms, "lockdown")) TH_LOG("lsm=%s", lsms);
	}
}

#ifndef __NR_lsm_list_modules
#define __NR_lsm_list_modules 461
#endif
/* include/uapi/linux/lsm.h of 6.8 and later, with the series' ID */
#define LSM_ID_CAPABILITY	100ULL
#define LSM_ID_YAMA		105
#define LSM_ID_LOADPIN		106
#define LSM_ID_LOCKDOWN		108
#define LSM_ID_LANDLOCK		110
#define LSM_ID_PINSCOPE		114

/*
 * lsm_list_modules(2) names each active LSM once, by its ID: pinscope's
 * two hook sets register under one lsm_id, or it would be listed twice.
 * The names in securityfs are the independent count.
 */
TEST(lsm_list_modules_reports_pinscope_once)
{
	__u64 ids[32];
	__u32 size = sizeof(ids);
	char lsms[256], *p;
	int n, names = 1, capability = 0, pinscope = 0, yama = 0, loadpin = 0, landlock = 0, lockdown = 0;

	n = syscall(__NR_lsm_list_modules, ids, &size, 0);
	if (n < 0 && errno == ENOSYS)
		SKIP(return, "this kernel has no lsm_list_modules(2) (Linux 6.8 and later)");
	ASSERT_LT(0, n) TH_LOG("lsm_list_modules: %s", strerror(errno));
	ASSERT_EQ(n * sizeof(__u64), (size_t)size);
	for (int i = 0; i < n; i++) {
		capability += ids[i] == LSM_ID_CAPABILITY;
		pinscope += ids[i] == LSM_ID_PINSCOPE;
		yama += ids[i] == LSM_ID_YAMA;
		loadpin += ids[i] == LSM_ID_LOADPIN;
		landlock += ids[i] == LSM_ID_LANDLOCK;
		lockdown += ids[i] == LSM_ID_LOCKDOWN;
	}
	/* first, but for lockdown, which LOCKDOWN_LSM_EARLY starts before it */
	ASSERT_EQ(LSM_ID_CAPABILITY, ids[ids[0] == LSM_ID_LOCKDOWN]);
	ASSERT_EQ(1, capability);
	ASSERT_EQ(1, pinscope) TH_LOG("LSM ID %d listed %d times", LSM_ID_PINSCOPE, pinscope);
	ASSERT_EQ(0, read_file("/sys/kernel/security/lsm", lsms, sizeof(lsms)));
	for (p = lsms; *p; p++)
		names += *p == ',';
	ASSERT_EQ(names, n) TH_LOG("%d IDs, securityfs lists '%s'", n, lsms);
	if (!strcmp(pinscope_scenario(), "stacked")) {
		ASSERT_EQ(1, yama);
		ASSERT_EQ(1, loadpin);
		ASSERT_EQ(1, landlock);
		ASSERT_EQ(1, lockdown);
	}
}

TEST(seccomp_filters_are_available)
{
	ASSERT_EQ(0, prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
	/* a filter needs CONFIG_SECCOMP_FILTER: EFAULT says it exists */
	ASSERT_EQ(-1, prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL, 0, 0));
	ASSERT_EQ(EFAULT, errno);
}

TEST(unprivileged_user_can_run)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgid(1000) || setuid(1000))
			_exit(10);
		_exit(getuid() == 1000 && geteuid() == 1000 ? 0 : 11);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

TEST(debug_kernel_has_lockdep)
{
	if (strcmp(pinscope_scenario(), "debug"))
		SKIP(return, "lockdep is only built into the debug scenario's kernel");
	ASSERT_EQ(0, access("/proc/lockdep", R_OK));
}

TEST_HARNESS_MAIN
