#!/usr/bin/env bash
# The request-path benchmark: bare vs Telemetry.bootstrap() vs the OpenTelemetry Java agent, side by side,
# interleaved, the service pinned to CPU 0 and the harness (load, OTLP sink, stdout reader) to CPU 1.
# Usage: benchmarks/http/run.sh [rounds=2] [connections=4] [warmup-s=30] [measure-s=15]
# Needs Linux with taskset and 2+ CPUs. Results go to stdout (Markdown) and per-round lines to stderr.
# HARNESS_OPTS=-Dharness.jfr=/tmp/jfr records a JFR profile of each service run; -Dharness.threads=true
# prints where the service's core went per thread (CPU, run-queue wait, mean slice).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests -pl telemetry-core,benchmarks -am
for p in hello-bare hello-bootstrap; do
  ./mvnw -q -B -f "benchmarks/http/$p/pom.xml" clean package  # clean: the class path is every jar in target/dependency
done
cp_of() { echo "benchmarks/http/$1/target/classes:$(ls benchmarks/http/$1/target/dependency/*.jar | paste -sd:)"; }
exec taskset -c 1 java ${HARNESS_OPTS:-} -cp benchmarks/target/benchmarks.jar \
  io.github.telemetrybootstrap.benchmarks.http.RequestPathHarness \
  "$(cp_of hello-bare)" "$(cp_of hello-bootstrap)" benchmarks/http/hello-bare/target/agent/opentelemetry-javaagent.jar \
  "${1:-2}" "${2:-4}" "${3:-30}" "${4:-15}" 0
