package io.github.telemetrybootstrap.quarkus;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.quarkus.micrometer.runtime.HttpServerMetricsTagsContributor;
import io.smallrye.common.vertx.ContextLocals;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * {@code http_server_requests_seconds} as in telemetry-core and telemetry-spring: a histogram
 * (Prometheus {@code _bucket} series, so quantiles aggregate across pods, and exemplars carrying
 * {@code trace_id} in the OpenMetrics format) with the tags {@code method}, {@code uri} (the route
 * template), {@code status}, {@code outcome} and {@code exception} (the simple class name of the
 * exception that failed the request, {@code none} otherwise; Spring's values).
 */
@Singleton
public class HttpServerMetrics implements HttpServerMetricsTagsContributor {
  /** Micrometer name of the server request timer. */
  public static final String METER = "http.server.requests";
  /** The tag carrying the failure's exception class. */
  public static final String EXCEPTION_TAG = "exception";

  private static final String FAILURE_LOCAL = "telemetry.http.exception";

  /**
   * @return the filter turning the server request timer into a histogram
   */
  @Produces
  @Singleton
  MeterFilter serverRequestsHistogram() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!METER.equals(id.getName())) {
          return config;
        }
        return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
      }
    };
  }

  /** Notes the failure of a request (before Quarkus's error handler answers it) for the tag. */
  void recordFailures(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE)
        .failureHandler(
            rc -> {
              Throwable failure = rc.failure();
              if (failure != null) {
                try {
                  ContextLocals.put(FAILURE_LOCAL, failure.getClass().getSimpleName());
                } catch (UnsupportedOperationException notDuplicated) {
                  // no request context to note it in: the tag says none
                }
              }
              rc.next();
            });
  }

  @Override
  public Tags contribute(Context context) {
    String exception = context.requestContextLocalData(FAILURE_LOCAL);
    return Tags.of(EXCEPTION_TAG, exception == null || exception.isEmpty() ? "none" : exception);
  }
}
