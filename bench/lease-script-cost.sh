#!/usr/bin/env bash
# What one lease.lua call costs Redis, alone: 20,000 calls piped into a redis-server of its own for a key and its
# team (two scopes, every limit set), in three shapes:
#   settle   a batch of settles (spend and one ledger row), the lease kept as it is
#   renew    no settles, the lease kept as it is (what an idle team's renewal costs)
#   grow     a batch of settles and every share asked to grow
# Per shape: Redis's CPU per call (INFO cpu) and the time it says it spent in the script (INFO commandstats).
#
#   bench/lease-script-cost.sh [CALLS]
#
# Needs: redis-server, redis-cli, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
CALLS=${1:-20000}
PORT=9192
WORK=$(mktemp -d)
trap 'redis-cli -p $PORT shutdown nosave >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

cat > "$WORK/gen.py" <<'PY'
import sys
calls, mode, sha = int(sys.argv[1]), sys.argv[2], sys.argv[3]
out = sys.stdout.buffer
def cmd(*a):
    out.write(b'*%d\r\n' % len(a))
    for x in a:
        x = str(x).encode()
        out.write(b'$%d\r\n%s\r\n' % (len(x), x))
def scope(s):
    p = 'gearbox:{bench}:%s:' % s
    return [p + k for k in ('rpm:29418333', 'tpm:29418333', 'holds', 'amounts', 'reserved', 'spent:d:2026-12-07',
                            'spent:m:2026-12', 'spent:total', 'slots', 'leased', 'grants:29418333')]
keys = scope('team') + scope('key:abc') + ['gearbox:{bench}:usage:2026-12-07', 'gearbox:{bench}:settled']
now = 1765100000000
for i in range(calls):
    args = ['lease-1', '-' if mode == 'renew' else 'b%d' % i, now + i, 10000, 1200000, 0.005, 0.1, 2]
    for _ in range(2):
        args += [100000000, 2000000000, 100000, 10**15, -1, -1, 0 if mode == 'renew' else 1000]
        for held in (5000, 300000, 50, 10**12):
            args += [held, 1 if mode == 'grow' else -1]
    args += [0] if mode == 'renew' else [1, 'abc|bench-model', 30, 30000, 60000, 900, 1800]
    cmd('EVALSHA', sha, len(keys), *keys, *args)
PY

redis-server --port $PORT --bind 127.0.0.1 --save "" --appendonly no > "$WORK/redis.log" 2>&1 &
for _ in $(seq 1 50); do redis-cli -p $PORT ping >/dev/null 2>&1 && break; sleep 0.1; done
SHA=$(redis-cli -p $PORT script load "$(cat gateway/src/main/resources/dev/gearbox/state/lease.lua)")
cpu() { redis-cli -p $PORT info cpu | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.6f", s}'; }
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| shape | calls | Redis CPU µs/call | µs in the script/call |"
echo "| --- | --- | --- | --- |"
for mode in settle renew grow; do
  redis-cli -p $PORT config resetstat > /dev/null
  c0=$(cpu)
  python3 "$WORK/gen.py" "$CALLS" $mode "$SHA" | redis-cli -p $PORT --pipe > /dev/null
  c1=$(cpu)
  us=$(redis-cli -p $PORT info commandstats | tr -d '\r' | awk -F'[:,=]' '/^cmdstat_evalsha:/ {print $7}')
  echo "| $mode | $CALLS | $(awk -v a="$c0" -v b="$c1" -v n="$CALLS" 'BEGIN {printf "%.1f", (b - a) * 1e6 / n}') | $us |"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
