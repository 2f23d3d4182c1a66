// SPDX-License-Identifier: GPL-2.0-only
/*
 * run --complain's record (complain.h). It lives in the launcher, which
 * is confined by then (confine_launcher.c): it opens nothing but files
 * under /proc's directory (a caller's comm), allocates with brk and mmap,
 * and writes to stderr and the --complain-out file opened before.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "complain.h"
#include "decode.h"
#include "syscalls.h"
#include "util.h"

/* One distinct call: its syscall and decoded arguments. */
struct entry {
	unsigned long hash;
	char *call;
	unsigned long count;
};

struct ps_complain {
	const struct ps_filter *f;
	const char *out_path;
	FILE *out;
	/* --oci: the profile, read before the launcher confines itself */
	struct json_object *oci;
	int proc;
	const struct ps_complain_hook *hook;
	struct entry e[PS_COMPLAIN_MAX_DISTINCT];
	unsigned int n;
	unsigned long more; /* distinct calls beyond the cap */
	unsigned long total; /* every call that would be refused */
	unsigned long unnamed; /* of an ABI or number nobody knows */
	/* per native syscall: how often it would be refused (0..range) */
	unsigned long *per_nr;
	int nr_base;
	unsigned int nr_range;
};

FILE *ps_output_open(const char *path, const char *option)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (!f) {
		ps_warn("%s: cannot write %s: %s", option, path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

int ps_proc_open(void)
{
	return open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
}

struct ps_complain *ps_complain_new(const struct ps_filter *f, const char *out,
				    int proc,
				    const struct ps_complain_hook *hook)
{
	struct ps_complain *c = xcalloc(1, sizeof(*c));

	c->f = f;
	c->out_path = out;
	c->proc = proc;
	c->hook = hook;
	if (out && f->opt.complain_oci) {
		c->oci = json_object_from_file(f->opt.complain_oci);
		if (!json_object_is_type(c->oci, json_type_object)) {
			ps_warn("--complain-out: cannot read %s again: %s",
				f->opt.complain_oci, json_util_get_last_err());
			json_object_put(c->oci);
			free(c);
			return NULL;
		}
	}
	if (out && !(c->out = ps_output_open(out, "--complain-out"))) {
		json_object_put(c->oci);
		free(c);
		return NULL;
	}
	c->nr_range = ps_syscall_range(PS_ARCH_NATIVE, &c->nr_base);
	c->per_nr = xcalloc(c->nr_range ? c->nr_range : 1, sizeof(*c->per_nr));
	return c;
}

void ps_proc_comm(int proc, pid_t pid, char *buf, size_t len)
{
	char path[32];
	ssize_t r = -1;
	int fd;

	snprintf(path, sizeof(path), "%d/comm", (int)pid);
	fd = proc < 0 ? -1 : openat(proc, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		r = read(fd, buf, len - 1);
		close(fd);
	}
	if (r <= 0) {
		snprintf(buf, len, "?");
		return;
	}
	buf[r] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

void ps_proc_exe(int proc, pid_t pid, char *buf, size_t len)
{
	char path[32];
	ssize_t r;

	snprintf(path, sizeof(path), "%d/exe", (int)pid);
	r = proc < 0 ? -1 : readlinkat(proc, path, buf, len - 1);
	if (r <= 0) {
		snprintf(buf, len, "?");
		return;
	}
	buf[r] = '\0';
}

int ps_proc_descends(int proc, pid_t pid, pid_t ancestor)
{
	char path[32], stat[512], *p;
	unsigned int depth;
	int ppid;

	for (depth = 0; depth < 256 && pid > 1; depth++) {
		ssize_t r = -1;
		int fd;

		if (pid == ancestor)
			return 1;
		snprintf(path, sizeof(path), "%d/stat", (int)pid);
		fd = proc < 0 ? -1 : openat(proc, path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			r = read(fd, stat, sizeof(stat) - 1);
			close(fd);
		}
		if (r <= 0)
			return -1;
		stat[r] = '\0';
		/* "PID (COMM) STATE PPID": a comm may hold ") " itself */
		p = strrchr(stat, ')');
		if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
			return -1;
		pid = ppid;
	}
	return 0;
}

/* The native number of a call of any ABI, by its name; -1 if none. */
static int native_of(enum ps_arch arch, int nr)
{
	const char *name;

	if (arch == PS_ARCH_NATIVE)
		return nr;
	name = ps_syscall_name_arch(arch, nr);
	return name ? ps_syscall_lookup(name) : -1;
}

void ps_rule_source(const struct ps_filter *f, int native, char *buf,
		    size_t len)
{
	const struct ps_plan *plan = native < 0 ? NULL :
						  ps_filter_plan(f, native);

	if (!plan || plan->n == 0 || !plan->rule)
		snprintf(buf, len, "the default action");
	else if (plan->rule->loc.line)
		snprintf(buf, len, "rule %s:%u: %s", plan->rule->loc.file,
			 plan->rule->loc.line,
			 plan->rule->text ? plan->rule->text : "?");
	else /* an option's */
		snprintf(buf, len, "rule %s",
			 plan->rule->text ? plan->rule->text : "?");
}

/* "kill-process (the default action)", "errno EPERM (rule F:L: TEXT)" */
static void describe_rule(const struct ps_filter *f, enum ps_arch arch,
			  int native, const uint64_t args[6], char *buf,
			  size_t len)
{
	struct ps_action a =
		native < 0 ? f->default_action :
			     ps_filter_decide_arch(f, arch, native, args);
	char name[64], source[400];

	ps_rule_source(f, native, source, sizeof(source));
	snprintf(buf, len, "%s (%s)", ps_action_name(&a, name, sizeof(name)),
		 source);
}

void ps_complain_note(struct ps_complain *c, int listener,
		      const struct seccomp_notif *n)
{
	char call[PS_DECODE_MAX], comm[32], rule[512];
	enum ps_arch arch;
	uint64_t args[6];
	unsigned long h;
	unsigned int i;
	int native;

	c->total++;
	if (!ps_arch_of(n->data.arch, n->data.nr, &arch)) {
		c->unnamed++;
		return;
	}
	native = native_of(arch, n->data.nr);
	if (native >= c->nr_base && native < c->nr_base + (int)c->nr_range)
		c->per_nr[native - c->nr_base]++;
	else
		c->unnamed++;
	memcpy(args, n->data.args, sizeof(args));
	ps_decode_call(arch, n->data.nr, args, (pid_t)n->pid, call,
		       sizeof(call));
	ps_proc_comm(c->proc, (pid_t)n->pid, comm, sizeof(comm));
	/* read after the kernel says the caller still waits: else the pid may be another's */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &n->id) < 0) {
		ps_decode_call(arch, n->data.nr, args, PS_DECODE_NO_MEMORY,
			       call, sizeof(call));
		snprintf(comm, sizeof(comm), "?");
	}
	h = ps_hash_str(call);
	for (i = 0; i < c->n; i++)
		if (c->e[i].hash == h && !strcmp(c->e[i].call, call)) {
			c->e[i].count++;
			return;
		}
	if (c->n == PS_COMPLAIN_MAX_DISTINCT) {
		c->more++;
		return;
	}
	c->e[c->n].hash = h;
	c->e[c->n].call = xstrdup(call);
	c->e[c->n].count = 1;
	c->n++;
	describe_rule(c->f, arch, native, args, rule, sizeof(rule));
	fprintf(stderr, "%s: complain: pid %d (%s): %s would be refused: %s\n",
		ps_progname, n->pid, comm, call, rule);
	if (c->n == PS_COMPLAIN_MAX_DISTINCT)
		fprintf(stderr,
			"%s: complain: %d distinct calls named; later ones are only counted\n",
			ps_progname, PS_COMPLAIN_MAX_DISTINCT);
}

/*
 * The next syscall from *I on that would have been refused, its name in
 * *NAME (NULL if the table has none); false after the last.
 */
static bool next_refused(const struct ps_complain *c, unsigned int *i,
			 const char **name)
{
	for (; *i < c->nr_range; ++*i)
		if (c->per_nr[*i]) {
			*name = ps_syscall_name_arch(PS_ARCH_NATIVE,
						     c->nr_base + (int)*i);
			return true;
		}
	return false;
}

/*
 * The OCI profile the run was given, with one more entry that allows
 * what it refused: a profile whole, as --oci takes one alone.
 */
static void write_oci(const struct ps_complain *c)
{
	struct json_object *names = json_object_new_array(), *entry, *list;
	const char *name;
	unsigned int i;

	for (i = 0; next_refused(c, &i, &name); i++)
		if (name)
			json_object_array_add(names,
					      json_object_new_string(name));
	if (!json_object_object_get_ex(c->oci, "syscalls", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		list = json_object_new_array();
		json_object_object_add(c->oci, "syscalls", list);
	}
	entry = json_object_new_object();
	json_object_object_add(entry, "names", names);
	json_object_object_add(entry, "action",
			       json_object_new_string("SCMP_ACT_ALLOW"));
	json_object_object_add(
		entry, "comment",
		json_object_new_string(
			"pinscope run --complain: what the profile refused that the command made"));
	json_object_array_add(list, entry);
	fprintf(c->out, "%s\n",
		json_object_to_json_string_ext(
			c->oci, JSON_C_TO_STRING_PRETTY |
					JSON_C_TO_STRING_SPACED |
					JSON_C_TO_STRING_NOSLASHESCAPE));
}

/*
 * A systemd drop-in whose allow list adds what the policy refused: a
 * unit's later SystemCallFilter= assignments add to its list (or, after
 * a ~ deny list, take names off it); pinscope run --systemd takes the
 * value after the '='.
 */
static void write_systemd(const struct ps_complain *c)
{
	const char *name, *sep = "";
	unsigned int i;

	fprintf(c->out,
		"# pinscope run --complain: what the policy refused that the command made\n"
		"[Service]\nSystemCallFilter=");
	for (i = 0; next_refused(c, &i, &name); i++)
		if (name) {
			fprintf(c->out, "%s%s", sep, name);
			sep = " ";
		}
	fputc('\n', c->out);
}

/*
 * The rules in the policy's format: minijail's, which every pinscope
 * policy reads beside its own, or the OCI profile whole.
 */
static int write_rules(const struct ps_complain *c)
{
	const char *name;
	unsigned int i;

	if (c->oci)
		write_oci(c);
	else if (c->f->opt.complain_systemd)
		write_systemd(c);
	else
		fprintf(c->out,
			"# pinscope run --complain: the syscalls the policy refused that the\n"
			"# command made; with the policy, they run the same workload enforcing\n");
	for (i = 0; !c->oci && !c->f->opt.complain_systemd &&
		    next_refused(c, &i, &name);
	     i++)
		if (name)
			fprintf(c->out, "%s: 1\n", name);
	if (c->hook)
		c->hook->rules(c->hook->ctx, c->out,
			       c->oci ? PS_COMPLAIN_OCI :
			       c->f->opt.complain_systemd ?
					PS_COMPLAIN_SYSTEMD :
					PS_COMPLAIN_POLICY);
	if (fflush(c->out) == EOF || ferror(c->out)) {
		ps_warn("--complain-out: cannot write %s: %s", c->out_path,
			strerror(errno));
		return -1;
	}
	return 0;
}

int ps_complain_finish(struct ps_complain *c)
{
	unsigned int i, syscalls = 0;
	const char *sep = "", *name;

	for (i = 0; i < c->nr_range; i++)
		syscalls += c->per_nr[i] != 0;
	fprintf(stderr,
		"%s: complain: %lu call%s the policy refuses ran (%lu distinct, of %u syscall%s)",
		ps_progname, c->total, c->total == 1 ? "" : "s", c->n + c->more,
		syscalls, syscalls == 1 ? "" : "s");
	for (i = 0; next_refused(c, &i, &name); i++) {
		fprintf(stderr, "%s %s %lu", sep[0] ? sep : ":",
			name ? name : "?", c->per_nr[i]);
		sep = ",";
	}
	fputc('\n', stderr);
	if (c->more)
		fprintf(stderr,
			"%s: complain: %lu more distinct calls not named (the first %d are)\n",
			ps_progname, c->more, PS_COMPLAIN_MAX_DISTINCT);
	if (c->unnamed)
		fprintf(stderr,
			"%s: complain: %lu calls of an ABI or number without a name (no rule written for them)\n",
			ps_progname, c->unnamed);
	if (c->hook)
		c->hook->summary(c->hook->ctx);
	fprintf(stderr,
		"%s: complain mode is not confinement: every call above ran\n",
		ps_progname);
	return c->out ? write_rules(c) : 0;
}

void ps_complain_free(struct ps_complain *c)
{
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		free(c->e[i].call);
	if (c->out)
		fclose(c->out);
	json_object_put(c->oci);
	free(c->per_nr);
	free(c);
}
