#!/usr/bin/env bash
# The side-by-side run of issue 30 in one command: STREAMS concurrent streams through nginx, Gearbox (and an
# earlier build, with BEFORE_JAR) and direct (bench/stream-scale.sh: CPU per chunk, chunk latency p50/p99, peak
# resident memory), the same again with HEAP=1 for the live heap per open stream, then plain requests pinned
# (PINNED=1 bench/run-load.sh: nginx, the bare Vert.x proxy as the floor, Gearbox; throughput and CPU per
# request). Each proxy runs alone on core 0, the harness on core 1. Load averages are printed with each part.
#
#   bench/side-by-side.sh [STREAMS]                          e.g. bench/side-by-side.sh 2000
#   BEFORE_JAR=/tmp/before/gearbox.jar GATEWAY_JVM="..." bench/side-by-side.sh 2000
#
# Needs nginx, wrk, taskset, jcmd, and `mvn -B -q package -DskipTests` first.
set -euo pipefail
cd "$(dirname "$0")/.."
STREAMS=${1:-2000}
echo "== streams: $STREAMS, latency and CPU (load average $(cut -d' ' -f1-3 /proc/loadavg))"
bench/stream-scale.sh "$STREAMS"
echo
echo "== streams: $STREAMS, live heap per open stream (load average $(cut -d' ' -f1-3 /proc/loadavg))"
HEAP=1 TARGETS="gearbox${BEFORE_JAR:+ gearbox-before}" bench/stream-scale.sh "$STREAMS"
echo
echo "== plain requests, pinned (load average $(cut -d' ' -f1-3 /proc/loadavg))"
PINNED=1 bench/run-load.sh 3 10 32 0
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
