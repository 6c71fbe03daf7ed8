package io.github.telemetrybootstrap.benchmarks;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import io.github.telemetrybootstrap.context.TenantSpanProcessor;
import io.github.telemetrybootstrap.http.HttpServerTelemetry;
import io.github.telemetrybootstrap.metrics.OpenTelemetryExemplars;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link HttpServerTelemetry}'s filter adds to one request on a hot core, without the network:
 * a {@code GET /hello} exchange (an in-memory {@link HttpExchange} with the request headers the JDK
 * server made of the request-path harness's request) through a filter chain whose handler only answers {@code 200}.
 *
 * <ul>
 *   <li>{@code handlerOnly}: the chain without the filter, the floor;
 *   <li>{@code telemetryFilter}: the filter as the bootstrap sets it up: W3C Trace Context and
 *       Baggage propagators, {@code parentbased_always_on}, the tenant span processor, a batch span
 *       processor with the default settings in front of an exporter that discards (marshalling is
 *       {@link SpanExportBenchmark}), a {@link PrometheusMeterRegistry} with the OpenTelemetry exemplar
 *       sampler;
 *   <li>{@code sdkSpan}: the SDK's share alone: a SERVER span with the same ten attributes, made
 *       current, ended, into the same processors;
 *   <li>{@code timerRecord}: the {@code http.server.requests} timer alone, recorded inside a sampled
 *       span (so the exemplar sampler runs).
 * </ul>
 *
 * <p>Run pinned to one core, so the batch span processor's thread shares it as in a service: {@code
 * taskset -c 0 java -jar benchmarks/target/benchmarks.jar ServerFilterBenchmark -prof gc}.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ServerFilterBenchmark {
  private static final byte[] BODY = "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final HttpHandler HANDLER = exchange -> {
    exchange.sendResponseHeaders(200, BODY.length);
    exchange.getResponseBody().write(BODY);
    exchange.close();
  };

  private final Discarding exporter = new Discarding();
  private OpenTelemetrySdk sdk;
  private PrometheusMeterRegistry registry;
  private List<Filter> filters;
  private Tracer tracer;
  private Timer timer;
  private Attributes serverAttributes;
  private FakeExchange exchange;

  /**
   * Builds the SDK, registry and filter, and checks that one request through the filter is traced
   * and gets a request id.
   *
   * @throws java.io.IOException if the loopback server that supplies the request headers fails
   */
  @Setup(org.openjdk.jmh.annotations.Level.Trial)
  public void setUp() throws java.io.IOException {
    exchange = new FakeExchange(realRequestHeaders());
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
            .addSpanProcessor(new TenantSpanProcessor())
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
            .build();
    registry = new PrometheusMeterRegistry(
        PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM, new OpenTelemetryExemplars());
    HttpServerTelemetry telemetry = HttpServerTelemetry.builder(sdk, registry).build();
    filters = List.of(telemetry.filter());
    tracer = sdk.getTracer(HttpServerTelemetry.INSTRUMENTATION_NAME);
    timer = Timer.builder(HttpServerTelemetry.METRIC_NAME)
        .tags("method", "GET", "uri", "/hello", "status", "200", "outcome", "SUCCESS", "exception", "none")
        .publishPercentileHistogram()
        .register(registry);
    serverAttributes = Attributes.builder()
        .put("http.request.method", "GET")
        .put("url.path", "/hello")
        .put("url.scheme", "http")
        .put("http.route", "/hello")
        .put("network.protocol.version", "1.1")
        .put("server.address", "127.0.0.1")
        .put("client.address", "127.0.0.1")
        .put("network.peer.address", "127.0.0.1")
        .put(AttributeKey.longKey("network.peer.port"), 50_000L)
        .put(AttributeKey.longKey("http.response.status_code"), 200L)
        .build();
    try {
      telemetryFilter();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
    if (exporter.spans.sum() != 1 || exchange.getResponseHeaders().getFirst("X-Request-Id") == null) {
      throw new IllegalStateException("the filter did not trace the request");
    }
  }

  /** Shuts the SDK and the registry down. */
  @TearDown(org.openjdk.jmh.annotations.Level.Trial)
  public void tearDown() {
    sdk.close();
    registry.close();
  }

  /**
   * @return the response code
   * @throws java.io.IOException never, the exchange is in memory
   */
  @Benchmark
  public int handlerOnly() throws java.io.IOException {
    exchange.reset();
    new Filter.Chain(List.of(), HANDLER).doFilter(exchange); // a chain is one pass
    return exchange.getResponseCode();
  }

  /**
   * @return the response code
   * @throws java.io.IOException never, the exchange is in memory
   */
  @Benchmark
  public int telemetryFilter() throws java.io.IOException {
    exchange.reset();
    new Filter.Chain(filters, HANDLER).doFilter(exchange);
    return exchange.getResponseCode();
  }

  /** A SERVER span with the filter's ten attributes, made current and ended. */
  @Benchmark
  public void sdkSpan() {
    Span span = tracer.spanBuilder("GET /hello").setSpanKind(SpanKind.SERVER).setAllAttributes(serverAttributes)
        .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      // the handler would run here
    }
    span.end();
  }

  /** One {@code http.server.requests} measurement inside a sampled span. */
  @Benchmark
  public void timerRecord() {
    Span span = Span.wrap(io.opentelemetry.api.trace.SpanContext.create(
        "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
        io.opentelemetry.api.trace.TraceFlags.getSampled(), io.opentelemetry.api.trace.TraceState.getDefault()));
    try (Scope ignored = span.makeCurrent()) {
      timer.record(120_000, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * The request headers the JDK server gives a handler for the harness's {@code GET /hello} (an
   * unmodifiable {@code Headers}, as every real exchange has).
   */
  private static Headers realRequestHeaders() throws java.io.IOException {
    java.util.List<Headers> seen = new java.util.ArrayList<>();
    HelloRequests.serve(1, List.of(), exchange -> seen.add(exchange.getRequestHeaders()));
    return seen.get(0);
  }

  /** Counts the spans it is given and drops them. */
  private static final class Discarding implements SpanExporter {
    final LongAdder spans = new LongAdder();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.add(batch.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** {@code GET /hello HTTP/1.1} from 127.0.0.1 with a real request's headers, reused per call. */
  private static final class FakeExchange extends HttpExchange {
    private final Headers requestHeaders;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private final URI uri = URI.create("/hello");
    private final InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 50_000);
    private final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 8080);
    private final FakeContext context = new FakeContext();
    private int responseCode = -1;

    FakeExchange(Headers requestHeaders) {
      this.requestHeaders = requestHeaders;
    }

    void reset() {
      responseHeaders.clear();
      attributes.clear();
      responseCode = -1;
    }

    @Override
    public Headers getRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return uri;
    }

    @Override
    public String getRequestMethod() {
      return "GET";
    }

    @Override
    public HttpContext getHttpContext() {
      return context;
    }

    @Override
    public void close() {}

    @Override
    public InputStream getRequestBody() {
      return InputStream.nullInputStream();
    }

    @Override
    public OutputStream getResponseBody() {
      return OutputStream.nullOutputStream();
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) {
      responseCode = rCode;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return remote;
    }

    @Override
    public int getResponseCode() {
      return responseCode;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return local;
    }

    @Override
    public String getProtocol() {
      return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {}

    @Override
    public HttpPrincipal getPrincipal() {
      return null;
    }
  }

  /** The {@code /hello} context. */
  private static final class FakeContext extends HttpContext {
    private final Map<String, Object> attributes = new HashMap<>();

    @Override
    public HttpHandler getHandler() {
      return HANDLER;
    }

    @Override
    public void setHandler(HttpHandler handler) {}

    @Override
    public String getPath() {
      return "/hello";
    }

    @Override
    public HttpServer getServer() {
      return null;
    }

    @Override
    public Map<String, Object> getAttributes() {
      return attributes;
    }

    @Override
    public List<Filter> getFilters() {
      return List.of();
    }

    @Override
    public Authenticator setAuthenticator(Authenticator auth) {
      return null;
    }

    @Override
    public Authenticator getAuthenticator() {
      return null;
    }
  }
}
