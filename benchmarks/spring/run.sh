#!/usr/bin/env bash
# The Spring Boot example with Spring Boot's own observability (ECS JSON logs, Micrometer Tracing on Spring
# Boot's OpenTelemetry SDK at sampling 1.0, request histograms; the example's jars minus telemetry-*)
# against the same application with telemetry-spring, side by side, interleaved, the service pinned to
# CPU 0 and the harness (load, OTLP sink, stdout reader) to CPU 1. Both export every span over OTLP.
# Usage: benchmarks/spring/run.sh [rounds=2] [connections=4] [warmup-s=30] [measure-s=15]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests -pl examples/spring-boot,benchmarks -am
dir=examples/spring-boot/target
ours="$dir/classes:$(ls "$dir"/lib/*.jar | paste -sd:)"
plain="$dir/classes:$(ls "$dir"/lib/*.jar | grep -v '/telemetry-' | paste -sd:)"
exec taskset -c 1 java ${HARNESS_OPTS:-} -cp benchmarks/target/benchmarks.jar \
  io.github.telemetrybootstrap.benchmarks.http.RequestPathHarness --spring "$plain" "$ours" \
  "${1:-2}" "${2:-4}" "${3:-30}" "${4:-15}" 0
