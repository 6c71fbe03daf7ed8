package io.github.telemetrybootstrap.testkit.otlp;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One span as an {@link OtlpReceiver} received it, decoded from OTLP
 * ({@code opentelemetry.proto.trace.v1.Span}).
 *
 * @param traceId 32 lowercase hex characters
 * @param spanId 16 lowercase hex characters
 * @param parentSpanId 16 lowercase hex characters, or {@code ""} for a root span
 * @param name the span name, for example {@code GET /orders/{id}}
 * @param kind {@code INTERNAL}, {@code SERVER}, {@code CLIENT}, {@code PRODUCER}, {@code CONSUMER}
 *     or {@code UNSPECIFIED} (the OTLP enum name without its {@code SPAN_KIND_} prefix)
 * @param startEpochNanos start time, nanoseconds since the Unix epoch
 * @param endEpochNanos end time, nanoseconds since the Unix epoch
 * @param statusCode {@code UNSET}, {@code OK} or {@code ERROR}
 * @param attributes span attributes; values are {@code String}, {@code Boolean}, {@code Long},
 *     {@code Double}, {@code byte[]}, {@code List<Object>} or {@code Map<String, Object>}; immutable
 * @param resourceAttributes attributes of the resource that produced the span, same value types
 * @param scopeName the instrumentation scope name, {@code ""} when absent
 */
public record ReceivedSpan(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    String kind,
    long startEpochNanos,
    long endEpochNanos,
    String statusCode,
    Map<String, Object> attributes,
    Map<String, Object> resourceAttributes,
    String scopeName) {

  /** Checks for nulls and copies the maps. */
  public ReceivedSpan {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(parentSpanId, "parentSpanId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(statusCode, "statusCode");
    attributes = Map.copyOf(attributes);
    resourceAttributes = Map.copyOf(resourceAttributes);
    Objects.requireNonNull(scopeName, "scopeName");
  }

  /**
   * Whether the span has no parent.
   *
   * @return true for a root span
   */
  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  /**
   * Duration of the span.
   *
   * @return end minus start, nanoseconds (0 when the end precedes the start)
   */
  public long durationNanos() {
    return Math.max(0, endEpochNanos - startEpochNanos);
  }

  /**
   * One attribute of the span.
   *
   * @param key the attribute key, for example {@code saas.tenant}
   * @return the value, or {@code null} when absent
   */
  public @Nullable Object attribute(String key) {
    return attributes.get(key);
  }

  /**
   * The {@code service.name} resource attribute.
   *
   * @return the service name, or {@code ""} when absent
   */
  public String serviceName() {
    Object v = resourceAttributes.get("service.name");
    return v == null ? "" : v.toString();
  }
}
