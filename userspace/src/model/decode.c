// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoding a syscall's arguments for messages (decode.h).
 *
 * The kind of each argument is read off its prototype, not typed here per
 * syscall: its C type (a string, a string array, a pointer, a umode_t, a
 * signed or unsigned integer) and its name (a directory fd "dfd", a
 * signal "sig"). Only values whose family a prototype cannot tell are
 * named by syscall: the flag families below (open's O_*, mmap's MAP_*)
 * and argnames.h's commands and flags. The numbers come from the system's
 * headers (the constants table); this file holds names only.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "argnames.h"
#include "argwidths.h"
#include "decode.h"
#include "policy.h"
#include "util.h"

/* What a message shows of a string and of a string array. */
#define STRING_SHOWN 256
#define ARRAY_SHOWN 32

static int by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ps_argtypes *)elem)->name);
}

const struct ps_argtypes *ps_argtypes_find(enum ps_arch arch, const char *name)
{
	const struct ps_argtypes_table *t;

	if ((unsigned int)arch >= PS_N_ARCH || !name)
		return NULL;
	t = &ps_argtypes_tables[arch];
	return bsearch(name, t->e, t->n, sizeof(*t->e), by_name);
}

int ps_decode_n_args(enum ps_arch arch, int nr)
{
	const struct ps_argtypes *t =
		ps_argtypes_find(arch, ps_syscall_name_arch(arch, nr));

	return t ? t->n : -1;
}

/* ---- the caller's memory ---- */

/*
 * LEN bytes at ADDR of PID: process_vm_readv, which needs no open file
 * (the confined launcher opens none), else /proc/PID/mem. Either needs
 * ptrace access to PID (its parent has it at ptrace scope 1).
 */
static int read_memory(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	char path[32];
	int fd;
	ssize_t n;

	if (pid == PS_DECODE_NO_MEMORY || pid < 0 || !addr)
		return -1;
	if (pid == PS_DECODE_SELF)
		pid = getpid();
	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = pread(fd, buf, len, (off_t)addr);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

ssize_t ps_decode_read_string(pid_t pid, uint64_t addr, char *buf, size_t len,
			      int *cut)
{
	size_t got = 0;
	const size_t page = 4096;

	*cut = 0;
	if (!len)
		return -1;
	/* a page at a time: the string's end may be followed by no page */
	while (got < len - 1) {
		size_t chunk = page - (size_t)((addr + got) % page);
		char *nul;

		if (chunk > len - 1 - got)
			chunk = len - 1 - got;
		if (read_memory(pid, addr + got, buf + got, chunk) < 0) {
			if (!got)
				return -1;
			break; /* cut where the memory ends */
		}
		nul = memchr(buf + got, '\0', chunk);
		if (nul)
			return nul - buf;
		got += chunk;
	}
	buf[got] = '\0';
	*cut = 1;
	return (ssize_t)got;
}

/* ---- writing ---- */

struct out {
	char *buf;
	size_t len, at;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->at >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->at, o->len - o->at, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->at = o->at + (size_t)n < o->len ? o->at + (size_t)n :
						     o->len - 1;
}

/* A string as C writes it, quoted, what cannot be printed escaped. */
static void put_quoted(struct out *o, const char *s, size_t n, int cut)
{
	size_t i;

	put(o, "\"");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			put(o, "\\%c", c);
		else if (c == '\n')
			put(o, "\\n");
		else if (c == '\t')
			put(o, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			put(o, "\\x%02x", c);
		else
			put(o, "%c", c);
	}
	put(o, cut ? "\"..." : "\"");
}

static void put_string(struct out *o, pid_t pid, uint64_t addr)
{
	char s[STRING_SHOWN + 1];
	int cut;
	ssize_t n;

	if (!addr) {
		put(o, "NULL");
		return;
	}
	n = ps_decode_read_string(pid, addr, s, sizeof(s), &cut);
	if (n < 0)
		put(o, "<unreadable>");
	else
		put_quoted(o, s, (size_t)n, cut);
}

/* argv, envp: pointers of WIDTH bytes up to a null one */
static void put_string_array(struct out *o, pid_t pid, uint64_t addr,
			     size_t width)
{
	unsigned int i;

	if (!addr) {
		put(o, "NULL");
		return;
	}
	put(o, "[");
	for (i = 0; i <= ARRAY_SHOWN; i++) {
		uint64_t p = 0;

		if (read_memory(pid, addr + i * width, &p, width) < 0) {
			put(o, "%s<unreadable>]", i ? ", " : "");
			return;
		}
		if (!p)
			break;
		if (i == ARRAY_SHOWN) {
			put(o, ", ...");
			break;
		}
		if (i)
			put(o, ", ");
		put_string(o, pid, p);
	}
	put(o, "]");
}

/* ---- flag families a prototype cannot tell ---- */

struct flag_family {
	const char *syscall, *param;
	const char *prefix;
	const char *field; /* a multi-bit field of one value */
	const char *const *field_names; /* its members */
	const char *const *first; /* multi-bit names, then aliases */
	const char *const *refuse; /* never shown */
};

/* the access mode is a two-bit value (O_ACCMODE), not flags */
static const char *const o_field[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", NULL };
/* O_TMPFILE and O_SYNC hold O_DIRECTORY and O_DSYNC; NDELAY is NONBLOCK */
static const char *const o_first[] = { "O_TMPFILE", "O_SYNC", "O_NONBLOCK",
				       NULL };
static const char *const o_refuse[] = { "O_NDELAY",  "O_FSYNC",	    "O_RSYNC",
					"O_ACCMODE", "O_LARGEFILE", NULL };
static const char *const map_field[] = { "MAP_SHARED", "MAP_PRIVATE",
					 "MAP_SHARED_VALIDATE", NULL };
static const char *const map_first[] = { "MAP_ANONYMOUS", NULL };
static const char *const map_refuse[] = {
	"MAP_ANON",	  "MAP_FILE",	"MAP_TYPE", "MAP_HUGE_MASK",
	"MAP_HUGE_SHIFT", "MAP_FAILED", NULL
};

static const struct flag_family flag_families[] = {
	{ "open", "flags", "O_", "O_ACCMODE", o_field, o_first, o_refuse },
	{ "openat", "flags", "O_", "O_ACCMODE", o_field, o_first, o_refuse },
	{ "open_by_handle_at", "flags", "O_", "O_ACCMODE", o_field, o_first,
	  o_refuse },
	{ "mmap", "flags", "MAP_", "MAP_TYPE", map_field, map_first,
	  map_refuse },
};

static const struct flag_family *flag_family_of(const char *call,
						const char *param)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flag_families); i++)
		if (!strcmp(flag_families[i].syscall, call) &&
		    !strcmp(flag_families[i].param, param))
			return &flag_families[i];
	return NULL;
}

static void put_flag(struct out *o, bool *any, const char *text)
{
	put(o, "%s%s", *any ? "|" : "", text);
	*any = true;
}

static void put_flags(struct out *o, const struct flag_family *fam, uint64_t v)
{
	const char *const *p;
	uint64_t field = 0, c, bit;
	bool any = false;

	if (fam->field && ps_constant_lookup(fam->field, &field)) {
		for (p = fam->field_names; *p; p++)
			if (ps_constant_lookup(*p, &c) && c == (v & field)) {
				put_flag(o, &any, *p);
				v &= ~field;
				break;
			}
	}
	for (p = fam->first; p && *p; p++)
		if (ps_constant_lookup(*p, &c) && c && (v & c) == c &&
		    !(c & field)) {
			put_flag(o, &any, *p);
			v &= ~c;
		}
	for (bit = 1; bit; bit <<= 1) {
		const char *name;

		if (!(v & bit))
			continue;
		name = ps_constant_name(bit, fam->prefix);
		if (name && !ps_str_listed(fam->refuse, name)) {
			put_flag(o, &any, name);
			v &= ~bit;
		}
	}
	if (v || !any)
		put(o, "%s%#llx", any ? "|" : "", (unsigned long long)v);
}

/* ---- one argument ---- */

static bool is_dirfd(const char *name)
{
	static const char *const dirfds[] = { "dfd", "olddfd", "newdfd",
					      "dirfd", NULL };

	return ps_str_listed(dirfds, name);
}

/* Calls whose signal parameter the prototype leaves unnamed. */
static bool is_signal(const char *call, unsigned int i, const char *name)
{
	return !strcmp(name, "sig") ||
	       (i == 0 &&
		(!strcmp(call, "rt_sigaction") || !strcmp(call, "sigaction") ||
		 !strcmp(call, "signal")));
}

/* "char *" holding a string in: a const one, or mount's plain ones */
static bool is_string(const char *type, const char *name)
{
	static const char *const in_strings[] = { "dev_name", "dir_name",
						  "type", NULL };

	if (!strcmp(type, "const char __user *"))
		return true;
	return !strcmp(type, "char __user *") &&
	       ps_str_listed(in_strings, name);
}

static bool is_string_array(const char *type, size_t *width)
{
	if (!strcmp(type, "const char __user *const __user *")) {
		*width = sizeof(uint64_t);
		return true;
	}
	if (!strcmp(type, "const compat_uptr_t __user *")) {
		*width = sizeof(uint32_t);
		return true;
	}
	return false;
}

/* The value the syscall gets: signed as its type is */
static void put_integer(struct out *o, enum ps_read r, const char *type,
			uint64_t v)
{
	bool is_signed = r == PS_READ_S32 || strstr(type, "long") == type ||
			 !strcmp(type, "loff_t") || !strcmp(type, "off_t") ||
			 !strcmp(type, "ssize_t");

	if (!strcmp(type, "unsigned long") ||
	    !strcmp(type, "unsigned long long"))
		is_signed = false;
	if (is_signed)
		put(o, "%lld", (long long)v);
	else if (v < 0x10000)
		put(o, "%llu", (unsigned long long)v);
	else
		put(o, "%#llx", (unsigned long long)v);
}

struct call {
	enum ps_arch arch;
	const char *name; /* the ABI's name */
	int native; /* the native number of the same call, or -1 */
	pid_t pid;
};

static void put_arg(struct out *o, const struct call *c, unsigned int i,
		    const struct ps_argtype *t, uint64_t v)
{
	enum ps_read r = ps_arg_read(c->arch, c->name, i);
	char name[PS_ARG_NAME_MAX];
	const struct flag_family *fam = flag_family_of(c->name, t->name);
	size_t width;
	uint64_t fdcwd;
	const char *abbrev;

	/* commands and flags named by family (argnames.h), when i means the same */
	if (c->native >= 0 && ps_arg_carries(c->arch, c->name, i) &&
	    ps_arg_name(c->native, i, v, name, sizeof(name))) {
		put(o, "%s", name);
	} else if (fam && ps_arg_carries(c->arch, c->name, i)) {
		put_flags(o, fam, v);
	} else if (is_string(t->type, t->name)) {
		put_string(o, c->pid, v);
	} else if (!strcmp(t->name, "envp")) {
		/* an environment may hold secrets: not into logs */
		put(o, "%#llx", (unsigned long long)v);
	} else if (is_string_array(t->type, &width)) {
		put_string_array(o, c->pid, v, width);
	} else if (strchr(t->type, '*')) {
		if (v)
			put(o, "%#llx", (unsigned long long)v);
		else
			put(o, "NULL");
	} else if (is_dirfd(t->name) &&
		   ps_constant_lookup("AT_FDCWD", &fdcwd) &&
		   (int64_t)v == (int64_t)fdcwd) {
		put(o, "AT_FDCWD");
	} else if (strstr(t->type, "mode_t")) {
		put(o, "%#llo", (unsigned long long)v);
	} else if (is_signal(c->name, i, t->name) && v < NSIG && v &&
		   (abbrev = sigabbrev_np((int)v))) {
		put(o, "SIG%s", abbrev);
	} else {
		put_integer(o, r, t->type, v);
	}
}

const char *ps_decode_call(enum ps_arch arch, int nr, const uint64_t args[6],
			   pid_t pid, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	struct call c = { arch, ps_syscall_name_arch(arch, nr), -1, pid };
	const struct ps_argtypes *t = ps_argtypes_find(arch, c.name);
	uint64_t v[6];
	unsigned int i;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!t) {
		/* a call no prototype describes: its registers, all of them */
		put(&o, "%s(", c.name ? c.name : "?");
		for (i = 0; i < 6; i++)
			put(&o, "%s%#llx", i ? ", " : "",
			    (unsigned long long)args[i]);
		put(&o, ")");
		return buf;
	}
	c.native = arch == PS_ARCH_NATIVE ? nr : ps_syscall_lookup(c.name);
	/* as the kernel reads them: an int keeps 32 bits, i386 every one */
	ps_args_read(arch, c.name, args, v);
	put(&o, "%s(", c.name);
	for (i = 0; i < t->n && i < 6; i++) {
		if (i)
			put(&o, ", ");
		put_arg(&o, &c, i, &t->p[i], v[i]);
	}
	put(&o, ")");
	return buf;
}
