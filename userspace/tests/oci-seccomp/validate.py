#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""usage: validate.py PROFILE.json...

Checks each file against the runtime-spec's schema of linux.seccomp
(runtime-spec/ beside this script), with its $refs resolved here, so any
python3-jsonschema version serves. Prints the first error of a bad file
and exits 1.
"""
import json
import os
import sys

import jsonschema

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runtime-spec")


def load(name):
    with open(os.path.join(HERE, name)) as f:
        return json.load(f)


FILES = {n: load(n) for n in ("config-linux.json", "defs-linux.json", "defs.json")}


def resolve(node, current):
    """The schema NODE of file CURRENT with every $ref replaced by its target."""
    if isinstance(node, list):
        return [resolve(x, current) for x in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target, _, pointer = node["$ref"].partition("#")
        target = target or current
        value = FILES[target]
        for part in pointer.strip("/").split("/"):
            value = value[part]
        return resolve(value, target)
    return {k: resolve(v, current) for k, v in node.items()}


SCHEMA = resolve(FILES["config-linux.json"]["linux"]["properties"]["seccomp"],
                 "config-linux.json")

status = 0
for path in sys.argv[1:]:
    with open(path) as f:
        profile = json.load(f)
    try:
        jsonschema.validate(profile, SCHEMA)
    except jsonschema.ValidationError as e:
        where = "/".join(str(p) for p in e.absolute_path)
        print(f"{path}: {where}: {e.message}")
        status = 1
sys.exit(status)
