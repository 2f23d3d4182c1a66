// SPDX-License-Identifier: GPL-2.0-only
/*
 * pinscope watch-kills: names the call the seccomp filter killed a
 * process for, from the kernel's record (kernlog.h), for programs that
 * load libpinscope-preload.so directly, where no launcher waits for them
 * (preload.c starts it, and reads --ready-fd for the moment it is out of
 * the program's reach). Internal: not listed in the help.
 *
 * It lives beside a confined program without being confined by its
 * policy, so it is locked as the launcher is (confine_launcher.c):
 * undumpable, no CAP_SYS_PTRACE, confined to waiting and reporting, all
 * before it says it is ready.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "commands.h"
#include "compile.h"
#include "decode.h"
#include "kernlog.h"
#include "launch.h"
#include "syscalls.h"
#include "util.h"

/*
 * How long after the end a kill's record may come: the kernel queues it
 * before the process dies, and kauditd sends it within milliseconds. A
 * program that simply exited is waited for this long, holding only
 * stderr, so it is short.
 */
#define RECORD_WAIT_MS 300

/* The kill record of PID, if one comes: 1 named, 0 none. */
static int name_kill(int kmsg, int pidfd, pid_t pid, const char *name)
{
	struct pollfd p[2] = { { .fd = pidfd, .events = POLLIN },
			       { .fd = kmsg, .events = POLLIN } };
	struct ps_seccomp_record r;
	int waited = 0;
	bool ended = false;

	for (;;) {
		while (ps_kernlog_next(kmsg, &r) == 1) {
			enum ps_arch arch;
			const char *call;

			if (r.pid != pid || r.sig != SIGSYS)
				continue;
			call = ps_arch_of(r.arch, r.nr, &arch) ?
				       ps_syscall_name_arch(arch, r.nr) :
				       NULL;
			ps_warn("%s (pid %d) killed: refused syscall %s (%d)%s",
				name, (int)pid, call ? call : "?", r.nr,
				call && ps_decode_n_args(arch, r.nr) != 0 ?
					PS_DECODE_KILLED_ARGS :
					"");
			return 1;
		}
		if (ended && waited >= RECORD_WAIT_MS)
			return 0;
		if (poll(p, ended ? 1 : 2, ended ? 20 : -1) < 0 &&
		    errno != EINTR)
			return 0;
		if (ended) {
			waited += 20;
		} else if (p[0].revents) {
			ended = true;
			p[0] = p[1];
		}
	}
}

int cmd_watch_kills(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "ready-fd", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct ps_filter self;
	const char *name = "?";
	uint64_t pid = 0, ready = 0;
	int c, kmsg, pidfd;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p' && ps_parse_u64(optarg, &pid) && pid &&
		    pid < 0x40000000)
			continue;
		if (c == 'r' && ps_parse_u64(optarg, &ready) && ready > 2 &&
		    ready < 0x10000)
			continue;
		if (c == 'n') {
			name = optarg;
			continue;
		}
		ps_warn("watch-kills: internal: started by libpinscope-preload.so");
		return EXIT_USAGE;
	}
	if (!pid || !ready || optind != argc) {
		ps_warn("watch-kills: internal: started by libpinscope-preload.so");
		return EXIT_USAGE;
	}
	/* out of reach first: undumpable, without CAP_SYS_PTRACE */
	if (ps_launcher_undumpable() < 0 || ps_drop_ptrace_capability() < 0)
		return 1; /* closing READY lets the program go on */
	kmsg = ps_kernlog_open();
	pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (kmsg < 0 || pidfd < 0)
		return 0; /* nothing to read the kill from: no report */
	if (ps_launcher_build(&self) < 0 || ps_launcher_confine(&self) < 0)
		return 1;
	ps_filter_free(&self);
	if (write((int)ready, "r", 1) != 1)
		return 1;
	close((int)ready);
	name_kill(kmsg, pidfd, (pid_t)pid, name);
	return 0;
}
