package io.github.telemetrybootstrap.quarkus;

import io.github.telemetrybootstrap.contract.ContextRules;
import io.github.telemetrybootstrap.contract.Propagation;
import io.github.telemetrybootstrap.contract.SecretMasker;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.Optional;

/**
 * The tenant and request id of the current request in a Quarkus service: what the
 * {@code tenant_id} and {@code request_id} log fields show, read from the OpenTelemetry context (which
 * Quarkus keeps in the request's Vert.x duplicated context, so it follows the request across worker
 * threads and Mutiny continuations).
 */
public final class RequestContext {
  private static final ContextKey<String> REQUEST_ID = ContextKey.named("telemetry-request-id");

  private RequestContext() {}

  /**
   * The id of the request being handled: the sanitised {@code X-Request-Id} value (at most
   * {@value io.github.telemetrybootstrap.contract.ContextRules#REQUEST_ID_MAX_LENGTH} characters) or a
   * generated random UUID; the same value the {@code request_id} log field and the response header carry.
   *
   * @return the id, empty outside a request
   */
  public static Optional<String> requestId() {
    return Optional.ofNullable(requestId(Context.current()));
  }

  /**
   * The current tenant: the W3C baggage entry {@value Propagation#TENANT_BAGGAGE_KEY} of the current
   * context, which the extension sets from the tenant header (sanitised, at most
   * {@code telemetry.tenant.max-length} characters, default 64) or keeps from the inbound baggage.
   *
   * @return the tenant, empty when there is none
   */
  public static Optional<String> tenant() {
    return Optional.ofNullable(Baggage.current().getEntryValue(Propagation.TENANT_BAGGAGE_KEY));
  }

  static String requestId(Context context) {
    return context.get(REQUEST_ID);
  }

  /**
   * The inbound rule every runtime applies: the tenant header wins over the baggage entry already in
   * {@code parent}, sanitised ({@link ContextRules#sanitizeTenant}) and put back into the baggage and,
   * when the server span records, onto it as {@value Propagation#TENANT_SPAN_ATTRIBUTE}; the request
   * id is the header's value sanitised, or a new one.
   *
   * @param parent the context extracted from the request (remote parent span, baggage), or the
   *     request's context as Quarkus OpenTelemetry made it (server span, extracted baggage)
   * @param tenantHeader the raw tenant header value, or {@code null}
   * @param requestIdHeader the raw request-id header value, or {@code null}
   * @param tenantMaxLength the tenant cap in characters
   * @return the context to run the request in
   */
  static Context inbound(Context parent, String tenantHeader, String requestIdHeader, int tenantMaxLength) {
    SecretMasker masker = SecretMasker.global();
    String tenant =
        ContextRules.sanitizeTenant(ContextRules.headerValueAsUtf8(tenantHeader), tenantMaxLength, masker);
    if (tenant == null) {
      tenant = ContextRules.sanitizeTenant(
          Baggage.fromContext(parent).getEntryValue(Propagation.TENANT_BAGGAGE_KEY), tenantMaxLength, masker);
    }
    Context context = parent;
    if (tenant != null) {
      context = context.with(
          Baggage.fromContext(parent).toBuilder().put(Propagation.TENANT_BAGGAGE_KEY, tenant).build());
      Span span = Span.fromContext(context);
      if (span.isRecording()) {
        span.setAttribute(Propagation.TENANT_SPAN_ATTRIBUTE, tenant);
      }
    }
    String requestId = ContextRules.sanitizeRequestId(ContextRules.headerValueAsUtf8(requestIdHeader), SecretMasker.global());
    return context.with(REQUEST_ID, requestId == null ? ContextRules.newRequestId() : requestId);
  }
}
