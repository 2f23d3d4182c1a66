/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Names for syscall argument values, from the family of constants that
 * argument takes: fcntl's command (F_SETFD, never F_SEAL_SHRINK of the
 * same value), prctl's option (PR_SET_NAME, never the PR_SET_MM_MAP_SIZE
 * sub-option), ioctl's request (TC*, TIOC*, FIO*), socket's family (AF_*),
 * mmap/mprotect's protection (PROT_* bits), clone's and unshare's flags
 * (CLONE_* bits, clone's exit signal by name), futex's operation
 * (FUTEX_WAKE_PRIVATE). For learned policies and for every refusal
 * message.
 */
#ifndef PINSCOPE_ARGNAMES_H
#define PINSCOPE_ARGNAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for any name ps_arg_name() makes (every CLONE_ flag at once). */
#define PS_ARG_NAME_MAX 512
/* Room for ps_call_format()'s "name(six arguments)". */
#define PS_CALL_MAX (64 + 6 * PS_ARG_NAME_MAX)

/*
 * VALUE as argument ARG (0 to 5) of native syscall NR, named from the
 * constants of that argument's family: "TIOCGWINSZ", or for flags
 * "PROT_READ|PROT_WRITE" (bits without a name follow in hex,
 * "CLONE_VM|0x8000000000"; no bits at all is PROT_NONE or "0").
 * Returns BUF, or NULL when the argument has no family or its family has
 * no name for VALUE (callers print the number). A name too long for LEN
 * is cut, always terminated. Every name is a constant policies may use.
 */
const char *ps_arg_name(int nr, unsigned int arg, uint64_t value, char *buf,
			size_t len);

/* Whether ARG of NR takes flags (several bits at once) rather than one value. */
bool ps_arg_is_flags(int nr, unsigned int arg);

/*
 * "ioctl(0x1, TIOCGWINSZ, 0x7ffd5e2c, 0, 0, 0)": the call as refusal
 * messages print it, every argument in hex unless its family names it.
 * Returns BUF (PS_CALL_MAX is always enough).
 */
const char *ps_call_format(int nr, const uint64_t args[6], char *buf,
			   size_t len);

#endif
