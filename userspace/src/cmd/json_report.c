// SPDX-License-Identifier: GPL-2.0-only
/*
 * A command's --json report of its diagnostics (commands.h): kept, not
 * printed, while it works, then one JSON object. Apart from report.c so
 * the crash reporter, which prints, links no JSON library.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "commands.h"
#include "diag.h"

static const char *const severity_name[] = {
	[PS_ERROR] = "error",
	[PS_WARNING] = "warning",
	[PS_NOTE] = "note",
	[PS_MESSAGE] = "message",
};

/* One kept diagnostic as a JSON object; a field it lacks is left out. */
static struct json_object *diag_json(const struct ps_diag *d)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(
		o, "severity",
		json_object_new_string(severity_name[d->severity]));
	if (d->loc.file)
		json_object_object_add(o, "file",
				       json_object_new_string(d->loc.file));
	if (d->loc.line)
		json_object_object_add(o, "line",
				       json_object_new_int64(d->loc.line));
	if (d->loc.col)
		json_object_object_add(o, "col",
				       json_object_new_int64(d->loc.col));
	json_object_object_add(o, "message",
			       json_object_new_string(d->message));
	if (d->hint)
		json_object_object_add(o, "hint",
				       json_object_new_string(d->hint));
	return o;
}

void ps_report_json(FILE *out, bool ok, const struct ps_report_count *counts,
		    unsigned int n_counts)
{
	struct json_object *top = json_object_new_object();
	struct json_object *list = json_object_new_array();
	const struct ps_diag *d;
	unsigned int i, n;

	json_object_object_add(top, "ok", json_object_new_boolean(ok));
	for (i = 0; i < n_counts; i++)
		json_object_object_add(top, counts[i].key,
				       json_object_new_int64(counts[i].value));
	d = ps_diags(&n);
	for (i = 0; i < n; i++)
		json_object_array_add(list, diag_json(&d[i]));
	json_object_object_add(top, "diagnostics", list);
	fprintf(out, "%s\n",
		json_object_to_json_string_ext(
			top, JSON_C_TO_STRING_PLAIN |
				     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(top);
	ps_diags_clear();
}
