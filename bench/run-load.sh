#!/usr/bin/env bash
# Interleaved load comparison on loopback: direct to a fake upstream, nginx proxy_pass to it, and Gearbox
# routing to it (rules active, metrics on, cache off). Every run is bounded in time and targets 127.0.0.1.
#
#   bench/run-load.sh [ROUNDS] [SECONDS] [CONNECTIONS] [SOAK_SECONDS]
#
# Needs: wrk and nginx (apt-get install wrk nginx-light), and `mvn -B -q package -DskipTests` first.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
CONNECTIONS=${3:-32}
SOAK=${4:-0}
UPSTREAM_PORT=9101 NGINX_PORT=9102 GEARBOX_PORT=9103
BENCH_JAR=bench/target/benchmarks.jar
GATEWAY_JAR=gateway/target/gearbox.jar
# The documented heap settings for a small gateway: the resident size target is 256 MiB.
GATEWAY_JVM="-Xms64m -Xmx128m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m -Xss512k"
TICK=$(getconf CLK_TCK)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

for tool in wrk nginx java; do command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }; done
[ -f "$BENCH_JAR" ] && [ -f "$GATEWAY_JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }

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

mkdir -p "$WORK/rules"
cat > "$WORK/rules/models.yaml" <<'YAML'
models:
  - {id: bench-model, provider: fake, tier: cheap, price: {input: 0.15, output: 0.60}, capabilities: [tools, json_mode]}
  - {id: bench-thinker, provider: fake, tier: reasoning, price: {input: 4.5, output: 18}, capabilities: [tools, reasoning]}
YAML
cp routing-rules/routes.yaml "$WORK/rules/routes.yaml"
cat > "$WORK/gearbox.yaml" <<YAML
server: {host: 127.0.0.1, port: $GEARBOX_PORT, event_loops: 1, access_log: false}
providers:
  fake: {type: openai, base_url: "http://127.0.0.1:$UPSTREAM_PORT/v1", max_connections: 256}
rules: {directory: "$WORK/rules"}
cache: {enabled: false}
YAML

java -Xmx128m -cp "$BENCH_JAR" dev.gearbox.bench.FakeUpstream $UPSTREAM_PORT > "$WORK/upstream.log" 2>&1 & PIDS+=($!)
nginx -c "$WORK/nginx.conf" -g 'daemon off;' > "$WORK/nginx.log" 2>&1 & PIDS+=($!); NGINX_MASTER=$!
# shellcheck disable=SC2086
java $GATEWAY_JVM -jar "$GATEWAY_JAR" --config "$WORK/gearbox.yaml" > "$WORK/gateway.log" 2>&1 & PIDS+=($!); GATEWAY=$!
for port in $UPSTREAM_PORT $NGINX_PORT $GEARBOX_PORT; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
done
NGINX_WORKER=$(pgrep -P "$NGINX_MASTER" | head -1)

# A latency percentile of wrk's --latency output, in ms.
lat() { awk -v q="$1" '$1 == q {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}' <<< "$2"; }
paced() { RATE="$1" wrk -t1 -c"$CONNECTIONS" -d"$2s" --latency -s "$WORK/rate.lua" "$3"; }

declare -A URL=([direct]="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
                [nginx]="http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
                [gearbox]="http://127.0.0.1:$GEARBOX_PORT/v1/chat/completions")
declare -A PID=([direct]="" [nginx]="$NGINX_WORKER" [gearbox]="$GATEWAY")
cpu_ticks() { [ -n "$1" ] && awk '{print $14, $15}' "/proc/$1/stat" || echo "0 0"; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# The JIT keeps compiling for tens of seconds under load; unwarmed figures would mostly measure the compiler.
echo "warm-up (Gearbox 40s, the others ${SECONDS_PER_RUN}s)"
wrk -t1 -c"$CONNECTIONS" -d40s -s "$WORK/post.lua" "${URL[gearbox]}" > /dev/null
for t in direct nginx; do wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$WORK/post.lua" "${URL[$t]}" > /dev/null; done
echo "gateway resident after warm-up: $(rss_mib $GATEWAY) MiB"

echo
echo "| round | target | req/s | p50 ms | p90 ms | p99 ms | CPU µs/req (user + sys) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
declare -A SUM_RPS SUM_CPU
for round in $(seq 1 "$ROUNDS"); do
  for t in direct nginx gearbox; do
    read -r user0 sys0 < <(cpu_ticks "${PID[$t]}")
    out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/post.lua" "${URL[$t]}")
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
for t in direct nginx gearbox; do echo "mean $t: $(awk -v s="${SUM_RPS[$t]}" -v r="$ROUNDS" 'BEGIN {printf "%.0f", s / r}') req/s"; done
echo "gearbox/nginx throughput: $(awk -v g="${SUM_RPS[gearbox]}" -v n="${SUM_RPS[nginx]}" 'BEGIN {printf "%.2f", g / n}')"
echo "gearbox/nginx CPU per request: $(awk -v g="${SUM_CPU[gearbox]}" -v n="${SUM_CPU[nginx]}" 'BEGIN {printf "%.2f", g / n}')"

HALF=$(awk -v s="${SUM_RPS[gearbox]}" -v r="$ROUNDS" 'BEGIN {printf "%d", s / r / 2}')
echo
echo "latency at half of Gearbox's rate ($HALF req/s paced, ${SECONDS_PER_RUN}s each, interleaved):"
echo "| round | target | achieved req/s | p50 ms | p90 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- | --- |"
for round in $(seq 1 "$ROUNDS"); do
  for t in direct gearbox; do
    out=$(paced "$HALF" "$SECONDS_PER_RUN" "${URL[$t]}")
    echo "| $round | $t | $(awk '/Requests\/sec/ {print $2}' <<< "$out") | $(lat 50% "$out") | $(lat 90% "$out") | $(lat 99% "$out") |"
  done
done

echo
echo "stream time to first byte, unloaded (500 streams each after 3,000 unmeasured, direct and Gearbox taking turns):"
for round in $(seq 1 "$ROUNDS"); do
  java -cp "$BENCH_JAR" dev.gearbox.bench.LoadProbe ttfb 500 "${URL[direct]}" "${URL[gearbox]}" | sed "s/^/  round $round: /"
done
echo "stream time to first byte under load (Gearbox at $HALF req/s of plain requests meanwhile):"
paced "$HALF" $((SECONDS_PER_RUN + 10)) "${URL[gearbox]}" > /dev/null & LOAD=$!
sleep 2
java -cp "$BENCH_JAR" dev.gearbox.bench.LoadProbe ttfb 300 "${URL[direct]}" "${URL[gearbox]}" | sed "s/^/  /"
wait $LOAD

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
