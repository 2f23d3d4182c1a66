// SPDX-License-Identifier: GPL-2.0-only
/*
 * What each Landlock ABI enforces of a rule set (model/landlock.h): the
 * handled rights trimmed as the kernel's samples/landlock/sandboxer.c
 * trims them, and each right dropped named with the rule that asked.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "landlock.h"

#include "kselftest_harness.h"

static const struct ps_loc at = { "t.policy", 3, 11 };

/* rw /tmp, bind-tcp 80, scope signal: one right of every ABI */
static void every_kind(struct ps_landlock *ll)
{
	memset(ll, 0, sizeof(*ll));
	ps_landlock_add_path(ll, "rw", "/tmp", &at);
	ps_landlock_add_port(ll, LANDLOCK_ACCESS_NET_BIND_TCP, 80, &at);
	ps_landlock_add_scope(ll, LANDLOCK_SCOPE_SIGNAL, &at);
}

TEST(each_abi_handles_what_it_knows)
{
	struct ps_landlock ll;
	struct ps_landlock_plan p;
	/* drops at each ABI: refer (1 only), truncate, bind+connect, ioctl, signal */
	static const unsigned int drops[8] = { 1, 6, 5, 4, 2, 1, 0, 0 };
	unsigned int abi;

	every_kind(&ll);
	for (abi = 0; abi <= 7; abi++) {
		ps_landlock_plan(&ll, abi, &p);
		EXPECT_EQ(drops[abi], p.n_drops) TH_LOG("ABI %u", abi);
		EXPECT_EQ(abi >= 2, !!(p.attr.handled_access_fs &
				       LANDLOCK_ACCESS_FS_REFER));
		EXPECT_EQ(abi >= 3, !!(p.attr.handled_access_fs &
				       LANDLOCK_ACCESS_FS_TRUNCATE));
		EXPECT_EQ(abi >= 4, !!p.attr.handled_access_net);
		EXPECT_EQ(abi >= 5, !!(p.attr.handled_access_fs &
				       LANDLOCK_ACCESS_FS_IOCTL_DEV));
		EXPECT_EQ(abi >= 6, !!p.attr.scoped);
		EXPECT_EQ(abi >= 7 ? LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON :
				     0U,
			  p.restrict_flags);
	}
	ps_landlock_free(&ll);
}

TEST(a_dropped_right_names_its_rule)
{
	struct ps_landlock ll;
	struct ps_landlock_plan p;

	every_kind(&ll);
	ps_landlock_plan(&ll, 2, &p);
	ASSERT_EQ(5U, p.n_drops);
	EXPECT_STREQ("truncate", p.drops[0].what);
	EXPECT_EQ(3U, p.drops[0].abi);
	EXPECT_STREQ("t.policy:3: rw /tmp", p.drops[0].rule);
	EXPECT_STREQ("TCP bind", p.drops[1].what);
	EXPECT_STREQ("t.policy:3: bind-tcp 80", p.drops[1].rule);
	/* connect is restricted because a bind port was named */
	EXPECT_STREQ("TCP connect", p.drops[2].what);
	EXPECT_STREQ("t.policy:3: bind-tcp 80", p.drops[2].rule);
	EXPECT_STREQ("ioctl on devices", p.drops[3].what);
	EXPECT_STREQ("scope signal", p.drops[4].what);
	EXPECT_STREQ("t.policy:3: scope signal", p.drops[4].rule);
	ps_landlock_free(&ll);
}

/* a file takes no directory right: the kernel would refuse the rule */
TEST(a_file_rule_keeps_file_rights_only)
{
	struct ps_landlock ll;
	struct ps_landlock_plan p;

	every_kind(&ll);
	ps_landlock_plan(&ll, 7, &p);
	EXPECT_EQ(0ULL, ps_landlock_path_access(&p, &ll.paths[0], false) &
				~(uint64_t)PS_LL_FILE_RIGHTS);
	EXPECT_TRUE(ps_landlock_path_access(&p, &ll.paths[0], true) &
		    LANDLOCK_ACCESS_FS_MAKE_REG);
	ps_landlock_free(&ll);
}

TEST(ports_and_scopes_as_written)
{
	uint64_t s;
	const char *bad;
	size_t n;

	EXPECT_EQ(0, ps_landlock_parse_port("0"));
	EXPECT_EQ(65535, ps_landlock_parse_port("65535"));
	EXPECT_EQ(-1, ps_landlock_parse_port("65536"));
	EXPECT_EQ(-1, ps_landlock_parse_port("-1"));
	EXPECT_EQ(-1, ps_landlock_parse_port("80x"));
	EXPECT_EQ(0, ps_landlock_parse_scopes("signal,abstract-unix-socket", &s,
					      &bad, &n));
	EXPECT_EQ((uint64_t)(LANDLOCK_SCOPE_SIGNAL |
			     LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET),
		  s);
	ASSERT_EQ(-1, ps_landlock_parse_scopes("signal,pipes", &s, &bad, &n));
	EXPECT_EQ(5U, n);
	EXPECT_EQ(0, strncmp(bad, "pipes", n));
}

/*
 * run --complain's question: a rule grants beneath its directory, a file
 * rule its file alone (file rights), and a right the ABI does not handle
 * is never refused. The paths are the machine's own (resolved as rules).
 */
/*
 * The words, one table: each path word's rights, and the word learn writes
 * for a set of rights is the narrowest that holds them all (checked on
 * every set of the sixteen filesystem rights against the words' own).
 */
TEST(words_and_the_narrowest_path_word)
{
	static const char *const paths[] = { "ro", "rox", "rw", "rwx", "list" };
	char all[200];
	uint64_t a, access;
	const char *name, *w;
	unsigned int i;

	ps_landlock_words(all, sizeof(all));
	EXPECT_STREQ(
		"ro, rox, rw, rwx, ioctl-dev, list, bind-tcp, connect-tcp, scope, min-abi, no-tcp",
		all);
	EXPECT_EQ(NULL, ps_landlock_word("rwxx"));
	EXPECT_EQ(PS_LL_NO_TCP, ps_landlock_word("no-tcp")->type);
	EXPECT_TRUE(ps_landlock_port_kind("bind-tcp", &access));
	EXPECT_EQ(LANDLOCK_ACCESS_NET_BIND_TCP, access);
	EXPECT_FALSE(ps_landlock_path_kind("bind-tcp", &access, &name));
	for (a = 0; a < 1 << 16; a++) {
		w = ps_landlock_path_word(a);
		if (!(a & ~(uint64_t)LANDLOCK_ACCESS_FS_IOCTL_DEV)) {
			EXPECT_EQ(NULL, w);
			continue;
		}
		ASSERT_TRUE(w && ps_landlock_path_kind(w, &access, &name));
		/* it holds them all, and no narrower word does */
		EXPECT_EQ(a & ~(uint64_t)LANDLOCK_ACCESS_FS_IOCTL_DEV,
			  a & access & ~(uint64_t)LANDLOCK_ACCESS_FS_IOCTL_DEV);
		for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			uint64_t other;

			ASSERT_TRUE(
				ps_landlock_path_kind(paths[i], &other, &name));
			if ((other & a &
			     ~(uint64_t)LANDLOCK_ACCESS_FS_IOCTL_DEV) ==
			    (a & ~(uint64_t)LANDLOCK_ACCESS_FS_IOCTL_DEV))
				EXPECT_LE(__builtin_popcountll(access),
					  __builtin_popcountll(other));
		}
	}
	EXPECT_STREQ("list",
		     ps_landlock_path_word(LANDLOCK_ACCESS_FS_READ_DIR));
	EXPECT_STREQ("rox",
		     ps_landlock_path_word(LANDLOCK_ACCESS_FS_EXECUTE |
					   LANDLOCK_ACCESS_FS_READ_FILE));
	EXPECT_STREQ("rw", ps_landlock_path_word(LANDLOCK_ACCESS_FS_TRUNCATE));
}

TEST(grants_beneath_and_as_the_abi_handles)
{
	static const struct ps_loc loc = { "t.policy", 3, 1 };
	const uint64_t trunc = LANDLOCK_ACCESS_FS_TRUNCATE,
		       rd = LANDLOCK_ACCESS_FS_READ_FILE,
		       wr = LANDLOCK_ACCESS_FS_WRITE_FILE,
		       x = LANDLOCK_ACCESS_FS_EXECUTE;
	struct ps_landlock ll = { 0 };
	struct ps_landlock_grants g;
	char exe[PATH_MAX];

	ps_landlock_add_path(&ll, "ro", "/proc", &loc);
	ps_landlock_add_path(&ll, "rw", "/proc/self/exe", &loc);
	ps_landlock_add_port(&ll, LANDLOCK_ACCESS_NET_BIND_TCP, 80, &loc);
	ps_landlock_grants_init(&g, &ll, 7);
	EXPECT_EQ(0U, ps_landlock_refused(&g, "/proc/cpuinfo", rd));
	EXPECT_EQ(0U, ps_landlock_refused(&g, "/proc", rd));
	EXPECT_EQ(wr | x, ps_landlock_refused(&g, "/proc/cpuinfo", wr | x));
	/* /proc/self/exe resolved: this program, its file rights alone */
	ASSERT_TRUE(realpath("/proc/self/exe", exe));
	EXPECT_EQ(0U, ps_landlock_refused(&g, exe, rd | wr));
	EXPECT_EQ(x, ps_landlock_refused(&g, exe, x));
	EXPECT_EQ(LANDLOCK_ACCESS_FS_MAKE_REG,
		  ps_landlock_refused(&g, exe, LANDLOCK_ACCESS_FS_MAKE_REG));
	EXPECT_EQ(rd, ps_landlock_refused(&g, "/", rd));
	EXPECT_EQ(rd, ps_landlock_refused(&g, "/procfoo", rd));
	EXPECT_TRUE(
		ps_landlock_port_refused(&g, LANDLOCK_ACCESS_NET_BIND_TCP, 81));
	EXPECT_FALSE(
		ps_landlock_port_refused(&g, LANDLOCK_ACCESS_NET_BIND_TCP, 80));
	/* connect is handled too: a bind port restricts TCP */
	EXPECT_TRUE(ps_landlock_port_refused(
		&g, LANDLOCK_ACCESS_NET_CONNECT_TCP, 80));
	EXPECT_EQ(trunc, ps_landlock_refused(&g, "/proc/cpuinfo", trunc));
	ps_landlock_grants_free(&g);
	/* ABI 2: no truncate, no ports */
	ps_landlock_grants_init(&g, &ll, 2);
	EXPECT_EQ(0U, ps_landlock_refused(&g, "/proc/cpuinfo", trunc));
	EXPECT_FALSE(
		ps_landlock_port_refused(&g, LANDLOCK_ACCESS_NET_BIND_TCP, 81));
	ps_landlock_grants_free(&g);
	ps_landlock_free(&ll);
}

TEST_HARNESS_MAIN
