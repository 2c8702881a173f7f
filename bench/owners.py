#!/usr/bin/env python3
"""Splits a collapsed async-profiler profile by who owns each sample: the leaf-most frame that is not the
JDK's (kernel, Netty, Vert.x core, Vert.x web, Jackson, Micrometer, or a Gearbox package), so that time spent
in a HashMap or a String counts for the code that called it.  Usage: owners.py FILE.collapsed [DEPTH]"""
import collections, re, sys

depth = int(sys.argv[2]) if len(sys.argv) > 2 else 2
owners, total = collections.Counter(), 0
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip().rpartition(' ')
    n = int(n); total += n
    frames = stack.split(';')
    owner = 'jdk/other'
    for f in reversed(frames):
        if f.endswith('_[k]'):
            owner = 'kernel'; break
        m = re.match(r'(dev/gearbox(?:/[a-z]+){1,%d})' % depth, f)
        if m: owner = m.group(1); break
        for prefix, name in (('io/netty', 'netty'), ('io/vertx/ext/web', 'vertx-web'), ('io/vertx/core', 'vertx-core'),
                             ('com/fasterxml/jackson', 'jackson'), ('io/micrometer', 'micrometer'),
                             ('io/github/resilience4j', 'resilience4j'), ('com/github/benmanes', 'caffeine')):
            if f.startswith(prefix): owner = name; break
        else:
            continue
        break
    owners[owner] += n
for owner, n in owners.most_common(30):
    print('%6.2f%%  %s' % (100 * n / total, owner))
