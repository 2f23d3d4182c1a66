// SPDX-License-Identifier: GPL-2.0-only
/*
 * The formats keep every decision: a policy written as minijail or OCI
 * and read back compiles to a program that answers every generated call
 * (inputs.c: each constant's edges, both halves, mask bits, random values,
 * every syscall number of the three ABIs) exactly as the original program
 * does, both run in the interpreter. Docker's default profile, the crosvm
 * corpus and shapes chosen for the writers' hard cases (ranges and
 * exclusions on one argument, masks with values, overlapping entries).
 */
#include <dirent.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "check.h"
#include "compile.h"
#include "diag.h"
#include "formats.h"
#include "oci.h"
#include "policy.h"

#include "kselftest_harness.h"

#define DOCKER "tests/oci-seccomp/docker-default.json"
#define INPUTS 300

/* Docker's default capabilities for a container */
#define DOCKER_CAPS                                                   \
	"CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FSETID,CAP_FOWNER,CAP_MKNOD," \
	"CAP_NET_RAW,CAP_SETGID,CAP_SETUID,CAP_SETFCAP,CAP_SETPCAP,"  \
	"CAP_NET_BIND_SERVICE,CAP_SYS_CHROOT,CAP_KILL,CAP_AUDIT_WRITE"

/* A policy and its program. */
struct built {
	struct ps_policy p;
	struct ps_filter f;
	bool ok;
};

static void built_free(struct built *b)
{
	if (b->ok)
		ps_filter_free(&b->f);
	ps_policy_free(&b->p);
}

static void build(struct built *b, const struct ps_filter_options *opt)
{
	b->ok = !b->p.errors && ps_filter_build(&b->f, &b->p, opt) == 0;
}

/* The written text of B in FMT (NULL if the writer refused). */
static char *written(const struct built *b, enum ps_format fmt)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int ret = ps_format_write(mem, &b->f, fmt, "test");

	fclose(mem);
	if (ret < 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* TEXT read back as FMT into B, compiled under OPT. */
static void read_back(struct built *b, const char *text, enum ps_format fmt,
		      const struct ps_filter_options *opt)
{
	struct ps_oci_options oo = { .caps_set = true };

	ps_policy_init(&b->p);
	b->ok = false;
	if (fmt == PS_FORMAT_MINIJAIL) {
		if (ps_policy_load_buffer(&b->p, "<minijail>", text,
					  strlen(text)) < 0)
			return;
	} else {
		char path[] = "/tmp/pinscope-formats-XXXXXX";
		int fd = mkstemp(path);
		FILE *f = fdopen(fd, "w");
		int ret;

		fputs(text, f);
		fclose(f);
		ret = ps_oci_load(&b->p, path, &oo);
		unlink(path);
		if (ret < 0)
			return;
	}
	build(b, opt);
}

struct compare {
	const struct ps_filter *a, *b;
	unsigned long n, diffs;
	bool quiet; /* differences expected: not logged */
};

/*
 * The one difference formats may have: runc's ENOSYS rule (enosys.c) is
 * part of an OCI profile's meaning, and a number no syscall table names
 * cannot be named in any format. So F_ENOSYS answers ENOSYS by that rule
 * where F_OTHER gives its default, for a number beyond the tables.
 */
static bool beyond_tables(const struct ps_filter *f_enosys, uint32_t x,
			  const struct ps_filter *f_other, uint32_t y,
			  const struct seccomp_data *d)
{
	enum ps_arch abi;

	return x == (SECCOMP_RET_ERRNO | ENOSYS) &&
	       y == ps_filter_ret(f_other, &f_other->default_action) &&
	       ps_arch_of(d->arch, d->nr, &abi) &&
	       (abi == PS_ARCH_X86_64 || f_enosys->opt.arch_all) &&
	       !ps_syscall_name_arch(abi, d->nr) &&
	       ps_filter_enosys_applies(f_enosys, abi, (uint32_t)d->nr);
}

static void compare_one(const struct seccomp_data *d, void *ctx)
{
	struct compare *c = ctx;
	uint32_t x = ps_bpf_run(c->a->prog.filter, c->a->prog.len, d, NULL);
	uint32_t y = ps_bpf_run(c->b->prog.filter, c->b->prog.len, d, NULL);
	char buf[256];

	c->n++;
	if (x == y || beyond_tables(c->a, x, c->b, y, d) ||
	    beyond_tables(c->b, y, c->a, x, d))
		return;
	if (c->diffs++ < 5 && !c->quiet)
		fprintf(stderr, "# %s: %#x before, %#x after\n",
			ps_call_name(d, buf, sizeof(buf)), x, y);
}

/* Calls that differ between A's and B's programs, over both's inputs. */
static unsigned long count_differences(const struct built *a,
				       const struct built *b, unsigned long *n,
				       bool quiet)
{
	struct compare c = { &a->f, &b->f, 0, 0, quiet };

	ps_inputs_policy(&a->p, INPUTS, 1, compare_one, &c);
	ps_inputs_policy(&b->p, INPUTS, 2, compare_one, &c);
	*n = c.n;
	return c.diffs;
}

static unsigned long differences(const struct built *a, const struct built *b,
				 unsigned long *n)
{
	return count_differences(a, b, n, false);
}

/*
 * ORIG through FMT and back, compiled with ORIG's options: 0 calls may
 * differ. Returns the differences, or -1 when the writer or reader failed.
 */
static long round_trip(const struct built *orig, enum ps_format fmt,
		       struct built *out, unsigned long *n)
{
	char *text = written(orig, fmt);

	memset(out, 0, sizeof(*out));
	ps_policy_init(&out->p);
	if (!text)
		return -1;
	ps_policy_free(&out->p);
	read_back(out, text, fmt, &orig->f.opt);
	free(text);
	if (!out->ok)
		return -1;
	return (long)differences(orig, out, n);
}

static void load_docker(struct built *b, const char *caps)
{
	struct ps_oci_options oo = { .caps_set = true };
	struct ps_filter_options opt = { 0 };

	ps_policy_init(&b->p);
	if (ps_oci_parse_caps(caps, &oo.caps) < 0 ||
	    ps_oci_load(&b->p, DOCKER, &oo) < 0) {
		b->ok = false;
		return;
	}
	opt.arch_all = b->p.arch_all;
	build(b, &opt);
}

static void load_text(struct built *b, const char *text,
		      const struct ps_filter_options *opt)
{
	ps_policy_init(&b->p);
	b->ok = false;
	if (ps_policy_load_buffer(&b->p, "<test>", text, strlen(text)) == 0)
		build(b, opt);
}

/* ---- Docker's default profile ---- */

TEST(docker_profile_converted_decides_as_the_original)
{
	static const char *const caps[] = { DOCKER_CAPS, "none",
					    DOCKER_CAPS ",CAP_SYS_ADMIN" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		struct built orig, mj, back;
		char *text;
		unsigned long n;
		long d;

		load_docker(&orig, caps[i]);
		ASSERT_TRUE(orig.ok)
		{
			TH_LOG("%s does not load (run from userspace/)",
			       DOCKER);
		}
		/* OCI -> minijail */
		d = round_trip(&orig, PS_FORMAT_MINIJAIL, &mj, &n);
		EXPECT_EQ(0, d)
		{
			TH_LOG("caps %s: OCI -> minijail: %ld of %lu calls differ",
			       caps[i], d, n);
		}
		/* -> OCI again */
		text = mj.ok ? written(&mj, PS_FORMAT_OCI) : NULL;
		ASSERT_NE(NULL, text)
		{
			TH_LOG("caps %s: the converted policy is not written as OCI",
			       caps[i]);
		}
		read_back(&back, text, PS_FORMAT_OCI, &orig.f.opt);
		free(text);
		ASSERT_TRUE(back.ok);
		d = (long)differences(&orig, &back, &n);
		EXPECT_EQ(0, d)
		{
			TH_LOG("caps %s: OCI -> minijail -> OCI: %ld of %lu calls differ",
			       caps[i], d, n);
		}
		TH_LOG("caps %s: %lu calls each, no difference", caps[i], n);
		built_free(&back);
		built_free(&mj);
		built_free(&orig);
	}
}

/* The comparison sees a difference where there is one. */
TEST(capabilities_change_docker_decisions)
{
	struct built none, admin;
	unsigned long n, d;

	load_docker(&none, "none");
	load_docker(&admin, "CAP_SYS_ADMIN");
	ASSERT_TRUE(none.ok && admin.ok);
	d = count_differences(&none, &admin, &n, true);
	EXPECT_NE(0, d)
	{
		TH_LOG("CAP_SYS_ADMIN changed none of %lu calls", n);
	}
	built_free(&admin);
	built_free(&none);
}

/* ---- shapes the writers must spell out ---- */

static const char *const shapes[] = {
	/* a range on one argument: two comparisons OCI cannot AND */
	"getpid: arg0 >= 5 && arg0 < 0x100000003\n",
	/* a range with exclusions, and a second argument */
	"getppid: arg0 > 0x10 && arg0 <= 0xffff && arg0 != 0x100 && arg0 != 0x1000 && arg1 == 3\n",
	/* masks with values: minijail's atoms need them bit by bit */
	"getuid: arg0 & 0x30 && arg0 in 0xff\n",
	"getgid: arg2 in ~0x4 && arg2 & 0x1 || arg3 == 0xffffffff00000000\n",
	/* not a mask and a range on one argument */
	"geteuid: arg0 & 0x8 && arg0 < 0x40\n",
	/* allowed under one condition, another action otherwise */
	"getegid: arg0 == 1 || arg0 == 0x100000001; return EPERM\n",
	"gettid: arg1 < 4; kill-thread\n",
	/* unconditional actions and a default of its own */
	"@default-action errno 38\nsync: trap\nsyncfs: log\nsched_yield: 1\n",
	/* a deny list: allow is the default */
	"@default-action allow\nreboot: return EPERM\nkill: arg1 == 9; return EACCES\n",
	/* signed-looking and top-bit values */
	"getpgid: arg0 >= 0x8000000000000000 || arg0 == 0\n",
};

TEST(shapes_round_trip_through_minijail_and_oci)
{
	static const struct ps_filter_options opts[] = { { 0 },
							 { .arch_all = true } };
	unsigned int i, o, f;

	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		for (o = 0; o < ARRAY_SIZE(opts); o++) {
			struct built orig;

			load_text(&orig, shapes[i], &opts[o]);
			ASSERT_TRUE(orig.ok)
			{
				TH_LOG("shape %u does not compile: %s", i,
				       shapes[i]);
			}
			for (f = 0; f < 2; f++) {
				enum ps_format fmt = f ? PS_FORMAT_OCI :
							 PS_FORMAT_MINIJAIL;
				struct built back;
				unsigned long n = 0;
				long d = round_trip(&orig, fmt, &back, &n);

				EXPECT_EQ(0, d)
				{
					TH_LOG("shape %u through %s: %ld of %lu calls differ (-1: not written or not read): %s",
					       i, f ? "OCI" : "minijail", d, n,
					       shapes[i]);
				}
				built_free(&back);
			}
			built_free(&orig);
		}
	}
}

/* Overlapping entries: the first decides, and the OCI output says the same. */
TEST(overlapping_oci_entries_first_decides)
{
	static const char profile[] =
		"{ \"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
		"  \"syscalls\": [\n"
		"    { \"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 22,\n"
		"      \"args\": [ { \"index\": 0, \"value\": 16, \"op\": \"SCMP_CMP_EQ\" } ] },\n"
		"    { \"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"      \"args\": [ { \"index\": 0, \"value\": 32, \"op\": \"SCMP_CMP_LT\" } ] },\n"
		"    { \"names\": [\"getpid\"], \"action\": \"SCMP_ACT_LOG\" } ] }\n";
	struct ps_filter_options opt = { 0 };
	struct built orig, back;
	uint64_t args[6] = { 0 };
	unsigned long n;
	long d;

	read_back(&orig, profile, PS_FORMAT_OCI, &opt);
	ASSERT_TRUE(orig.ok);
	args[0] = 16;
	EXPECT_EQ(PS_ACT_ERRNO, ps_filter_decide(&orig.f, 39, args).type);
	EXPECT_EQ(22, ps_filter_decide(&orig.f, 39, args).errnum);
	args[0] = 15;
	EXPECT_EQ(PS_ACT_ALLOW, ps_filter_decide(&orig.f, 39, args).type);
	args[0] = 32;
	EXPECT_EQ(PS_ACT_LOG, ps_filter_decide(&orig.f, 39, args).type);
	d = round_trip(&orig, PS_FORMAT_OCI, &back, &n);
	EXPECT_EQ(0, d)
	{
		TH_LOG("OCI -> OCI: %ld of %lu calls differ", d, n);
	}
	built_free(&back);
	/* three actions on one syscall: no minijail rule says that */
	EXPECT_EQ(-1, round_trip(&orig, PS_FORMAT_MINIJAIL, &back, &n));
	built_free(&back);
	built_free(&orig);
}

/* ---- the crosvm corpus: minijail -> OCI -> minijail ---- */

TEST(crosvm_corpus_round_trips)
{
	unsigned int n = 0;
	unsigned long calls = 0;
	DIR *dir = opendir(CROSVM_DIR);
	char path[512];

	ASSERT_NE(NULL, dir)
	{
		TH_LOG("%s: %s (run from userspace/)", CROSVM_DIR,
		       strerror(errno));
	}
	while (ps_crosvm_next(dir, path, sizeof(path))) {
		struct ps_filter_options opt = { 0 };
		struct built orig, oci, mj;
		unsigned long k;
		char *text;
		long d;

		ASSERT_EQ(0, ps_crosvm_load(path, &orig.p))
		{
			TH_LOG("%s does not load", path);
		}
		build(&orig, &opt);
		ASSERT_TRUE(orig.ok);
		d = round_trip(&orig, PS_FORMAT_OCI, &oci, &k);
		EXPECT_EQ(0, d)
		{
			TH_LOG("%s -> OCI: %ld of %lu calls differ", path, d,
			       k);
		}
		calls += k;
		text = oci.ok ? written(&oci, PS_FORMAT_MINIJAIL) : NULL;
		EXPECT_NE(NULL, text)
		{
			TH_LOG("%s -> OCI -> minijail: not written", path);
		}
		if (text) {
			read_back(&mj, text, PS_FORMAT_MINIJAIL, &opt);
			free(text);
			EXPECT_TRUE(mj.ok);
			if (mj.ok) {
				d = (long)differences(&orig, &mj, &k);
				EXPECT_EQ(0, d)
				{
					TH_LOG("%s -> OCI -> minijail: %ld of %lu calls differ",
					       path, d, k);
				}
			}
			built_free(&mj);
		}
		built_free(&oci);
		built_free(&orig);
		n++;
	}
	closedir(dir);
	EXPECT_EQ(46, n);
	TH_LOG("crosvm: %u policies, %lu calls compared after OCI", n, calls);
}

/* ---- the reader's own decisions ---- */

/* The OCI reader's mistakes come back as data: the file, the place, a hint. */
TEST(oci_mistakes_come_back_as_data)
{
	static const struct {
		const char *text;
		unsigned int line, col;
		const char *message, *hint;
	} mistakes[] = {
		{ "{\"defaultAction\": ", 1, 19,
		  "bad JSON: unexpected end of file", NULL },
		{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_NOPE\"}]}",
		  0, 0, "$.syscalls[0].action: unknown action 'SCMP_ACT_NOPE'",
		  "SCMP_ACT_ALLOW" },
	};
	struct ps_oci_options oo = { .caps_set = true };
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(mistakes); i++) {
		char path[] = "/tmp/pinscope-oci-XXXXXX";
		int fd = mkstemp(path);
		const struct ps_diag *d;
		struct ps_policy p;

		ASSERT_LE(0, fd);
		ASSERT_EQ((ssize_t)strlen(mistakes[i].text),
			  write(fd, mistakes[i].text,
				strlen(mistakes[i].text)));
		close(fd);
		ps_diags_clear();
		ps_policy_init(&p);
		EXPECT_GT(0, ps_oci_load(&p, path, &oo));
		ps_policy_free(&p);
		d = ps_diags(&n);
		ASSERT_LE(1, n);
		EXPECT_EQ(PS_ERROR, d[0].severity);
		EXPECT_STREQ(path, d[0].loc.file);
		EXPECT_EQ(mistakes[i].line, d[0].loc.line);
		EXPECT_EQ(mistakes[i].col, d[0].loc.col);
		EXPECT_STREQ(mistakes[i].message, d[0].message);
		if (mistakes[i].hint) {
			ASSERT_NE(NULL, d[0].hint);
			EXPECT_NE(NULL, strstr(d[0].hint, mistakes[i].hint));
		}
		unlink(path);
		ps_diags_clear();
	}
}

TEST(oci_reader_semantics)
{
	static const char profile[] =
		"{ \"defaultAction\": \"SCMP_ACT_KILL\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],\n"
		"  \"syscalls\": [\n"
		"    { \"names\": [\"getpid\", \"no_such_call\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"      \"args\": [ { \"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_EQ\" },\n"
		"                { \"index\": 0, \"value\": 7, \"op\": \"SCMP_CMP_EQ\" } ] },\n"
		"    { \"names\": [\"getppid\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
		"      \"args\": [ { \"index\": 0, \"value\": 5, \"op\": \"SCMP_CMP_EQ\" },\n"
		"                { \"index\": 1, \"value\": 7, \"op\": \"SCMP_CMP_EQ\" } ] },\n"
		"    { \"names\": [\"getuid\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": { \"minKernel\": \"3.0\" } },\n"
		"    { \"names\": [\"getgid\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": { \"minKernel\": \"99.0\" } },\n"
		"    { \"names\": [\"geteuid\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": { \"arches\": [\"arm64\", \"amd64\"] } },\n"
		"    { \"names\": [\"getegid\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": { \"caps\": [\"CAP_KILL\", \"CAP_SYS_ADMIN\"] } },\n"
		"    { \"names\": [\"gettid\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": { \"caps\": [\"CAP_KILL\"] } }\n"
		"  ] }\n";
	struct ps_oci_options oo = { .caps_set = true,
				     .kernel = "6.1.0-13-amd64" };
	char path[] = "/tmp/pinscope-oci-XXXXXX";
	struct ps_filter_options opt = { 0 };
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct built b;
	uint64_t a[6] = { 0 };

	fputs(profile, f);
	fclose(f);
	ASSERT_EQ(0, ps_oci_parse_caps("CAP_KILL", &oo.caps));
	ps_policy_init(&b.p);
	ASSERT_EQ(0, ps_oci_load(&b.p, path, &oo));
	unlink(path);
	/* x86 without x32: narrowed to native */
	EXPECT_FALSE(b.p.arch_all);
	build(&b, &opt);
	ASSERT_TRUE(b.ok);
	/* SCMP_ACT_KILL is libseccomp's KILL_THREAD */
	EXPECT_EQ(PS_ACT_KILL_THREAD, b.f.default_action.type);
	/* one index twice: OR (runc adds each as its own rule) */
	a[0] = 5;
	EXPECT_EQ(PS_ACT_ALLOW, ps_filter_decide(&b.f, 39, a).type);
	a[0] = 7;
	EXPECT_EQ(PS_ACT_ALLOW, ps_filter_decide(&b.f, 39, a).type);
	/* distinct indexes: AND */
	a[0] = 5;
	a[1] = 0;
	EXPECT_EQ(PS_ACT_KILL_THREAD, ps_filter_decide(&b.f, 110, a).type);
	a[1] = 7;
	EXPECT_EQ(PS_ACT_ALLOW, ps_filter_decide(&b.f, 110, a).type);
	memset(a, 0, sizeof(a));
	/* minKernel: excluded on 6.1 by 3.0+, not included by 99.0+ */
	EXPECT_EQ(PS_ACT_KILL_THREAD, ps_filter_decide(&b.f, 102, a).type);
	EXPECT_EQ(PS_ACT_KILL_THREAD, ps_filter_decide(&b.f, 104, a).type);
	/* arches: amd64 is this machine */
	EXPECT_EQ(PS_ACT_ALLOW, ps_filter_decide(&b.f, 107, a).type);
	/* includes need every cap, excludes any one */
	EXPECT_EQ(PS_ACT_KILL_THREAD, ps_filter_decide(&b.f, 108, a).type);
	EXPECT_EQ(PS_ACT_KILL_THREAD, ps_filter_decide(&b.f, 186, a).type);
	built_free(&b);
}

TEST_HARNESS_MAIN
