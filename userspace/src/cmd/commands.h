/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PINSCOPE_COMMANDS_H
#define PINSCOPE_COMMANDS_H

/* every command uses the command line's machinery */
#include "cli.h"

/* Each takes its own argv (argv[0] is the subcommand) and returns the exit status. */
int cmd_run(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_syscalls(int argc, char **argv);
int cmd_groups(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_ptracer(int argc, char **argv);
/* the crash feature's two (crash/catch.c) */
int cmd_crash_report(int argc, char **argv);
int cmd_catch(int argc, char **argv);
int cmd_status(int argc, char **argv);
/* internal, unlisted: started by libpinscope-preload.so (cmd_watch.c) */
int cmd_watch_kills(int argc, char **argv);

#endif
