#!/usr/bin/env bash
# Interleaved load comparison on loopback: direct to a fake upstream, nginx proxy_pass to it, a bare Vert.x
# proxy to it (the floor of Gearbox's stack: bench BareProxy), and Gearbox routing to it (rules active,
# metrics on, cache off). Every run is bounded in time and targets 127.0.0.1.
#
#   bench/run-load.sh [ROUNDS] [SECONDS] [CONNECTIONS] [SOAK_SECONDS]
#   PINNED=1 bench/run-load.sh ...     (each proxy alone on core 0; wrk and an nginx fake upstream on core 1)
#   BEFORE_JAR=/path/to/gearbox.jar bench/run-load.sh ...
#   ROUTES=200 PINNED=1 bench/run-load.sh ...   (200 routes of the kinds operators write instead of the shipped rules)
#   TRACING=1 BEFORE_JAR=gateway/target/gearbox.jar bench/run-load.sh ...   (the cost of tracing)
#
# BEFORE_JAR adds a fourth target, gearbox-before: that jar started exactly like Gearbox (same JVM flags, same
# config but its own port, same 40 s warm-up) and interleaved round by round with the others, for an A/B
# against an earlier build within one run on this drifting machine.
#
# PINNED=1 pins with taskset: the system under test (nginx proxy, bare proxy, Gearbox, gearbox-before; one
# at a time is loaded) on core 0, and the harness on core 1: wrk and a fake upstream that is nginx itself
# (`return 200` with the fixed chat.completion body), cheaper than the JVM fake. The stream probes need the
# JVM fake upstream's SSE, so pinned mode skips them. Without PINNED everything floats over all cores.
#
# Needs: wrk, nginx and taskset (apt-get install wrk nginx-light util-linux), and
# `mvn -B -q package -DskipTests` first.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
CONNECTIONS=${3:-32}
SOAK=${4:-0}
BEFORE_JAR=${BEFORE_JAR:-}
PINNED=${PINNED:-}
UPSTREAM_PORT=9101 NGINX_PORT=9102 GEARBOX_PORT=9103 BEFORE_PORT=9104 BARE_PORT=9105
# What runs the system under test and what runs the harness: taskset to one core each when pinned.
SUT="" HARNESS=""
[ -z "$PINNED" ] || { SUT="taskset -c 0"; HARNESS="taskset -c 1"; }
BENCH_JAR=bench/target/benchmarks.jar
GATEWAY_JAR=gateway/target/gearbox.jar
# The documented heap settings for a small gateway: the resident size target is 256 MiB.
# GATEWAY_JVM and GATEWAY_JAVA (another JDK's java) override them, for the bare proxy too.
GATEWAY_JVM=${GATEWAY_JVM:-"-Xms64m -Xmx128m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m -Xss512k"}
GATEWAY_JAVA=${GATEWAY_JAVA:-java}
TICK=$(getconf CLK_TCK)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

for tool in wrk nginx java ${PINNED:+taskset}; do command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }; done
[ -f "$BENCH_JAR" ] && [ -f "$GATEWAY_JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
[ -z "$BEFORE_JAR" ] || [ -f "$BEFORE_JAR" ] || { echo "BEFORE_JAR not found: $BEFORE_JAR" >&2; exit 1; }
# The targets of the interleaved rounds, and the gateways among them.
TARGETS=(direct nginx bare gearbox) GATEWAYS=(gearbox)
[ -z "$BEFORE_JAR" ] || { TARGETS+=(gearbox-before); GATEWAYS+=(gearbox-before); }

cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"auto","messages":[{"role":"user","content":"What is the capital of France?"}]}'
wrk.headers["Content-Type"] = "application/json"
LUA

# A fixed request rate (RATE per second) from one wrk thread: whichever connection is free takes the next
# 1 ms slot of the schedule. wrk times each request from when it is sent; a slot missed while every
# connection is busy is dropped, so a stall shows in the achieved rate as well as in the latencies.
cat > "$WORK/rate.lua" <<'LUA'
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } timespec_t;
int clock_gettime(int clk_id, timespec_t *tp);
]]
local ts = ffi.new("timespec_t")
local function now_ms()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
wrk.method = "POST"
wrk.body = '{"model":"auto","messages":[{"role":"user","content":"What is the capital of France?"}]}'
wrk.headers["Content-Type"] = "application/json"
local interval = 1000 / tonumber(os.getenv("RATE"))
local due = nil
function delay()
  local t = now_ms()
  due = (due or t) + interval
  if due < t then due = t end
  return math.floor(due - t)
end
LUA

cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream fake { server 127.0.0.1:$UPSTREAM_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://fake;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
NGINX

# The pinned mode's fake upstream: an nginx of its own on the harness core, answering every request with the
# JVM fake's fixed chat.completion.
cat > "$WORK/nginx-upstream.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx-upstream.pid;
error_log $WORK/nginx-upstream-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    keepalive_requests 1000000;
    location / {
      default_type application/json;
      return 200 '$(java -cp "$BENCH_JAR" dev.gearbox.bench.FakeUpstream --print-completion)';
    }
  }
}
NGINX

mkdir -p "$WORK/rules"
cat > "$WORK/rules/models.yaml" <<'YAML'
models:
  - {id: bench-model, provider: fake, tier: cheap, price: {input: 0.15, output: 0.60}, capabilities: [tools, json_mode]}
  - {id: bench-thinker, provider: fake, tier: reasoning, price: {input: 4.5, output: 18}, capabilities: [tools, reasoning]}
YAML
if [ -n "${ROUTES:-}" ]; then
  # ROUTES=200: that many routes of the kinds operators write, none matching, before the default.
  java -cp "$BENCH_JAR" dev.gearbox.bench.RoutesYaml "$ROUTES" > "$WORK/rules/routes.yaml"
else
  cp routing-rules/routes.yaml "$WORK/rules/routes.yaml"
fi
cat > "$WORK/gearbox.yaml" <<YAML
server: {host: 127.0.0.1, port: $GEARBOX_PORT, event_loops: 1, access_log: false}
providers:
  fake: {type: openai, base_url: "http://127.0.0.1:$UPSTREAM_PORT/v1", max_connections: 256}
rules: {directory: "$WORK/rules"}
cache: {enabled: false}
YAML
# The earlier build's config: the same file, only the port differs.
[ -z "$BEFORE_JAR" ] || sed "s/port: $GEARBOX_PORT,/port: $BEFORE_PORT,/" "$WORK/gearbox.yaml" > "$WORK/gearbox-before.yaml"
# TRACING=1 traces every request of the gearbox target (not gearbox-before) at ratio 1.0, exported to the
# fake upstream, which answers any POST with a 200: the cost of tracing, with BEFORE_JAR set to the same jar.
if [ -n "${TRACING:-}" ]; then
  cat >> "$WORK/gearbox.yaml" <<YAML
telemetry:
  tracing: {endpoint: "http://127.0.0.1:$UPSTREAM_PORT/v1/traces", sampling_ratio: 1.0}
YAML
fi

# shellcheck disable=SC2086
if [ -n "$PINNED" ]; then
  $HARNESS nginx -c "$WORK/nginx-upstream.conf" -g 'daemon off;' > "$WORK/upstream.log" 2>&1 & PIDS+=($!)
else
  java -Xmx128m -cp "$BENCH_JAR" dev.gearbox.bench.FakeUpstream $UPSTREAM_PORT > "$WORK/upstream.log" 2>&1 & PIDS+=($!)
fi
# shellcheck disable=SC2086
$SUT nginx -c "$WORK/nginx.conf" -g 'daemon off;' > "$WORK/nginx.log" 2>&1 & PIDS+=($!); NGINX_MASTER=$!
# The bare proxy gets Gearbox's JVM flags, so the two differ only in what runs on the event loop.
# shellcheck disable=SC2086
$SUT $GATEWAY_JAVA $GATEWAY_JVM -cp "$BENCH_JAR" dev.gearbox.bench.BareProxy $BARE_PORT $UPSTREAM_PORT > "$WORK/bare.log" 2>&1 & PIDS+=($!); BARE=$!
# shellcheck disable=SC2086
$SUT $GATEWAY_JAVA $GATEWAY_JVM -jar "$GATEWAY_JAR" --config "$WORK/gearbox.yaml" > "$WORK/gateway.log" 2>&1 & PIDS+=($!); GATEWAY=$!
BEFORE=""
if [ -n "$BEFORE_JAR" ]; then
  # shellcheck disable=SC2086
  $SUT $GATEWAY_JAVA $GATEWAY_JVM -jar "$BEFORE_JAR" --config "$WORK/gearbox-before.yaml" > "$WORK/gateway-before.log" 2>&1 & PIDS+=($!); BEFORE=$!
fi
for port in $UPSTREAM_PORT $NGINX_PORT $BARE_PORT $GEARBOX_PORT ${BEFORE_JAR:+$BEFORE_PORT}; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
done
NGINX_WORKER=$(pgrep -P "$NGINX_MASTER" | head -1)
# An earlier build may not take today's config: stop rather than measure a dead port.
[ -z "$BEFORE_JAR" ] || curl -s -o /dev/null "http://127.0.0.1:$BEFORE_PORT/" \
  || { echo "gearbox-before did not start:" >&2; tail -20 "$WORK/gateway-before.log" >&2; exit 1; }

# A latency percentile of wrk's --latency output, in ms.
lat() { awk -v q="$1" '$1 == q {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}' <<< "$2"; }
paced() { RATE="$1" $HARNESS wrk -t1 -c"$CONNECTIONS" -d"$2s" --latency -s "$WORK/rate.lua" "$3"; }

declare -A URL=([direct]="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
                [nginx]="http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
                [bare]="http://127.0.0.1:$BARE_PORT/v1/chat/completions"
                [gearbox]="http://127.0.0.1:$GEARBOX_PORT/v1/chat/completions"
                [gearbox-before]="http://127.0.0.1:$BEFORE_PORT/v1/chat/completions")
declare -A PID=([direct]="" [nginx]="$NGINX_WORKER" [bare]="$BARE" [gearbox]="$GATEWAY" [gearbox-before]="$BEFORE")
cpu_ticks() { [ -n "$1" ] && awk '{print $14, $15}' "/proc/$1/stat" || echo "0 0"; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# The JIT keeps compiling for tens of seconds under load; unwarmed figures would mostly measure the compiler.
if [ -n "$BEFORE_JAR" ]; then echo "warm-up (Gearbox and gearbox-before 40s each, the others ${SECONDS_PER_RUN}s)"
else echo "warm-up (Gearbox 40s, the others ${SECONDS_PER_RUN}s)"; fi
for g in "${GATEWAYS[@]}" bare; do $HARNESS wrk -t1 -c"$CONNECTIONS" -d40s -s "$WORK/post.lua" "${URL[$g]}" > /dev/null; done
for t in direct nginx; do $HARNESS wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$WORK/post.lua" "${URL[$t]}" > /dev/null; done
echo "gateway resident after warm-up: $(rss_mib $GATEWAY) MiB"
[ -z "$BEFORE_JAR" ] || echo "gearbox-before resident after warm-up: $(rss_mib "$BEFORE") MiB"

echo
echo "| round | target | req/s | p50 ms | p90 ms | p99 ms | CPU µs/req (user + sys) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
declare -A SUM_RPS SUM_CPU
for round in $(seq 1 "$ROUNDS"); do
  for t in "${TARGETS[@]}"; do
    read -r user0 sys0 < <(cpu_ticks "${PID[$t]}")
    out=$($HARNESS wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/post.lua" "${URL[$t]}")
    read -r user1 sys1 < <(cpu_ticks "${PID[$t]}")
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
    requests=$(awk '/requests in/ {print $1}' <<< "$out")
    cpu="-"
    if [ -n "${PID[$t]}" ]; then
      cpu=$(awk -v u=$((user1 - user0)) -v s=$((sys1 - sys0)) -v n="$requests" -v tick="$TICK" \
        'BEGIN {printf "%.1f (%.1f + %.1f)", (u + s) / tick * 1e6 / n, u / tick * 1e6 / n, s / tick * 1e6 / n}')
    fi
    echo "| $round | $t | $rps | $(lat 50% "$out") | $(lat 90% "$out") | $(lat 99% "$out") | $cpu |"
    SUM_RPS[$t]=$(awk -v a="${SUM_RPS[$t]:-0}" -v b="$rps" 'BEGIN {print a + b}')
    [ "$cpu" != "-" ] && SUM_CPU[$t]=$(awk -v a="${SUM_CPU[$t]:-0}" -v b="${cpu%% *}" 'BEGIN {print a + b}')
  done
done
echo
for t in "${TARGETS[@]}"; do echo "mean $t: $(awk -v s="${SUM_RPS[$t]}" -v r="$ROUNDS" 'BEGIN {printf "%.0f", s / r}') req/s"; done
echo "gearbox/nginx throughput: $(awk -v g="${SUM_RPS[gearbox]}" -v n="${SUM_RPS[nginx]}" 'BEGIN {printf "%.2f", g / n}')"
echo "gearbox/nginx CPU per request: $(awk -v g="${SUM_CPU[gearbox]}" -v n="${SUM_CPU[nginx]}" 'BEGIN {printf "%.2f", g / n}')"
echo "bare/nginx throughput: $(awk -v g="${SUM_RPS[bare]}" -v n="${SUM_RPS[nginx]}" 'BEGIN {printf "%.2f", g / n}'), CPU per request $(awk -v g="${SUM_CPU[bare]}" -v n="${SUM_CPU[nginx]}" 'BEGIN {printf "%.2f", g / n}')"
echo "gearbox minus bare, CPU per request: $(awk -v g="${SUM_CPU[gearbox]}" -v b="${SUM_CPU[bare]}" -v r="$ROUNDS" 'BEGIN {printf "%.1f µs", (g - b) / r}')"
if [ -n "$BEFORE_JAR" ]; then
  echo "gearbox/gearbox-before: throughput $(awk -v g="${SUM_RPS[gearbox]}" -v b="${SUM_RPS[gearbox-before]}" 'BEGIN {printf "%.2f", g / b}')," \
    "CPU per request $(awk -v g="${SUM_CPU[gearbox]}" -v b="${SUM_CPU[gearbox-before]}" 'BEGIN {printf "%.2f", g / b}')"
fi

HALF=$(awk -v s="${SUM_RPS[gearbox]}" -v r="$ROUNDS" 'BEGIN {printf "%d", s / r / 2}')
echo
# gearbox-before is paced at the same rate, half of Gearbox's: the two builds are compared at one offered load.
echo "latency at half of Gearbox's rate ($HALF req/s paced, ${SECONDS_PER_RUN}s each, interleaved):"
echo "| round | target | achieved req/s | p50 ms | p90 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- | --- |"
for round in $(seq 1 "$ROUNDS"); do
  for t in direct "${GATEWAYS[@]}"; do
    out=$(paced "$HALF" "$SECONDS_PER_RUN" "${URL[$t]}")
    echo "| $round | $t | $(awk '/Requests\/sec/ {print $2}' <<< "$out") | $(lat 50% "$out") | $(lat 90% "$out") | $(lat 99% "$out") |"
  done
done

# The stream probes need the JVM fake upstream's SSE, which the pinned mode's nginx upstream does not speak.
if [ -z "$PINNED" ]; then
  echo
  # With BEFORE_JAR, gearbox-before takes its turn in the unloaded probe, and gets an under-load run of its own
  # (it at the same $HALF req/s meanwhile, probed with direct), after Gearbox's.
  if [ -n "$BEFORE_JAR" ]; then
    echo "stream time to first byte, unloaded (500 streams each after 3,000 unmeasured, direct, Gearbox and gearbox-before taking turns):"
  else
    echo "stream time to first byte, unloaded (500 streams each after 3,000 unmeasured, direct and Gearbox taking turns):"
  fi
  TTFB_URLS=("${URL[direct]}"); for g in "${GATEWAYS[@]}"; do TTFB_URLS+=("${URL[$g]}"); done
  for round in $(seq 1 "$ROUNDS"); do
    java -cp "$BENCH_JAR" dev.gearbox.bench.LoadProbe ttfb 500 "${TTFB_URLS[@]}" | sed "s/^/  round $round: /"
  done
  for g in "${GATEWAYS[@]}"; do
    if [ "$g" = gearbox ]; then echo "stream time to first byte under load (Gearbox at $HALF req/s of plain requests meanwhile):"
    else echo "stream time to first byte under load ($g at $HALF req/s of plain requests meanwhile):"; fi
    paced "$HALF" $((SECONDS_PER_RUN + 10)) "${URL[$g]}" > /dev/null & LOAD=$!
    sleep 2
    java -cp "$BENCH_JAR" dev.gearbox.bench.LoadProbe ttfb 300 "${URL[direct]}" "${URL[$g]}" | sed "s/^/  /"
    wait $LOAD
  done
fi

# The soak is Gearbox's alone (the build under test); gearbox-before is skipped there and idles meanwhile.
if [ "$SOAK" -gt 0 ]; then
  echo
  echo "soak: ${SOAK}s at $HALF req/s; gateway resident every 30 s:"
  before=$(rss_mib $GATEWAY)
  paced "$HALF" "$SOAK" "${URL[gearbox]}" > "$WORK/soak.txt" & LOAD=$!
  samples="$before"
  while kill -0 $LOAD 2>/dev/null; do sleep 30; samples="$samples $(rss_mib $GATEWAY)"; done
  wait $LOAD || true
  echo "  requests: $(awk '/requests in/ {print $1}' "$WORK/soak.txt"), errors: $(grep -E 'Non-2xx|Socket errors' "$WORK/soak.txt" | tr -s ' ' || echo none)"
  echo "  achieved $(awk '/Requests\/sec/ {print $2}' "$WORK/soak.txt") req/s, p50 $(lat 50% "$(cat "$WORK/soak.txt")") ms, p99 $(lat 99% "$(cat "$WORK/soak.txt")") ms"
  echo "  resident MiB: $samples"
fi
