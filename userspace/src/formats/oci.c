// SPDX-License-Identifier: GPL-2.0-only
/*
 * The OCI profile reader: a runtime-spec seccomp object (or a Docker or
 * Podman profile file) into the policy model, with the meaning runc and
 * Docker give it. JSON is parsed by json-c, which keeps unsigned 64-bit
 * integers (values and masks need them; jansson stops at 2^63).
 *
 * What is read (unknown members are errors, so a misspelt key is never
 * silently ignored; "comment" is skipped; Go's null stands for an empty
 * list):
 *
 *   profile := { "defaultAction": ACTION, "defaultErrnoRet"?: UINT,
 *                "defaultErrno"?: ERRNO,
 *                "architectures"?: [ARCH...] | "archMap"?: [ARCHMAP...],
 *                "flags"?: [FLAG...], "listenerPath"?: STRING,
 *                "listenerMetadata"?: STRING, "syscalls"?: [ENTRY...] }
 *   ARCHMAP := { "architecture": ARCH, "subArchitectures": [ARCH...] }
 *   ENTRY   := { "names": [NAME...] | "name": NAME, "action": ACTION,
 *                "errnoRet"?: UINT, "errno"?: ERRNO, "args"?: [ARG...],
 *                "includes"?: FILTER, "excludes"?: FILTER }
 *   FILTER  := { "caps"?: [CAP...], "arches"?: [GOARCH...],
 *                "minKernel"?: "KERNEL.MAJOR" (Docker's: 0-255 each) }
 *   ERRNO   := "" | "38" | "ENOSYS" (Podman's: replaces errnoRet)
 *   ARG     := { "index": 0..5, "value": UINT64, "valueTwo"?: UINT64,
 *                "op": "SCMP_CMP_" NE|LT|LE|EQ|GE|GT|MASKED_EQ }
 *
 * Meaning, as runc and Docker give it:
 * - ACTION: SCMP_ACT_ALLOW, ERRNO (errnoRet, default EPERM), KILL (which
 *   libseccomp and runc take as KILL_THREAD), KILL_THREAD, KILL_PROCESS,
 *   TRAP, LOG. SCMP_ACT_TRACE and SCMP_ACT_NOTIFY are refused: pinscope
 *   runs no tracer and keeps its listener for the launcher. An errnoRet
 *   on an action without an errno is an error, as the spec says.
 * - Architectures: x86_64 always (libseccomp's native one). i386 and x32
 *   are admitted (as --arch all) when the profile names both, through
 *   architectures or the archMap entry of SCMP_ARCH_X86_64; naming one
 *   of them alone admits neither (pinscope's filter takes both or none;
 *   narrower is the safe side), which --verbose says.
 * - flags: SECCOMP_FILTER_FLAG_TSYNC is what pinscope does anyway (the
 *   filter is loaded before the command has threads, or with TSYNC by the
 *   preload library); LOG and SPEC_ALLOW go to seccomp(2), and no flags at
 *   all means SPEC_ALLOW (runc's default); WAIT_KILLABLE_RECV is refused.
 * - an entry with both name and names is an error (Docker's); one whose
 *   action is the default's is dropped (runc, crun), its names counted
 *   for runc's ENOSYS rule (enosys.c) like every other name.
 * - args: comparisons of distinct arguments all hold (AND); when one
 *   argument index appears twice, runc adds each comparison as a rule of
 *   its own, so any one holds (OR): the same here. MASKED_EQ is
 *   (arg & value) == valueTwo, valueTwo 0 when absent.
 * - includes/excludes (Docker's): an entry counts unless excludes names a
 *   capability the command has, or arches names amd64, or minKernel is at
 *   most the running kernel; and only if includes' caps are all held, its
 *   arches name amd64 and its minKernel is at most the running kernel.
 *   The capabilities are a Docker container's unless --oci-caps says.
 * - names pinscope's x86_64 table (Linux 6.12's) does not have are
 *   skipped, as runc skips the ones libseccomp does not resolve
 *   (--verbose lists them).
 * - Order: the runtime-spec gives entries no priority, and where two
 *   entries of one syscall with different actions both hold, what runc
 *   does is libseccomp's internal choice, which changed between its
 *   versions. pinscope takes the profile's order (the order runc adds the
 *   rules in, and the one a reader reads): the first entry that holds
 *   decides. Profiles whose entries do not overlap (Docker's, Podman's)
 *   mean the same either way.
 */
#include <errno.h>
#include <json-c/json.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "oci.h"
#include "syscalls.h"

#define MAX_PROFILE_SIZE (4 << 20)

struct reader {
	struct ps_policy *p;
	const struct ps_oci_options *opt;
	const char *file; /* owned by p->files */
	uint64_t caps;
	int kernel[3];
	int errors;
};

/*
 * Where a value sits in the profile, "$.syscalls[3].args[0].op": a chain
 * on the readers' stacks, spelt out only when a message names it (a
 * profile that reads cleanly spells none; formatting every path cost the
 * reader a tenth of its time). NULL is the root, "$".
 */
struct jpath {
	const struct jpath *up;
	const char *key; /* a member; NULL: element INDEX of an array */
	size_t index;
};

#define JKEY(up_, key_) (&(const struct jpath){ (up_), (key_), 0 })
#define JIDX(up_, i_) (&(const struct jpath){ (up_), NULL, (i_) })

/* PATH into BUF (LEN > 0), cut short if it does not fit; the length written. */
static size_t path_text(const struct jpath *path, char *buf, size_t len)
{
	size_t at = path ? path_text(path->up, buf, len) : 0;
	int n;

	if (!path)
		n = snprintf(buf, len, "$");
	else if (path->key)
		n = snprintf(buf + at, len - at, ".%s", path->key);
	else
		n = snprintf(buf + at, len - at, "[%zu]", path->index);
	at += n > 0 ? (size_t)n : 0;
	return at < len ? at : len - 1;
}

static void oci_error(struct reader *r, const struct jpath *path,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void oci_error(struct reader *r, const struct jpath *path,
		      const char *fmt, ...)
{
	struct ps_loc loc = { r->file, 0, 0 };
	char msg[512], where[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	path_text(path, where, sizeof(where));
	ps_error_at(&loc, "%s: %s", where, msg);
	r->errors++;
	r->p->errors++;
}

/* ---- capabilities ---- */

#define CAP(x)        \
	{             \
#x, x \
	}
static const struct {
	const char *name;
	int nr;
} cap_names[] = {
	CAP(CAP_CHOWN),
	CAP(CAP_DAC_OVERRIDE),
	CAP(CAP_DAC_READ_SEARCH),
	CAP(CAP_FOWNER),
	CAP(CAP_FSETID),
	CAP(CAP_KILL),
	CAP(CAP_SETGID),
	CAP(CAP_SETUID),
	CAP(CAP_SETPCAP),
	CAP(CAP_LINUX_IMMUTABLE),
	CAP(CAP_NET_BIND_SERVICE),
	CAP(CAP_NET_BROADCAST),
	CAP(CAP_NET_ADMIN),
	CAP(CAP_NET_RAW),
	CAP(CAP_IPC_LOCK),
	CAP(CAP_IPC_OWNER),
	CAP(CAP_SYS_MODULE),
	CAP(CAP_SYS_RAWIO),
	CAP(CAP_SYS_CHROOT),
	CAP(CAP_SYS_PTRACE),
	CAP(CAP_SYS_PACCT),
	CAP(CAP_SYS_ADMIN),
	CAP(CAP_SYS_BOOT),
	CAP(CAP_SYS_NICE),
	CAP(CAP_SYS_RESOURCE),
	CAP(CAP_SYS_TIME),
	CAP(CAP_SYS_TTY_CONFIG),
	CAP(CAP_MKNOD),
	CAP(CAP_LEASE),
	CAP(CAP_AUDIT_WRITE),
	CAP(CAP_AUDIT_CONTROL),
	CAP(CAP_SETFCAP),
	CAP(CAP_MAC_OVERRIDE),
	CAP(CAP_MAC_ADMIN),
	CAP(CAP_SYSLOG),
	CAP(CAP_WAKE_ALARM),
	CAP(CAP_BLOCK_SUSPEND),
	CAP(CAP_AUDIT_READ),
	CAP(CAP_PERFMON),
	CAP(CAP_BPF),
	CAP(CAP_CHECKPOINT_RESTORE),
};

static int cap_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cap_names); i++)
		if (!strcasecmp(cap_names[i].name, name))
			return cap_names[i].nr;
	return -1;
}

/*
 * A Docker container's capabilities unless --cap-add or --cap-drop (moby
 * oci/caps/defaults.go, DefaultCapabilities): what Docker's and Podman's
 * profiles write their includes and excludes against.
 */
static const int docker_caps[] = {
	CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FSETID,	     CAP_FOWNER,
	CAP_MKNOD,   CAP_NET_RAW,      CAP_SETGID,	     CAP_SETUID,
	CAP_SETFCAP, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
	CAP_KILL,    CAP_AUDIT_WRITE,
};

uint64_t ps_oci_docker_caps(void)
{
	uint64_t caps = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(docker_caps); i++)
		caps |= 1ULL << docker_caps[i];
	return caps;
}

const char *ps_oci_caps_text(uint64_t caps, char *buf, size_t len)
{
	size_t i, at = 0;

	if (caps == ps_oci_docker_caps()) {
		snprintf(buf, len, "docker");
		return buf;
	}
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(cap_names) && at < len; i++)
		if (caps >> cap_names[i].nr & 1)
			at += (size_t)snprintf(buf + at, len - at, "%s%s",
					       at ? "," : "",
					       cap_names[i].name);
	if (!at)
		snprintf(buf, len, "none");
	return buf;
}

int ps_oci_parse_caps(const char *list, uint64_t *caps)
{
	char *copy = xstrdup(list), *save = NULL, *item;
	int ret = 0;

	*caps = 0;
	if (!strcmp(list, "none")) {
		free(copy);
		return 0;
	}
	for (item = strtok_r(copy, ", \t", &save); item;
	     item = strtok_r(NULL, ", \t", &save)) {
		char *name = strncasecmp(item, "CAP_", 4) ?
				     xasprintf("CAP_%s", item) :
				     xstrdup(item);
		int nr = cap_lookup(name);

		if (!strcmp(item, "docker")) {
			*caps |= ps_oci_docker_caps();
		} else if (!strcmp(item, "own")) {
			*caps |= ps_oci_own_caps();
		} else if (nr < 0) {
			ps_warn("unknown capability '%s' in --oci-caps", item);
			ret = -1;
		} else {
			*caps |= 1ULL << nr;
		}
		free(name);
	}
	free(copy);
	return ret;
}

uint64_t ps_oci_own_caps(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3,
						0 };
	struct __user_cap_data_struct data[2];
	uint64_t caps = 0;
	int i;

	if (geteuid() != 0) {
		for (i = 0; i < 64; i++)
			if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, i, 0,
				  0) == 1)
				caps |= 1ULL << i;
		return caps;
	}
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return 0;
	return (uint64_t)data[0].effective | (uint64_t)data[1].effective << 32;
}

/* ---- kernel versions ---- */

/* "4.8", "6.1.0-13-amd64": the first three numbers, missing ones 0 */
static bool parse_release(const char *s, int v[3])
{
	int i;

	for (i = 0; i < 3; i++)
		v[i] = 0;
	for (i = 0; i < 3; i++) {
		char *end;
		long n;

		if (*s < '0' || *s > '9')
			return i > 0;
		n = strtol(s, &end, 10);
		if (n > 100000)
			return false;
		v[i] = (int)n;
		s = end;
		if (*s != '.')
			return true;
		s++;
	}
	return true;
}

/*
 * minKernel as Docker reads it (moby/profiles seccomp.go, KernelVersion's
 * UnmarshalJSON): "" is version 0.0, which every kernel has reached;
 * anything else is exactly KERNEL.MAJOR, each a decimal from 0 to 255
 * (strconv.ParseUint(s, 10, 8): digits only), and not 0.0. Only those
 * two numbers are compared with the running kernel's.
 */
static bool docker_kernel_version(const char *s, int v[3])
{
	const char *dot = strchr(s, '.');
	int i;

	v[0] = v[1] = v[2] = 0;
	if (!*s)
		return true;
	if (!dot || strchr(dot + 1, '.'))
		return false;
	for (i = 0; i < 2; i++) {
		const char *from = i ? dot + 1 : s,
			   *to = i ? s + strlen(s) : dot;
		const char *c;

		if (from == to)
			return false;
		for (c = from; c < to; c++) {
			if (*c < '0' || *c > '9')
				return false;
			v[i] = v[i] * 10 + (*c - '0');
			if (v[i] > 255)
				return false;
		}
	}
	return v[0] || v[1];
}

static bool kernel_at_least(const struct reader *r, const int want[3])
{
	int i;

	for (i = 0; i < 3; i++)
		if (r->kernel[i] != want[i])
			return r->kernel[i] > want[i];
	return true;
}

/* ---- typed members ---- */

static bool get_uint(struct reader *r, json_object *v, const struct jpath *path,
		     uint64_t max, uint64_t *out)
{
	if (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0) {
		oci_error(r, path, "expected an unsigned integer, found %s",
			  json_object_to_json_string(v));
		return false;
	}
	*out = json_object_get_uint64(v);
	if (*out > max) {
		oci_error(r, path, "%llu is above %llu",
			  (unsigned long long)*out, (unsigned long long)max);
		return false;
	}
	return true;
}

static const char *get_string(struct reader *r, json_object *v,
			      const struct jpath *path)
{
	if (!json_object_is_type(v, json_type_string)) {
		oci_error(r, path, "expected a string, found %s",
			  json_object_to_json_string(v));
		return NULL;
	}
	return json_object_get_string(v);
}

/* An array, or Go's null for an empty one; NULL after an error. */
static bool get_array(struct reader *r, json_object *v,
		      const struct jpath *path, size_t *n)
{
	if (!v) {
		*n = 0;
		return true;
	}
	if (!json_object_is_type(v, json_type_array)) {
		oci_error(r, path, "expected an array, found %s",
			  json_object_to_json_string(v));
		return false;
	}
	*n = json_object_array_length(v);
	return true;
}

/* Every member of OBJ is one of KEYS; else an error naming it. */
static bool check_members(struct reader *r, json_object *obj,
			  const struct jpath *path, const char *const *keys)
{
	bool ok = true;

	if (!json_object_is_type(obj, json_type_object)) {
		oci_error(r, path, "expected an object, found %s",
			  json_object_to_json_string(obj));
		return false;
	}
	json_object_object_foreach(obj, key, val)
	{
		const char *const *k;

		(void)val;
		for (k = keys; *k && strcmp(*k, key); k++)
			;
		if (!*k) {
			oci_error(r, path, "unknown member \"%s\"", key);
			ok = false;
		}
	}
	return ok;
}

static json_object *member(json_object *obj, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(obj, key, &v))
		return NULL;
	/* Go writes absent lists and objects as null */
	return json_object_is_type(v, json_type_null) ? NULL : v;
}

/* ---- actions ---- */

/*
 * Podman's (containers-common's) errno string, which it reads in place of
 * the errnoRet beside it when not empty (pkg/seccomp getErrno): a decimal
 * number, or an errno name. -1 after an error; 0 with *SET false when
 * absent or empty.
 */
static int podman_errno(struct reader *r, json_object *obj,
			const struct jpath *path, const char *key,
			uint64_t *err, bool *set)
{
	json_object *v = member(obj, key);
	const struct jpath *p = JKEY(path, key);
	const char *s;
	char *end;

	*set = false;
	if (!v)
		return 0;
	s = get_string(r, v, p);
	if (!s)
		return -1;
	if (!*s)
		return 0;
	errno = 0;
	*err = strtoull(s, &end, 10);
	if (*s >= '0' && *s <= '9' && !*end && !errno) {
		if (*err > 4095) {
			oci_error(
				r, p,
				"%s is above 4095, the most SECCOMP_RET_DATA of an errno carries",
				s);
			return -1;
		}
	} else if (ps_errno_lookup(s) > 0) {
		*err = (uint64_t)ps_errno_lookup(s);
	} else {
		oci_error(
			r, p,
			"unknown errno '%s' (a number or a name such as ENOSYS)",
			s);
		return -1;
	}
	*set = true;
	return 0;
}

static bool get_action(struct reader *r, json_object *obj,
		       const struct jpath *path, const char *key,
		       const char *errno_key, const char *podman_key,
		       struct ps_action *a)
{
	json_object *v = member(obj, key), *e = member(obj, errno_key);
	const struct jpath *p = JKEY(path, key);
	const char *name;
	uint64_t err = EPERM, podman;
	bool podman_set;

	memset(a, 0, sizeof(*a));
	if (!v) {
		oci_error(r, path, "\"%s\" is required", key);
		return false;
	}
	name = get_string(r, v, p);
	if (!name)
		return false;
	if (!strcmp(name, "SCMP_ACT_ALLOW")) {
		a->type = PS_ACT_ALLOW;
	} else if (!strcmp(name, "SCMP_ACT_ERRNO")) {
		a->type = PS_ACT_ERRNO;
	} else if (!strcmp(name, "SCMP_ACT_KILL") ||
		   !strcmp(name, "SCMP_ACT_KILL_THREAD")) {
		a->type = PS_ACT_KILL_THREAD; /* libseccomp's SCMP_ACT_KILL */
	} else if (!strcmp(name, "SCMP_ACT_KILL_PROCESS")) {
		a->type = PS_ACT_KILL_PROCESS;
	} else if (!strcmp(name, "SCMP_ACT_TRAP")) {
		a->type = PS_ACT_TRAP;
	} else if (!strcmp(name, "SCMP_ACT_LOG")) {
		a->type = PS_ACT_LOG;
	} else if (!strcmp(name, "SCMP_ACT_TRACE")) {
		oci_error(
			r, p,
			"SCMP_ACT_TRACE cannot be honoured: pinscope runs no tracer (without one the kernel fails the call with ENOSYS: SCMP_ACT_ERRNO with errnoRet 38 says that)");
		return false;
	} else if (!strcmp(name, "SCMP_ACT_NOTIFY")) {
		oci_error(
			r, p,
			"SCMP_ACT_NOTIFY cannot be honoured: it needs a seccomp agent (listenerPath), and pinscope's launcher keeps the listener for itself");
		return false;
	} else {
		oci_error(
			r, p,
			"unknown action '%s' (SCMP_ACT_ALLOW, ERRNO, KILL, KILL_THREAD, KILL_PROCESS, TRAP, LOG)",
			name);
		return false;
	}
	if (e) {
		const struct jpath *ep = JKEY(path, errno_key);

		if (a->type != PS_ACT_ERRNO) {
			oci_error(r, ep, "%s takes no errno", name);
			return false;
		}
		if (!get_uint(r, e, ep, 4095, &err))
			return false;
	}
	if (podman_errno(r, obj, path, podman_key, &podman, &podman_set) < 0)
		return false;
	if (podman_set && a->type != PS_ACT_ERRNO) {
		oci_error(r, path, "\"%s\" with %s, which takes no errno",
			  podman_key, name);
		return false;
	}
	if (podman_set)
		err = podman;
	a->errnum = a->type == PS_ACT_ERRNO ? (int)err : 0;
	return true;
}

/* ---- architectures and flags ---- */

static const char *const known_arches[] = {
	"SCMP_ARCH_X86",	 "SCMP_ARCH_X86_64",  "SCMP_ARCH_X32",
	"SCMP_ARCH_ARM",	 "SCMP_ARCH_AARCH64", "SCMP_ARCH_LOONGARCH64",
	"SCMP_ARCH_M68K",	 "SCMP_ARCH_MIPS",    "SCMP_ARCH_MIPS64",
	"SCMP_ARCH_MIPS64N32",	 "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64",
	"SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",     "SCMP_ARCH_PPC64",
	"SCMP_ARCH_PPC64LE",	 "SCMP_ARCH_S390",    "SCMP_ARCH_S390X",
	"SCMP_ARCH_SH",		 "SCMP_ARCH_SHEB",    "SCMP_ARCH_PARISC",
	"SCMP_ARCH_PARISC64",	 "SCMP_ARCH_RISCV64", NULL,
};

/* Notes ARCH (x86 and x32 matter); false for an unknown name. */
static bool note_arch(struct reader *r, json_object *v,
		      const struct jpath *path, bool *x86, bool *x32)
{
	const char *name = get_string(r, v, path);
	const char *const *k;

	if (!name)
		return false;
	for (k = known_arches; *k && strcmp(*k, name); k++)
		;
	if (!*k) {
		oci_error(r, path, "unknown architecture '%s'", name);
		return false;
	}
	*x86 |= !strcmp(name, "SCMP_ARCH_X86");
	*x32 |= !strcmp(name, "SCMP_ARCH_X32");
	return true;
}

static void read_arches(struct reader *r, json_object *prof)
{
	const struct jpath *pa = JKEY(NULL, "architectures");
	const struct jpath *pm = JKEY(NULL, "archMap");
	json_object *archs = member(prof, "architectures");
	json_object *map = member(prof, "archMap");
	bool x86 = false, x32 = false;
	size_t i, j, n, m;

	if (archs && map) {
		oci_error(
			r, NULL,
			"both \"architectures\" and \"archMap\": Docker takes one or the other");
		return;
	}
	if (!get_array(r, archs, pa, &n))
		return;
	for (i = 0; i < n; i++)
		note_arch(r, json_object_array_get_idx(archs, i), JIDX(pa, i),
			  &x86, &x32);
	if (!get_array(r, map, pm, &n))
		return;
	for (i = 0; i < n; i++) {
		static const char *const keys[] = { "architecture",
						    "subArchitectures", NULL };
		json_object *e = json_object_array_get_idx(map, i), *a, *subs;
		const struct jpath *p = JIDX(pm, i);
		const char *name;

		if (!check_members(r, e, p, keys))
			continue;
		a = member(e, "architecture");
		subs = member(e, "subArchitectures");
		if (!a) {
			oci_error(r, p, "\"architecture\" is required");
			continue;
		}
		name = get_string(r, a, p);
		/* Docker uses the entry of the machine it runs on */
		if (!name || strcmp(name, "SCMP_ARCH_X86_64"))
			continue;
		if (!get_array(r, subs, p, &m))
			continue;
		for (j = 0; j < m; j++)
			note_arch(r, json_object_array_get_idx(subs, j),
				  JIDX(JKEY(p, "subArchitectures"), j), &x86,
				  &x32);
	}
	r->p->arch_all = x86 && x32;
	if (r->opt->verbose && x86 != x32)
		ps_note_at(
			&(struct ps_loc){ r->file, 0, 0 },
			"the profile admits %s but not %s: pinscope admits both or neither, so neither (native x86_64 only; --arch all admits both)",
			x86 ? "i386" : "x32", x86 ? "x32" : "i386");
}

static void read_flags(struct reader *r, json_object *prof)
{
	const struct jpath *pf = JKEY(NULL, "flags");
	json_object *flags = member(prof, "flags");
	size_t i, n;

	/*
	 * No flags at all (absent or null, not []): runc loads the filter
	 * with SPEC_ALLOW (specconv's "set the default of
	 * LinuxSeccompFlagSpecAllow"), so the kernel does not force the
	 * store-bypass mitigation on the container; so does pinscope.
	 */
	if (!flags)
		r->p->oci_flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (!get_array(r, flags, pf, &n))
		return;
	for (i = 0; i < n; i++) {
		const struct jpath *p = JIDX(pf, i);
		const char *f =
			get_string(r, json_object_array_get_idx(flags, i), p);

		if (!f) {
		} else if (!strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC")) {
			/* loaded before the command has threads, or with TSYNC */
		} else if (!strcmp(f, "SECCOMP_FILTER_FLAG_LOG")) {
			/* the kernel logs every action but allow (runc, crun) */
			r->p->oci_flags |= SECCOMP_FILTER_FLAG_LOG;
		} else if (!strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW")) {
			/* no speculative store bypass mitigation forced */
			r->p->oci_flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
		} else if (!strcmp(f,
				   "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV")) {
			oci_error(
				r, p,
				"%s is not honoured by pinscope: it is about a listener, and pinscope's launcher keeps its own",
				f);
		} else {
			oci_error(r, p, "unknown flag '%s'", f);
		}
	}
}

/* ---- includes and excludes ---- */

struct cond_filter {
	bool any_caps, all_caps; /* holds one of caps; holds every one */
	bool has_caps, has_arches, has_kernel;
	bool amd64; /* arches names this machine */
	bool kernel_ok; /* the running kernel is minKernel+ */
};

static bool read_filter(struct reader *r, json_object *e, const char *key,
			const struct jpath *path, struct cond_filter *cf)
{
	static const char *const keys[] = { "caps", "arches", "minKernel",
					    NULL };
	json_object *f = member(e, key), *caps, *arches, *mk;
	const struct jpath *p = JKEY(path, key);
	const struct jpath *pc = JKEY(p, "caps"), *pa = JKEY(p, "arches");
	size_t i, n;

	memset(cf, 0, sizeof(*cf));
	cf->all_caps = true;
	if (!f)
		return true;
	if (!check_members(r, f, p, keys))
		return false;
	caps = member(f, "caps");
	arches = member(f, "arches");
	mk = member(f, "minKernel");
	if (!get_array(r, caps, p, &n))
		return false;
	cf->has_caps = n > 0;
	for (i = 0; i < n; i++) {
		const char *name = get_string(
			r, json_object_array_get_idx(caps, i), JIDX(pc, i));
		int nr;

		if (!name)
			return false;
		/* a capability newer than these headers is one nobody holds */
		nr = cap_lookup(name);
		if (nr >= 0 && (r->caps >> nr & 1))
			cf->any_caps = true;
		else
			cf->all_caps = false;
	}
	if (!get_array(r, arches, p, &n))
		return false;
	cf->has_arches = n > 0;
	for (i = 0; i < n; i++) {
		const char *name = get_string(
			r, json_object_array_get_idx(arches, i), JIDX(pa, i));

		if (!name)
			return false;
		/* Docker compares Go's GOARCH: amd64 on x86_64 */
		cf->amd64 |= !strcmp(name, "amd64");
	}
	if (mk) {
		const struct jpath *q = JKEY(p, "minKernel");
		const char *s = get_string(r, mk, q);
		int want[3] = { 0, 0, 0 };

		if (!s || !docker_kernel_version(s, want)) {
			if (s)
				oci_error(
					r, q,
					"invalid kernel version '%s', expected \"<kernel>.<major>\" (each 0-255, not 0.0), as Docker reads it",
					s);
			return false;
		}
		cf->has_kernel = true;
		cf->kernel_ok = kernel_at_least(r, want);
	}
	return true;
}

/* Docker's reading: excluded by any match, included only by all. */
static bool entry_counts(const struct cond_filter *inc,
			 const struct cond_filter *exc)
{
	if (exc->has_arches && exc->amd64)
		return false;
	if (exc->has_caps && exc->any_caps)
		return false;
	if (exc->has_kernel && exc->kernel_ok)
		return false;
	if (inc->has_arches && !inc->amd64)
		return false;
	if (inc->has_caps && !inc->all_caps)
		return false;
	if (inc->has_kernel && !inc->kernel_ok)
		return false;
	return true;
}

/* ---- entries ---- */

static const struct {
	const char *name;
	enum ps_op op;
} oci_ops[] = {
	{ "SCMP_CMP_NE", PS_OP_NE },
	{ "SCMP_CMP_LT", PS_OP_LT },
	{ "SCMP_CMP_LE", PS_OP_LE },
	{ "SCMP_CMP_EQ", PS_OP_EQ },
	{ "SCMP_CMP_GE", PS_OP_GE },
	{ "SCMP_CMP_GT", PS_OP_GT },
	{ "SCMP_CMP_MASKED_EQ", PS_OP_MASKED_EQ },
};

static bool read_arg(struct reader *r, json_object *a, const struct jpath *path,
		     struct ps_cmp *c)
{
	static const char *const keys[] = { "index", "value", "valueTwo", "op",
					    NULL };
	json_object *idx, *val, *two, *op;
	uint64_t index, value, value2 = 0;
	const struct jpath *p = JKEY(path, "op");
	const char *name;
	size_t i;

	memset(c, 0, sizeof(*c));
	if (!check_members(r, a, path, keys))
		return false;
	idx = member(a, "index");
	val = member(a, "value");
	two = member(a, "valueTwo");
	op = member(a, "op");
	if (!idx || !val || !op) {
		oci_error(r, path,
			  "\"index\", \"value\" and \"op\" are required");
		return false;
	}
	if (!get_uint(r, idx, JKEY(path, "index"), 5, &index) ||
	    !get_uint(r, val, JKEY(path, "value"), UINT64_MAX, &value) ||
	    (two &&
	     !get_uint(r, two, JKEY(path, "valueTwo"), UINT64_MAX, &value2)))
		return false;
	name = get_string(r, op, p);
	if (!name)
		return false;
	for (i = 0; i < ARRAY_SIZE(oci_ops); i++)
		if (!strcmp(oci_ops[i].name, name))
			break;
	if (i == ARRAY_SIZE(oci_ops)) {
		oci_error(
			r, p,
			"unknown operator '%s' (SCMP_CMP_NE, LT, LE, EQ, GE, GT, MASKED_EQ)",
			name);
		return false;
	}
	c->arg = (unsigned int)index;
	c->op = oci_ops[i].op;
	if (c->op == PS_OP_MASKED_EQ) {
		c->mask = value;
		c->value = value2;
	} else {
		c->value = value;
	}
	return true;
}

/* The entry's args as an expression, combined as runc combines them. */
static bool read_args(struct reader *r, json_object *e,
		      const struct jpath *path, struct ps_expr *cond)
{
	json_object *args = member(e, "args");
	const struct jpath *p = JKEY(path, "args");
	unsigned int count[6] = { 0 };
	struct ps_cmp *cmps;
	struct ps_conj all = { 0 };
	bool repeated = false, ok = true;
	size_t i, n;

	memset(cond, 0, sizeof(*cond));
	if (!get_array(r, args, p, &n))
		return false;
	if (!n) {
		ps_expr_set_true(cond);
		return true;
	}
	cmps = xcalloc(n, sizeof(*cmps));
	for (i = 0; i < n; i++) {
		if (read_arg(r, json_object_array_get_idx(args, i), JIDX(p, i),
			     &cmps[i]))
			repeated |= ++count[cmps[i].arg] > 1;
		else
			ok = false;
	}
	if (!ok) {
		free(cmps);
		return false;
	}
	if (repeated) {
		/* runc: each comparison a rule of its own */
		for (i = 0; i < n; i++) {
			struct ps_conj one = { 0 };

			ps_conj_add(&one, &cmps[i]);
			ps_expr_add_conj(cond, &one);
		}
	} else {
		for (i = 0; i < n; i++)
			ps_conj_add(&all, &cmps[i]);
		ps_expr_add_conj(cond, &all);
	}
	free(cmps);
	return true;
}

static const char *action_oci_name(const struct ps_action *a)
{
	switch (a->type) {
	case PS_ACT_ALLOW:
		return "SCMP_ACT_ALLOW";
	case PS_ACT_ERRNO:
		return "SCMP_ACT_ERRNO";
	case PS_ACT_KILL_THREAD:
		return "SCMP_ACT_KILL_THREAD";
	case PS_ACT_KILL_PROCESS:
		return "SCMP_ACT_KILL_PROCESS";
	case PS_ACT_TRAP:
		return "SCMP_ACT_TRAP";
	case PS_ACT_LOG:
		return "SCMP_ACT_LOG";
	}
	return "?";
}

/*
 * runc's ENOSYS rule (enosys.c) counts every name of the entries that
 * count, on each arch where it resolves, before anything is dropped.
 * NR: the name's numbers (ps_syscall_numbers), or NULL.
 */
static void note_last_nr(struct ps_policy *p, const int *nr)
{
	unsigned int a;

	for (a = 0; nr && a < PS_N_ARCH; a++)
		if (nr[a] > p->oci_last_nr[a])
			p->oci_last_nr[a] = nr[a];
}

/* NR (ps_syscall_numbers) as a rule: i386's own names where the profile admits i386 */
static int entry_nr(const struct reader *r, const int *nr)
{
	if (!nr)
		return -1;
	return r->p->arch_all ? ps_syscall_rule_nr(nr) : nr[PS_ARCH_NATIVE];
}

static void read_entry(struct reader *r, json_object *e, size_t index)
{
	static const char *const keys[] = { "names",	"name",	   "action",
					    "errnoRet", "args",	   "includes",
					    "excludes", "comment", "errno",
					    NULL };
	const struct jpath *path = JIDX(JKEY(NULL, "syscalls"), index);
	struct cond_filter inc, exc;
	struct ps_rule rule = { 0 };
	json_object *names, *name;
	char *skipped = NULL, *suffix = NULL;
	size_t i, n = 0, suffix_len;
	char where[64];
	bool drop;

	if (!check_members(r, e, path, keys))
		goto out;
	names = member(e, "names");
	name = member(e, "name");
	if (!get_array(r, names, path, &n))
		goto out;
	/* Docker (moby/profiles seccomp_linux.go) refuses the pair; Podman too */
	if (name && json_object_is_type(name, json_type_string) &&
	    *json_object_get_string(name) && n) {
		oci_error(
			r, path,
			"both \"name\" and \"names\": use either 'name' or 'names' (as Docker says)");
		goto out;
	}
	if (!n && !name) {
		oci_error(r, path, "\"names\" must name at least one syscall");
		goto out;
	}
	if (!get_action(r, e, path, "action", "errnoRet", "errno",
			&rule.then) ||
	    !read_filter(r, e, "includes", path, &inc) ||
	    !read_filter(r, e, "excludes", path, &exc) ||
	    !read_args(r, e, path, &rule.cond))
		goto out;
	path_text(path, where, sizeof(where));
	if (!entry_counts(&inc, &exc)) {
		if (r->opt->verbose)
			ps_note_at(
				&(struct ps_loc){ r->file, 0, 0 },
				"%s: left out by its includes or excludes (capabilities %#llx, kernel %d.%d)",
				where, (unsigned long long)r->caps,
				r->kernel[0], r->kernel[1]);
		goto out;
	}
	/*
	 * runc (matchCall: "This rule is redundant, silently skip it") and
	 * crun drop an entry whose action is the default's, conditions and
	 * all; under first-match it could shadow a later entry. Its names
	 * still count for the ENOSYS rule (runc counts them before).
	 */
	drop = r->p->default_set &&
	       ps_action_equal(&rule.then, &r->p->default_action);
	if (drop && r->opt->verbose)
		ps_note_at(
			&(struct ps_loc){ r->file, 0, 0 },
			"%s: dropped, its action is the default's (as runc and crun drop it)",
			where);
	rule.origin = PS_FROM_PROFILE;
	rule.loc.file = r->file;
	/* each rule's text is "NAME" and this: one format per entry */
	suffix = xasprintf(": %s%s (%s)", action_oci_name(&rule.then),
			   ps_expr_is_true(&rule.cond) ? "" : " if args",
			   where);
	suffix_len = strlen(suffix);
	for (i = 0; i < n + (name != NULL); i++) {
		json_object *v = i < n ? json_object_array_get_idx(names, i) :
					 name;
		struct ps_rule one = rule;
		const int *nr;
		const char *s;
		size_t len;

		if (!json_object_is_type(v, json_type_string)) {
			get_string(r, v,
				   i < n ? JIDX(JKEY(path, "names"), i) :
					   JKEY(path, "name"));
			goto out;
		}
		s = json_object_get_string(v);
		nr = ps_syscall_numbers(s);
		note_last_nr(r->p, nr);
		if (drop)
			continue;
		one.nr = entry_nr(r, nr);
		if (one.nr < 0) {
			/* a list only --verbose prints */
			if (r->opt->verbose) {
				char *more = xasprintf("%s%s%s",
						       skipped ? skipped : "",
						       skipped ? ", " : "", s);

				free(skipped);
				skipped = more;
			}
			continue;
		}
		ps_expr_copy(&one.cond, &rule.cond);
		len = strlen(s);
		one.text = xmalloc(len + suffix_len + 1);
		memcpy(one.text, s, len);
		memcpy(one.text + len, suffix, suffix_len + 1);
		PS_PUSH(r->p->rules, r->p->n, r->p->cap);
		r->p->rules[r->p->n++] = one;
	}
	if (skipped && r->opt->verbose)
		ps_note_at(
			&(struct ps_loc){ r->file, 0, 0 },
			"%s: skipped, not syscalls of x86_64%s up to Linux 6.12: %s",
			where, r->p->arch_all ? " or i386" : "", skipped);
out:
	free(skipped);
	free(suffix);
	ps_expr_free(&rule.cond);
}

/* ---- the file ---- */

static void loc_of(const char *text, size_t off, struct ps_loc *loc)
{
	size_t i;

	loc->line = 1;
	loc->col = 1;
	for (i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			loc->line++;
			loc->col = 1;
		} else {
			loc->col++;
		}
	}
}

/*
 * json-c saturates an integer beyond 64 bits instead of refusing it, so
 * such numbers are found in the text first, outside strings.
 */
static bool find_big_integer(const char *text, size_t len, size_t *at)
{
	bool in_string = false;
	size_t i = 0;

	while (i < len) {
		char c = text[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
			i++;
			continue;
		}
		if (c == '"') {
			in_string = true;
			i++;
			continue;
		}
		if (c >= '0' && c <= '9') {
			size_t start = i, digits;

			while (i < len && text[i] >= '0' && text[i] <= '9')
				i++;
			digits = i - start;
			while (digits > 1 && text[start] == '0')
				start++, digits--;
			if (digits > 20 ||
			    (digits == 20 &&
			     memcmp(text + start, "18446744073709551615", 20) >
				     0)) {
				*at = start;
				return true;
			}
			continue;
		}
		i++;
	}
	return false;
}

static json_object *parse_json(struct reader *r, const char *text, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct ps_loc loc = { r->file, 0, 0 };
	json_object *root;
	size_t end, at;

	if (find_big_integer(text, len, &at)) {
		loc_of(text, at, &loc);
		/* 2^64 itself, as a double prints it: a rounded mask */
		ps_error_at(
			&loc, "integer above 2^64-1%s",
			!strncmp(text + at, "18446744073709552000", 20) ?
				" (a value rounded to a double, as jq 1.6 and JavaScript do above 2^53: it cannot be read back)" :
				"");
		goto fail;
	}
	/* no trailing commas, single quotes or comments: JSON as Go reads it */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (!root) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		loc_of(text, end, &loc);
		ps_error_at(&loc, "bad JSON: %s",
			    e == json_tokener_continue ?
				    "unexpected end of file" :
				    json_tokener_error_desc(e));
		goto fail;
	}
	/* TEXT need not end in a NUL (ps_oci_load_buffer): no strspn */
	while (end < len && (text[end] == ' ' || text[end] == '\t' ||
			     text[end] == '\r' || text[end] == '\n'))
		end++;
	if (end < len) {
		json_object_put(root);
		loc_of(text, end, &loc);
		ps_error_at(&loc, "bad JSON: more after the profile's object");
		goto fail;
	}
	json_tokener_free(tok);
	return root;
fail:
	json_tokener_free(tok);
	r->errors++;
	r->p->errors++;
	return NULL;
}

int ps_oci_load_buffer(struct ps_policy *p, const char *name, const char *text,
		       size_t len, const struct ps_oci_options *o)
{
	static const char *const keys[] = { "defaultAction",
					    "defaultErrnoRet",
					    "defaultErrno",
					    "comment",
					    "architectures",
					    "archMap",
					    "flags",
					    "listenerPath",
					    "listenerMetadata",
					    "syscalls",
					    NULL };
	struct reader r = { .p = p, .opt = o };
	struct utsname u;
	json_object *root, *sc;
	size_t i, n;

	PS_PUSH(p->files, p->n_files, p->cap_files);
	p->files[p->n_files] = xstrdup(name);
	r.file = p->files[p->n_files++];
	/* a container's capabilities, Docker's unless told (issue 22) */
	r.caps = o->caps_set ? o->caps : ps_oci_docker_caps();
	p->oci_caps = r.caps;
	if (o->kernel)
		parse_release(o->kernel, r.kernel);
	else if (!uname(&u))
		parse_release(u.release, r.kernel);
	root = parse_json(&r, text, len);
	if (!root)
		return -1;
	if (!check_members(&r, root, NULL, keys))
		goto out;
	if (get_action(&r, root, NULL, "defaultAction", "defaultErrnoRet",
		       "defaultErrno", &p->default_action))
		p->default_set = true;
	p->oci_enosys = true;
	read_arches(&r, root);
	read_flags(&r, root);
	sc = member(root, "syscalls");
	if (get_array(&r, sc, JKEY(NULL, "syscalls"), &n))
		for (i = 0; i < n; i++)
			read_entry(&r, json_object_array_get_idx(sc, i), i);
	p->any_allow_source = true;
out:
	json_object_put(root);
	return r.errors ? -1 : 0;
}

int ps_oci_load(struct ps_policy *p, const char *path,
		const struct ps_oci_options *o)
{
	char *text = NULL;
	const char *why;
	size_t len;
	int ret;

	why = ps_read_file(path, MAX_PROFILE_SIZE, &text, &len);
	if (why) {
		/* the file is named among the policy's, as a read one is */
		PS_PUSH(p->files, p->n_files, p->cap_files);
		p->files[p->n_files++] = xstrdup(path);
		ps_error_at(&(struct ps_loc){ path, 0, 0 },
			    "cannot read profile '%s': %s", path, why);
		p->errors++;
		return -1;
	}
	ret = ps_oci_load_buffer(p, path, text, len, o);
	free(text);
	return ret;
}

bool ps_oci_is_profile(const char *path)
{
	size_t len = strlen(path);
	const char *why;
	struct stat st;
	char buf[256];
	ssize_t n;
	int fd;

	if (len > 5 && !strcmp(path + len - 5, ".json"))
		return true;
	/* a FIFO is no profile, and must not block here: the policy reader refuses it */
	fd = ps_open_regular(path, &st, &why);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	for (len = 0; n > 0 && len < (size_t)n; len++)
		if (!strchr(" \t\n\r", buf[len]))
			return buf[len] == '{';
	return false;
}
