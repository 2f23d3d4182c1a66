#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Generate data/argwidths.tsv: how the kernel reads each syscall argument.

seccomp_data holds whole registers, but the kernel's syscall wrappers cast
each register to the parameter's type: an `int` or `unsigned int` parameter
keeps the low 32 bits (sign- or zero-extended when used as a long), a
umode_t the low 16, and an i386 call (int 0x80, even from a 64-bit
process, whose registers may have upper halves) every register to 32 bits
(arch/x86/include/asm/syscall_wrapper.h, __SC_COMPAT_CAST: sign-extended
for `long` and the signed 32-bit types, zero-extended for everything else).
A filter that compares all 64 bits decides on bits the kernel drops.

The types come from the kernel's own prototypes, never typed by hand:
include/linux/syscalls.h and include/linux/compat.h, and the
SYSCALL_DEFINEn / COMPAT_SYSCALL_DEFINEn of arch/x86/kernel/*.c for entry
points no header declares (x86_64 mmap, arch_prctl, the ia32_ wrappers).
Which entry point each ABI runs comes from syscall_64.tbl (x86_64: common
and 64; x32: common and x32) and syscall_32.tbl (i386: the compat entry,
which a 64-bit kernel uses, else the native one).

Output, one line per (abi, syscall), sorted:
  ABI NAME ENTRY SAME ARG...
ARG is the kernel's reading of that argument:
  64   all 64 bits (pointers, long, size_t, loff_t, ...)
  s32  the low 32 bits, sign-extended (int, pid_t, clockid_t, ...)
  u32  the low 32 bits, zero-extended (unsigned int, uid_t, u32, ...)
  u16  the low 16 bits, zero-extended: umode_t and compat_mode_t are
       unsigned short and the wrappers cast to them, so this models the 16
       bits the kernel keeps, not a conservative 32
  ?    a type this script does not know: read as 64 bits (what pinscope did
       before these tables), and listed on stderr
SAME (i386 and x32) is how many leading arguments mean what the x86_64
syscall of the same name means at the same position; a policy's condition
on a later argument cannot be carried over (i386 mmap is old_mmap, one
pointer; i386 clone swaps tls and child_tid; pread64's offset is split over
two registers). For x86_64 SAME is the argument count.

With several kernels, the union of their syscalls; where two kernels type
an argument differently, the line is the wider reading (64 over 32 over
16), because pinscope cannot know which kernel runs the filter, and the
conflict is printed on stderr.

With --types, data/argtypes.tsv instead: each syscall's parameters as
its prototype declares them, for decoding arguments in messages (a path is
a `const char __user *`, a mode a umode_t, a signal the `int sig`):
  ABI NAME TYPE|PARAM...
TYPE is the parameter's C type, blanks folded; PARAM its name in the
prototype, or empty where the prototype names none. With several kernels
the last tree's prototype wins (the newest, given oldest first).

usage: gen-argwidths.py [--types] TREE... > argwidths.tsv
  TREE: an unpacked kernel source (the files above are all it reads)
"""
import glob
import os
import re
import sys

SIGNED32 = {
    'int', 'signed int', 's32', '__s32', 'pid_t', '__kernel_pid_t',
    'key_serial_t', 'clockid_t', '__kernel_clockid_t', 'timer_t',
    '__kernel_timer_t', 'mqd_t', '__kernel_mqd_t', 'rwf_t',
    '__kernel_rwf_t', 'key_t', '__kernel_key_t', 'compat_int_t',
    'compat_long_t', 'compat_off_t', 'compat_pid_t', 'compat_clock_t',
    'compat_time_t', 'old_time32_t', 'compat_key_t', 'compat_timer_t',
    'compat_clockid_t', 'compat_ssize_t', 'compat_mqd_t',
}
UNSIGNED32 = {
    'unsigned int', 'unsigned', 'u32', '__u32', 'uid_t', 'gid_t', 'qid_t',
    '__kernel_uid32_t', '__kernel_gid32_t', 'compat_uint_t',
    'compat_ulong_t', 'compat_size_t', 'compat_uptr_t',
    'compat_aio_context_t', 'compat_old_sigset_t', 'compat_sigset_word',
    'compat_uid_t', 'compat_gid_t', '__kernel_uid_t', '__kernel_gid_t',
    'uint32_t',
}
# unsigned short on x86, and cast to it by the wrappers
UNSIGNED16 = {'umode_t', 'compat_mode_t', 'unsigned short', 'u16', '__u16'}
# the 16-bit ids of the *16 syscalls: low2highuid() maps 0xffff to -1, so
# their values do not mean what a 32-bit id means (see SAME)
OLD_IDS = {'old_uid_t', 'old_gid_t', '__kernel_old_uid_t',
           '__kernel_old_gid_t'}
LONG = {'long', 'signed long', 'ssize_t', '__kernel_ssize_t', 'off_t',
        '__kernel_off_t', 'time_t', '__kernel_time_t', '__kernel_old_time_t',
        'clock_t', '__kernel_clock_t'}
WIDE = LONG | {
    'unsigned long', 'size_t', '__kernel_size_t', 'loff_t', '__kernel_loff_t',
    'u64', '__u64', 's64', '__s64', 'long long', 'unsigned long long',
    'aio_context_t', 'old_sigset_t', 'cap_user_header_t', 'cap_user_data_t',
    '__sighandler_t', 'compat_u64', '__kernel_ulong_t', 'compat_arg_u64',
}
# always 64 bits, even on i386: a register there holds only half of one
ALWAYS64 = {'loff_t', '__kernel_loff_t', 'u64', '__u64', 's64', '__s64',
            'long long', 'unsigned long long', 'compat_u64'}
QUALIFIERS = {'const', 'volatile', '__user', 'struct', 'union', 'enum',
              '__force', 'restrict', '__restrict'}


def base_type(param):
    """(kind, type): kind is 'ptr' or 'int'; type the C type, no name."""
    p = re.sub(r'\s+', ' ', param.strip())
    if '*' in p or '[' in p or '(' in p:
        return 'ptr', p
    if p.startswith('enum '):
        # GCC makes an enum without negative values an unsigned int: all
        # of the syscalls' are
        return 'int', 'unsigned int'
    words = [w for w in p.split(' ') if w not in QUALIFIERS]
    known = SIGNED32 | UNSIGNED32 | UNSIGNED16 | OLD_IDS | WIDE
    for n in (len(words), len(words) - 1):
        t = ' '.join(words[:n])
        if n > 0 and t in known:
            return 'int', t
    return 'int', ' '.join(words[:-1]) if len(words) > 1 else p


def reading(kind, t, abi, compat):
    """How ABI's wrapper hands parameter type T to the syscall."""
    if abi == 'i386':
        # __SC_COMPAT_CAST: every register to 32 bits, sign-extended
        # only when the parameter is a long; the cast to a signed 32-bit
        # type then reads those 32 bits as signed
        if kind == 'ptr':
            return 'u32'
        if t in UNSIGNED16:
            return 'u16'
        if t in SIGNED32 or t in LONG:
            return 's32'
        if t in UNSIGNED32 or t in WIDE or t in OLD_IDS:
            return 'u32'
        return '?'
    if kind == 'ptr':
        return '64'
    if t in UNSIGNED16 or t in OLD_IDS:
        return 'u16'
    if t in SIGNED32:
        return 's32'
    if t in UNSIGNED32:
        return 'u32'
    if t in WIDE:
        return '64'
    return '?'


def split_params(s):
    out, depth, cur = [], 0, ''
    for ch in s:
        if ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
        if ch == ',' and depth == 0:
            out.append(cur)
            cur = ''
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    params = []
    for p in out:
        p = p.strip()
        m = re.match(r'compat_arg_u64(?:_dual)?\((\w+)\)$', p)
        if m:	# little-endian x86: low half first (compat.h)
            params += ['u32 %s_lo' % m.group(1), 'u32 %s_hi' % m.group(1)]
        elif p and p != 'void':
            params.append(p)
    return params


# Configuration of an x86_64 kernel with IA32_EMULATION, for the few
# #ifdefs around prototypes whose branches differ on x86; any other
# condition is read as true, and a syscall given two different prototypes
# that way is reported.
CONFIG_FALSE = {'CONFIG_CLONE_BACKWARDS', 'CONFIG_CLONE_BACKWARDS2',
                'CONFIG_CLONE_BACKWARDS3', 'CONFIG_ARCH_SPLIT_ARG64',
                'CONFIG_ODD_RT_SIGACTION', 'CONFIG_OLD_SIGSUSPEND'}


def preprocess(text):
    """TEXT without the lines of #if branches x86_64 does not build."""
    keep, stack, out = True, [], []
    for line in text.split('\n'):
        s = line.strip()
        m = re.match(r'#\s*(ifdef|ifndef|if|elif|else|endif)\b\s*(.*)', s)
        if not m:
            out.append(line if keep else '')
            continue
        d, cond = m.group(1), m.group(2)
        sym = re.sub(r'^defined\s*\(?\s*(\w+)\s*\)?$', r'\1', cond.strip())
        if d in ('ifdef', 'ifndef', 'if'):
            val = True
            if sym in CONFIG_FALSE:
                val = d == 'ifndef'
            elif d == 'if' and 'BITS_PER_LONG == 32' in cond:
                val = False
            stack.append((keep, val, sym in CONFIG_FALSE or
                          'BITS_PER_LONG' in cond))
            keep = keep and val
        elif d == 'elif':
            outer, val, known = stack[-1]
            keep = outer and not (known and val)
        elif d == 'else':
            outer, val, known = stack[-1]
            keep = outer and (not val if known else True)
        elif d == 'endif':
            keep = stack.pop()[0]
        out.append('')
    return '\n'.join(out)


def strip_comments(text):
    return re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)


def prototypes(tree, notes):
    """{entry point: [param, ...]} from the headers and arch .c files."""
    protos = {}

    def add(name, params, where):
        if name in protos and protos[name] != params:
            old = [reading(*base_type(p), 'x86_64', False) for p in protos[name]]
            new = [reading(*base_type(p), 'x86_64', False) for p in params]
            if old != new:
                notes.append('%s: %s has two prototypes (%s; %s): the first kept'
                             % (where, name, ', '.join(protos[name]),
                                ', '.join(params)))
            return
        protos[name] = params

    for h in ('include/linux/syscalls.h', 'include/linux/compat.h'):
        text = preprocess(strip_comments(open(os.path.join(tree, h)).read()))
        for m in re.finditer(r'asmlinkage\s+\w+\s+((?:compat_)?sys_\w+)\s*\(([^;]*?)\)\s*;',
                             text, re.S):
            add(m.group(1), split_params(m.group(2)), h)
    for c in sorted(glob.glob(os.path.join(tree, 'arch/x86/kernel/*.c'))):
        if os.path.basename(c) in ('process_32.c', 'vm86_32.c'):
            continue	# a 32-bit kernel's, not this one's
        text = preprocess(strip_comments(open(c).read()))
        for m in re.finditer(r'\b(COMPAT_)?SYSCALL_DEFINE(\d)\((\w+)\s*(?:,([^{]*?))?\)\s*\{',
                             text, re.S):
            prefix = 'compat_sys_' if m.group(1) else 'sys_'
            flat = split_params(m.group(4) or '')
            # SYSCALL_DEFINE's "type, name" pairs as "type name"
            params = ['%s %s' % (flat[i], flat[i + 1])
                      for i in range(0, len(flat) - 1, 2)]
            add(prefix + m.group(3), params, os.path.relpath(c, tree))
    return protos


def tables(tree):
    """[(abi, name, entry)] for x86_64, x32 and i386."""
    rows = []
    for line in open(os.path.join(tree, 'arch/x86/entry/syscalls/syscall_64.tbl')):
        f = line.split('#')[0].split()
        if len(f) < 4:
            continue
        for abi in (('x86_64', 'x32') if f[1] == 'common' else
                    ('x86_64',) if f[1] == '64' else ('x32',) if f[1] == 'x32' else ()):
            rows.append((abi, f[2], f[3]))
    for line in open(os.path.join(tree, 'arch/x86/entry/syscalls/syscall_32.tbl')):
        f = line.split('#')[0].split()
        if len(f) < 4:
            continue
        entry = f[4] if len(f) > 4 and f[4] != '-' else f[3]
        rows.append(('i386', f[2], entry))
    return rows


def classify(params, abi, entry):
    compat = entry.startswith('compat_sys_')
    return [(base_type(p), reading(*base_type(p), abi, compat)) for p in params]


def same_layout(native, other):
    """Leading arguments of OTHER that mean what NATIVE's do."""
    n = 0
    for (nk, nt), (ok, ot) in zip(native, other):
        if ot == 'compat_uptr_t':
            ok = 'ptr'	# a user pointer, as an integer

        if nk != ok or nt in ALWAYS64 or ot in OLD_IDS or nt in OLD_IDS:
            break
        n += 1
    return n


def generate(tree, notes):
    protos = prototypes(tree, notes)
    rows = tables(tree)
    native_entry = {name: entry for abi, name, entry in rows if abi == 'x86_64'}
    out = {}
    for abi, name, entry in rows:
        if entry not in protos:
            if entry not in ('sys_ni_syscall',):
                notes.append('%s %s: no prototype for %s: every argument 64 bits'
                             % (abi, name, entry))
            out[(abi, name)] = (entry, None, [])
            continue
        args = [r for _, r in classify(protos[entry], abi, entry)]
        for p, r in zip(protos[entry], args):
            if r == '?':
                notes.append('%s %s: unknown type in "%s": 64 bits' % (abi, name, p))
        same = len(args)
        if abi != 'x86_64':
            ne = native_entry.get(name)
            if ne == entry:
                same = len(args)
            elif ne in protos:
                same = same_layout([b for b, _ in classify(protos[ne], 'x86_64', ne)],
                                   [b for b, _ in classify(protos[entry], abi, entry)])
            else:
                same = 0
        out[(abi, name)] = (entry, same, args)
    return out


WIDTH = {'u16': 0, 'u32': 1, 's32': 1, '64': 2, '?': 2}


def merge(a, b, key, notes):
    """The reading of two kernels' lines for one syscall."""
    if a == b:
        return a
    ea, sa, xa = a
    eb, sb, xb = b
    if sa is None:
        return b
    if sb is None:
        return a
    args = []
    for i in range(max(len(xa), len(xb))):
        ra = xa[i] if i < len(xa) else '64'
        rb = xb[i] if i < len(xb) else '64'
        if ra != rb:
            notes.append('%s %s arg%d: %s in one kernel, %s in another: 64'
                         % (key[0], key[1], i, ra, rb))
            ra = '64' if WIDTH[ra] == WIDTH[rb] or max(WIDTH[ra], WIDTH[rb]) == 2 \
                else (ra if WIDTH[ra] > WIDTH[rb] else rb)
        args.append(ra)
    return (ea if ea == eb else ea + '|' + eb, min(sa, sb), args)


def split_name(param):
    """(type, name) of one prototype parameter; name '' if it has none."""
    p = re.sub(r'\s+', ' ', param.strip())
    m = re.match(r'(.*?[\s*])(\w+)$', p)
    if not m or m.group(2) in QUALIFIERS:
        return p, ''
    t = m.group(1).strip()
    kind, base = base_type(p)
    # "unsigned int" and "struct foo": a type word, not a name
    if not t or (kind == 'int' and base == p) or t in QUALIFIERS:
        return p, ''
    return re.sub(r'\s*\*\s*', ' *', t).replace('* *', '**'), m.group(2)


def types_main(trees):
    """data/argtypes.tsv: the parameters of each ABI's syscalls."""
    result = {}
    for tree in trees:
        protos = prototypes(tree, [])
        for abi, name, entry in tables(tree):
            params = protos.get(entry)
            if params is not None or (abi, name) not in result:
                result[(abi, name)] = params or []
    print('# abi\tname\ttype|param... (generated by scripts/gen-argwidths.py --types)')
    for (abi, name) in sorted(result):
        cols = ['%s|%s' % split_name(p) for p in result[(abi, name)]]
        print('\t'.join([abi, name] + cols))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == '--types':
        types_main(sys.argv[2:])
        return
    if len(sys.argv) < 2 or sys.argv[1].startswith('-'):
        sys.stderr.write(__doc__.split('\n\n')[-1] + '\n')
        sys.exit(2)
    result, notes = {}, []
    for tree in sys.argv[1:]:
        for key, val in generate(tree, notes).items():
            result[key] = merge(result[key], val, key, notes) if key in result else val
    print('# abi\tname\tentry\tsame\targs (generated by scripts/gen-argwidths.py)')
    for (abi, name) in sorted(result):
        entry, same, args = result[(abi, name)]
        print('%s\t%s\t%s\t%s\t%s' % (abi, name, entry,
                                      '-' if same is None else same, ' '.join(args)))
    for n in sorted(set(notes)):
        sys.stderr.write('gen-argwidths: %s\n' % n)


if __name__ == '__main__':
    main()
