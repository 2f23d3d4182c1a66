#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""oci2policy PROFILE.json NATIVE-NAMES: an OCI seccomp profile (Docker's
default) as the minijail-syntax policy a container started with Docker's
default capabilities on x86_64 gets, on stdout.

Rules are chosen as moby's profile loader chooses them: every capability of
includes.caps held, none of excludes.caps, the architecture in
includes.arches and not in excludes.arches, minKernel no newer than this
kernel. SCMP_ACT_ALLOW rules of one name are joined with ||, their args
with &&; SCMP_ACT_ERRNO rules become `return ERRNO`. Names this
architecture lacks (NATIVE-NAMES: `pinscope syscalls` output) are left
out. The first line is `# default-action: errno:N`, for --default-action:
a policy file cannot say what the default is.
"""
import json
import os
import sys

# moby's oci/caps.DefaultCapabilities()
DOCKER_CAPS = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
    "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP",
    "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
    "CAP_AUDIT_WRITE",
}
ARCH = "amd64"  # the Go name the profile's arches use for x86_64
OPS = {"SCMP_CMP_NE": "!=", "SCMP_CMP_LT": "<", "SCMP_CMP_LE": "<=",
       "SCMP_CMP_EQ": "==", "SCMP_CMP_GE": ">=", "SCMP_CMP_GT": ">"}
ALL64 = (1 << 64) - 1


def version(s):
    out = []
    for part in s.split("-")[0].split(".")[:2]:
        out.append(int("".join(c for c in part if c.isdigit()) or 0))
    return tuple(out)


def applies(rule, kernel):
    inc, exc = rule.get("includes") or {}, rule.get("excludes") or {}
    if not DOCKER_CAPS.issuperset(inc.get("caps") or []):
        return False
    if DOCKER_CAPS.intersection(exc.get("caps") or []):
        return False
    if inc.get("arches") and ARCH not in inc["arches"]:
        return False
    if ARCH in (exc.get("arches") or []):
        return False
    if inc.get("minKernel") and version(inc["minKernel"]) > kernel:
        return False
    return True


def atoms(arg):
    """One OCI comparison as minijail atoms, all of which must hold."""
    a, v = "arg%d" % arg["index"], arg["value"]
    if arg["op"] in OPS:
        return ["%s %s %#x" % (a, OPS[arg["op"]], v)]
    if arg["op"] != "SCMP_CMP_MASKED_EQ":
        sys.exit("oci2policy: unknown op %s" % arg["op"])
    # (arg & value) == valueTwo: the bits of valueTwo set, the others of
    # the mask clear (`in` allows only the bits outside them)
    mask, want = v, arg.get("valueTwo", 0) & v
    out = ["%s & %#x" % (a, 1 << b) for b in range(64) if want >> b & 1]
    if mask & ~want:
        out.append("%s in %#x" % (a, ALL64 & ~(mask & ~want)))
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: oci2policy PROFILE.json NATIVE-NAMES")
    with open(sys.argv[1]) as f:
        profile = json.load(f)
    with open(sys.argv[2]) as f:
        native = {line.split()[-1] for line in f if line.strip()}
    kernel = version(os.uname().release)
    if profile["defaultAction"] != "SCMP_ACT_ERRNO":
        sys.exit("oci2policy: default action %s not handled" %
                 profile["defaultAction"])
    conds, returns, order = {}, {}, []
    for rule in profile["syscalls"]:
        if not applies(rule, kernel):
            continue
        for name in rule["names"]:
            if name not in native:
                continue
            if name not in conds and name not in returns:
                order.append(name)
            if rule["action"] == "SCMP_ACT_ALLOW":
                cond = " && ".join(a for arg in rule.get("args") or []
                                   for a in atoms(arg))
                conds.setdefault(name, []).append(cond or "1")
            elif rule["action"] == "SCMP_ACT_ERRNO" and not rule.get("args"):
                returns[name] = rule.get("errnoRet", 1)
            else:
                sys.exit("oci2policy: %s: action %s not handled" %
                         (name, rule["action"]))
    print("# default-action: errno:%d" % profile.get("defaultErrnoRet", 1))
    print("# %s as Docker's default capabilities on x86_64 get it" %
          os.path.basename(sys.argv[1]))
    for name in order:
        if name in returns and name in conds:
            sys.exit("oci2policy: %s both allowed and refused" % name)
        if name in returns:
            print("%s: return %d" % (name, returns[name]))
        elif "1" in conds[name]:
            print("%s: 1" % name)
        else:
            print("%s: %s" % (name, " || ".join(conds[name])))


main()
