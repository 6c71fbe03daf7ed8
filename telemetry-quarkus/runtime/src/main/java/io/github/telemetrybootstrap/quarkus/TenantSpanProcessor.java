package io.github.telemetrybootstrap.quarkus;

import io.github.telemetrybootstrap.contract.Propagation;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.inject.Singleton;

/**
 * Sets {@value Propagation#TENANT_SPAN_ATTRIBUTE} on every span started in a context whose baggage
 * carries {@value Propagation#TENANT_BAGGAGE_KEY} (REST client spans, spans of {@code @WithSpan}
 * methods, manual spans). Quarkus OpenTelemetry adds {@code SpanProcessor} beans to its SDK.
 */
@Singleton
public class TenantSpanProcessor implements SpanProcessor {

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    String tenant = Baggage.fromContext(parentContext).getEntryValue(Propagation.TENANT_BAGGAGE_KEY);
    if (tenant != null && !tenant.isEmpty()) {
      span.setAttribute(Propagation.TENANT_SPAN_ATTRIBUTE, tenant);
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
