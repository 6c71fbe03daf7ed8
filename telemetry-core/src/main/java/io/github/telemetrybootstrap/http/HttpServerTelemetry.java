package io.github.telemetrybootstrap.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.github.telemetrybootstrap.TelemetrySettings;
import io.github.telemetrybootstrap.context.InboundRequest;
import io.github.telemetrybootstrap.contract.ContextRules;
import io.github.telemetrybootstrap.contract.Propagation;
import io.github.telemetrybootstrap.context.RequestId;
import io.github.telemetrybootstrap.context.Tenant;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerRoute;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerRouteSource;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanNameExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanStatusExtractor;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Telemetry for the JDK's own HTTP server ({@code com.sun.net.httpserver}): one {@link Filter} that
 * gives every request a SERVER span, the tenant and request id in its context, and the {@code
 * http.server.requests} timer.
 *
 * <pre>{@code
 * HttpServerTelemetry telemetry = HttpServerTelemetry.builder(openTelemetry, meterRegistry).build();
 * HttpContext ctx = server.createContext("/", HttpRouter.builder()
 *     .get("/orders/{id}", this::getOrder)
 *     .build());
 * ctx.getFilters().add(telemetry.filter());
 * }</pre>
 *
 * <p>Per request the filter, in this order:
 *
 * <ol>
 *   <li>extracts {@code traceparent}/{@code tracestate} and {@code baggage} with the {@link
 *       OpenTelemetry#getPropagators() propagators} (W3C Trace Context and W3C Baggage);
 *   <li>puts the tenant into the baggage entry {@value Tenant#BAGGAGE_KEY}: the tenant header
 *       ({@code X-Tenant-Id} by default) wins over an incoming baggage entry; either is sanitised
 *       with {@link Tenant#sanitize(String)}. This happens before the span starts, so the span gets
 *       {@code saas.tenant} (from {@code TenantSpanProcessor}) and the tenant propagates downstream;
 *   <li>takes the request id from its header ({@code X-Request-Id} by default, sanitised with
 *       {@link RequestId#sanitize(String)}) or generates one ({@link RequestId#generate()}), puts it
 *       in the context ({@link RequestId#current()} inside the handler) and echoes it in the
 *       response header of the same name;
 *   <li>starts a SERVER span with the stable HTTP semantic-convention attributes ({@code
 *       http.request.method}, {@code url.path}, {@code url.scheme}, {@code http.route}, {@code
 *       http.response.status_code}, {@code network.*}, {@code server.*}, {@code client.*}) via
 *       OpenTelemetry's {@code instrumentation-api}, and makes the whole context current while the
 *       rest of the chain and the handler run;
 *   <li>when the handler returns or throws, records {@code http.server.requests} (while the span is
 *       still current, so exemplars carry its trace id) and ends the span.
 * </ol>
 *
 * <p>The route ({@code http.route}, the span name {@code GET /orders/{id}} and the {@code uri} tag)
 * is the template declared with {@link HttpRoute#set} (or by {@link HttpRouter}); without one it is
 * the {@code HttpContext}'s path (the root context {@code /} only for the request {@code /}).
 *
 * <p>A handler exception is recorded on the span (status ERROR, {@code error.type} = the exception's
 * class name, an {@code exception} event) and in the {@code exception} tag; if no response headers were sent yet the exchange is
 * answered {@code 500} with an empty body; then the exception is rethrown unchanged so the server and
 * outer filters see what they would see without telemetry. The filter's own failures (a broken
 * propagator, exporter or registry) are logged once at WARN and never reach the application; the
 * request is then served without the failed part.
 *
 * <p>Metric {@code http.server.requests}: a Micrometer {@link Timer} (Prometheus {@code
 * http_server_requests_seconds_bucket|count|sum}, with a percentile histogram) tagged as Spring Boot
 * tags it: {@code method} (standard method or {@code UNKNOWN}), {@code uri} (the route template;
 * without one {@code REDIRECTION} for 3xx, {@code NOT_FOUND} for 404, {@code root} for the path
 * {@code /}, the context path, else {@code UNKNOWN}), {@code status}, {@code outcome} ({@code
 * INFORMATIONAL SUCCESS REDIRECTION CLIENT_ERROR SERVER_ERROR UNKNOWN}) and {@code exception}
 * (simple class name or {@code none}). The tenant is never a tag. At most {@link
 * Builder#setMaxUriTags(int)} distinct {@code uri} values (default {@value #DEFAULT_MAX_URI_TAGS})
 * are recorded, first come first served; measurements with further values are dropped (logged once
 * at WARN), so a templating bug cannot explode cardinality. This is the policy of Micrometer's
 * {@code MeterFilter.maximumAllowableTags(..., deny())}, kept in this instance rather than added to
 * the shared registry's configuration, where Micrometer warns about filters added after meters.
 *
 * <p>A request counts as complete when the filter chain returns (a handler that finishes the
 * exchange later on another thread is measured up to its return).
 *
 * <p>Instances are immutable and thread-safe; build one per server and reuse its filter.
 */
public final class HttpServerTelemetry {
  /** Name of the Micrometer timer; Prometheus: {@code http_server_requests_seconds}. */
  public static final String METRIC_NAME = "http.server.requests";
  /** Default cap on distinct {@code uri} tag values of {@value #METRIC_NAME}. */
  public static final int DEFAULT_MAX_URI_TAGS = 100;
  /** Instrumentation scope name of the spans this class creates. */
  public static final String INSTRUMENTATION_NAME = "io.github.telemetrybootstrap.jdk-http-server";

  private static final FailureLog LOG = new FailureLog(HttpServerTelemetry.class);

  private final Instrumenter<ServerRequest, HttpExchange> instrumenter;
  private final TextMapPropagator propagator;
  private final MeterRegistry registry;
  private final TimerCache timers;
  private final String tenantHeader;
  private final String requestIdHeader;
  private final TagLimit uriLimit;
  private final Filter filter = new TelemetryFilter();
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  private HttpServerTelemetry(Builder builder) {
    this.instrumenter =
        Instrumenter.<ServerRequest, HttpExchange>builder(
                builder.openTelemetry,
                INSTRUMENTATION_NAME,
                HttpSpanNameExtractor.create(ExchangeGetter.INSTANCE))
            .setSpanStatusExtractor(HttpSpanStatusExtractor.create(ExchangeGetter.INSTANCE))
            .addAttributesExtractor(HttpServerAttributesExtractor.create(ExchangeGetter.INSTANCE))
            .addAttributesExtractor(new ExceptionErrorType<>())
            .addContextCustomizer(HttpServerRoute.create(ExchangeGetter.INSTANCE))
            .buildInstrumenter(SpanKindExtractor.alwaysServer());
    this.propagator = builder.openTelemetry.getPropagators().getTextMapPropagator();
    this.registry = builder.registry;
    this.timers = new TimerCache(registry, METRIC_NAME, "Duration of HTTP server request handling",
        "method", "uri", "status", "outcome", "exception");
    this.tenantHeader = builder.tenantHeader;
    this.requestIdHeader = builder.requestIdHeader;
    this.uriLimit = new TagLimit(METRIC_NAME, "uri", builder.maxUriTags);
  }

  /**
   * Starts a builder.
   *
   * @param openTelemetry the OpenTelemetry whose tracer and propagators to use (in production the
   *     one {@code Telemetry.bootstrap()} installed)
   * @param registry the registry to record {@value #METRIC_NAME} in; its configuration is not
   *     changed
   * @return a builder with the defaults described on {@link Builder}
   * @throws NullPointerException if an argument is {@code null}
   */
  public static Builder builder(OpenTelemetry openTelemetry, MeterRegistry registry) {
    return new Builder(
        Objects.requireNonNull(openTelemetry, "openTelemetry"),
        Objects.requireNonNull(registry, "registry"));
  }

  /**
   * The filter to add to each {@code HttpContext} ({@code context.getFilters().add(filter())}). Add
   * it first, so other filters run inside the request's context. The same instance is returned on
   * every call.
   *
   * @return the telemetry filter
   */
  public Filter filter() {
    return filter;
  }

  /**
   * The requests inside the filter now (being handled, their spans not yet ended).
   *
   * @return the count, at least 0
   */
  public int inFlightRequests() {
    return inFlight.get();
  }

  /**
   * Waits until no request is inside the filter, so their spans have ended and can be flushed. Used
   * by the telemetry's shutdown after the server stopped accepting. Never throws; returns early when
   * interrupted (keeping the interrupt status).
   *
   * @param timeout the longest wait
   * @return whether no request was in flight in time
   */
  public boolean awaitIdle(java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Begins a request: never throws; falls back to the current context. */
  private Context begin(ServerRequest request) {
    HttpExchange exchange = request.exchange();
    Context context = Context.current();
    try {
      context = propagator.extract(context, request, ExchangeGetter.INSTANCE);
    } catch (RuntimeException | LinkageError e) {
      LOG.failed("context extraction", e);
    }
    String requestId;
    try {
      InboundRequest inbound =
          InboundRequest.resolve(
              context,
              request.first(tenantHeader),
              request.first(requestIdHeader));
      context = inbound.context();
      requestId = inbound.requestId();
    } catch (RuntimeException | LinkageError e) {
      LOG.failed("tenant and request id extraction", e);
      requestId = RequestId.generate();
      context = RequestId.with(context, requestId);
    }
    try {
      exchange.getResponseHeaders().set(requestIdHeader, requestId);
    } catch (RuntimeException | LinkageError e) {
      LOG.failed("request id echo", e);
    }
    return HttpRoute.open(exchange, context);
  }

  /**
   * The {@code uri} tag, following Spring Boot's rules.
   *
   * @param contextRoute the context route read when the request arrived ({@link HttpRoute.Slot})
   */
  static String uriTag(
      @Nullable String declared, int status, HttpExchange exchange, @Nullable String contextRoute) {
    if (declared != null) {
      return declared;
    }
    if (status >= 300 && status < 400) {
      return "REDIRECTION";
    }
    if (status == 404) {
      return "NOT_FOUND";
    }
    String path = exchange.getRequestURI().getRawPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return "root";
    }
    return contextRoute != null ? contextRoute : HttpMetricTags.UNKNOWN;
  }

  private void record(
      Timer.Sample sample,
      HttpExchange exchange,
      @Nullable String template,
      @Nullable String contextRoute,
      @Nullable Throwable error) {
    int status = exchange.getResponseCode();
    String uri = uriTag(template, status, exchange, contextRoute);
    if (!uriLimit.admit(uri)) {
      return;
    }
    sample.stop(timers.timer(
        HttpMetricTags.method(exchange.getRequestMethod()),
        uri,
        HttpMetricTags.status(status),
        HttpMetricTags.outcome(status),
        HttpMetricTags.exception(error)));
  }

  private static final org.slf4j.Logger SERVER_LOG =
      org.slf4j.LoggerFactory.getLogger("io.github.telemetrybootstrap.http.server");

  /** The ERROR line of a handler that threw; never throws. */
  private static void logUnhandled(HttpExchange exchange, Throwable t) {
    try {
      SERVER_LOG.error(
          "Unhandled exception handling {} {}; answered 500 unless a response was already sent",
          exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(),
          t);
    } catch (RuntimeException | LinkageError e) {
      // Logging trouble must not change the response.
    }
  }

  /** Answers 500 when the handler failed before sending headers; never throws. */
  private static void answerServerError(HttpExchange exchange) {
    try {
      if (exchange.getResponseCode() == -1) {
        exchange.sendResponseHeaders(500, -1);
        exchange.close();
      }
    } catch (IOException | RuntimeException e) {
      // The client has gone or the exchange is unusable: nothing more to send.
    }
  }

  private final class TelemetryFilter extends Filter {
    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
      inFlight.incrementAndGet();
      try {
        filter(exchange, chain);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    private void filter(HttpExchange exchange, Chain chain) throws IOException {
      Timer.Sample sample = Timer.start(registry);
      ServerRequest request = new ServerRequest(exchange);
      Context context = begin(request);
      boolean started = false;
      try {
        if (instrumenter.shouldStart(context, request)) {
          context = instrumenter.start(context, request);
          started = true;
        }
      } catch (RuntimeException | LinkageError e) {
        LOG.failed("span start", e);
      }
      Throwable error = null;
      try (Scope ignored = context.makeCurrent()) {
        try {
          chain.doFilter(exchange);
        } catch (Throwable t) {
          error = t;
          // The JDK server logs nothing useful about it: one ERROR line, with the request's ids.
          logUnhandled(exchange, t);
          answerServerError(exchange);
          throw t;
        } finally {
          end(request, context, started, sample, error);
        }
      }
    }

    private void end(
        ServerRequest request,
        Context context,
        boolean started,
        Timer.Sample sample,
        @Nullable Throwable error) {
      HttpExchange exchange = request.exchange();
      HttpRoute.Slot slot = HttpRoute.close(exchange);
      String template = slot == null ? null : slot.template;
      String contextRoute = slot == null ? null : slot.contextRoute;
      try {
        if (started && template != null) {
          HttpServerRoute.update(context, HttpServerRouteSource.CONTROLLER, template);
        }
      } catch (RuntimeException | LinkageError e) {
        LOG.failed("route update", e);
      }
      try {
        record(sample, exchange, template, contextRoute, error);
      } catch (RuntimeException | LinkageError e) {
        LOG.failed("metric recording", e);
      }
      if (started) {
        try {
          instrumenter.end(context, request, exchange, error);
        } catch (RuntimeException | LinkageError e) {
          LOG.failed("span end", e);
        }
      }
    }

    @Override
    public String description() {
      return "Telemetry Bootstrap: SERVER span, tenant and request id context, "
          + METRIC_NAME
          + " timer";
    }
  }

  /**
   * Builder of {@link HttpServerTelemetry}. Defaults: tenant header {@code X-Tenant-Id}, request-id
   * header {@code X-Request-Id}, at most {@value #DEFAULT_MAX_URI_TAGS} distinct {@code uri} tags.
   * Not thread-safe; {@link #build()} may be called more than once.
   */
  private static String requireHeaderName(String what, String name) {
    if (!ContextRules.isHeaderName(name)) {
      throw new IllegalArgumentException(
          what + " must be an HTTP header name (RFC 9110 token), was '" + name + "'");
    }
    return name;
  }

  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private final MeterRegistry registry;
    private String tenantHeader = Propagation.TENANT_HEADER;
    private String requestIdHeader = RequestId.DEFAULT_HEADER;
    private int maxUriTags = DEFAULT_MAX_URI_TAGS;

    private Builder(OpenTelemetry openTelemetry, MeterRegistry registry) {
      this.openTelemetry = openTelemetry;
      this.registry = registry;
    }

    /**
     * Takes the tenant and request-id header names from the resolved settings ({@code
     * telemetry.tenant.header}, {@code telemetry.request-id.header}). This is how the bootstrap
     * configures the filter in production.
     *
     * @param settings the resolved settings
     * @return this builder
     */
    public Builder setSettings(TelemetrySettings settings) {
      return setTenantHeader(settings.tenantHeader()).setRequestIdHeader(settings.requestIdHeader());
    }

    /**
     * Sets the inbound header that carries the tenant. Default {@code X-Tenant-Id}.
     *
     * @param name an HTTP header name (RFC 9110 token), matched case-insensitively
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is not a header name
     */
    public Builder setTenantHeader(String name) {
      this.tenantHeader = requireHeaderName("tenant header", name);
      return this;
    }

    /**
     * Sets the header that carries the request id in and echoes it out. Default {@code
     * X-Request-Id}.
     *
     * @param name an HTTP header name (RFC 9110 token), matched case-insensitively
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is not a header name
     */
    public Builder setRequestIdHeader(String name) {
      this.requestIdHeader = requireHeaderName("request id header", name);
      return this;
    }

    /**
     * Sets the cap on distinct {@code uri} tag values of {@value #METRIC_NAME} recorded by this
     * instance; once reached, measurements for new values are dropped (the requests themselves are
     * unaffected, and still traced). Default {@value #DEFAULT_MAX_URI_TAGS}.
     *
     * @param max 1 to 10000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder setMaxUriTags(int max) {
      if (max < 1 || max > 10_000) {
        throw new IllegalArgumentException("max uri tags must be 1..10000, was " + max);
      }
      this.maxUriTags = max;
      return this;
    }

    /**
     * Builds the telemetry.
     *
     * @return the telemetry
     */
    public HttpServerTelemetry build() {
      return new HttpServerTelemetry(this);
    }
  }
}
