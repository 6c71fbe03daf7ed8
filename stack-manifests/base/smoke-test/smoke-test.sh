#!/bin/sh
# Observability smoke test: proves each signal flows end to end through the stack.
#  1. sends one span with status ERROR (the tail sampler's errors policy must keep it) to the
#     collector over OTLP/HTTP JSON;
#  2. writes one uniquely tagged JSON log line (contract fields) to stdout, which Alloy ships to Loki;
#  3. polls Tempo (trace by id), Loki (LogQL on the tag) and Prometheus (span metrics that Tempo's
#     metrics generator derived from that span) and exits non-zero unless all three are found.
set -eu

COLLECTOR="${COLLECTOR_URL:-http://otel-collector:4318}"
TEMPO="${TEMPO_URL:-http://tempo:3200}"
# Tenant for reads; Loki and Tempo ignore it while single-tenant (the default profile). The smoke
# test's own log line has no tenant_id, so Alloy files it under the default tenant.
TENANT="${SMOKE_TENANT:-default}"
LOKI="${LOKI_URL:-http://loki:3100}"
PROMETHEUS="${PROMETHEUS_URL:-http://prometheus:9090}"
DEADLINE_SECONDS="${DEADLINE_SECONDS:-240}"
SERVICE="observability-smoke"

hex() { tr -dc '0-9a-f' < /dev/urandom | head -c "$1"; }
TRACE_ID="$(hex 32)"
SPAN_ID="$(hex 16)"
TAG="smoke-$(hex 12)"
NOW_NS="$(date +%s)000000000"
END_NS="$(( $(date +%s) + 1 ))000000000"

echo "sending span trace_id=${TRACE_ID} with status ERROR" >&2
curl -fsS -X POST "${COLLECTOR}/v1/traces" -H 'Content-Type: application/json' --data-binary @- <<JSON
{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"${SERVICE}"}}]},
 "scopeSpans":[{"scope":{"name":"smoke-test"},"spans":[{"traceId":"${TRACE_ID}","spanId":"${SPAN_ID}",
 "name":"GET /smoke","kind":2,"startTimeUnixNano":"${NOW_NS}","endTimeUnixNano":"${END_NS}",
 "attributes":[{"key":"smoke.tag","value":{"stringValue":"${TAG}"}}],
 "status":{"code":2,"message":"smoke test error: the sampler must keep this trace"}}]}]}]}
JSON

# The tagged log line, in the telemetry contract's shape (Alloy extracts level, trace_id, service).
printf '{"@timestamp":"%s","level":"ERROR","logger":"smoke","thread":"main","message":"%s","service":"%s","trace_id":"%s","span_id":"%s"}\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)" "${TAG}" "${SERVICE}" "${TRACE_ID}" "${SPAN_ID}"

found_trace=no; found_log=no; found_metric=no
start="$(date +%s)"
while [ $(( $(date +%s) - start )) -lt "${DEADLINE_SECONDS}" ]; do
  if [ "${found_trace}" = no ] && curl -fsS -o /dev/null -H "X-Scope-OrgID: ${TENANT}" "${TEMPO}/api/v2/traces/${TRACE_ID}"; then
    found_trace=yes; echo "Tempo: trace ${TRACE_ID} found" >&2
  fi
  if [ "${found_log}" = no ] && curl -fsS -G -H "X-Scope-OrgID: ${TENANT}" "${LOKI}/loki/api/v1/query_range" \
      --data-urlencode "query={namespace=\"observability\", app=\"${SERVICE}\"} |= \"${TAG}\"" \
      --data-urlencode "since=15m" | grep -q "${TAG}"; then
    found_log=yes; echo "Loki: log line ${TAG} found" >&2
  fi
  if [ "${found_metric}" = no ] && curl -fsS -G "${PROMETHEUS}/api/v1/query" \
      --data-urlencode "query=sum(traces_spanmetrics_calls_total{service=\"${SERVICE}\"})" | grep -q '"value"'; then
    found_metric=yes; echo "Prometheus: span metrics for ${SERVICE} found" >&2
  fi
  if [ "${found_trace}${found_log}${found_metric}" = yesyesyes ]; then
    echo "smoke test passed" >&2
    exit 0
  fi
  sleep 10
done
echo "smoke test FAILED after ${DEADLINE_SECONDS}s: trace=${found_trace} log=${found_log} metric=${found_metric}" >&2
exit 1
