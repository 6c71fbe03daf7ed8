package io.github.telemetrybootstrap.quarkus;

import io.opentelemetry.context.Context;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Applies the inbound rule ({@link RequestContext}) to every HTTP request before any route runs: the
 * resulting context (tenant baggage, request id) is made current in the request's Vert.x duplicated
 * context, where Quarkus OpenTelemetry keeps the server span's context, so resource methods, the
 * REST client, spans started inside and log lines all see it. The request id is echoed in the
 * response header. The context lives as long as the request's duplicated context does.
 */
@Singleton
public class RequestContextFilter {
  /** Runs after Quarkus's own tracing set the server span (that happens before routing). */
  static final int PRIORITY = 10_000;

  private final TelemetryConfig config;

  RequestContextFilter(TelemetryConfig config) {
    this.config = config;
  }

  void register(@Observes Filters filters) {
    String tenantHeader = config.tenant().header();
    String requestIdHeader = config.requestId().header();
    int tenantMaxLength = config.tenant().maxLength();
    filters.register(
        rc -> {
          Context context =
              RequestContext.inbound(
                  Context.current(),
                  rc.request().getHeader(tenantHeader),
                  rc.request().getHeader(requestIdHeader),
                  tenantMaxLength);
          // Left open on purpose: the scope belongs to this request's duplicated context, which is
          // discarded with the request.
          @SuppressWarnings({"resource", "MustBeClosedChecker"})
          var ignored = context.makeCurrent();
          rc.response().putHeader(requestIdHeader, RequestContext.requestId(context));
          rc.next();
        },
        PRIORITY);
  }
}
