// SPDX-License-Identifier: GPL-2.0-only
/*
 * "did you mean": the nearest of a set of names to a misspelt one, for
 * options (cmd/cli.c), syscall names and groups (model/suggest.c).
 */
#include <string.h>

#include "util.h"

/*
 * Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions, the typo people make most), capped: names are short.
 */
static unsigned int distance(const char *a, const char *b)
{
	enum { MAX = 64 };
	unsigned int d[3][MAX + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > MAX || lb > MAX)
		return MAX;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		unsigned int *cur = d[i % 3], *prev = d[(i + 2) % 3],
			     *prev2 = d[(i + 1) % 3];

		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			unsigned int cost = a[i - 1] != b[j - 1];
			unsigned int best = prev[j - 1] + cost;

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
	}
	return d[la % 3][lb];
}

void ps_closest_init(struct ps_closest *c, const char *word)
{
	c->word = word;
	c->best = NULL;
	/* a third of the word, at least one edit, at most three */
	c->limit = strlen(word) / 3;
	if (c->limit < 1)
		c->limit = 1;
	if (c->limit > 3)
		c->limit = 3;
	c->dist = c->limit + 1;
}

void ps_closest_try(struct ps_closest *c, const char *name)
{
	unsigned int d;

	/* a prefix is the likeliest meaning: --pre for --preload */
	if (c->dist > 0 && strlen(c->word) >= 3 &&
	    !strncmp(name, c->word, strlen(c->word))) {
		c->best = name;
		c->dist = 0;
		return;
	}
	d = distance(c->word, name);
	if (d < c->dist && strcmp(c->word, name)) {
		c->best = name;
		c->dist = d;
	}
}
