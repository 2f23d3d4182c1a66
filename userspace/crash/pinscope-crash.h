/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libpinscope-crash: a crash handler that works under ptrace scope 1.
 *
 * pinscope_crash_install() arms SIGSEGV, SIGBUS, SIGILL, SIGFPE and
 * SIGABRT. On a crash the handler starts the reporter (`pinscope
 * crash-report`), names it with PR_SET_PTRACER so it may attach although it
 * is not an ancestor, waits for its report (at most
 * PINSCOPE_CRASH_WAIT_SECONDS, then it is killed), then lets the signal
 * take its course, so the exit status and any core dump are as they would
 * have been. The report goes to the program's standard error.
 */
#ifndef PINSCOPE_CRASH_H
#define PINSCOPE_CRASH_H

#ifdef __cplusplus
extern "C" {
#endif

#define PINSCOPE_CRASH_WAIT_SECONDS 10

/*
 * 0, or -1 with errno set (ENOENT: no reporter found). Call it early: the
 * alternate signal stack, which lets a stack overflow be reported, is the
 * calling thread's.
 */
int pinscope_crash_install(void);

#ifdef __cplusplus
}
#endif

#endif
