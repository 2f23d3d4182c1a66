// SPDX-License-Identifier: GPL-2.0-only
/*
 * load-bpf FILE.bpf CMD [ARGS]: loads the seccomp program in FILE (raw
 * sock_filter) with NoNewPrivs and runs CMD under it, so that programs
 * pinscope did not build (libseccomp's, a one-instruction allow-all) are
 * measured exactly as pinscope's are. Nothing else runs between the load
 * and execvp.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sock_filter insns[BPF_MAXINSNS];
	struct sock_fprog prog = { .filter = insns };
	FILE *f;

	if (argc < 3 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: load-bpf FILE.bpf CMD [ARGS]\n");
		return 2;
	}
	prog.len = (unsigned short)fread(insns, sizeof(insns[0]), BPF_MAXINSNS, f);
	fclose(f);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) {
		perror("load-bpf");
		return 1;
	}
	execvp(argv[2], argv + 2);
	perror("load-bpf: execvp");
	return 127;
}
