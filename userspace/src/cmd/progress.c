// SPDX-License-Identifier: GPL-2.0-only
/* A progress line on a terminal (progress.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* Only interrupts the caller's wait (no SA_RESTART): see progress.h. */
static void tick(int sig)
{
	(void)sig;
}

void ps_progress_start(struct ps_progress *p, int fd)
{
	const char *term = getenv("TERM");
	struct sigaction sa = { .sa_handler = tick };
	struct itimerval every = { { 1, 0 }, { 1, 0 } };

	p->fd = isatty(fd) && !(term && !strcmp(term, "dumb")) ? fd : -1;
	p->start_ms = now_ms();
	p->next_ms = p->start_ms + PS_PROGRESS_AFTER_MS;
	p->shown = false;
	if (p->fd < 0)
		return;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, &p->old_alarm) < 0 ||
	    setitimer(ITIMER_REAL, &every, NULL) < 0)
		p->fd = -1;
}

bool ps_progress_due(struct ps_progress *p)
{
	uint64_t t;

	if (p->fd < 0)
		return false;
	t = now_ms();
	if (t < p->next_ms)
		return false;
	p->next_ms = t + 1000;
	return true;
}

uint64_t ps_progress_elapsed_ms(const struct ps_progress *p)
{
	return now_ms() - p->start_ms;
}

void ps_progress_show(struct ps_progress *p, const char *text)
{
	if (p->fd < 0)
		return;
	/* one write: the command shares the terminal */
	dprintf(p->fd, "\r\033[K%s", text);
	p->shown = true;
}

void ps_progress_end(struct ps_progress *p)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	if (p->fd < 0)
		return;
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &p->old_alarm, NULL);
	if (p->shown)
		dprintf(p->fd, "\r\033[K");
	p->shown = false;
	p->fd = -1;
}
