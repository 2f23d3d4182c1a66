// SPDX-License-Identifier: GPL-2.0-only
#include "diag.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

const char *ps_progname = "pinscope";

static void oom(void)
{
	fprintf(stderr, "%s: out of memory\n", ps_progname);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	p = realloc(p, n && size ? n * size : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		oom();
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	va_end(ap);
	return s;
}

char *xconcat(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s = xmalloc(la + lb + lc + 1);

	memcpy(s, a, la);
	memcpy(s + la, b, lb);
	memcpy(s + la + lb, c, lc + 1);
	return s;
}

void ps_error_at(const struct ps_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ps_diag_report(PS_ERROR, loc, fmt, ap);
	va_end(ap);
}

void ps_warning_at(const struct ps_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ps_diag_report(PS_WARNING, loc, fmt, ap);
	va_end(ap);
}

void ps_note_at(const struct ps_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ps_diag_report(PS_NOTE, loc, fmt, ap);
	va_end(ap);
}

void ps_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ps_diag_report(PS_MESSAGE, NULL, fmt, ap);
	va_end(ap);
}

int ps_cannot_run(const char *cmd, const char *what, int err)
{
	ps_warn("%s: %s%s%s", cmd, what ? what : "", what ? ": " : "",
		strerror(err));
	return ps_exec_status(err);
}

bool ps_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

int ps_proc_status(pid_t pid, const char *key, char *value, size_t len)
{
	size_t n = strlen(key);
	char path[64], line[256];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f)) {
		char *v = line + n + 1;

		if (strncmp(line, key, n) || line[n] != ':')
			continue;
		v += strspn(v, " \t");
		v[strcspn(v, "\n")] = '\0';
		snprintf(value, len, "%s", v);
		found = 1;
	}
	fclose(f);
	return found;
}

static const char *file_type(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/*
 * O_NONBLOCK: opening a FIFO for reading blocks until a writer comes,
 * which may be never, so the type is checked on a descriptor opened
 * without waiting; only then are reads made blocking again.
 */
int ps_open_regular(const char *path, struct stat *st, const char **why)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	int flags;

	*why = NULL;
	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (fstat(fd, st) < 0) {
		*why = strerror(errno);
		goto fail;
	}
	if (!S_ISREG(st->st_mode)) {
		*why = file_type(st->st_mode);
		errno = S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
		goto fail;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		*why = strerror(errno);
		goto fail;
	}
	return fd;
fail:
	flags = errno;
	close(fd);
	errno = flags;
	return -1;
}

const char *ps_read_file(const char *path, size_t max, char **text, size_t *len)
{
	static __thread char too_big[64];
	const char *why;
	struct stat st;
	size_t cap, n = 0;
	ssize_t r;
	char *buf;
	int fd = ps_open_regular(path, &st, &why);

	if (fd < 0)
		return why;
	if ((uint64_t)st.st_size > max) {
		close(fd);
		errno = EFBIG;
		snprintf(too_big, sizeof(too_big), "larger than %zu bytes",
			 max);
		return too_big;
	}
	/* the size may change under us: read to the end, never past MAX */
	cap = (size_t)st.st_size + 1;
	buf = xmalloc(cap + 1);
	while ((r = read(fd, buf + n, cap - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			why = strerror(errno);
			break;
		}
		n += (size_t)r;
		if (n > max) {
			errno = EFBIG;
			snprintf(too_big, sizeof(too_big),
				 "larger than %zu bytes", max);
			why = too_big;
			break;
		}
		if (n == cap)
			buf = xrealloc(buf, (cap *= 2) + 1, 1);
	}
	close(fd);
	if (why) {
		free(buf);
		return why;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return NULL;
}

int ps_read_int_file(const char *path)
{
	FILE *f = fopen(path, "re");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

bool ps_path_beneath(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1)
		return path[0] == '/';
	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

bool ps_str_listed(const char *const *names, const char *name)
{
	for (; names && *names; names++)
		if (!strcmp(*names, name))
			return true;
	return false;
}

unsigned long ps_hash_str(const char *s)
{
	unsigned long h = 14695981039346656037UL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211UL;
	return h;
}

bool ps_kernel_at_least(unsigned int major, unsigned int minor)
{
	struct utsname u;
	unsigned int ma = 0, mi = 0;

	return !uname(&u) && sscanf(u.release, "%u.%u", &ma, &mi) == 2 &&
	       (ma > major || (ma == major && mi >= minor));
}
