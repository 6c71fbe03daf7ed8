package io.github.telemetrybootstrap.quarkus;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.opentelemetry.context.Context;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes sure every HTTP request runs under the inbound rule ({@link RequestContext}) before any route
 * runs, and echoes the request id in the response header. For a traced request the rule was already
 * applied while Quarkus OpenTelemetry extracted the request's context
 * ({@link InboundRulePropagatorCustomizer}); otherwise this filter applies it and makes the resulting
 * context (tenant baggage, request id) current in the request's Vert.x duplicated context, where Quarkus
 * OpenTelemetry keeps the server span's context, so resource methods, the REST client, spans started
 * inside and log lines all see it. The context lives as long as the request's duplicated context does.
 *
 * <p>On the Prometheus endpoint it answers OpenMetrics scrapes itself ({@link OpenMetricsEndpoint}),
 * so a real Prometheus gets the {@code trace_id} exemplars.
 */
@Singleton
public class RequestContextFilter {
  /** Runs after Quarkus's own tracing set the server span (that happens before routing). */
  static final int PRIORITY = 10_000;

  private final TelemetryConfig config;
  private final String metricsPath;
  private final Instance<PrometheusMeterRegistry> registries;

  RequestContextFilter(
      TelemetryConfig config,
      @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q") String nonApplicationRoot,
      @ConfigProperty(name = "quarkus.micrometer.export.prometheus.path", defaultValue = "metrics") String prometheusPath,
      @Any Instance<PrometheusMeterRegistry> registries) {
    this.config = config;
    this.registries = registries;
    this.metricsPath = metricsPath(nonApplicationRoot, prometheusPath);
  }

  private PrometheusMeterRegistry registry() {
    Instance<PrometheusMeterRegistry> r = registries.select(Default.Literal.INSTANCE);
    return r.isResolvable() ? r.get() : null;
  }

  /** The Prometheus endpoint's path as Quarkus resolves it (a relative path is under the non-application root). */
  static String metricsPath(String nonApplicationRoot, String prometheusPath) {
    if (prometheusPath.startsWith("/")) {
      return prometheusPath;
    }
    String root = nonApplicationRoot.startsWith("/") ? nonApplicationRoot : "/" + nonApplicationRoot;
    return (root.endsWith("/") ? root : root + "/") + prometheusPath;
  }

  void register(@Observes Filters filters) {
    String tenantHeader = config.tenant().header();
    String requestIdHeader = config.requestId().header();
    int tenantMaxLength = config.tenant().maxLength();
    filters.register(
        rc -> {
          String path = rc.request().path();
          if (path != null && path.startsWith(metricsPath) && metricsPath.equals(rc.normalizedPath())
              && OpenMetricsEndpoint.prefersOpenMetrics(rc.request().getHeader("Accept"))) {
            PrometheusMeterRegistry registry = registry();
            if (registry != null) {
              OpenMetricsEndpoint.serve(rc, registry);
              return;
            }
          }
          Context context = Context.current();
          String requestId = RequestContext.requestId(context);
          if (requestId == null) {
            // No extraction applied the rule (InboundRulePropagatorCustomizer): a request Quarkus
            // does not trace, or the baggage propagator is off.
            context =
                RequestContext.inbound(
                    context,
                    rc.request().getHeader(tenantHeader),
                    rc.request().getHeader(requestIdHeader),
                    tenantMaxLength);
            requestId = RequestContext.requestId(context);
            // Left open on purpose: the scope belongs to this request's duplicated context, which
            // is discarded with the request.
            @SuppressWarnings({"resource", "MustBeClosedChecker"})
            var ignored = context.makeCurrent();
          }
          rc.response().putHeader(requestIdHeader, requestId);
          rc.next();
        },
        PRIORITY);
  }
}
