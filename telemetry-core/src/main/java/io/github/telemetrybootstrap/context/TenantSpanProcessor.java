package io.github.telemetrybootstrap.context;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * A {@link SpanProcessor} that copies the tenant of the parent context to every span it starts.
 *
 * <p>When a span starts, the tenant is read from the parent context's W3C baggage entry
 * {@value Tenant#BAGGAGE_KEY} with {@link Tenant#fromContext(Context)} (so it is sanitised: control
 * characters removed, length capped) and written to the span attribute {@value
 * Tenant#SPAN_ATTRIBUTE}. When the parent context has no tenant the span is left untouched. The
 * processor keeps no state, allocates nothing when there is no tenant, never throws, and does
 * nothing when a span ends.
 *
 * <p>Register it on the {@code SdkTracerProvider} before the exporting processor, e.g. {@code
 * SdkTracerProvider.builder().addSpanProcessor(new TenantSpanProcessor())}.
 */
public final class TenantSpanProcessor implements SpanProcessor {

  /** Creates the processor; it is stateless, one instance can serve any number of providers. */
  public TenantSpanProcessor() {}

  /**
   * Copies the parent context's tenant, if any, to the span attribute {@value
   * Tenant#SPAN_ATTRIBUTE}.
   *
   * @param parentContext the context the span was started in (its baggage carries the tenant)
   * @param span the starting span
   */
  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    String tenant = Tenant.fromContext(parentContext);
    if (tenant != null) {
      span.setAttribute(Tenant.SPAN_ATTRIBUTE, tenant);
    }
  }

  /**
   * Returns {@code true}: the processor works when spans start.
   *
   * @return {@code true}
   */
  @Override
  public boolean isStartRequired() {
    return true;
  }

  /**
   * Does nothing: the tenant is set when the span starts.
   *
   * @param span the ended span
   */
  @Override
  public void onEnd(ReadableSpan span) {}

  /**
   * Returns {@code false}: the processor has nothing to do when spans end.
   *
   * @return {@code false}
   */
  @Override
  public boolean isEndRequired() {
    return false;
  }

  /**
   * Nothing is buffered, so shutting down succeeds at once.
   *
   * @return a completed, successful result
   */
  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }

  /**
   * Nothing is buffered, so flushing succeeds at once.
   *
   * @return a completed, successful result
   */
  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "TenantSpanProcessor{attribute=" + Tenant.SPAN_ATTRIBUTE + "}";
  }
}
