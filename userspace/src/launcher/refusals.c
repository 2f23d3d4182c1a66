// SPDX-License-Identifier: GPL-2.0-only
/*
 * run --refusals (refusals.h). Written by the confined launcher: the file
 * is opened before it confines itself, a caller's comm and exe are read
 * under /proc's directory opened then too (complain.h), and each line is
 * built by json-c, so a comm or a path of the sandbox's choosing is
 * escaped, never taken for JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "complain.h"
#include "decode.h"
#include "json.h"
#include "refusals.h"
#include "syscalls.h"
#include "util.h"

struct ps_refusals {
	const struct ps_filter *f;
	const char *path;
	FILE *out;
	int proc;
	bool failed;
	unsigned long unattributed; /* records of processes gone */
};

struct ps_refusals *ps_refusals_open(const struct ps_filter *f,
				     const char *path, int proc)
{
	struct ps_refusals *r = xcalloc(1, sizeof(*r));

	r->out = ps_output_open(path, "--refusals");
	if (!r->out) {
		free(r);
		return NULL;
	}
	r->f = f;
	r->path = path;
	r->proc = proc;
	/* the confined launcher may call neither getrandom nor open */
	ps_json_seed();
	return r;
}

/* A line's first fields: the time (UTC, ms), PID, COMM and EXE. */
static struct json_object *line_start(pid_t pid, const char *comm,
				      const char *exe)
{
	struct json_object *o = json_object_new_object();
	struct timespec ts;
	struct tm tm;
	char when[64], stamp[80];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(stamp, sizeof(stamp), "%s.%03ldZ", when, ts.tv_nsec / 1000000);
	json_object_object_add(o, "time", json_object_new_string(stamp));
	json_object_object_add(o, "pid", json_object_new_int64(pid));
	json_object_object_add(o, "comm", json_object_new_string(comm));
	json_object_object_add(o, "exe", json_object_new_string(exe));
	return o;
}

static void add_string(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v));
}

static void line_end(struct ps_refusals *r, struct json_object *o)
{
	if (fprintf(r->out, "%s\n",
		    json_object_to_json_string_ext(
			    o, JSON_C_TO_STRING_PLAIN |
				       JSON_C_TO_STRING_NOSLASHESCAPE)) < 0 ||
	    fflush(r->out) == EOF)
		r->failed = true;
	json_object_put(o);
}

/* The native number of a call of ARCH, by its name; -1 if none. */
static int native_of(enum ps_arch arch, int nr)
{
	const char *name = ps_syscall_name_arch(arch, nr);

	if (arch == PS_ARCH_NATIVE)
		return nr;
	return name ? ps_syscall_lookup(name) : -1;
}

void ps_refusals_gate(struct ps_refusals *r, int listener,
		      const struct seccomp_notif *n, const char *action,
		      const char *rule_text)
{
	char call[PS_DECODE_MAX], comm[32], exe[256], rule[512];
	struct json_object *o;
	enum ps_arch arch;
	uint64_t args[6];
	const char *name;

	if (!ps_arch_of(n->data.arch, n->data.nr, &arch))
		arch = PS_ARCH_NATIVE;
	memcpy(args, n->data.args, sizeof(args));
	ps_decode_call(arch, n->data.nr, args, (pid_t)n->pid, call,
		       sizeof(call));
	ps_proc_comm(r->proc, (pid_t)n->pid, comm, sizeof(comm));
	ps_proc_exe(r->proc, (pid_t)n->pid, exe, sizeof(exe));
	/* read after the kernel says the caller still waits: else the pid may be another's */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &n->id) < 0) {
		ps_decode_call(arch, n->data.nr, args, PS_DECODE_NO_MEMORY,
			       call, sizeof(call));
		snprintf(comm, sizeof(comm), "?");
		snprintf(exe, sizeof(exe), "?");
	}
	name = ps_syscall_name_arch(arch, n->data.nr);
	if (rule_text)
		snprintf(rule, sizeof(rule), "%s", rule_text);
	else
		ps_rule_source(r->f, native_of(arch, n->data.nr), rule,
			       sizeof(rule));
	o = line_start((pid_t)n->pid, comm, exe);
	add_string(o, "syscall", name ? name : "unknown");
	add_string(o, "args", call);
	add_string(o, "action", action);
	add_string(o, "rule", rule);
	line_end(r, o);
}

bool ps_refusals_ours(struct ps_refusals *r, pid_t pid)
{
	int ours = ps_proc_descends(r->proc, pid, getpid());

	if (ours < 0)
		r->unattributed++;
	return ours > 0;
}

void ps_refusals_kernel(struct ps_refusals *r,
			const struct ps_seccomp_record *rec, const char *action)
{
	char rule[512];
	struct json_object *o;
	enum ps_arch arch;
	const char *name = NULL;
	int native = -1;

	if (ps_arch_of(rec->arch, rec->nr, &arch)) {
		name = ps_syscall_name_arch(arch, rec->nr);
		native = native_of(arch, rec->nr);
	} else {
		arch = PS_ARCH_NATIVE;
	}
	/* the record has no arguments: the syscall's first rule */
	ps_rule_source(r->f, native, rule, sizeof(rule));
	o = line_start(rec->pid, rec->comm[0] ? rec->comm : "?",
		       rec->exe[0] ? rec->exe : "?");
	add_string(o, "syscall", name ? name : "unknown");
	json_object_object_add(o, "nr", json_object_new_int(rec->nr));
	add_string(o, "args", "unknown");
	add_string(o, "args_unknown",
		   "the kernel's record of a refusal has none");
	add_string(o, "action", action);
	add_string(o, "rule", rule);
	line_end(r, o);
}

void ps_refusals_unnamed(struct ps_refusals *r, pid_t pid, const char *why)
{
	struct json_object *o = line_start(pid, "?", "?");

	add_string(o, "syscall", "unknown");
	add_string(o, "args", "unknown");
	add_string(o, "action", "kill");
	add_string(o, "rule", "unknown");
	add_string(o, "unknown", why);
	line_end(r, o);
}

int ps_refusals_close(struct ps_refusals *r)
{
	int ret = 0;

	if (!r)
		return 0;
	if (r->unattributed) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(
			o, "unattributed",
			json_object_new_int64((int64_t)r->unattributed));
		add_string(
			o, "why",
			"refusals the kernel recorded of processes that had ended before the record was read: the record does not say which filter refused, so they may be the sandbox's or any other's");
		line_end(r, o);
	}
	if (fclose(r->out) == EOF || r->failed) {
		ps_warn("--refusals: cannot write %s: %s", r->path,
			strerror(errno));
		ret = -1;
	}
	free(r);
	return ret;
}
