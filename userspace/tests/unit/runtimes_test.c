// SPDX-License-Identifier: GPL-2.0-only
/*
 * OCI profiles decided as the container runtimes decide them: runc's ENOSYS
 * stub tests (github.com/opencontainers/runc at
 * 76d9cf5da5683ff449ae967db58fa8c5927ca54b,
 * libcontainer/seccomp/patchbpf/enosys_linux_test.go, testEnosysStub),
 * adapted to pinscope's emitted programs run in the BPF interpreter, and
 * the runtimes' own profiles (tests/oci-seccomp/runtimes/README), each
 * program held against the oracle for every input of check.h.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "check.h"
#include "compile.h"
#include "oci.h"
#include "policy.h"
#include "syscalls.h"

#include "kselftest_harness.h"

#define RT "tests/oci-seccomp/runtimes/"
#define ENOSYS_RET (SECCOMP_RET_ERRNO | ENOSYS)
#define INPUTS 150

/* PROFILE (text) loaded with CAPS ("docker", "none", ...) into P */
static int load_text(struct ps_policy *p, const char *profile, const char *caps)
{
	struct ps_oci_options oo = { .caps_set = true };
	char path[] = "/tmp/pinscope-runtimes-XXXXXX";
	int fd = mkstemp(path), ret;
	FILE *f = fdopen(fd, "w");

	fputs(profile, f);
	fclose(f);
	ps_policy_init(p);
	ret = ps_oci_parse_caps(caps, &oo.caps) < 0 ? -1 :
						      ps_oci_load(p, path, &oo);
	unlink(path);
	return ret;
}

static uint32_t run(const struct ps_filter *f, uint32_t arch, int nr)
{
	struct seccomp_data d = { .nr = nr, .arch = arch };

	return ps_bpf_run(f->prog.filter, f->prog.len, &d, NULL);
}

/*
 * runc's testEnosysStub: the explicit syscalls in increasing order of
 * newness, a prefix of them named (with an action other than the
 * default), every later one and every future number ENOSYS, the implicit
 * ones the default. runc's list (setns, kcmp, renameat2, copy_file_range:
 * 308-326) is taken above 322 here, where pinscope's threshold may start
 * (it is never below execveat, which the launcher rules: enosys.c).
 */
static const char *const explicit_calls[] = { "copy_file_range", "statx",
					      "pidfd_open", "fchmodat2" };
static const char *const implicit_calls[] = { "clone", "openat", "read",
					      "write" };

static void enosys_stub(struct __test_metadata *_metadata, const char *def,
			bool stub, bool all_arches)
{
	static const struct {
		unsigned int start, end;
	} ranges[] = {
		{ 0, 1 }, { 0, 2 }, { 1, 2 }, { 1, 3 }, { 1, 4 }, { 3, 4 },
	};
	static const enum ps_arch arches[] = { PS_ARCH_X86_64, PS_ARCH_I386,
					       PS_ARCH_X32 };
	const char *other = strstr(def, "ALLOW") ? "SCMP_ACT_KILL" :
						   "SCMP_ACT_ALLOW";
	unsigned int r, i, a;

	for (r = 0; r < ARRAY_SIZE(ranges); r++) {
		struct ps_filter_options opt = { 0 };
		struct ps_policy p;
		struct ps_filter f;
		char names[256] = "", profile[1024];

		for (i = ranges[r].start; i < ranges[r].end; i++)
			snprintf(names + strlen(names),
				 sizeof(names) - strlen(names), "%s\"%s\"",
				 i > ranges[r].start ? "," : "",
				 explicit_calls[i]);
		snprintf(
			profile, sizeof(profile),
			"{ \"defaultAction\": \"%s\", \"architectures\": [%s],"
			" \"syscalls\": [ { \"names\": [%s], \"action\": \"%s\" } ] }",
			def,
			all_arches ?
				"\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"" :
				"\"SCMP_ARCH_X86_64\"",
			names, other);
		ASSERT_EQ(0, load_text(&p, profile, "none"));
		opt.arch_all = p.arch_all;
		ASSERT_EQ(all_arches, p.arch_all);
		ASSERT_EQ(0, ps_filter_build(&f, &p, &opt));
		for (a = 0; a < (all_arches ? ARRAY_SIZE(arches) : 1); a++) {
			uint32_t audit = ps_arch_audit(arches[a]);
			int last = ps_syscall_lookup_arch(arches[a],
							  "copy_file_range");

			for (i = 0; i < ARRAY_SIZE(explicit_calls); i++) {
				int nr = ps_syscall_lookup_arch(
					arches[a], explicit_calls[i]);
				uint32_t got = run(&f, audit, nr);

				ASSERT_GT(nr, -1);
				/*
				 * x32's threshold is never below its execveat,
				 * 545 in x32's own block (runc's too, for a
				 * profile that names execve, 520): the new
				 * syscalls below it get the default
				 */
				if (stub && i >= ranges[r].end &&
				    arches[a] != PS_ARCH_X32) {
					EXPECT_EQ(ENOSYS_RET, got)
					{
						TH_LOG("%s %s, default %s, named %u-%u: %#x, wanted ENOSYS",
						       ps_arch_name(arches[a]),
						       explicit_calls[i], def,
						       ranges[r].start,
						       ranges[r].end, got);
					}
				} else {
					EXPECT_NE(ENOSYS_RET, got)
					{
						TH_LOG("%s %s, default %s, named %u-%u: ENOSYS",
						       ps_arch_name(arches[a]),
						       explicit_calls[i], def,
						       ranges[r].start,
						       ranges[r].end);
					}
				}
			}
			for (i = 0; i < ARRAY_SIZE(implicit_calls); i++) {
				int nr = ps_syscall_lookup_arch(
					arches[a], implicit_calls[i]);

				if (nr <
				    0) /* x32 has no clone of its own number: fine */
					continue;
				EXPECT_EQ(ps_filter_ret(&f, &f.default_action),
					  run(&f, audit, nr))
				{
					TH_LOG("%s %s: not the default",
					       ps_arch_name(arches[a]),
					       implicit_calls[i]);
				}
			}
			/* runc's future syscalls: 1000 and 7331 past copy_file_range */
			EXPECT_EQ(stub ? ENOSYS_RET :
					 ps_filter_ret(&f, &f.default_action),
				  run(&f, audit, last + 1000));
			EXPECT_EQ(stub ? ENOSYS_RET :
					 ps_filter_ret(&f, &f.default_action),
				  run(&f, audit, last + 7331));
		}
		EXPECT_EQ(0u, ps_check_program(&p, &f.opt, &f.prog, stderr));
		ps_filter_free(&f);
		ps_policy_free(&p);
	}
}

/* runc: the stub unless the default action is permissive (allow, log) */
TEST(runc_enosys_stub_native)
{
	enosys_stub(_metadata, "SCMP_ACT_ERRNO", true, false);
	enosys_stub(_metadata, "SCMP_ACT_KILL", true, false);
	enosys_stub(_metadata, "SCMP_ACT_KILL_PROCESS", true, false);
	enosys_stub(_metadata, "SCMP_ACT_TRAP", true, false);
	enosys_stub(_metadata, "SCMP_ACT_ALLOW", false, false);
	enosys_stub(_metadata, "SCMP_ACT_LOG", false, false);
}

TEST(runc_enosys_stub_x86_x32)
{
	enosys_stub(_metadata, "SCMP_ACT_ERRNO", true, true);
	enosys_stub(_metadata, "SCMP_ACT_KILL", true, true);
	enosys_stub(_metadata, "SCMP_ACT_ALLOW", false, true);
}

/* Entries with the default's action are dropped (runc's matchCall, crun). */
TEST(default_action_entries_dropped)
{
	/* issue 22 item 6: "allow mkdir if mode is 0777" before "refuse mkdir" */
	static const char profile[] =
		"{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [\n"
		"  { \"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"    \"args\": [ { \"index\": 1, \"value\": 511, \"op\": \"SCMP_CMP_EQ\" } ] },\n"
		"  { \"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\" } ] }\n";
	struct ps_filter_options opt = { 0 };
	struct ps_policy p;
	struct ps_filter f;
	uint64_t args[6] = { 0, 0777 };

	ASSERT_EQ(0, load_text(&p, profile, "none"));
	ASSERT_EQ(1u, p.n);
	ASSERT_EQ(0, ps_filter_build(&f, &p, &opt));
	EXPECT_EQ(PS_ACT_ERRNO,
		  ps_filter_decide(&f, ps_syscall_lookup("mkdir"), args).type);
	EXPECT_EQ(0u, ps_check_program(&p, &f.opt, &f.prog, stderr));
	ps_filter_free(&f);
	ps_policy_free(&p);
}

/* A runtime's profile, under several capability sets and modes. */
static void profile_matches_the_oracle(struct __test_metadata *_metadata,
				       const char *file)
{
	static const char *const caps[] = { "docker", "none",
					    "docker,CAP_SYS_ADMIN" };
	/* as --preload loads it, and as the launcher does, with its exec gate */
	static const bool gates[] = { false, true };
	unsigned int c, m;

	for (c = 0; c < ARRAY_SIZE(caps); c++)
		for (m = 0; m < ARRAY_SIZE(gates); m++) {
			struct ps_oci_options oo = { .caps_set = true };
			struct ps_filter_options opt = { .exec_gate =
								 gates[m] };
			struct ps_policy p;
			struct ps_filter f;
			unsigned int diffs;

			ps_policy_init(&p);
			ASSERT_EQ(0, ps_oci_parse_caps(caps[c], &oo.caps));
			ASSERT_EQ(0, ps_oci_load(&p, file, &oo))
			{
				TH_LOG("%s does not load (run from userspace/)",
				       file);
			}
			opt.arch_all = p.arch_all;
			ASSERT_EQ(0, ps_filter_build(&f, &p, &opt));
			/* a hundred or two inputs per syscall: in the harness's time */
			diffs = ps_check_program_limit(&p, &f.opt, &f.prog,
						       stderr, INPUTS, NULL);
			EXPECT_EQ(0u, diffs)
			{
				TH_LOG("%s, caps %s, exec gate %d: %u calls differ from the oracle",
				       file, caps[c], gates[m], diffs);
			}
			/* syscall 500 and the first past the 6.12 tables */
			EXPECT_EQ(ENOSYS_RET, run(&f, AUDIT_ARCH_X86_64, 500));
			EXPECT_EQ(ENOSYS_RET, run(&f, AUDIT_ARCH_X86_64, 463));
			ps_filter_free(&f);
			ps_policy_free(&p);
		}
}

TEST(docker_default_matches_the_oracle)
{
	profile_matches_the_oracle(_metadata,
				   "tests/oci-seccomp/docker-default.json");
}

TEST(containers_common_default_matches_the_oracle)
{
	profile_matches_the_oracle(_metadata,
				   RT "containers-common-seccomp.json");
}

TEST(containers_common_example_matches_the_oracle)
{
	profile_matches_the_oracle(_metadata,
				   RT "containers-common-example.json");
}

TEST(runc_testdata_profiles_match_the_oracle)
{
	profile_matches_the_oracle(_metadata,
				   RT "runc-seccomp_syscall_test1.json");
	profile_matches_the_oracle(_metadata,
				   RT "runc-seccomp_syscall_test2.json");
}

/* minijail0 -S's bare `return` and errno above 4095 (issue 22 item 4) */
TEST(minijail_bare_return_and_big_errno_match_the_oracle)
{
	static const char policy[] =
		"getppid: return\ngetpgid: return 5000\ngetsid: arg0 == 1; return\n@critical: 1\n";
	static const struct ps_filter_options opts[] = {
		{ 0 },
		{ .default_set = true,
		  .default_action = { PS_ACT_ERRNO, ENOTBLK } },
		{ .exec_gate = true, .arch_all = true },
	};
	unsigned int o;

	for (o = 0; o < ARRAY_SIZE(opts); o++) {
		struct ps_policy p;
		struct ps_filter f;
		struct ps_action a;
		uint64_t args[6] = { 0 };

		ps_policy_init(&p);
		ASSERT_EQ(0, ps_policy_load_buffer(&p, "<mj>", policy,
						   strlen(policy)));
		ASSERT_EQ(0, ps_filter_build(&f, &p, &opts[o]));
		/* the default action, whatever it is */
		a = ps_filter_decide(&f, ps_syscall_lookup("getppid"), args);
		EXPECT_TRUE(ps_action_equal(&f.default_action, &a));
		EXPECT_EQ(4095, ps_filter_decide(
					&f, ps_syscall_lookup("getpgid"), args)
					.errnum);
		EXPECT_EQ(0u, ps_check_program(&p, &f.opt, &f.prog, stderr));
		ps_filter_free(&f);
		ps_policy_free(&p);
	}
}

TEST_HARNESS_MAIN
