/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PINSCOPE_LAUNCH_H
#define PINSCOPE_LAUNCH_H

#include <linux/ioctl.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <sys/types.h>

#include "compile.h"

/*
 * Runs ARGV confined by F in exec mode and returns the exit status of the
 * command's contract: CMD's own, 128+signal, or 2/126/127 when CMD never
 * started.
 */
int ps_launch(struct ps_filter *f, char **argv);

struct ps_complain_hook;
/*
 * run --complain with Landlock rules: the same, F built with the
 * complain option and HOOK's calls in its notify option; the Landlock
 * rules are checked (a path that does not exist stops the run, as
 * ps_landlock_build() says) and not applied: HOOK is shown each call
 * instead (complain.h).
 */
int ps_launch_complain(struct ps_filter *f, char **argv,
		       const struct ps_complain_hook *hook);

/*
 * learn --via notify: ARGV runs as ps_launch() runs it, under F built
 * with the complain option (every call F refuses goes to the launcher
 * and then runs), and each such call is shown to W->note first, while
 * its caller still waits. The command's end is not passed on: it is
 * left in W for the caller, which writes what it learned before it ends
 * as the command did. The first SIGINT, SIGTERM or SIGHUP goes on to
 * the command, as pinscope run passes it on; a second one ends learning
 * (W->end_signal), as it ends learning by ptrace. Returns 0 with W->ran set, or the exit status of
 * the contract when the command never started (after a message).
 *
 * The launcher confines itself before the command's first instruction
 * (confine_launcher.c): NOTE may allocate memory and write to stderr,
 * and nothing else; W->out_fd is the one file it may also truncate, so
 * the caller opens its output before.
 */
struct ps_watch {
	/* NATIVE: the call's x86_64 number (by name for another ABI), or -1 */
	void (*note)(void *ctx, const struct seccomp_notif *n, int native);
	/*
	 * learn --fs: the command's own execve, which NOTE is not shown (it
	 * is the launcher's, no call of the command's), while it waits; NULL
	 * for none
	 */
	void (*own_exec)(void *ctx, const struct seccomp_notif *n, int native);
	void *ctx;
	int out_fd; /* -1 for none */
	/*
	 * learn --fs --net: /proc's directory, under which NOTE resolves
	 * paths (the confined launcher may then open O_PATH there and read
	 * sockets' protocols, as for run --complain's hook), or -1
	 */
	int proc;
	bool ran; /* the command's execve passed */
	int status; /* its wait status, once it has ended */
	/*
	 * Learning ended before the command did, on this signal: a second
	 * SIGINT, SIGTERM or SIGHUP, or one after the command itself has
	 * ended (its processes left are killed or left to ENOSYS)
	 */
	int end_signal;
};
int ps_launch_watch(struct ps_filter *f, char **argv, struct ps_watch *w);

/* The same, with the filter installed by libpinscope-preload.so. */
int ps_launch_preload(struct ps_filter *f, const struct ps_filter *outer,
		      char **argv);

/*
 * What the launchers need of the filters they load (needs.c): the
 * options of ps_launch()'s filter (its exec gate), and the rules
 * --preload's outer filter allows first, for start-up and the library
 * (into NEEDS, freed with ps_policy_free(); 0, or -1 after a message).
 */
void ps_launch_needs(struct ps_filter_options *o);
int ps_preload_needs(struct ps_policy *needs);

/*
 * The launchers' signals (signals.c). ps_signals_take() catches every
 * signal the command should get and SIGCHLD; it returns a descriptor that
 * becomes readable on SIGCHLD (drain it with ps_signals_drain()).
 * ps_signals_forward_to() names the command. ps_die_like() ends
 * the launcher as STATUS ended the command: the same exit status, or
 * death by the same signal; it returns only for an exit status.
 */
int ps_signals_take(void);
void ps_signals_forward_to(pid_t command);
/*
 * learn --via notify: SIGINT, SIGTERM and SIGHUP (still passed on) also
 * interrupt the launcher's waits (no SA_RESTART), and ps_signals_ends()
 * says how many came, the last in *SIG.
 */
void ps_signals_interrupt_ends(void);
unsigned int ps_signals_ends(int *sig);
void ps_signals_drain(void);
int ps_die_like(int status);

/* CMD's path by PATH, as the one execve of the launcher will use it. */
char *ps_resolve_command(const char *cmd);

/*
 * For --preload: checks that PATH can take the library, points LD_PRELOAD
 * at it and returns a memfd (inherited) holding F's program; -1 after a
 * message.
 */
int ps_preload_prepare(struct ps_filter *f, const char *path);
/* The library --preload puts in LD_PRELOAD (PINSCOPE_PRELOAD_LIB, or ours). */
char *ps_preload_lib_path(void);

/*
 * A library (or the reporter) of ours: beside the binary, else in its
 * install (common/install.h); the installed name if neither has it.
 */
char *ps_find_library(const char *name);

/* This binary's absolute name (/proc/self/exe); NULL if unknown. */
char *ps_self_exe(void);

/* An ELF program without a dynamic loader, which no preload reaches. */
bool ps_is_static(const char *path);

/* Puts LIB first in LD_PRELOAD for PATH; -1 (with a message) if it cannot work. */
int ps_preload_library(const char *path, const char *lib);

/* Linux 6.6's, which the headers of older systems lack (linux/seccomp.h) */
#define PS_IOCTL_NOTIF_SET_FLAGS _IOW('!', 4, __u64)
#define PS_USER_NOTIF_FD_SYNC_WAKE_UP 1UL

/*
 * The launcher out of the sandbox's reach (confine_launcher.c): not
 * dumpable (before the command is started), and confined by
 * ps_launcher_build()'s filter before the command's first instruction.
 * Each returns 0, or -1 with errno (after a message for a build).
 */
int ps_launcher_undumpable(void);
int ps_launcher_build(struct ps_filter *f);
/*
 * The same, which may also read files under PROC_FD, /proc (complain.h),
 * and truncate OUT_FD (learn's output); either -1 for none. RESOLVE (run
 * --complain with Landlock rules): it may also open O_PATH under PROC_FD
 * (a caller's path resolved through /proc/PID/root, cwd or fd) and read
 * a file's extended attributes (a socket's protocol).
 */
int ps_launcher_build_proc(struct ps_filter *f, int proc_fd, int out_fd,
			   bool resolve);
int ps_launcher_confine(const struct ps_filter *f);
/* Drops CAP_SYS_PTRACE for good (launch.c says why); 0, or -1 with errno. */
int ps_drop_ptrace_capability(void);

#endif
