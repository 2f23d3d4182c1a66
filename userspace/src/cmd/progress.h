/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A progress line for long runs (pinscope learn): on a terminal only, so
 * that logs and pipes get nothing but what they got before; redrawn in
 * place ("\r", erase line) at most once a second, and only once the run
 * has lasted PS_PROGRESS_AFTER_MS, so a short run prints none at all.
 * While on, SIGALRM comes every second without SA_RESTART, so a caller
 * blocked in a wait (waitpid) returns EINTR and can redraw the line even
 * when nothing else happens.
 */
#ifndef PINSCOPE_PROGRESS_H
#define PINSCOPE_PROGRESS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#define PS_PROGRESS_AFTER_MS 2000

struct ps_progress {
	int fd; /* the terminal, or -1: off */
	uint64_t start_ms, next_ms;
	bool shown; /* a line is on the screen */
	struct sigaction old_alarm;
};

/*
 * On when FD is a terminal (and TERM is not "dumb"): the clock starts,
 * and the timer. ps_progress_end() stops it.
 */
void ps_progress_start(struct ps_progress *p, int fd);

/* Whether a line is due now: cheap enough to ask at every event. */
bool ps_progress_due(struct ps_progress *p);

/* Draws TEXT (one line, no newline) over the last one. */
void ps_progress_show(struct ps_progress *p, const char *text);

/* Erases the line, so what follows starts on a clean one; stops the timer. */
void ps_progress_end(struct ps_progress *p);

/* The milliseconds since ps_progress_start(). */
uint64_t ps_progress_elapsed_ms(const struct ps_progress *p);

#endif
