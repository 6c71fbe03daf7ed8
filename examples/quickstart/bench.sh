#!/usr/bin/env bash
# Side-by-side benchmark: the quickstart vs the same service with Telemetry.bootstrap() removed.
# Needs wrk (apt-get install wrk). Record the results in docs/benchmarks.md with the date and machine.
#   examples/quickstart/bench.sh [--start-runs 10] [--seconds 15] [--connections 16]
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
./mvnw -q -B -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath -pl examples/quickstart -am
cp="examples/quickstart/target/test-classes:examples/quickstart/target/classes:$(cat examples/quickstart/target/bench.classpath)"
exec java -cp "$cp" io.github.telemetrybootstrap.examples.quickstart.QuickstartBenchmark "$@"
