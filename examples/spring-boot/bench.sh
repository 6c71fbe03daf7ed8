#!/usr/bin/env bash
# Side-by-side benchmark: the Spring Boot example with telemetry-spring against the same application
# with plain Spring Boot observability (structured logging "ecs", Micrometer Tracing with Spring Boot's
# own OpenTelemetry SDK, sampling 1.0, Prometheus registry), i.e. the same jars minus telemetry-*.
# Both write their logs to /dev/null and export no spans (no collector), so the difference is the
# instrumentation itself. Needs wrk (apt-get install wrk) and curl.
#   examples/spring-boot/bench.sh [start-runs] [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}; seconds=${2:-10}; connections=${3:-16}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
./mvnw -q -B -DskipTests package -pl examples/spring-boot -am
dir=examples/spring-boot/target
ours="$dir/spring-boot-example.jar"
plain="$dir/classes:$(ls "$dir"/lib/*.jar | grep -v '/telemetry-' | paste -sd:)"
main=io.github.telemetrybootstrap.examples.springboot.SpringBootExampleApplication
plain_args=(--logging.structured.format.console=ecs --spring.main.banner-mode=off
  --management.tracing.sampling.probability=1.0
  --management.metrics.distribution.percentiles-histogram.http.server.requests=true)
port=${BENCH_PORT:-18181}
if curl -s "http://127.0.0.1:$port/" >/dev/null 2>&1; then echo "port $port is busy" >&2; exit 1; fi

pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null || true' EXIT

start() { # variant -> sets pid and ms (time to first response)
  local t0; t0=$(date +%s%N)
  if [ "$1" = ours ]; then
    OTEL_TRACES_EXPORTER=none java -jar "$ours" --server.port=$port >/dev/null 2>&1 &
  else
    java -cp "$plain" "$main" --server.port=$port "${plain_args[@]}" >/dev/null 2>&1 &
  fi
  pid=$!
  until curl -sf "http://127.0.0.1:$port/hello" >/dev/null; do sleep 0.02; done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

for variant in plain ours; do
  times=()
  for _ in $(seq "$runs"); do
    start $variant; times+=("$ms"); kill $pid; wait $pid 2>/dev/null || true
  done
  echo "$variant: time to first response (ms): ${times[*]}"
  start $variant
  for path in /hello /orders/42; do
    wrk -t2 -c"$connections" -d2s "http://127.0.0.1:$port$path" >/dev/null   # warm-up
    echo "$variant $path: $(wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port$path" \
      | grep -E 'Requests/sec|  50%|  99%' | tr -s ' ' | paste -sd' ')"
  done
  kill $pid; wait $pid 2>/dev/null || true
done
