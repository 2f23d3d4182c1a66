/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The filter's way from the launcher (or `pinscope compile`) to the
 * preload library: a memfd sealed against any change (write, shrink,
 * grow, and further seals), so code that runs in the program before the
 * library's constructor (another library's constructor, preinit_array)
 * cannot rewrite the program in place. It can still close the descriptor
 * and put a memfd of its own under the same number: --preload trusts the
 * program's start-up code, and the outer filter is the hard boundary
 * (DESIGN 3.3a). Static inline and libc only (see install.h).
 */
#ifndef PINSCOPE_COMMON_MEMFD_H
#define PINSCOPE_COMMON_MEMFD_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <unistd.h>

#define PS_FILTER_SEALS \
	(F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)

/* Seals FD (a memfd made with MFD_ALLOW_SEALING); 0, or -1 with errno. */
static inline int ps_memfd_seal(int fd)
{
	return fcntl(fd, F_ADD_SEALS, PS_FILTER_SEALS) < 0 ? -1 : 0;
}

/* Does FD carry every seal of PS_FILTER_SEALS? */
static inline bool ps_memfd_is_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);

	return seals >= 0 && (seals & PS_FILTER_SEALS) == PS_FILTER_SEALS;
}

/*
 * A memfd holding SIZE bytes of DATA, sealed, inherited across execve;
 * -1 with errno.
 */
static inline int ps_sealed_memfd(const char *name, const void *data,
				  size_t size)
{
	int fd = memfd_create(name, MFD_ALLOW_SEALING);
	int err;

	if (fd < 0)
		return -1;
	if (write(fd, data, size) != (ssize_t)size || ps_memfd_seal(fd) < 0) {
		err = errno ? errno : EIO;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

#endif
