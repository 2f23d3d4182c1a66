// SPDX-License-Identifier: GPL-2.0-only
/*
 * Landlock rules and what each Landlock ABI enforces of them (landlock.h).
 * Which rights an ABI handles, and how REFER and TRUNCATE are treated on
 * a kernel that lacks them, follow the kernel's samples/landlock/sandboxer.c:
 * a right the kernel does not know is left out of the ruleset (so it is
 * not enforced) and, here, named.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "landlock.h"

/*
 * The words of @landlock and of run's options, in the order the messages
 * list them: the policy reader, the options and learn's writer read them
 * here, so that a word is spelt once.
 */
static const struct ps_landlock_word words[] = {
	{ "ro", PS_LL_PATHS, PS_LL_READ },
	{ "rox", PS_LL_PATHS, PS_LL_READ | PS_LL_EXEC },
	{ "rw", PS_LL_PATHS, PS_LL_READ | PS_LL_WRITE },
	{ "rwx", PS_LL_PATHS, PS_LL_READ | PS_LL_WRITE | PS_LL_EXEC },
	{ "ioctl-dev", PS_LL_PATHS, LANDLOCK_ACCESS_FS_IOCTL_DEV },
	/* a directory listed, nothing in it read (what learn writes for one) */
	{ "list", PS_LL_PATHS, LANDLOCK_ACCESS_FS_READ_DIR },
	{ "bind-tcp", PS_LL_PORTS, LANDLOCK_ACCESS_NET_BIND_TCP },
	{ "connect-tcp", PS_LL_PORTS, LANDLOCK_ACCESS_NET_CONNECT_TCP },
	{ "scope", PS_LL_SCOPES, 0 },
	{ "min-abi", PS_LL_MIN_ABI, 0 },
	{ "no-tcp", PS_LL_NO_TCP, 0 },
};

/* the kernel's names of the rights (security/landlock/audit.c) */
static const char *const fs_names[] = {
	"execute",    "write_file",  "read_file", "read_dir",
	"remove_dir", "remove_file", "make_char", "make_dir",
	"make_reg",   "make_sock",   "make_fifo", "make_block",
	"make_sym",   "refer",	     "truncate",  "ioctl_dev",
};

void ps_landlock_free(struct ps_landlock *ll)
{
	unsigned int i;

	for (i = 0; i < ll->n_paths; i++)
		free(ll->paths[i].path);
	free(ll->paths);
	free(ll->ports);
	memset(ll, 0, sizeof(*ll));
}

bool ps_landlock_any(const struct ps_landlock *ll)
{
	return ll->n_paths || ll->tcp || ll->scoped;
}

const struct ps_landlock_word *ps_landlock_word(const char *word)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(word, words[i].word))
			return &words[i];
	return NULL;
}

void ps_landlock_words(char *buf, size_t size)
{
	size_t at = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(words) && at < size; i++)
		at += (size_t)snprintf(buf + at, size - at, "%s%s",
				       i ? ", " : "", words[i].word);
}

const char *ps_landlock_path_word(uint64_t access)
{
	const char *best = NULL;
	int fewest = 65;
	unsigned int i;

	access &= ~(uint64_t)LANDLOCK_ACCESS_FS_IOCTL_DEV;
	for (i = 0; access && i < ARRAY_SIZE(words); i++) {
		int n = __builtin_popcountll(words[i].access);

		if (words[i].type == PS_LL_PATHS &&
		    (words[i].access & access) == access && n < fewest) {
			best = words[i].word;
			fewest = n;
		}
	}
	return best;
}

bool ps_landlock_path_kind(const char *kind, uint64_t *access,
			   const char **name)
{
	const struct ps_landlock_word *w = ps_landlock_word(kind);

	if (!w || w->type != PS_LL_PATHS)
		return false;
	*access = w->access;
	*name = w->word;
	return true;
}

bool ps_landlock_port_kind(const char *kind, uint64_t *access)
{
	const struct ps_landlock_word *w = ps_landlock_word(kind);

	if (!w || w->type != PS_LL_PORTS)
		return false;
	*access = w->access;
	return true;
}

bool ps_landlock_scope_name(const char *name, uint64_t *scope)
{
	if (!strcmp(name, "abstract-unix-socket"))
		*scope = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
	else if (!strcmp(name, "signal"))
		*scope = LANDLOCK_SCOPE_SIGNAL;
	else
		return false;
	return true;
}

void ps_landlock_add_path(struct ps_landlock *ll, const char *kind,
			  const char *path, const struct ps_loc *loc)
{
	struct ps_landlock_path *p;
	uint64_t access = 0;
	const char *name = NULL;

	if (!ps_landlock_path_kind(kind, &access, &name))
		return;
	PS_PUSH(ll->paths, ll->n_paths, ll->cap_paths);
	p = &ll->paths[ll->n_paths++];
	p->optional = path[0] == '?';
	p->path = xstrdup(path + p->optional);
	p->access = access;
	p->kind = name;
	p->loc = *loc;
}

void ps_landlock_add_port(struct ps_landlock *ll, uint64_t access,
			  uint16_t port, const struct ps_loc *loc)
{
	PS_PUSH(ll->ports, ll->n_ports, ll->cap_ports);
	ll->ports[ll->n_ports].port = port;
	ll->ports[ll->n_ports].access = access;
	ll->ports[ll->n_ports++].loc = *loc;
	ps_landlock_restrict_tcp(ll, loc);
}

void ps_landlock_add_scope(struct ps_landlock *ll, uint64_t scope,
			   const struct ps_loc *loc)
{
	unsigned int i = scope == LANDLOCK_SCOPE_SIGNAL;

	if (!(ll->scoped & scope))
		ll->scope_loc[i] = *loc;
	ll->scoped |= scope;
}

void ps_landlock_restrict_tcp(struct ps_landlock *ll, const struct ps_loc *loc)
{
	if (!ll->tcp)
		ll->tcp_loc = *loc;
	ll->tcp = true;
}

int ps_landlock_parse_port(const char *s)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 65535)
		return -1;
	return (int)v;
}

int ps_landlock_parse_min_abi(const char *s)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || !v || v > 1000)
		return -1;
	return (int)v;
}

int ps_landlock_parse_scopes(const char *list, uint64_t *scopes,
			     const char **bad, size_t *bad_len)
{
	const char *s = list;

	*scopes = 0;
	for (;;) {
		size_t n = strcspn(s, ",");
		char word[32];
		uint64_t one;

		snprintf(word, sizeof(word), "%.*s", (int)n, s);
		if (n >= sizeof(word) || !ps_landlock_scope_name(word, &one)) {
			*bad = s;
			*bad_len = n;
			return -1;
		}
		*scopes |= one;
		if (!s[n])
			return 0;
		s += n + 1;
	}
}

uint64_t ps_landlock_fs_rights(unsigned int abi)
{
	uint64_t r = 0;

	if (abi >= 1)
		r = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;
	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		r |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		r |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return r;
}

uint64_t ps_landlock_net_rights(unsigned int abi)
{
	return abi >= 4 ? LANDLOCK_ACCESS_NET_BIND_TCP |
				  LANDLOCK_ACCESS_NET_CONNECT_TCP :
			  0;
}

uint64_t ps_landlock_scopes(unsigned int abi)
{
	return abi >= 6 ? LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
				  LANDLOCK_SCOPE_SIGNAL :
			  0;
}

static void where(const struct ps_loc *loc, const char *what, char *buf,
		  size_t len)
{
	if (loc->line)
		snprintf(buf, len, "%s:%u: %s", loc->file, loc->line, what);
	else
		snprintf(buf, len, "--%s", what);
}

void ps_landlock_path_where(const struct ps_landlock_path *p, char *buf,
			    size_t len)
{
	char what[128];

	snprintf(what, sizeof(what), "%s %s%s", p->kind, p->optional ? "?" : "",
		 p->path);
	where(&p->loc, what, buf, len);
}

void ps_landlock_fs_names(uint64_t access, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(fs_names); i++)
		if (access & (1ULL << i) && used < len)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", fs_names[i]);
}

/* A dropped class: WHAT, which ABI enforces it, the first rule that asked. */
static struct ps_landlock_drop *drop(struct ps_landlock_plan *plan,
				     const char *what, unsigned int abi,
				     const char *effect)
{
	struct ps_landlock_drop *d = &plan->drops[plan->n_drops++];

	d->what = what;
	d->abi = abi;
	d->effect = effect;
	d->rule[0] = '\0';
	d->n_rules = 0;
	return d;
}

/* Names in D the path rules asking for ACCESS (or, with none, every fs rule). */
static void drop_paths(struct ps_landlock_drop *d, const struct ps_landlock *ll,
		       uint64_t access)
{
	unsigned int i;

	for (i = 0; i < ll->n_paths; i++)
		if (ll->paths[i].access & access && d->n_rules++ == 0)
			ps_landlock_path_where(&ll->paths[i], d->rule,
					       sizeof(d->rule));
	if (d->n_rules)
		return;
	/* the right is denied by the ruleset as a whole: every rule speaks */
	d->n_rules = ll->n_paths;
	ps_landlock_path_where(&ll->paths[0], d->rule, sizeof(d->rule));
}

static void drop_ports(struct ps_landlock_drop *d, const struct ps_landlock *ll,
		       uint64_t access, const char *kind)
{
	char what[32];
	unsigned int i;

	for (i = 0; i < ll->n_ports; i++)
		if (ll->ports[i].access & access && d->n_rules++ == 0) {
			snprintf(what, sizeof(what), "%s %u", kind,
				 ll->ports[i].port);
			where(&ll->ports[i].loc, what, d->rule,
			      sizeof(d->rule));
		}
	if (d->n_rules)
		return;
	/* restricted because another kind of port, or none, was named */
	d->n_rules = 1;
	if (ll->n_ports) {
		snprintf(what, sizeof(what), "%s %u",
			 ll->ports[0].access == LANDLOCK_ACCESS_NET_BIND_TCP ?
				 "bind-tcp" :
				 "connect-tcp",
			 ll->ports[0].port);
		where(&ll->ports[0].loc, what, d->rule, sizeof(d->rule));
	} else {
		where(&ll->tcp_loc, "no-tcp", d->rule, sizeof(d->rule));
	}
}

static void drop_scope(struct ps_landlock_plan *plan,
		       const struct ps_landlock *ll, uint64_t scope,
		       const char *name)
{
	struct ps_landlock_drop *d;
	char what[48];

	if (!(ll->scoped & scope))
		return;
	d = drop(plan,
		 scope == LANDLOCK_SCOPE_SIGNAL ? "scope signal" :
						  "scope abstract-unix-socket",
		 6, "not enforced");
	d->n_rules = 1;
	snprintf(what, sizeof(what), "scope %s", name);
	where(&ll->scope_loc[scope == LANDLOCK_SCOPE_SIGNAL], what, d->rule,
	      sizeof(d->rule));
}

/*
 * The drops, lowest ABI first: what sandboxer.c takes out of the ruleset
 * attribute for a kernel below each ABI, said.
 */
static void plan_drops(struct ps_landlock_plan *plan,
		       const struct ps_landlock *ll, unsigned int abi)
{
	bool fs = ll->n_paths > 0;

	if (abi == 0) {
		struct ps_landlock_drop *d = drop(
			plan, "every Landlock rule", 1,
			"not enforced (no Landlock in this kernel, or disabled at boot)");

		if (fs) {
			drop_paths(d, ll, ~0ULL);
		} else if (ll->tcp) {
			drop_ports(d, ll, ~0ULL, "tcp");
		} else { /* scopes alone */
			bool sig = !(ll->scoped &
				     LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET);

			d->n_rules =
				ll->scoped == (LANDLOCK_SCOPE_SIGNAL |
					       LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET) ?
					2 :
					1;
			where(&ll->scope_loc[sig],
			      sig ? "scope signal" :
				    "scope abstract-unix-socket",
			      d->rule, sizeof(d->rule));
		}
		return;
	}
	/* ABI 1 refuses every rename and link across directories */
	if (fs && abi < 2)
		drop_paths(drop(plan,
				"rename or link across directories (refer)", 2,
				"refused everywhere (ABI 1 refuses every one)"),
			   ll, LANDLOCK_ACCESS_FS_REFER);
	if (fs && abi < 3)
		drop_paths(
			drop(plan, "truncate", 3,
			     "not enforced (truncate(2) and O_TRUNC allowed everywhere)"),
			ll, LANDLOCK_ACCESS_FS_TRUNCATE);
	if (ll->tcp && abi < 4) {
		drop_ports(drop(plan, "TCP bind", 4, "not enforced"), ll,
			   LANDLOCK_ACCESS_NET_BIND_TCP, "bind-tcp");
		drop_ports(drop(plan, "TCP connect", 4, "not enforced"), ll,
			   LANDLOCK_ACCESS_NET_CONNECT_TCP, "connect-tcp");
	}
	if (fs && abi < 5)
		drop_paths(drop(plan, "ioctl on devices", 5,
				"not enforced (ioctl allowed on every device)"),
			   ll, LANDLOCK_ACCESS_FS_IOCTL_DEV);
	if (abi < 6) {
		drop_scope(plan, ll, LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
			   "abstract-unix-socket");
		drop_scope(plan, ll, LANDLOCK_SCOPE_SIGNAL, "signal");
	}
}

void ps_landlock_plan(const struct ps_landlock *ll, unsigned int abi,
		      struct ps_landlock_plan *out)
{
	memset(out, 0, sizeof(*out));
	out->abi = abi;
	if (!ps_landlock_any(ll))
		return;
	if (ll->n_paths)
		out->attr.handled_access_fs = ps_landlock_fs_rights(abi);
	if (ll->tcp)
		out->attr.handled_access_net = ps_landlock_net_rights(abi);
	out->attr.scoped = ll->scoped & ps_landlock_scopes(abi);
	/* the command's denials logged after its exec too, to be named */
	if (abi >= 7)
		out->restrict_flags = LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON;
	plan_drops(out, ll, abi);
}

uint64_t ps_landlock_path_access(const struct ps_landlock_plan *plan,
				 const struct ps_landlock_path *p, bool is_dir)
{
	uint64_t a = p->access & plan->attr.handled_access_fs;

	return is_dir ? a : a & PS_LL_FILE_RIGHTS;
}

uint64_t ps_landlock_port_access(const struct ps_landlock_plan *plan,
				 const struct ps_landlock_port *p)
{
	return p->access & plan->attr.handled_access_net;
}

void ps_landlock_grants_init(struct ps_landlock_grants *g,
			     const struct ps_landlock *ll, unsigned int abi)
{
	unsigned int i, cap = 0;

	memset(g, 0, sizeof(*g));
	g->ll = ll;
	ps_landlock_plan(ll, abi, &g->plan);
	for (i = 0; i < ll->n_paths; i++) {
		struct ps_landlock_grant *r;
		char real[PATH_MAX];
		struct stat st;

		if (!realpath(ll->paths[i].path, real) || stat(real, &st))
			continue;
		PS_PUSH(g->paths, g->n_paths, cap);
		r = &g->paths[g->n_paths++];
		r->path = xstrdup(real);
		r->is_dir = S_ISDIR(st.st_mode);
		r->access = ps_landlock_path_access(&g->plan, &ll->paths[i],
						    r->is_dir);
	}
}

void ps_landlock_grants_free(struct ps_landlock_grants *g)
{
	unsigned int i;

	for (i = 0; i < g->n_paths; i++)
		free(g->paths[i].path);
	free(g->paths);
	memset(g, 0, sizeof(*g));
}

uint64_t ps_landlock_refused(const struct ps_landlock_grants *g,
			     const char *path, uint64_t need)
{
	uint64_t granted = 0;
	unsigned int i;

	need &= g->plan.attr.handled_access_fs;
	for (i = 0; need & ~granted && i < g->n_paths; i++) {
		const struct ps_landlock_grant *r = &g->paths[i];

		if (r->is_dir ? ps_path_beneath(path, r->path) :
				!strcmp(path, r->path))
			granted |= r->access;
	}
	return need & ~granted;
}

bool ps_landlock_port_refused(const struct ps_landlock_grants *g,
			      uint64_t access, uint16_t port)
{
	unsigned int i;

	if (!(access & g->plan.attr.handled_access_net))
		return false;
	for (i = 0; i < g->ll->n_ports; i++)
		if (g->ll->ports[i].port == port &&
		    ps_landlock_port_access(&g->plan, &g->ll->ports[i]) &
			    access)
			return false;
	return true;
}

/*
 * In a shared directory (/tmp) the owner of a symlink could point a rule,
 * and so the command's rights, at any file of ours; fs.protected_symlinks
 * stops this only where it is set, and only in sticky directories.
 */
uid_t ps_landlock_foreign_symlink(const char *path, char *link, size_t len)
{
	size_t i, n = strlen(path);
	uid_t me = geteuid();
	struct stat st;

	for (i = 1; i <= n && i < len; i++) {
		if (i < n && path[i] != '/')
			continue;
		snprintf(link, len, "%.*s", (int)i, path);
		if (!lstat(link, &st) && S_ISLNK(st.st_mode) && st.st_uid &&
		    st.st_uid != me)
			return st.st_uid;
	}
	return 0;
}

static void print_drop_rights(FILE *out, uint64_t dropped)
{
	char names[256];

	if (!dropped) {
		fputs("holds\n", out);
		return;
	}
	ps_landlock_fs_names(dropped, names, sizeof(names));
	fprintf(out, "holds without %s (dropped)\n", names);
}

void ps_landlock_print(FILE *out, const struct ps_landlock *ll,
		       const struct ps_landlock_plan *plan)
{
	char buf[200], link[PATH_MAX];
	unsigned int i;
	uid_t owner;

	if (!ps_landlock_any(ll))
		return;
	fprintf(out,
		"# Landlock rules, as this kernel (Landlock ABI %u) enforces them:\n",
		plan->abi);
	for (i = 0; i < ll->n_paths; i++) {
		const struct ps_landlock_path *p = &ll->paths[i];

		ps_landlock_path_where(p, buf, sizeof(buf));
		fprintf(out, "  %-48s ", buf);
		if (access(p->path, F_OK))
			fputs(p->optional ? "missing: skipped\n" :
					    "missing: run refuses to start\n",
			      out);
		else if ((owner = ps_landlock_foreign_symlink(p->path, link,
							      sizeof(link))))
			fprintf(out,
				"refused (%s is a symlink of uid %u): run refuses to start\n",
				link, (unsigned int)owner);
		else if (!plan->abi)
			fputs("dropped\n", out);
		else
			print_drop_rights(
				out, p->access & ~plan->attr.handled_access_fs);
	}
	for (i = 0; i < ll->n_ports; i++) {
		const struct ps_landlock_port *p = &ll->ports[i];
		char what[32];

		snprintf(what, sizeof(what), "%s %u",
			 p->access == LANDLOCK_ACCESS_NET_BIND_TCP ?
				 "bind-tcp" :
				 "connect-tcp",
			 p->port);
		where(&p->loc, what, buf, sizeof(buf));
		fprintf(out, "  %-48s %s\n", buf,
			ps_landlock_port_access(plan, p) ? "holds" : "dropped");
	}
	if (ll->tcp && !ll->n_ports)
		fprintf(out, "  %-48s %s\n", "no-tcp",
			plan->attr.handled_access_net ? "holds" : "dropped");
	for (i = 0; i < 2; i++) {
		uint64_t s = i ? LANDLOCK_SCOPE_SIGNAL :
				 LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;

		if (!(ll->scoped & s))
			continue;
		snprintf(buf, sizeof(buf), "scope %s",
			 i ? "signal" : "abstract-unix-socket");
		fprintf(out, "  %-48s %s\n", buf,
			plan->attr.scoped & s ? "holds" : "dropped");
	}
	for (i = 0; i < plan->n_drops; i++)
		fprintf(out,
			"# dropped: %s (needs ABI %u): %s; asked by %s%s\n",
			plan->drops[i].what, plan->drops[i].abi,
			plan->drops[i].effect, plan->drops[i].rule,
			plan->drops[i].n_rules > 1 ? " and others" : "");
	if (plan->abi && plan->abi < 7)
		fputs("# note: the kernel logs no Landlock denial before ABI 7: refusals go unnamed\n",
		      out);
}

bool ps_landlock_path_sayable(const char *path)
{
	const unsigned char *s;

	for (s = (const unsigned char *)path; *s; s++)
		if (*s <= ' ' || *s == 0x7f || strchr("#%\"'\\", *s))
			return false;
	return true;
}

void ps_landlock_put_escaped(FILE *out, const char *path)
{
	const unsigned char *s;

	for (s = (const unsigned char *)path; *s; s++)
		if (*s < ' ' || *s == 0x7f || *s == '\\')
			fprintf(out, "\\x%02x", *s);
		else
			fputc(*s, out);
}

/* Was rule I written already (the same kind and path, merged rules)? */
static bool path_written(const struct ps_landlock *ll, unsigned int i)
{
	const struct ps_landlock_path *p = &ll->paths[i];
	unsigned int j;

	for (j = 0; j < i; j++)
		if (ll->paths[j].kind == p->kind &&
		    ll->paths[j].optional == p->optional &&
		    !strcmp(ll->paths[j].path, p->path))
			return true;
	return false;
}

static bool port_written(const struct ps_landlock *ll, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i; j++)
		if (ll->ports[j].port == ll->ports[i].port &&
		    ll->ports[j].access == ll->ports[i].access)
			return true;
	return false;
}

void ps_landlock_write(FILE *out, const struct ps_landlock *ll)
{
	unsigned int i;

	if (!ps_landlock_any(ll) && !ll->min_abi)
		return;
	fputs("# Landlock: the files and ports it may use (pinscope.policy(5))\n",
	      out);
	for (i = 0; i < ll->n_paths; i++) {
		const struct ps_landlock_path *p = &ll->paths[i];

		if (path_written(ll, i))
			continue;
		/* the grammar has no quoting: such a path cannot be said */
		if (!ps_landlock_path_sayable(p->path)) {
			fputs("# left out (a blank, control character, '#', '%', quote or backslash in the name): ",
			      out);
			ps_landlock_put_escaped(out, p->path);
			fputc('\n', out);
		} else
			fprintf(out, "@landlock %s %s%s\n", p->kind,
				p->optional ? "?" : "", p->path);
	}
	for (i = 0; i < ll->n_ports; i++)
		if (!port_written(ll, i))
			fprintf(out, "@landlock %s %u\n",
				ll->ports[i].access ==
						LANDLOCK_ACCESS_NET_BIND_TCP ?
					"bind-tcp" :
					"connect-tcp",
				ll->ports[i].port);
	if (ll->tcp && !ll->n_ports)
		fputs("@landlock no-tcp\n", out);
	if (ll->scoped)
		fprintf(out, "@landlock scope%s%s\n",
			ll->scoped & LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET ?
				" abstract-unix-socket" :
				"",
			ll->scoped & LANDLOCK_SCOPE_SIGNAL ? " signal" : "");
	if (ll->min_abi)
		fprintf(out, "@landlock min-abi %u\n", ll->min_abi);
}
