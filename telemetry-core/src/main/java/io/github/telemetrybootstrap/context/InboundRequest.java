package io.github.telemetrybootstrap.context;

import io.github.telemetrybootstrap.contract.ContextRules;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import org.jspecify.annotations.Nullable;

/**
 * The context an inbound request runs in: the one rule every server integration of the library
 * applies (the JDK HTTP server filter, the Spring servlet filter and the Spring WebFlux filter), so the
 * tenant and request id mean the same everywhere.
 *
 * <ul>
 *   <li>Tenant: the tenant header's value when present (default {@code X-Tenant-Id}), otherwise the
 *       W3C baggage entry {@value Tenant#BAGGAGE_KEY} already in the context; sanitised with
 *       {@link Tenant#sanitize(String)} and put back into the baggage, so what propagates downstream
 *       is exactly what the span and the log lines carry. When the context's span is recording (a
 *       framework's server span started before this rule ran), the tenant is also set on it as
 *       {@value Tenant#SPAN_ATTRIBUTE}; otherwise {@link TenantSpanProcessor} puts it on the spans
 *       started under the returned context.
 *   <li>Request id: the request-id header's value (default {@code X-Request-Id}) sanitised with
 *       {@link RequestId#sanitize(String)}, or a generated one; the caller echoes it in the response.
 * </ul>
 *
 * <p>Header values that servers decoded byte-per-character (ISO-8859-1, as the JDK server and
 * Tomcat do) and that are valid UTF-8 are read as UTF-8, so a tenant sent as a header and the same
 * tenant sent as baggage have one spelling. Never throws for bad header values.
 *
 * @param context the context to run the request in
 * @param tenant the sanitised tenant, or {@code null} when the request has none
 * @param requestId the request id, never null
 */
public record InboundRequest(Context context, @Nullable String tenant, String requestId) {

  /**
   * Applies the rule.
   *
   * @param parent the context extracted from the request ({@code traceparent}, {@code baggage}) or
   *     the one a framework made current for it
   * @param tenantHeaderValue the raw tenant header value, or {@code null} when absent
   * @param requestIdHeaderValue the raw request-id header value, or {@code null} when absent
   * @return the request's context, tenant and request id
   */
  public static InboundRequest resolve(
      Context parent, @Nullable String tenantHeaderValue, @Nullable String requestIdHeaderValue) {
    Context context = parent;
    String tenant = Tenant.sanitize(ContextRules.headerValueAsUtf8(tenantHeaderValue));
    if (tenant == null) {
      tenant = Tenant.fromContext(parent);
    }
    if (tenant != null) {
      context = Tenant.with(context, tenant);
      Span span = Span.fromContext(context);
      if (span.isRecording()) {
        span.setAttribute(Tenant.SPAN_ATTRIBUTE, tenant);
      }
    }
    String requestId = RequestId.sanitize(ContextRules.headerValueAsUtf8(requestIdHeaderValue));
    if (requestId == null) {
      requestId = RequestId.generate();
    }
    return new InboundRequest(RequestId.withSanitized(context, requestId), tenant, requestId);
  }
}
