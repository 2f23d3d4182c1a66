// SPDX-License-Identifier: GPL-2.0-only
/*
 * learn --fs --net: what the command touched, and the rules that follow.
 *
 * At a seccomp stop the call has not run yet; the path is resolved then,
 * through the tracee's /proc entries (its root, working directory or
 * dirfd), as the kernel is about to resolve it: one that does not exist
 * was a failed lookup and asks for nothing, one made or removed is its
 * directory's. At the end a path whose resolution changed since (a
 * symlink put in its way) asks for nothing either: what the program used
 * is fixed at the call, not chosen by it afterwards. What remains becomes
 * rules by where it is (pinscope(1), LEARNING FILES AND PORTS):
 *   /usr /lib* /bin /sbin /opt     the top directory, rox (the loader
 *                                  and libraries live there)
 *   /etc                           each entry used, ro (rw if written)
 *   /proc /sys                     the tree, ro (rw if written, but a
 *                                  setting of /proc/sys or /sys written:
 *                                  that file rw, the tree ro)
 *   the working directory          the tree, rw (rwx if a program there is
 *                                  run), once anything in it is used
 *   /dev                           each device used, with ioctl-dev
 *   anywhere else ($HOME, /tmp)    each file as used (ro, rox, rw), the
 *                                  directory of a file created or removed
 *                                  rw (so a temporary file in /tmp makes
 *                                  /tmp rw), a directory only listed: list
 * Ports: each bound and connected one, TCP or not (a UDP port named costs
 * nothing). Scopes: both, unless the run signalled a process outside it
 * or connected to an abstract UNIX socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "learn_landlock.h"
#include "policy.h"

/* what a path was used for */
enum {
	USE_READ = 1,
	USE_WRITE = 2,
	USE_EXEC = 4,
	USE_CREATE = 8, /* made or removed: its directory changes */
	USE_OPEN_CREAT = 16, /* an O_CREAT open: made only if missing */
	USE_EXCL = 32, /* ... with O_EXCL: fails if it is there */
};

struct use {
	char *path; /* resolved at the call (resolve_now()) */
	unsigned int how;
	mode_t type; /* its S_IFMT then */
};

struct ps_fsnet {
	bool fs, net;
	int proc; /* /proc's directory: every path is resolved under it */
	struct ps_fsnet_check check;
	char cwd[PATH_MAX];
	struct use *uses;
	unsigned int n_uses, cap_uses;
	/* open addressing over uses[], by path: index + 1, 0 free */
	unsigned int *slots, n_slots;
	uint16_t *bind, *connect;
	unsigned int n_bind, cap_bind, n_connect, cap_connect;
	bool signal_outside, abstract_unix;
	int nr_open, nr_openat, nr_openat2, nr_creat, nr_execve, nr_execveat,
		nr_mkdir, nr_mkdirat, nr_unlink, nr_unlinkat, nr_rmdir,
		nr_rename, nr_renameat, nr_renameat2, nr_link, nr_linkat,
		nr_symlink, nr_symlinkat, nr_mknod, nr_mknodat, nr_truncate,
		nr_bind, nr_connect, nr_kill, nr_tgkill;
};

struct ps_fsnet *ps_fsnet_new(bool fs, bool net)
{
	struct ps_fsnet *l = xcalloc(1, sizeof(*l));
	const char *home = getenv("HOME");

	l->fs = fs;
	l->net = net;
	l->proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!getcwd(l->cwd, sizeof(l->cwd)))
		l->cwd[0] = '\0';
	/*
	 * A working directory that is $HOME or holds it is no tree to
	 * allow: the files used there are allowed one by one, so that
	 * nothing under $HOME is that the run did not touch.
	 */
	if (home && home[0] == '/' && ps_path_beneath(home, l->cwd))
		l->cwd[0] = '\0';
#define NR(name) l->nr_##name = ps_syscall_lookup(#name)
	NR(open);
	NR(openat);
	NR(openat2);
	NR(creat);
	NR(execve);
	NR(execveat);
	NR(mkdir);
	NR(mkdirat);
	NR(unlink);
	NR(unlinkat);
	NR(rmdir);
	NR(rename);
	NR(renameat);
	NR(renameat2);
	NR(link);
	NR(linkat);
	NR(symlink);
	NR(symlinkat);
	NR(mknod);
	NR(mknodat);
	NR(truncate);
	NR(bind);
	NR(connect);
	NR(kill);
	NR(tgkill);
#undef NR
	return l;
}

void ps_fsnet_free(struct ps_fsnet *l)
{
	unsigned int i;

	if (!l)
		return;
	for (i = 0; i < l->n_uses; i++)
		free(l->uses[i].path);
	free(l->uses);
	free(l->slots);
	free(l->bind);
	free(l->connect);
	if (l->proc >= 0)
		close(l->proc);
	free(l);
}

int ps_fsnet_proc(const struct ps_fsnet *l)
{
	return l->proc;
}

void ps_fsnet_set_check(struct ps_fsnet *l, const struct ps_fsnet_check *c)
{
	l->check = *c;
}

/* ---- reading the tracee ---- */

static bool read_mem(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };

	return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len;
}

/* The string at ADDR into BUF (PATH_MAX); false if unreadable or too long. */
static bool read_string(pid_t pid, uint64_t addr, char *buf)
{
	size_t got = 0;

	if (!addr)
		return false;
	while (got < PATH_MAX) {
		/* to the end of ADDR's page: the next one may not be mapped */
		size_t chunk = 4096 - ((addr + got) & 4095);
		struct iovec local, remote;
		ssize_t n;

		if (chunk > PATH_MAX - got)
			chunk = PATH_MAX - got;
		local.iov_base = buf + got;
		local.iov_len = chunk;
		remote.iov_base = (void *)(addr + got);
		remote.iov_len = chunk;
		n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			return false;
		if (memchr(buf + got, '\0', (size_t)n))
			return true;
		got += (size_t)n;
	}
	return false;
}

/* S past PREFIX, where S starts with it as a whole component; else NULL */
static const char *past(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(s, prefix, n) && (!s[n] || s[n] == '/') ? s + n : NULL;
}

/*
 * What PID names with DIRFD (AT_FDCWD: its cwd) and the path at ADDR, as
 * a path through its /proc entries, so that the kernel resolves it from
 * the tracee's root, working directory or dirfd: "PID/root/etc/x",
 * "PID/cwd/a/../b", under /proc's directory (which the launcher of run
 * --complain, confined, may open under and nowhere else). /proc/self is
 * the tracee's, not the tracer's.
 */
static bool tracee_path(pid_t pid, int dirfd, uint64_t addr, char *out)
{
	char rel[PATH_MAX];
	const char *rest;
	int n;

	if (!read_string(pid, addr, rel) || !rel[0])
		return false;
	if ((rest = past(rel, "/proc/self")))
		n = snprintf(out, PATH_MAX, "%d%s", pid, rest);
	else if ((rest = past(rel, "/proc/thread-self")))
		n = snprintf(out, PATH_MAX, "%d/task/%d%s", pid, pid, rest);
	else if (rel[0] == '/')
		n = snprintf(out, PATH_MAX, "%d/root%s", pid, rel);
	else if (dirfd == AT_FDCWD)
		n = snprintf(out, PATH_MAX, "%d/cwd/%s", pid, rel);
	else
		n = snprintf(out, PATH_MAX, "%d/fd/%d/%s", pid, dirfd, rel);
	return n > 0 && n < PATH_MAX;
}

/*
 * PATH (under /proc) resolved now, at the call, as the kernel is about
 * to resolve it (symlinks followed, ".." after them): into OUT, with its
 * type in *MODE. Resolved at the end of the run instead, a program could
 * swap a directory it used for a symlink to one it never touched ($HOME)
 * and have that allowed. False if it does not exist (a failed lookup).
 */
static bool resolve_now(const struct ps_fsnet *l, const char *path, char *out,
			mode_t *mode)
{
	char self[32];
	struct stat st;
	ssize_t n;
	int fd = l->proc < 0 ? -1 : openat(l->proc, path, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return false;
	snprintf(self, sizeof(self), "self/fd/%d", fd);
	n = fstat(fd, &st) ? -1 : readlinkat(l->proc, self, out, PATH_MAX - 1);
	close(fd);
	if (n <= 0 || out[0] != '/')
		return false;
	out[n] = '\0';
	*mode = st.st_mode & S_IFMT;
	return true;
}

/* ---- what was used ---- */

static void rehash(struct ps_fsnet *l)
{
	unsigned int i, j;

	free(l->slots);
	l->n_slots = l->n_slots ? 2 * l->n_slots : 256;
	l->slots = xcalloc(l->n_slots, sizeof(*l->slots));
	for (i = 0; i < l->n_uses; i++) {
		j = (unsigned int)ps_hash_str(l->uses[i].path) &
		    (l->n_slots - 1);
		while (l->slots[j])
			j = (j + 1) & (l->n_slots - 1);
		l->slots[j] = i + 1;
	}
}

static void use(struct ps_fsnet *l, const char *path, mode_t type,
		unsigned int how)
{
	unsigned int j;

	if (2 * (l->n_uses + 1) > l->n_slots)
		rehash(l);
	for (j = (unsigned int)ps_hash_str(path) & (l->n_slots - 1);
	     l->slots[j]; j = (j + 1) & (l->n_slots - 1))
		if (!strcmp(l->uses[l->slots[j] - 1].path, path)) {
			l->uses[l->slots[j] - 1].how |= how;
			l->uses[l->slots[j] - 1].type = type;
			return;
		}
	PS_PUSH(l->uses, l->n_uses, l->cap_uses);
	l->uses[l->n_uses].path = xstrdup(path);
	l->uses[l->n_uses].how = how;
	l->uses[l->n_uses].type = type;
	l->slots[j] = ++l->n_uses;
}

/*
 * A use, resolved: recorded, unless the check (run --complain) keeps
 * only what the rules refuse and this is not. NEED: the Landlock rights
 * it takes on REAL (read_file becomes read_dir on a directory).
 */
static void record_use(struct ps_fsnet *l, const char *real, mode_t type,
		       unsigned int how, uint64_t need)
{
	if (type == S_IFDIR && (need & LANDLOCK_ACCESS_FS_READ_FILE))
		need = (need & ~(uint64_t)LANDLOCK_ACCESS_FS_READ_FILE) |
		       LANDLOCK_ACCESS_FS_READ_DIR;
	if (l->check.path && !l->check.path(l->check.ctx, real, type, need))
		return;
	use(l, real, type, how);
}

/*
 * A path used HOW, resolved at the call. One made or removed is its
 * directory's use (a write there, NEED the right it takes there); one
 * that does not exist is a failed lookup and asks for nothing. An
 * O_CREAT open of a file that is there makes nothing: the file's use
 * (NEED its rights), not its directory's (appending to ~/.history must
 * not allow the whole of $HOME); with O_EXCL it fails.
 */
static void use_at(struct ps_fsnet *l, pid_t pid, uint64_t dirfd, uint64_t addr,
		   unsigned int how, uint64_t need)
{
	char path[PATH_MAX], real[PATH_MAX], *slash;
	mode_t type;
	size_t n;

	if (!how || !tracee_path(pid, (int)dirfd, addr, path))
		return;
	if (how & USE_OPEN_CREAT) {
		if (resolve_now(l, path, real, &type) && type != S_IFDIR) {
			if (!(how & USE_EXCL))
				record_use(l, real, type,
					   how & (USE_READ | USE_WRITE), need);
			return;
		}
		how = USE_CREATE;
		need = LANDLOCK_ACCESS_FS_MAKE_REG;
	}
	if (how & USE_CREATE) {
		/* "d/" makes d: its directory is the one above */
		n = strlen(path);
		while (n > 1 && path[n - 1] == '/')
			path[--n] = '\0';
		slash = strrchr(path, '/');
		*slash = '\0';
		how = USE_WRITE;
	}
	if (resolve_now(l, path, real, &type))
		record_use(l, real, type, how, need);
}

/* The Landlock rights an open with FLAGS takes on its file. */
static uint64_t open_need(uint64_t flags)
{
	uint64_t need = 0;

	if (flags & O_PATH)
		return 0;
	if ((flags & O_ACCMODE) != O_WRONLY)
		need |= LANDLOCK_ACCESS_FS_READ_FILE;
	if ((flags & O_ACCMODE) != O_RDONLY)
		need |= LANDLOCK_ACCESS_FS_WRITE_FILE;
	if (flags & O_TRUNC)
		need |= LANDLOCK_ACCESS_FS_TRUNCATE;
	return need;
}

/* mknod's MODE: the right that makes that type. */
static uint64_t make_need(uint64_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFCHR:
		return LANDLOCK_ACCESS_FS_MAKE_CHAR;
	case S_IFBLK:
		return LANDLOCK_ACCESS_FS_MAKE_BLOCK;
	case S_IFIFO:
		return LANDLOCK_ACCESS_FS_MAKE_FIFO;
	case S_IFSOCK:
		return LANDLOCK_ACCESS_FS_MAKE_SOCK;
	}
	return LANDLOCK_ACCESS_FS_MAKE_REG;
}

static unsigned int open_use(uint64_t flags)
{
	unsigned int how = 0;

	if (flags & O_PATH)
		return 0; /* Landlock checks no right for it */
	if ((flags & O_ACCMODE) != O_WRONLY)
		how |= USE_READ;
	if ((flags & O_ACCMODE) != O_RDONLY || flags & O_TRUNC)
		how |= USE_WRITE;
	if (flags & O_CREAT)
		how |= USE_OPEN_CREAT | (flags & O_EXCL ? USE_EXCL : 0);
	return how;
}

static void add_port(uint16_t **ports, unsigned int *n, unsigned int *cap,
		     uint16_t port)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if ((*ports)[i] == port)
			return;
	PS_PUSH(*ports, *n, *cap);
	(*ports)[(*n)++] = port;
}

/* bind or connect: the port of an inet address, an abstract UNIX name */
static void sockaddr_use(struct ps_fsnet *l, pid_t pid, const uint64_t a[6],
			 bool bind_it)
{
	struct sockaddr_storage ss = { 0 };
	size_t len = a[2] < sizeof(ss) ? a[2] : sizeof(ss);
	uint16_t port;

	if (len < sizeof(sa_family_t) || !read_mem(pid, a[1], &ss, len))
		return;
	if (ss.ss_family == AF_UNIX) {
		const struct sockaddr_un *un = (const void *)&ss;

		if (!bind_it && len > sizeof(sa_family_t) && !un->sun_path[0])
			l->abstract_unix = true;
		return;
	}
	if (!l->net || (ss.ss_family != AF_INET && ss.ss_family != AF_INET6))
		return;
	port = ntohs(((const struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		port = ntohs(((const struct sockaddr_in6 *)&ss)->sin6_port);
	if (l->check.port &&
	    !l->check.port(l->check.ctx, pid, (int)a[0],
			   bind_it ? LANDLOCK_ACCESS_NET_BIND_TCP :
				     LANDLOCK_ACCESS_NET_CONNECT_TCP,
			   port))
		return;
	if (bind_it)
		add_port(&l->bind, &l->n_bind, &l->cap_bind, port);
	else
		add_port(&l->connect, &l->n_connect, &l->cap_connect, port);
}

/*
 * the file calls: which path argument, with which dirfd, used how, and
 * the Landlock rights that takes (security/landlock/fs.c). A rename or
 * link names the right of a regular file: a rule grants all of the make
 * and remove rights or none. REFER is not asked.
 */
static void fs_call(struct ps_fsnet *l, pid_t pid, int nr, const uint64_t a[6])
{
	const uint64_t cwd = (uint64_t)(int64_t)AT_FDCWD;
	const uint64_t rm = LANDLOCK_ACCESS_FS_REMOVE_FILE,
		       rmdir = LANDLOCK_ACCESS_FS_REMOVE_DIR,
		       mk = LANDLOCK_ACCESS_FS_MAKE_REG,
		       exec = LANDLOCK_ACCESS_FS_EXECUTE |
			      LANDLOCK_ACCESS_FS_READ_FILE;

	if (nr == l->nr_open)
		use_at(l, pid, cwd, a[0], open_use(a[1]), open_need(a[1]));
	else if (nr == l->nr_openat)
		use_at(l, pid, a[0], a[1], open_use(a[2]), open_need(a[2]));
	else if (nr == l->nr_openat2) {
		struct open_how how;

		if (read_mem(pid, a[2], &how, sizeof(how.flags)))
			use_at(l, pid, a[0], a[1], open_use(how.flags),
			       open_need(how.flags));
	} else if (nr == l->nr_creat)
		use_at(l, pid, cwd, a[0],
		       open_use(O_CREAT | O_WRONLY | O_TRUNC),
		       open_need(O_CREAT | O_WRONLY | O_TRUNC));
	else if (nr == l->nr_mkdir)
		use_at(l, pid, cwd, a[0], USE_CREATE,
		       LANDLOCK_ACCESS_FS_MAKE_DIR);
	else if (nr == l->nr_unlink || nr == l->nr_rmdir)
		use_at(l, pid, cwd, a[0], USE_CREATE,
		       nr == l->nr_rmdir ? rmdir : rm);
	else if (nr == l->nr_mknod)
		use_at(l, pid, cwd, a[0], USE_CREATE, make_need(a[1]));
	else if (nr == l->nr_mkdirat)
		use_at(l, pid, a[0], a[1], USE_CREATE,
		       LANDLOCK_ACCESS_FS_MAKE_DIR);
	else if (nr == l->nr_unlinkat)
		use_at(l, pid, a[0], a[1], USE_CREATE,
		       a[2] & AT_REMOVEDIR ? rmdir : rm);
	else if (nr == l->nr_mknodat)
		use_at(l, pid, a[0], a[1], USE_CREATE, make_need(a[2]));
	else if (nr == l->nr_execve)
		use_at(l, pid, cwd, a[0], USE_EXEC | USE_READ, exec);
	else if (nr == l->nr_execveat)
		use_at(l, pid, a[0], a[1], USE_EXEC | USE_READ, exec);
	else if (nr == l->nr_rename || nr == l->nr_link) {
		use_at(l, pid, cwd, a[0],
		       nr == l->nr_rename ? USE_CREATE : USE_READ,
		       nr == l->nr_rename ? rm : 0);
		use_at(l, pid, cwd, a[1], USE_CREATE, mk);
	} else if (nr == l->nr_renameat || nr == l->nr_renameat2 ||
		   nr == l->nr_linkat) {
		use_at(l, pid, a[0], a[1],
		       nr == l->nr_linkat ? USE_READ : USE_CREATE,
		       nr == l->nr_linkat ? 0 : rm);
		use_at(l, pid, a[2], a[3], USE_CREATE, mk);
	} else if (nr == l->nr_symlink)
		use_at(l, pid, cwd, a[1], USE_CREATE,
		       LANDLOCK_ACCESS_FS_MAKE_SYM);
	else if (nr == l->nr_symlinkat)
		use_at(l, pid, a[1], a[2], USE_CREATE,
		       LANDLOCK_ACCESS_FS_MAKE_SYM);
	else if (nr == l->nr_truncate)
		use_at(l, pid, cwd, a[0], USE_WRITE,
		       LANDLOCK_ACCESS_FS_TRUNCATE);
}

void ps_fsnet_call(struct ps_fsnet *l, pid_t pid, int nr,
		   const uint64_t args[6],
		   bool (*outside)(void *ctx, pid_t pid), void *ctx)
{
	if (nr < 0)
		return;
	if (nr == l->nr_bind || nr == l->nr_connect) {
		sockaddr_use(l, pid, args, nr == l->nr_bind);
		return;
	}
	/* a signal to a process the run did not start: no signal scope */
	if ((nr == l->nr_kill || nr == l->nr_tgkill) && (int64_t)args[0] > 0 &&
	    outside(ctx, (pid_t)args[0]))
		l->signal_outside = true;
	if (l->fs)
		fs_call(l, pid, nr, args);
}

enum ps_fsnet_kind ps_fsnet_kind(const struct ps_fsnet *l, int nr)
{
	const int *n = &l->nr_open, *end = &l->nr_tgkill;

	if (nr < 0)
		return PS_FSNET_NONE;
	if (nr == l->nr_bind || nr == l->nr_connect)
		return PS_FSNET_PORT;
	if (nr == l->nr_kill || nr == l->nr_tgkill)
		return PS_FSNET_SIGNAL;
	/* the nr_ fields, in their order in struct ps_fsnet */
	for (; n <= end; n++)
		if (*n == nr)
			return PS_FSNET_PATH;
	return PS_FSNET_NONE;
}

bool ps_fsnet_watches(const struct ps_fsnet *l, int nr)
{
	return ps_fsnet_kind(l, nr) != PS_FSNET_NONE;
}

/* ---- the rules ---- */

/* PATH's first N components ("/etc/ssl" for N 2) into OUT */
static void top(const char *path, unsigned int n, char *out)
{
	const char *s = path;

	while (n-- && *s) {
		s = strchr(s + 1, '/');
		if (!s) {
			s = path + strlen(path);
			break;
		}
	}
	snprintf(out, PATH_MAX, "%.*s", (int)(s - path), path);
}

/* the rights a use asks for on its rule's path */
static uint64_t rights(unsigned int how, bool dir)
{
	uint64_t r = 0;

	if (how & USE_READ)
		r |= dir ? LANDLOCK_ACCESS_FS_READ_DIR : PS_LL_READ;
	if (how & USE_EXEC)
		r |= PS_LL_READ | PS_LL_EXEC;
	if (how & (USE_WRITE | USE_CREATE))
		r |= PS_LL_READ | PS_LL_WRITE;
	return r;
}

struct wanted {
	char *path;
	uint64_t access;
};

static void want(struct wanted **w, unsigned int *n, unsigned int *cap,
		 const char *path, uint64_t access)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*w)[i].path, path)) {
			(*w)[i].access |= access;
			return;
		}
	PS_PUSH(*w, *n, *cap);
	(*w)[*n].path = xstrdup(path);
	(*w)[(*n)++].access = access;
}

static const char *const system_trees[] = {
	"/usr", "/lib",	 "/lib32", "/lib64", "/libx32",
	"/bin", "/sbin", "/opt",   NULL,
};

/*
 * Is the path resolved at the call still that file now: no symlink put
 * in its way since (the next run's launcher follows one), the same type?
 * Else it asks for nothing: a program must not choose, after the fact,
 * what its rule names.
 */
static bool unchanged(const struct ps_fsnet *l, const struct use *u)
{
	char self[PATH_MAX + 16], real[PATH_MAX];
	mode_t type;
	int n = snprintf(self, sizeof(self), "self/root%s", u->path);

	/* under /proc, where the confined launcher may resolve paths */
	return n > 0 && (size_t)n < sizeof(self) &&
	       resolve_now(l, self, real, &type) && !strcmp(real, u->path) &&
	       type == u->type;
}

/* Where one used path's rule goes, and with what: into W. */
static void place(struct ps_fsnet *l, const struct use *u, struct wanted **w,
		  unsigned int *n, unsigned int *cap)
{
	const char *real = u->path;
	unsigned int how = u->how;
	bool is_dir = u->type == S_IFDIR;
	char t[PATH_MAX];
	unsigned int i;

	/*
	 * The trees of /proc and /sys, read: a process's entries end with
	 * it. A setting written (/proc/sys, /sys) is that file alone: the
	 * tree rw would let a root command write every sysctl.
	 */
	if (ps_path_beneath(real, "/proc") || ps_path_beneath(real, "/sys")) {
		top(real, 1, t);
		if ((how & USE_WRITE) && (ps_path_beneath(real, "/proc/sys") ||
					  ps_path_beneath(real, "/sys"))) {
			want(w, n, cap, t, PS_LL_READ);
			want(w, n, cap, real, rights(how | USE_READ, is_dir));
			return;
		}
		want(w, n, cap, t,
		     PS_LL_READ | (how & USE_WRITE ? PS_LL_WRITE : 0));
		return;
	}
	if (!unchanged(l, u))
		return;
	for (i = 0; system_trees[i]; i++)
		if (ps_path_beneath(real, system_trees[i])) {
			top(real, 1, t);
			want(w, n, cap, t,
			     PS_LL_READ | PS_LL_EXEC |
				     (how & USE_WRITE ? PS_LL_WRITE : 0));
			return;
		}
	if (l->cwd[0] && strcmp(l->cwd, "/") && ps_path_beneath(real, l->cwd)) {
		/* a program of its own run there: rwx */
		want(w, n, cap, l->cwd,
		     PS_LL_READ | PS_LL_WRITE |
			     (how & USE_EXEC ? PS_LL_EXEC : 0));
		return;
	}
	if (ps_path_beneath(real, "/etc")) {
		top(real, 2, t);
		want(w, n, cap, t,
		     rights(how | USE_READ, is_dir) |
			     (is_dir ? PS_LL_READ : 0));
		return;
	}
	if (u->type == S_IFCHR || u->type == S_IFBLK) {
		want(w, n, cap, real,
		     rights(how, false) | LANDLOCK_ACCESS_FS_IOCTL_DEV);
		return;
	}
	/* anywhere else, $HOME too: exactly what was used */
	want(w, n, cap, real, rights(how, is_dir));
}

/* Does another rule of W hold everything rule I asks (a tree above it)? */
static bool covered(const struct wanted *w, unsigned int n, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < n; j++)
		if (j != i && ps_path_beneath(w[i].path, w[j].path) &&
		    strcmp(w[i].path, w[j].path) &&
		    !(w[i].access & ~w[j].access &
		      ~LANDLOCK_ACCESS_FS_IOCTL_DEV))
			return true;
	return false;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct wanted *)a)->path,
		      ((const struct wanted *)b)->path);
}

void ps_fsnet_rules(struct ps_fsnet *l, struct ps_landlock *ll)
{
	static const struct ps_loc learned = { "pinscope learn", 0, 0 };
	struct wanted *w = NULL;
	unsigned int n = 0, cap = 0, i;
	/* merged rules: a scope holds only if every run kept within it */
	bool merged = ps_landlock_any(ll);
	uint64_t scoped = merged ? ll->scoped : ~0ULL;

	for (i = 0; l->fs && i < l->n_uses; i++)
		place(l, &l->uses[i], &w, &n, &cap);
	if (n)
		qsort(w, n, sizeof(*w), by_path);
	for (i = 0; i < n; i++) {
		const char *kind = ps_landlock_path_word(w[i].access);

		if (kind && !covered(w, n, i))
			ps_landlock_add_path(ll, kind, w[i].path, &learned);
		if (w[i].access & LANDLOCK_ACCESS_FS_IOCTL_DEV)
			ps_landlock_add_path(ll, "ioctl-dev", w[i].path,
					     &learned);
	}
	for (i = 0; i < n; i++)
		free(w[i].path);
	free(w);
	if (l->net) {
		ps_landlock_restrict_tcp(ll, &learned);
		for (i = 0; i < l->n_bind; i++)
			ps_landlock_add_port(ll, LANDLOCK_ACCESS_NET_BIND_TCP,
					     l->bind[i], &learned);
		for (i = 0; i < l->n_connect; i++)
			ps_landlock_add_port(ll,
					     LANDLOCK_ACCESS_NET_CONNECT_TCP,
					     l->connect[i], &learned);
	}
	if (!l->abstract_unix)
		ps_landlock_add_scope(ll, LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
				      &learned);
	if (!l->signal_outside)
		ps_landlock_add_scope(ll, LANDLOCK_SCOPE_SIGNAL, &learned);
	ll->scoped &= scoped;
	if (l->abstract_unix)
		ll->scoped &= ~(uint64_t)LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
	if (l->signal_outside)
		ll->scoped &= ~(uint64_t)LANDLOCK_SCOPE_SIGNAL;
}
