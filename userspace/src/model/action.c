// SPDX-License-Identifier: GPL-2.0-only
/*
 * Actions, the model's verdicts: their names, their keywords and their
 * equality, one place for every reader, writer and the compiler (which
 * may not call up into a reader for them).
 */
#include <stdio.h>
#include <string.h>

#include "policy.h"

bool ps_action_equal(const struct ps_action *a, const struct ps_action *b)
{
	return a->type == b->type &&
	       (a->type != PS_ACT_ERRNO || a->errnum == b->errnum);
}

const char *ps_action_name(const struct ps_action *a, char *buf, size_t len)
{
	switch (a->type) {
	case PS_ACT_ALLOW:
		return "allow";
	case PS_ACT_KILL_PROCESS:
		return "kill-process";
	case PS_ACT_KILL_THREAD:
		return "kill-thread";
	case PS_ACT_TRAP:
		return "trap";
	case PS_ACT_LOG:
		return "log";
	case PS_ACT_ERRNO:
		/* 0 and numbers without a name (up to 4095) are written out */
		if (ps_errno_name(a->errnum))
			snprintf(buf, len, "errno:%s",
				 ps_errno_name(a->errnum));
		else
			snprintf(buf, len, "errno:%d", a->errnum);
		return buf;
	}
	return "?";
}

int ps_errno_value(const char *s)
{
	uint64_t v;
	int e = ps_errno_lookup(s);

	if (e > 0)
		return e;
	if (ps_parse_u64(s, &v) && v <= 4095)
		return (int)v;
	return -1;
}

/* The action keywords of policies and of --default-action. */
static const struct {
	const char *name;
	enum ps_action_type type;
} action_keywords[] = {
	{ "allow", PS_ACT_ALLOW },
	{ "kill-process", PS_ACT_KILL_PROCESS },
	{ "kill", PS_ACT_KILL_PROCESS },
	{ "kill-thread", PS_ACT_KILL_THREAD },
	{ "trap", PS_ACT_TRAP },
	{ "log", PS_ACT_LOG },
	{ "errno", PS_ACT_ERRNO },
};

bool ps_action_keyword(const char *name, enum ps_action_type *type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(action_keywords); i++) {
		if (!strcmp(name, action_keywords[i].name)) {
			*type = action_keywords[i].type;
			return true;
		}
	}
	return false;
}

/* ACTION on the command line: kill-process, errno:EPERM, errno:1, ... */
int ps_parse_action(const char *s, struct ps_action *out)
{
	memset(out, 0, sizeof(*out));
	if (ps_action_keyword(s, &out->type) && out->type != PS_ACT_ERRNO)
		return 0;
	if (!strncmp(s, "errno:", 6) || !strncmp(s, "errno=", 6)) {
		out->type = PS_ACT_ERRNO;
		out->errnum = ps_errno_value(s + 6);
		return out->errnum < 0 ? -1 : 0;
	}
	return -1;
}
