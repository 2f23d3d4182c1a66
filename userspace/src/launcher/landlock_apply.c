// SPDX-License-Identifier: GPL-2.0-only
/*
 * Landlock in the launchers: the kernel's ABI, and the ruleset built from
 * the policy's rules (model/landlock.c says what each ABI enforces). The
 * launcher builds the ruleset before it starts the command, so a path
 * that does not exist stops the run (exit 2) before anything of the
 * command runs; the command's child only calls landlock_restrict_self()
 * on it, after NoNewPrivs and before the seccomp filter, which may not
 * allow that call. Raw syscalls: glibc 2.36 has no wrappers.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernlog.h"
#include "landlock_apply.h"
#include "policy.h"

unsigned int ps_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);
	const char *cap = getenv("PINSCOPE_LANDLOCK_ABI");
	char *end;
	unsigned long lower;

	if (abi < 0)
		return 0; /* ENOSYS: not built; EOPNOTSUPP: disabled at boot */
	/* tests only (pinscope(1)): how a kernel of a lower ABI is treated */
	if (cap && *cap >= '0' && *cap <= '9') {
		lower = strtoul(cap, &end, 10);
		if (!*end && lower < (unsigned long)abi)
			abi = (long)lower;
	}
	return (unsigned int)abi;
}

/* "p.policy:3:4: error: Landlock path '/x': WHY", or "--ro /x: WHY" */
static void say_rule(const struct ps_landlock_path *p, const char *why)
{
	char where[200];

	if (p->loc.line) {
		ps_error_at(&p->loc, "Landlock path '%s': %s", p->path, why);
		return;
	}
	ps_landlock_path_where(p, where, sizeof(where));
	ps_warn("%s: %s", where, why);
}

static void say_rule_error(const struct ps_landlock_path *p, int err)
{
	say_rule(p, strerror(err));
}

/*
 * P's path opened, for its rule: -1 after a message if it goes through
 * another user's symlink, or if it resolved (FD) otherwise than it does
 * now, a symlink swapped in and out around the open.
 */
static int open_rule_path(const struct ps_landlock_path *p)
{
	char link[PATH_MAX], now[PATH_MAX], opened[PATH_MAX], self[32];
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS };
	uid_t owner;
	ssize_t n;
	int fd;

	/*
	 * Opened without a symlink on the way, there is none of another
	 * user's and none swapped in: most rules are such paths, and the
	 * walk below costs two syscalls a component (a quarter of a
	 * millisecond for twenty rules). Any failure (a symlink, ELOOP; a
	 * kernel before 5.6) takes the walk.
	 */
	fd = (int)syscall(SYS_openat2, AT_FDCWD, p->path, &how, sizeof(how));
	if (fd >= 0)
		return fd;
	fd = open(p->path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -1;
	owner = ps_landlock_foreign_symlink(p->path, link, sizeof(link));
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	n = readlink(self, opened, sizeof(opened) - 1);
	if (n > 0)
		opened[n] = '\0';
	if (owner || n <= 0 || !realpath(p->path, now) || strcmp(now, opened)) {
		char why[PATH_MAX + 100];

		if (owner)
			snprintf(
				why, sizeof(why),
				"%s is a symlink of uid %u, who could point the rule anywhere: name its target",
				link, (unsigned int)owner);
		else
			snprintf(
				why, sizeof(why),
				"changed while it was being opened (a symlink swapped in and out)");
		say_rule(p, why);
		close(fd);
		errno = 0;
		return -1;
	}
	return fd;
}

static int add_path(int ruleset, const struct ps_landlock_plan *plan,
		    const struct ps_landlock_path *p)
{
	struct landlock_path_beneath_attr attr = { 0 };
	struct stat st;
	int fd, ret;

	fd = open_rule_path(p);
	if (fd < 0 && p->optional && errno == ENOENT)
		return 0;
	if (fd < 0 && !errno)
		return -1; /* said */
	if (fd < 0 || fstat(fd, &st) < 0) {
		say_rule_error(p, errno);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	attr.parent_fd = fd;
	attr.allowed_access =
		ps_landlock_path_access(plan, p, S_ISDIR(st.st_mode));
	ret = 0;
	if (attr.allowed_access &&
	    syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH,
		    &attr, 0) < 0) {
		say_rule_error(p, errno);
		ret = -1;
	}
	close(fd);
	return ret;
}

static int add_port(int ruleset, const struct ps_landlock_plan *plan,
		    const struct ps_landlock_port *p)
{
	struct ps_landlock_net_port_attr attr = {
		.allowed_access = ps_landlock_port_access(plan, p),
		.port = p->port,
	};

	if (!attr.allowed_access ||
	    !syscall(SYS_landlock_add_rule, ruleset, PS_LANDLOCK_RULE_NET_PORT,
		     &attr, 0))
		return 0;
	ps_warn("Landlock port rule %u: %s", p->port, strerror(errno));
	return -1;
}

void ps_landlock_say_drops(const struct ps_landlock_plan *plan)
{
	unsigned int i;

	for (i = 0; i < plan->n_drops; i++) {
		const struct ps_landlock_drop *d = &plan->drops[i];

		if (d->n_rules > 1)
			ps_warn("landlock: kernel ABI %u < %u: %s %s; asked by %s (and %u more rules)",
				plan->abi, d->abi, d->what, d->effect, d->rule,
				d->n_rules - 1);
		else
			ps_warn("landlock: kernel ABI %u < %u: %s %s; asked by %s",
				plan->abi, d->abi, d->what, d->effect, d->rule);
	}
}

int ps_landlock_build(const struct ps_landlock *ll, int *fd,
		      unsigned int *flags)
{
	struct ps_landlock_plan plan;
	unsigned int i;
	int ruleset;

	*fd = -1;
	*flags = 0;
	if (!ll || (!ps_landlock_any(ll) && !ll->min_abi))
		return 0;
	ps_landlock_plan(ll, ps_landlock_abi(), &plan);
	if (ll->min_abi > plan.abi) {
		char where[160];

		if (ll->min_abi_loc.line)
			snprintf(where, sizeof(where),
				 "%s:%u: @landlock min-abi %u",
				 ll->min_abi_loc.file, ll->min_abi_loc.line,
				 ll->min_abi);
		else
			snprintf(where, sizeof(where), "--landlock-min-abi %u",
				 ll->min_abi);
		ps_warn("landlock: this kernel's Landlock ABI is %u, below the %u that %s asks for: not starting the command",
			plan.abi, ll->min_abi, where);
		return -1;
	}
	ps_landlock_say_drops(&plan);
	if (!plan.abi || !ps_landlock_any(ll))
		return 0;
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &plan.attr,
			       sizeof(plan.attr), 0);
	if (ruleset < 0) {
		ps_warn("landlock_create_ruleset: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < ll->n_paths; i++)
		if (add_path(ruleset, &plan, &ll->paths[i]) < 0)
			goto fail;
	for (i = 0; i < ll->n_ports; i++)
		if (add_port(ruleset, &plan, &ll->ports[i]) < 0)
			goto fail;
	*fd = ruleset;
	*flags = plan.restrict_flags;
	return 0;
fail:
	close(ruleset);
	return -1;
}

/* what a refused right is for, where the record does not name the call */
static const char *what_for(const char *blockers)
{
	static const struct {
		const char *right, *what;
	} rights[] = {
		{ "fs.execute", "an execve" },
		{ "fs.write_file", "an open for writing" },
		{ "fs.read_file", "an open for reading" },
		{ "fs.read_dir", "a directory listing" },
		{ "fs.remove_", "an unlink or rmdir" },
		{ "fs.make_",
		  "a create (open O_CREAT, mkdir, mknod, symlink)" },
		{ "fs.refer", "a rename or link to another directory" },
		{ "fs.truncate", "a truncate" },
		{ "fs.ioctl_dev", "an ioctl on a device" },
		{ "net.bind_tcp", "a bind" },
		{ "net.connect_tcp", "a connect" },
		{ "scope.signal", "a signal out of the sandbox" },
		{ "scope.abstract_unix_socket",
		  "a connect to an abstract UNIX socket out of the sandbox" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rights); i++)
		if (!strncmp(blockers, rights[i].right,
			     strlen(rights[i].right)))
			return rights[i].what;
	return "an access";
}

unsigned int ps_landlock_name_denials(pid_t maker, const char *cmd)
{
	struct ps_landlock_record recs[32], r;
	unsigned long long ours[8];
	unsigned int n = 0, n_ours = 0, i, j, named = 0;

	while (ps_kernlog_landlock_next(&r) == 1) {
		if (r.type == PS_AUDIT_LANDLOCK_DOMAIN) {
			if (r.pid == maker && n_ours < ARRAY_SIZE(ours))
				ours[n_ours++] = r.domain;
		} else if (n < ARRAY_SIZE(recs)) {
			recs[n++] = r;
		}
	}
	for (i = 0; i < n; i++) {
		const struct ps_landlock_record *a = &recs[i];
		const char *call = NULL;

		if (a->type != PS_AUDIT_LANDLOCK_ACCESS)
			continue;
		for (j = 0; j < n_ours && ours[j] != a->domain; j++)
			;
		if (j == n_ours)
			continue;
		/* the SYSCALL record of the same event, if the kernel wrote one */
		for (j = i + 1; j < n; j++)
			if (recs[j].type != PS_AUDIT_LANDLOCK_ACCESS &&
			    recs[j].serial == a->serial) {
				call = ps_syscall_name(recs[j].nr);
				break;
			}
		if (call)
			ps_warn("landlock refused %s's %s: %s %s", cmd, call,
				a->blockers, a->object);
		else
			ps_warn("landlock refused %s %s: %s %s", cmd,
				what_for(a->blockers), a->blockers, a->object);
		named++;
	}
	return named;
}

void ps_landlock_say_unnamed(const char *cmd, bool logs, bool readable)
{
	const char *why =
		!logs ? "this kernel's Landlock (ABI below 7) logs no denial" :
		!readable ?
			"its records cannot be read here (as root, or with kernel.dmesg_restrict=0)" :
			"none was logged (none happened, or audit is off: no auditd, no audit=1)";

	ps_warn("landlock: %s failed; no Landlock denial of it can be named: %s. A refused file or port shows as the program's own EACCES (EPERM for a scope); pinscope learn --fs --net shows what it uses",
		cmd, why);
}
