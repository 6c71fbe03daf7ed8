package io.github.telemetrybootstrap.metrics;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.jspecify.annotations.Nullable;

/**
 * Feeds the Prometheus exemplar sampler with the current OpenTelemetry span, so histogram buckets
 * carry exemplars {@code {trace_id="…",span_id="…"}} pointing at a sampled trace. Prometheus shows
 * exemplars only when it scrapes the OpenMetrics format (it negotiates it when exemplar storage is
 * on).
 */
public final class OpenTelemetryExemplars implements io.prometheus.metrics.tracer.common.SpanContext {

  /** Creates the bridge; it has no state. */
  public OpenTelemetryExemplars() {}

  @Override
  public @Nullable String getCurrentTraceId() {
    SpanContext sc = Span.current().getSpanContext();
    return sc.isValid() ? sc.getTraceId() : null;
  }

  @Override
  public @Nullable String getCurrentSpanId() {
    SpanContext sc = Span.current().getSpanContext();
    return sc.isValid() ? sc.getSpanId() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    SpanContext sc = Span.current().getSpanContext();
    return sc.isValid() && sc.isSampled();
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    Span span = Span.current();
    if (span.getSpanContext().isValid()) {
      span.setAttribute(EXEMPLAR_ATTRIBUTE_NAME, EXEMPLAR_ATTRIBUTE_VALUE);
    }
  }
}
