#!/usr/bin/env bash
# What keys, limits and budgets cost end to end, per request, against a real redis-server: three Gearbox
# processes from the same jar, interleaved round by round under wrk on loopback, all routing to one fake
# upstream:
#   nokeys   no keys and no state store: the request as it is without keys
#   leased   a key and its team, every limit set (rpm, tpm, max_concurrent, a daily budget), counted in
#            leases in Redis (the default)
#   exact    the same key and team with `accounting: exact`: a script call to Redis before each request and
#            one after it
# Per target and round: throughput, the gateway's CPU per request (user + system, /proc), Redis's CPU per
# request (INFO cpu, used_cpu_user + used_cpu_sys of the main thread and its helpers) and its script calls
# per request with the time Redis says it spent in them (INFO commandstats). Every run is bounded in time.
#
#   bench/keyed-load.sh [ROUNDS] [SECONDS] [CONNECTIONS]
#   PINNED=1 bench/keyed-load.sh ...   (the gateways on core 0; wrk, the upstream and Redis on core 1)
#
# Needs: wrk, nginx (the pinned upstream), redis-server, taskset, and `mvn -B -q package -DskipTests` first.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
CONNECTIONS=${3:-32}
PINNED=${PINNED:-}
UPSTREAM_PORT=9111 REDIS_PORT=9112 NOKEYS_PORT=9113 LEASED_PORT=9114 EXACT_PORT=9115
SUT="" HARNESS=""
[ -z "$PINNED" ] || { SUT="taskset -c 0"; HARNESS="taskset -c 1"; }
BENCH_JAR=bench/target/benchmarks.jar
GATEWAY_JAR=gateway/target/gearbox.jar
GATEWAY_JVM="-Xms64m -Xmx128m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m -Xss512k"
KEY=sk-bench-0123456789abcdef0123456789
TICK=$(getconf CLK_TCK)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

for tool in wrk redis-server redis-cli java ${PINNED:+taskset} ${PINNED:+nginx}; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
[ -f "$BENCH_JAR" ] && [ -f "$GATEWAY_JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# The same body for every target; it sets max_tokens, as SDKs usually do, so no target rewrites it.
for t in nokeys keyed; do
  cat > "$WORK/$t.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"model":"auto","max_tokens":64,"messages":[{"role":"user","content":"What is the capital of France?"}]}'
wrk.headers["Content-Type"] = "application/json"
$([ "$t" = keyed ] && echo "wrk.headers[\"Authorization\"] = \"Bearer $KEY\"")
LUA
done

mkdir -p "$WORK/rules"
cat > "$WORK/rules/models.yaml" <<'YAML'
models:
  - {id: bench-model, provider: fake, tier: cheap, price: {input: 0.15, output: 0.60}, capabilities: [tools, json_mode]}
  - {id: bench-thinker, provider: fake, tier: reasoning, price: {input: 4.5, output: 18}, capabilities: [tools, reasoning]}
YAML
cp routing-rules/routes.yaml "$WORK/rules/routes.yaml"
base() {
  cat <<YAML
server:
  host: 127.0.0.1
  port: $1
  event_loops: 1
  access_log: false
$2
providers:
  fake: {type: openai, base_url: "http://127.0.0.1:$UPSTREAM_PORT/v1", max_connections: 256}
rules: {directory: "$WORK/rules"}
cache: {enabled: false}
YAML
}
KEYS='  api_keys:
    - {key: "${BENCH_KEY}", tenant: bench}'
TEAM="teams:
  - {id: bench, rpm: 100000000, tpm: 2000000000, max_concurrent: 100000, budget_usd: {daily: 1000000}ACCOUNTING}
state:
  redis: {url: \"redis://127.0.0.1:$REDIS_PORT\"}"
base $NOKEYS_PORT "" > "$WORK/nokeys.yaml"
{ base $LEASED_PORT "$KEYS"; echo "${TEAM/ACCOUNTING/}"; } > "$WORK/leased.yaml"
{ base $EXACT_PORT "$KEYS"; echo "${TEAM/ACCOUNTING/, accounting: exact}"; } > "$WORK/exact.yaml"

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

# Redis as a cache of counters is usually run without fsync on every write; its CPU here is the scripts'.
# shellcheck disable=SC2086
$HARNESS redis-server --port $REDIS_PORT --bind 127.0.0.1 --save "" --appendonly no > "$WORK/redis.log" 2>&1 & PIDS+=($!)
# shellcheck disable=SC2086
if [ -n "$PINNED" ]; then
  $HARNESS nginx -c "$WORK/nginx-upstream.conf" -g 'daemon off;' > "$WORK/upstream.log" 2>&1 & PIDS+=($!)
else
  java -Xmx128m -cp "$BENCH_JAR" dev.gearbox.bench.FakeUpstream $UPSTREAM_PORT > "$WORK/upstream.log" 2>&1 & PIDS+=($!)
fi
declare -A PID PORT=([nokeys]=$NOKEYS_PORT [leased]=$LEASED_PORT [exact]=$EXACT_PORT)
for t in nokeys leased exact; do
  # shellcheck disable=SC2086
  BENCH_KEY=$KEY $SUT java $GATEWAY_JVM -jar "$GATEWAY_JAR" --config "$WORK/$t.yaml" > "$WORK/$t.log" 2>&1 & PIDS+=($!)
  PID[$t]=$!
done
for port in $UPSTREAM_PORT $NOKEYS_PORT $LEASED_PORT $EXACT_PORT; do
  for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
done

url() { echo "http://127.0.0.1:${PORT[$1]}/v1/chat/completions"; }
script() { [ "$1" = nokeys ] && echo "$WORK/nokeys.lua" || echo "$WORK/keyed.lua"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Redis's CPU seconds (all its threads), and its script calls and their microseconds.
redis_cpu() { redis-cli -p $REDIS_PORT info cpu | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.6f", s}'; }
redis_scripts() {
  redis-cli -p $REDIS_PORT info commandstats | tr -d '\r' | awk -F'[:,=]' '/^cmdstat_(evalsha|eval):/ {c += $3; u += $5} END {print c + 0, u + 0}'
}

echo "warm-up: 40 s per gateway"
for t in nokeys leased exact; do $HARNESS wrk -t1 -c"$CONNECTIONS" -d40s -s "$(script $t)" "$(url $t)" > /dev/null; done

echo
echo "| round | target | req/s | non-2xx | gateway CPU µs/req | Redis CPU µs/req | Redis script calls/req | Redis µs in scripts/req |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
declare -A SUM_GW SUM_REDIS
for round in $(seq 1 "$ROUNDS"); do
  for t in nokeys leased exact; do
    g0=$(cpu_ticks "${PID[$t]}"); r0=$(redis_cpu); read -r c0 u0 < <(redis_scripts)
    out=$($HARNESS wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$(script $t)" "$(url $t)")
    g1=$(cpu_ticks "${PID[$t]}"); r1=$(redis_cpu); read -r c1 u1 < <(redis_scripts)
    n=$(awk '/requests in/ {print $1}' <<< "$out")
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
    bad=$(awk '/Non-2xx/ {print $NF}' <<< "$out"); bad=${bad:-0}
    gw=$(awk -v d=$((g1 - g0)) -v n="$n" -v tick="$TICK" 'BEGIN {printf "%.1f", d / tick * 1e6 / n}')
    rd=$(awk -v a="$r0" -v b="$r1" -v n="$n" 'BEGIN {printf "%.2f", (b - a) * 1e6 / n}')
    calls=$(awk -v a="$c0" -v b="$c1" -v n="$n" 'BEGIN {printf "%.4f", (b - a) / n}')
    us=$(awk -v a="$u0" -v b="$u1" -v n="$n" 'BEGIN {printf "%.2f", (b - a) / n}')
    echo "| $round | $t | $rps | $bad | $gw | $rd | $calls | $us |"
    SUM_GW[$t]=$(awk -v a="${SUM_GW[$t]:-0}" -v b="$gw" 'BEGIN {print a + b}')
    SUM_REDIS[$t]=$(awk -v a="${SUM_REDIS[$t]:-0}" -v b="$rd" 'BEGIN {print a + b}')
  done
done
echo
for t in leased exact; do
  echo "$t: gateway CPU per request minus nokeys $(awk -v a="${SUM_GW[$t]}" -v b="${SUM_GW[nokeys]}" -v r="$ROUNDS" 'BEGIN {printf "%.1f", (a - b) / r}') µs;" \
    "Redis CPU per request $(awk -v a="${SUM_REDIS[$t]}" -v r="$ROUNDS" 'BEGIN {printf "%.2f", a / r}') µs (mean of rounds)"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
