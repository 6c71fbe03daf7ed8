#!/usr/bin/env bash
# The Quarkus example with Quarkus's own observability (quarkus-opentelemetry, micrometer, logging-json)
# against the same application with telemetry-quarkus, side by side, interleaved, the service pinned to
# CPU 0 and the harness (load, OTLP sink, stdout reader) to CPU 1.
# Usage: benchmarks/quarkus/run.sh [rounds=2] [connections=4] [warmup-s=30] [measure-s=15]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests -pl telemetry-contract,telemetry-quarkus/runtime,telemetry-quarkus/deployment,benchmarks -am
./mvnw -q -B -f examples/quarkus/pom.xml package -DskipTests
./mvnw -q -B -f examples/quarkus/pom.xml -Pplain-observability package -DskipTests
exec taskset -c 1 java ${HARNESS_OPTS:-} -cp benchmarks/target/benchmarks.jar \
  io.github.telemetrybootstrap.benchmarks.http.RequestPathHarness --quarkus \
  examples/quarkus/target-plain/quarkus-app/quarkus-run.jar examples/quarkus/target/quarkus-app/quarkus-run.jar \
  "${1:-2}" "${2:-4}" "${3:-30}" "${4:-15}" 0
