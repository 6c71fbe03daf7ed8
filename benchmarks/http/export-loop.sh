#!/usr/bin/env bash
# What exporting one span costs through the OpenTelemetry SDK's OTLP/HTTP exporter (JDK sender), in a
# process that does nothing else: the exporter pinned to CPU 0, an OTLP sink in another process on CPU 1.
# Usage: benchmarks/http/export-loop.sh [exports-per-round=800] [rounds=6] [batches=1]
# batches > 1 takes that many batches of spans in turn, so each export reads spans out of the CPU's caches.
# Prints, per round, the wall time and the exporting process's CPU per export and per span.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests -pl telemetry-core,benchmarks -am
port=$((20000 + RANDOM % 20000))
taskset -c 1 java -cp benchmarks/target/benchmarks.jar \
  io.github.telemetrybootstrap.benchmarks.http.ExportLoop sink "$port" &
sink=$!
trap 'kill $sink 2>/dev/null' EXIT
sleep 2
# Two senders are on the class path (OkHttp and the JDK's); the bootstrap picks the JDK's, so does this.
taskset -c 0 java \
  -Dio.opentelemetry.sdk.common.export.HttpSenderProvider=io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider \
  -cp benchmarks/target/benchmarks.jar \
  io.github.telemetrybootstrap.benchmarks.http.ExportLoop export "$port" "${1:-800}" "${2:-6}" "${3:-1}"
