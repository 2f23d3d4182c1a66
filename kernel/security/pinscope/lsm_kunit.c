// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of pinscope's settings: the boot parameter checks and the
 * sysctls that only rise, on settings of their own rather than the live
 * ones.  This file is #included at the end of lsm.c, whose functions are
 * static (CONFIG_SECURITY_PINSCOPE_KUNIT_TEST).
 */

#include <kunit/test.h>

/*
 * pinscope_check_params() is boot code: the cases that call it are in the
 * init section with it, and the suite is registered as one that runs at
 * boot, before that section is freed.
 */
static void __init params_in_range_are_kept(struct kunit *test)
{
	int enforce, scope;

	for (enforce = 0; enforce <= 1; enforce++) {
		for (scope = PINSCOPE_SCOPE_DISABLED; scope <= PINSCOPE_SCOPE_NO_ATTACH; scope++) {
			int e = enforce, s = scope;

			pinscope_check_params(&e, &s);
			KUNIT_EXPECT_EQ(test, e, enforce);
			KUNIT_EXPECT_EQ(test, s, scope);
		}
	}
}

/* A typo must not switch a protection off: enforce, and the build's scope. */
static void __init params_out_of_range_fall_back(struct kunit *test)
{
	static const int bad[] = { -1, 2, 4, 100, INT_MIN, INT_MAX };
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int e = bad[i], s = bad[i];

		pinscope_check_params(&e, &s);
		if (bad[i] == 2)
			/* a valid scope, but not a valid enforce */
			KUNIT_EXPECT_EQ(test, s, 2);
		else
			KUNIT_EXPECT_EQ_MSG(test, s, CONFIG_SECURITY_PINSCOPE_PTRACE_SCOPE,
					    "ptrace_scope=%d", bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, e, 1, "enforce=%d", bad[i]);
	}
}

#ifdef CONFIG_SYSCTL
/* Write @text to a sysctl of @table's shape: the handler's errno. */
static int sysctl_test_write(struct ctl_table *table, const char *text)
{
	char buf[16];
	size_t len = strscpy(buf, text, sizeof(buf));
	loff_t pos = 0;

	return pinscope_dointvec_raise(table, 1, buf, &len, &pos);
}

static int sysctl_test_read(struct kunit *test, struct ctl_table *table)
{
	char buf[16] = "";
	size_t len = sizeof(buf) - 1;
	loff_t pos = 0;
	int value;

	KUNIT_ASSERT_EQ(test, pinscope_dointvec_raise(table, 0, buf, &len, &pos), 0);
	KUNIT_ASSERT_EQ(test, kstrtoint(strim(buf), 10, &value), 0);
	return value;
}

static void sysctl_only_rises(struct kunit *test)
{
	int setting = 1, max = PINSCOPE_SCOPE_NO_ATTACH;
	struct ctl_table table = {
		.procname = "ptrace_scope",
		.data = &setting,
		.maxlen = sizeof(int),
		.mode = 0644,
		.extra1 = SYSCTL_ZERO,
		.extra2 = &max,
	};

	KUNIT_EXPECT_EQ(test, sysctl_test_read(test, &table), 1);
	KUNIT_EXPECT_EQ(test, sysctl_test_write(&table, "1"), 0);
	KUNIT_EXPECT_EQ(test, setting, 1);
	KUNIT_EXPECT_EQ(test, sysctl_test_write(&table, "0"), -EPERM);
	KUNIT_EXPECT_EQ(test, setting, 1);
	KUNIT_EXPECT_EQ(test, sysctl_test_write(&table, "3"), 0);
	KUNIT_EXPECT_EQ(test, setting, 3);
	KUNIT_EXPECT_EQ(test, sysctl_test_read(test, &table), 3);
	KUNIT_EXPECT_EQ(test, sysctl_test_write(&table, "2"), -EPERM);
	/* out of bounds is invalid, not a raise */
	KUNIT_EXPECT_EQ(test, sysctl_test_write(&table, "4"), -EINVAL);
	KUNIT_EXPECT_EQ(test, sysctl_test_write(&table, "-1"), -EINVAL);
	KUNIT_EXPECT_EQ(test, sysctl_test_write(&table, "x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, setting, 3);
}
#endif /* CONFIG_SYSCTL */

static struct kunit_case __refdata pinscope_settings_test_cases[] = {
	KUNIT_CASE(params_in_range_are_kept),
	KUNIT_CASE(params_out_of_range_fall_back),
#ifdef CONFIG_SYSCTL
	KUNIT_CASE(sysctl_only_rises),
#endif
	{}
};

static struct kunit_suite pinscope_settings_test_suite = {
	.name = "pinscope_settings",
	.test_cases = pinscope_settings_test_cases,
};

kunit_test_init_section_suites(&pinscope_settings_test_suite);
