// SPDX-License-Identifier: GPL-2.0-only
/*
 * uring-mkdir DIR: makes DIR through an io_uring ring (IORING_OP_MKDIRAT),
 * never calling mkdir or mkdirat, and prints "ok" or "errno NAME STEP" for
 * the step that failed. What a policy that allows io_uring_setup lets
 * through, whatever it says of mkdir (pinscope(1), IO_URING). Raw
 * syscalls: no liburing, so the test needs nothing installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fail(const char *step)
{
	printf("errno %s %s\n", strerrorname_np(errno), step);
	return 1;
}

int main(int argc, char **argv)
{
	struct io_uring_params p;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	size_t sq_len, cq_len;
	unsigned int *tail, idx;
	char *sq, *cq;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: uring-mkdir DIR\n");
		return 2;
	}
	memset(&p, 0, sizeof(p));
	fd = (int)syscall(__NR_io_uring_setup, 1, &p);
	if (fd < 0)
		return fail("io_uring_setup");
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP && cq_len > sq_len)
		sq_len = cq_len;
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return fail("mmap");
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return fail("mmap");
	}
	sqe = mmap(NULL, p.sq_entries * sizeof(*sqe), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (sqe == MAP_FAILED)
		return fail("mmap");

	/* one entry: mkdirat(AT_FDCWD, DIR, 0755), as the kernel's work */
	tail = (unsigned int *)(sq + p.sq_off.tail);
	idx = *tail & *(unsigned int *)(sq + p.sq_off.ring_mask);
	memset(&sqe[idx], 0, sizeof(sqe[idx]));
	sqe[idx].opcode = IORING_OP_MKDIRAT;
	sqe[idx].fd = AT_FDCWD;
	sqe[idx].addr = (unsigned long)argv[1];
	sqe[idx].len = 0755;
	((unsigned int *)(sq + p.sq_off.array))[idx] = idx;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL,
		    0) < 0)
		return fail("io_uring_enter");
	cqe = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	cqe += __atomic_load_n((unsigned int *)(cq + p.cq_off.head),
			       __ATOMIC_ACQUIRE) &
	       *(unsigned int *)(cq + p.cq_off.ring_mask);
	if (cqe->res < 0) {
		errno = -cqe->res;
		return fail("mkdirat");
	}
	printf("ok\n");
	return 0;
}
