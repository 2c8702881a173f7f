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

declare -A URL=([direct]="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
                [nginx]="http://127.0.0.1:$NGINX_PORT/v1/chat/completions"
                [gearbox]="http://127.0.0.1:$GEARBOX_PORT/v1/chat/completions")
declare -A PID=([direct]="" [nginx]="$NGINX_WORKER" [gearbox]="$GATEWAY")
cpu_ticks() { [ -n "$1" ] && awk '{print $14 + $15}' "/proc/$1/stat" || echo 0; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# The JIT keeps compiling for tens of seconds under load; unwarmed figures would mostly measure the compiler.
echo "warm-up (Gearbox 40s, the others ${SECONDS_PER_RUN}s)"
wrk -t1 -c"$CONNECTIONS" -d40s -s "$WORK/post.lua" "${URL[gearbox]}" > /dev/null
for t in direct nginx; do wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$WORK/post.lua" "${URL[$t]}" > /dev/null; done
echo "gateway resident after warm-up: $(rss_mib $GATEWAY) MiB"

echo
echo "| round | target | req/s | p50 ms | p90 ms | p99 ms | CPU µs/req |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
declare -A SUM_RPS SUM_CPU
for round in $(seq 1 "$ROUNDS"); do
  for t in direct nginx gearbox; do
    before=$(cpu_ticks "${PID[$t]}")
    out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/post.lua" "${URL[$t]}")
    after=$(cpu_ticks "${PID[$t]}")
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
    requests=$(awk '/requests in/ {print $1}' <<< "$out")
    lat() { awk -v q="$1" '$1 == q {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}' <<< "$out"; }
    cpu="-"
    if [ -n "${PID[$t]}" ]; then cpu=$(awk -v d=$((after - before)) -v n="$requests" -v tick="$TICK" 'BEGIN {printf "%.1f", d / tick * 1e6 / n}'); fi
    echo "| $round | $t | $rps | $(lat 50%) | $(lat 90%) | $(lat 99%) | $cpu |"
    SUM_RPS[$t]=$(awk -v a="${SUM_RPS[$t]:-0}" -v b="$rps" 'BEGIN {print a + b}')
    [ "$cpu" != "-" ] && SUM_CPU[$t]=$(awk -v a="${SUM_CPU[$t]:-0}" -v b="$cpu" 'BEGIN {print a + b}')
  done
done
echo
for t in direct nginx gearbox; do echo "mean $t: $(awk -v s="${SUM_RPS[$t]}" -v r="$ROUNDS" 'BEGIN {printf "%.0f", s / r}') req/s"; done
echo "gearbox/nginx throughput: $(awk -v g="${SUM_RPS[gearbox]}" -v n="${SUM_RPS[nginx]}" 'BEGIN {printf "%.2f", g / n}')"
echo "gearbox/nginx CPU per request: $(awk -v g="${SUM_CPU[gearbox]}" -v n="${SUM_CPU[nginx]}" 'BEGIN {printf "%.2f", g / n}')"

HALF=$(awk -v s="${SUM_RPS[gearbox]}" -v r="$ROUNDS" 'BEGIN {printf "%d", s / r / 2}')
echo
echo "open-loop at half of Gearbox's rate ($HALF req/s, ${SECONDS_PER_RUN}s each, interleaved):"
for round in $(seq 1 "$ROUNDS"); do
  for t in direct gearbox; do
    echo "  round $round $t: $(java -cp "$BENCH_JAR" dev.gearbox.bench.LoadProbe rate "${URL[$t]}" "$HALF" "$SECONDS_PER_RUN")"
  done
done

echo
echo "stream time to first byte, unloaded (500 streams each, interleaved):"
for round in $(seq 1 "$ROUNDS"); do
  for t in direct gearbox; do
    echo "  round $round $t: $(java -cp "$BENCH_JAR" dev.gearbox.bench.LoadProbe ttfb "${URL[$t]}" 500)"
  done
done
echo "stream time to first byte under load (Gearbox at $HALF req/s of plain requests meanwhile):"
java -cp "$BENCH_JAR" dev.gearbox.bench.LoadProbe rate "${URL[gearbox]}" "$HALF" $((SECONDS_PER_RUN + 5)) > /dev/null & LOAD=$!
sleep 2
for t in direct gearbox; do echo "  $t: $(java -cp "$BENCH_JAR" dev.gearbox.bench.LoadProbe ttfb "${URL[$t]}" 300)"; done
wait $LOAD

if [ "$SOAK" -gt 0 ]; then
  echo
  echo "soak: ${SOAK}s at $HALF req/s"
  before=$(rss_mib $GATEWAY)
  java -cp "$BENCH_JAR" dev.gearbox.bench.LoadProbe rate "${URL[gearbox]}" "$HALF" "$SOAK" | sed 's/^/  /'
  echo "gateway resident before soak: $before MiB, after: $(rss_mib $GATEWAY) MiB"
fi
