// SPDX-License-Identifier: GPL-2.0-only
/*
 * run --complain with Landlock rules (complain_landlock.h).
 *
 * The launcher applies none of the rules. The filter sends it the file
 * and network calls whatever the policy decides of them (the compiler's
 * notify option), and each is shown here while its caller waits: learn
 * --fs --net's reader (learn_landlock.c) resolves the path as the kernel
 * is about to (through /proc/PID/root, cwd or the dirfd) and says what
 * it is used for, the model says which of the rights that takes no rule
 * grants on it, for the rights this kernel's ABI enforces
 * (ps_landlock_refused()). Such a use is named once on stderr, counted,
 * and kept, so that --complain-out writes the rules learn would write
 * for the refused uses alone.
 *
 * It runs in the confined launcher (confine_launcher.c), which may open
 * O_PATH under /proc and read sockets' protocols for it, nothing more.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "complain_landlock.h"
#include "landlock_apply.h"
#include "learn_landlock.h"
#include "syscalls.h"

/* the rights that change a directory: a use of them is "in" it */
#define DIR_CHANGES                                                       \
	(LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE | \
	 LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |     \
	 LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |     \
	 LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |   \
	 LANDLOCK_ACCESS_FS_MAKE_SYM | LANDLOCK_ACCESS_FS_REFER)

struct refused {
	unsigned long hash;
	char *what;
};

struct ps_complain_landlock {
	struct ps_landlock_grants g;
	struct ps_fsnet *fsnet;
	struct ps_complain_hook hook;
	int *notify;
	unsigned int n_notify, cap_notify;
	bool scope_signal;
	/* the call being checked */
	const struct seccomp_notif *n;
	int listener;
	const char *call;
	/* the distinct uses named, and how many were refused in all */
	struct refused *seen;
	unsigned int n_seen, cap_seen;
	unsigned long total, more;
	bool signal_refused;
};

/*
 * Does the caller still wait? Its memory and /proc entries were read
 * before: else its pid may be another process's by now, and what was
 * read that process's.
 */
static bool still_waits(const struct ps_complain_landlock *c)
{
	return ioctl(c->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &c->n->id) == 0;
}

/* WHAT ("read_file of /etc/x") would be refused, WHY: counted, named once. */
static void refuse(struct ps_complain_landlock *c, const char *what,
		   const char *why)
{
	unsigned long h = ps_hash_str(what);
	char comm[32];
	unsigned int i;

	c->total++;
	for (i = 0; i < c->n_seen; i++)
		if (c->seen[i].hash == h && !strcmp(c->seen[i].what, what))
			return;
	if (c->n_seen == PS_COMPLAIN_MAX_DISTINCT) {
		c->more++;
		return;
	}
	PS_PUSH(c->seen, c->n_seen, c->cap_seen);
	c->seen[c->n_seen].hash = h;
	c->seen[c->n_seen++].what = xstrdup(what);
	ps_proc_comm(c->hook.proc, (pid_t)c->n->pid, comm, sizeof(comm));
	fprintf(stderr,
		"%s: complain: pid %d (%s): landlock: %s would be refused (%s): %s\n",
		ps_progname, c->n->pid, comm, what, c->call, why);
}

static bool check_path(void *ctx, const char *path, mode_t type, uint64_t need)
{
	struct ps_complain_landlock *c = ctx;
	uint64_t refused = ps_landlock_refused(&c->g, path, need);
	char names[256], *what;

	(void)type;
	if (!refused || !still_waits(c))
		return false;
	ps_landlock_fs_names(refused, names, sizeof(names));
	what = xasprintf("%s %s %s", names, refused & DIR_CHANGES ? "in" : "of",
			 path);
	refuse(c, what, "no rule grants it");
	free(what);
	return true;
}

static bool check_port(void *ctx, pid_t pid, int fd, uint64_t access,
		       uint16_t port)
{
	struct ps_complain_landlock *c = ctx;
	char file[48], proto[16], what[64];
	ssize_t n;

	if (!ps_landlock_port_refused(&c->g, access, port))
		return false;
	/* Landlock's port rules are TCP's: a UDP socket's port is not asked */
	snprintf(file, sizeof(file), "/proc/%d/fd/%d", (int)pid, fd);
	n = getxattr(file, "system.sockprotoname", proto, sizeof(proto) - 1);
	if (n > 0) {
		proto[n] = '\0';
		if (strcmp(proto, "TCP") && strcmp(proto, "TCPv6"))
			return false;
	}
	if (!still_waits(c))
		return false;
	snprintf(what, sizeof(what), "%s port %u",
		 access == LANDLOCK_ACCESS_NET_BIND_TCP ? "bind_tcp on" :
							  "connect_tcp to",
		 port);
	refuse(c, what,
	       n > 0 ? "no rule allows it" :
		       "no rule allows it, if the socket is TCP (its protocol could not be read)");
	return true;
}

/* kill, tgkill to TARGET: outside the sandbox, with the signal scope? */
static bool check_signal(void *ctx, pid_t target)
{
	struct ps_complain_landlock *c = ctx;
	pid_t launcher = getpid();
	char what[64];

	/* the sandbox: the launcher's descendants (it is their subreaper) */
	if (!c->scope_signal ||
	    (target != launcher &&
	     ps_proc_descends(c->hook.proc, target, launcher) != 0) ||
	    !still_waits(c))
		return false;
	snprintf(what, sizeof(what), "a signal to pid %d, outside the sandbox",
		 (int)target);
	refuse(c, what, "scope signal");
	c->signal_refused = true;
	return true;
}

static void on_call(void *ctx, int listener, const struct seccomp_notif *n,
		    int native)
{
	struct ps_complain_landlock *c = ctx;
	enum ps_arch arch;
	uint64_t args[6];

	/* the reader knows the native calls' arguments */
	if (native < 0 || !ps_arch_of(n->data.arch, n->data.nr, &arch) ||
	    arch != PS_ARCH_NATIVE || !ps_fsnet_watches(c->fsnet, native))
		return;
	c->n = n;
	c->listener = listener;
	c->call = ps_syscall_name(native);
	memcpy(args, n->data.args, sizeof(args));
	ps_fsnet_call(c->fsnet, (pid_t)n->pid, native, args, check_signal, c);
}

static void summary(void *ctx)
{
	struct ps_complain_landlock *c = ctx;

	fprintf(stderr,
		"%s: complain: %lu use%s of files, ports or signals the Landlock rules refuse ran (%u distinct)\n",
		ps_progname, c->total, c->total == 1 ? "" : "s",
		c->n_seen + (unsigned int)c->more);
	if (c->more)
		fprintf(stderr,
			"%s: complain: %lu more distinct uses the Landlock rules refuse not named (the first %d are)\n",
			ps_progname, c->more, PS_COMPLAIN_MAX_DISTINCT);
}

/*
 * The rules that grant the refused uses, placed as learn places them:
 * as @landlock lines after the syscalls' in the policy language; an OCI
 * profile and a systemd drop-in have no Landlock rules, so they are
 * said on stderr instead.
 */
static void rules(void *ctx, FILE *out, enum ps_complain_format format)
{
	struct ps_complain_landlock *c = ctx;
	struct ps_landlock add = { 0 };
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *mem;

	if (!c->total)
		return;
	ps_fsnet_rules(c->fsnet, &add);
	/* only what grants: learn's scopes and no-tcp are not the run's to add */
	add.scoped = 0;
	add.tcp = add.n_ports > 0;
	if (format == PS_COMPLAIN_POLICY) {
		fputs("# pinscope run --complain: what the Landlock rules refused that the\n"
		      "# command used; with the policy's rules, they let the same workload run\n",
		      out);
		ps_landlock_write(out, &add);
		if (c->signal_refused)
			fputs("# a signal out of the sandbox: take signal off the policy's @landlock scope\n",
			      out);
		ps_landlock_free(&add);
		return;
	}
	mem = open_memstream(&text, &len);
	if (mem) {
		ps_landlock_write(mem, &add);
		fclose(mem);
	}
	ps_warn("complain: --complain-out: %s has no Landlock rules: left out of it, the rules that would grant what Landlock refused:",
		format == PS_COMPLAIN_OCI ?
			"an OCI profile" :
			"a systemd SystemCallFilter= drop-in");
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		if (line[0] != '#')
			ps_warn("complain:   %s", line);
	if (c->signal_refused)
		ps_warn("complain:   (and no @landlock scope signal)");
	free(text);
	ps_landlock_free(&add);
}

struct ps_complain_landlock *
ps_complain_landlock_new(const struct ps_landlock *ll)
{
	struct ps_complain_landlock *c = xcalloc(1, sizeof(*c));
	int base, nr;
	unsigned int i, range = ps_syscall_range(PS_ARCH_NATIVE, &base);
	bool fs, net;

	ps_landlock_grants_init(&c->g, ll, ps_landlock_abi());
	fs = c->g.plan.attr.handled_access_fs != 0;
	net = c->g.plan.attr.handled_access_net != 0;
	c->scope_signal = c->g.plan.attr.scoped & LANDLOCK_SCOPE_SIGNAL;
	if (!fs && !net && !c->scope_signal) {
		ps_landlock_grants_free(&c->g);
		free(c);
		return NULL;
	}
	c->fsnet = ps_fsnet_new(fs, net);
	ps_fsnet_set_check(c->fsnet, &(struct ps_fsnet_check){
					     .path = check_path,
					     .port = check_port,
					     .ctx = c,
				     });
	/* the calls it reads, of the kinds of rights this kernel handles */
	for (i = 0; i < range; i++) {
		enum ps_fsnet_kind kind;

		nr = base + (int)i;
		kind = ps_fsnet_kind(c->fsnet, nr);
		if (kind == PS_FSNET_NONE || (kind == PS_FSNET_PATH && !fs) ||
		    (kind == PS_FSNET_PORT && !net) ||
		    (kind == PS_FSNET_SIGNAL && !c->scope_signal))
			continue;
		PS_PUSH(c->notify, c->n_notify, c->cap_notify);
		c->notify[c->n_notify++] = nr;
	}
	c->hook = (struct ps_complain_hook){
		.call = on_call,
		.summary = summary,
		.rules = rules,
		.ctx = c,
		.proc = ps_fsnet_proc(c->fsnet),
	};
	return c;
}

void ps_complain_landlock_free(struct ps_complain_landlock *c)
{
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < c->n_seen; i++)
		free(c->seen[i].what);
	free(c->seen);
	free(c->notify);
	ps_fsnet_free(c->fsnet);
	ps_landlock_grants_free(&c->g);
	free(c);
}

void ps_complain_landlock_options(const struct ps_complain_landlock *c,
				  struct ps_filter_options *o)
{
	o->notify = c->notify;
	o->n_notify = c->n_notify;
}

const struct ps_complain_hook *
ps_complain_landlock_hook(struct ps_complain_landlock *c)
{
	return &c->hook;
}
