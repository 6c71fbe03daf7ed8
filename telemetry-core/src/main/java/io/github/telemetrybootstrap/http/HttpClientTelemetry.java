package io.github.telemetrybootstrap.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanNameExtractor;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanNameExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanStatusExtractor;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Telemetry for the JDK's {@link HttpClient}: {@link #wrap(HttpClient)} returns a client whose
 * every {@code send}/{@code sendAsync} creates a CLIENT span, propagates the current context
 * downstream and records the {@code http.client.requests} timer.
 *
 * <pre>{@code
 * HttpClient client = HttpClientTelemetry.builder(openTelemetry, meterRegistry).build()
 *     .wrap(HttpClient.newHttpClient());
 * HttpRequest request = HttpClientTelemetry.uriTemplate(
 *         HttpRequest.newBuilder(URI.create(base + "/orders/" + id)), "/orders/{id}")
 *     .build();
 * client.send(request, BodyHandlers.ofString());
 * }</pre>
 *
 * <p>Per call the wrapper:
 *
 * <ul>
 *   <li>starts a CLIENT span, a child of the current context, named after the method (the
 *       OpenTelemetry HTTP semantic conventions, via {@code instrumentation-api}), with {@code
 *       http.request.method}, {@code url.full} (user info and sensitive query values redacted),
 *       {@code server.address}, {@code server.port}, then {@code http.response.status_code}, {@code
 *       network.protocol.version}, and {@code error.type} on failure; status ERROR for a failure or
 *       a status of 400 and above;
 *   <li>sends a copy of the request ({@code HttpRequest.newBuilder(request, filter)}) with the
 *       span's context injected by the {@link OpenTelemetry#getPropagators() propagators} ({@code
 *       traceparent} per W3C Trace Context, {@code baggage} per W3C Baggage, which carries the
 *       tenant), the current request id in {@code X-Request-Id} (so the called service logs the
 *       same {@code request_id}; see {@link Builder#setRequestIdHeader}), and without the
 *       {@link #URI_TEMPLATE_HEADER};
 *   <li>ends the span and records the timer when the response arrives or the call fails; for
 *       {@code sendAsync} that is when the future completes, and the returned future completes with
 *       the caller's context current, so dependent non-async stages ({@code thenApply}, ...) run in
 *       it. Cancelling the returned future cancels the underlying one.
 * </ul>
 *
 * <p>Metric {@code http.client.requests}: a Micrometer {@link Timer} (Prometheus {@code
 * http_client_requests_seconds_*}, with a percentile histogram) tagged as Spring's {@code
 * RestClient} tags it: {@code method} (standard method or {@code UNKNOWN}), {@code uri} (the template
 * set with {@link #uriTemplate}, else {@code none}; never the raw path), {@code status} (the code,
 * or {@code CLIENT_ERROR} when no response arrived), {@code outcome} ({@code UNKNOWN} without a
 * response), {@code exception} (simple class name or {@code none}) and {@code client.name} (the
 * host). At most {@link Builder#setMaxUriTags(int)} distinct {@code uri} values, and as many
 * {@code client.name} values, are recorded (default {@value #DEFAULT_MAX_URI_TAGS}); measurements
 * with further values are dropped (logged once at WARN), the calls themselves are unaffected.
 *
 * <p>The wrapper never throws its own errors into the caller (they are logged once at WARN and the
 * request is sent as it would be without telemetry); the delegate's exceptions reach the caller
 * unchanged. Immutable and thread-safe.
 */
public final class HttpClientTelemetry {
  /** Name of the Micrometer timer; Prometheus: {@code http_client_requests_seconds}. */
  public static final String METRIC_NAME = "http.client.requests";
  /** Default cap on distinct {@code uri} (and {@code client.name}) tag values. */
  public static final int DEFAULT_MAX_URI_TAGS = 100;
  /** Instrumentation scope name of the spans this class creates. */
  public static final String INSTRUMENTATION_NAME = "io.github.telemetrybootstrap.jdk-http-client";
  /**
   * Request header that carries the {@code uri} tag from the caller to the wrapper; the wrapper
   * removes it before sending. Set it with {@link #uriTemplate(HttpRequest.Builder, String)}.
   */
  public static final String URI_TEMPLATE_HEADER = "X-Telemetry-Uri-Template";

  static final FailureLog LOG = new FailureLog(HttpClientTelemetry.class);
  private static final Pattern SCHEME_AND_HOST = Pattern.compile("^https?://[^/]+/");

  private final Instrumenter<HttpRequest, HttpResponse<?>> instrumenter;
  private final TextMapPropagator propagator;
  private final MeterRegistry registry;
  private final TimerCache timers;
  private final TagLimit uriLimit;
  private final TagLimit hostLimit;

  private final @Nullable String requestIdHeader;

  private HttpClientTelemetry(Builder builder) {
    this.instrumenter =
        Instrumenter.<HttpRequest, HttpResponse<?>>builder(
                builder.openTelemetry,
                INSTRUMENTATION_NAME,
                spanName(HttpSpanNameExtractor.create(ClientRequestGetter.INSTANCE)))
            .setSpanStatusExtractor(HttpSpanStatusExtractor.create(ClientRequestGetter.INSTANCE))
            .addAttributesExtractor(HttpClientAttributesExtractor.create(ClientRequestGetter.INSTANCE))
            .addAttributesExtractor(new UrlTemplateExtractor())
            .buildInstrumenter(SpanKindExtractor.alwaysClient());
    this.propagator = builder.openTelemetry.getPropagators().getTextMapPropagator();
    this.registry = builder.registry;
    this.timers = new TimerCache(registry, METRIC_NAME, "Duration of HTTP client requests",
        "method", "uri", "status", "outcome", "exception", "client.name");
    this.uriLimit = new TagLimit(METRIC_NAME, "uri", builder.maxUriTags);
    this.requestIdHeader = builder.requestIdHeader;
    this.hostLimit = new TagLimit(METRIC_NAME, "client.name", builder.maxUriTags);
  }

  /**
   * Starts a builder.
   *
   * @param openTelemetry the OpenTelemetry whose tracer and propagators to use
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
   * Returns a client that delegates to {@code client} and instruments every call. Configuration
   * accessors ({@code version()}, {@code executor()}, ...) and {@code newWebSocketBuilder()} go to
   * the delegate uninstrumented. Wrapping an already wrapped client returns it unchanged.
   *
   * @param client the client to wrap
   * @return the instrumented client
   * @throws NullPointerException if {@code client} is {@code null}
   */
  public HttpClient wrap(HttpClient client) {
    Objects.requireNonNull(client, "client");
    if (client instanceof TracingHttpClient) {
      return client;
    }
    return new TracingHttpClient(client, this);
  }

  /**
   * Sets the low-cardinality template of the request's path, used as the {@code uri} tag of
   * {@value #METRIC_NAME} (Spring's {@code RestClient} does the same with its URI template). A
   * leading {@code scheme://host} is dropped. The value travels in {@link #URI_TEMPLATE_HEADER},
   * which a wrapped client removes before sending; a client that is not wrapped sends it as is.
   *
   * @param builder the request builder
   * @param template the path template, e.g. {@code /orders/{id}}
   * @return {@code builder}
   * @throws IllegalArgumentException if the template is not a legal header value (control
   *     characters)
   */
  public static HttpRequest.Builder uriTemplate(HttpRequest.Builder builder, String template) {
    return builder.setHeader(URI_TEMPLATE_HEADER, template);
  }

  /**
   * The HTTP semantic conventions' client span name: {@code {method} {url.template}} when the call
   * has a template ({@link #uriTemplate}), else {@code {method}}.
   */
  private static SpanNameExtractor<HttpRequest> spanName(SpanNameExtractor<HttpRequest> method) {
    return request -> {
      String template = template(request);
      return template == null ? method.extract(request) : method.extract(request) + " " + template;
    };
  }

  /** The request's path template without scheme and host, or {@code null}. */
  static @Nullable String template(HttpRequest request) {
    String template = request.headers().firstValue(URI_TEMPLATE_HEADER).orElse(null);
    if (template == null || template.isBlank()) {
      return null;
    }
    template = template.strip();
    // Asked three times per call (span name, url.template, the metric): skip the regex for a path.
    return template.startsWith("/") ? template : SCHEME_AND_HOST.matcher(template).replaceFirst("/");
  }

  /** {@code url.template} (HTTP semantic conventions) from {@link #uriTemplate}. */
  private static final class UrlTemplateExtractor implements AttributesExtractor<HttpRequest, HttpResponse<?>> {
    private static final AttributeKey<String> URL_TEMPLATE = AttributeKey.stringKey("url.template");

    @Override
    public void onStart(AttributesBuilder attributes, Context parentContext, HttpRequest request) {
      String template = template(request);
      if (template != null) {
        attributes.put(URL_TEMPLATE, template);
      }
    }

    @Override
    public void onEnd(AttributesBuilder attributes, Context context, HttpRequest request,
        @Nullable HttpResponse<?> response, @Nullable Throwable error) {}
  }

  /** Begins a call; never throws. */
  Call start(HttpRequest request) {
    Context parent = Context.current();
    Timer.Sample sample = Timer.start(registry);
    Context context = parent;
    boolean started = false;
    HttpRequest outgoing = request;
    try {
      if (instrumenter.shouldStart(parent, request)) {
        context = instrumenter.start(parent, request);
        started = true;
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.failed("client span start", e);
    }
    try {
      HttpRequest.Builder copy =
          HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase(URI_TEMPLATE_HEADER));
      try {
        propagator.inject(context, copy, BuilderSetter.INSTANCE);
      } catch (RuntimeException | LinkageError e) {
        LOG.failed("client context injection", e);
      }
      String requestId = io.github.telemetrybootstrap.context.RequestId.fromContext(parent);
      if (requestIdHeader != null && requestId != null
          && request.headers().firstValue(requestIdHeader).isEmpty()) {
        copy.setHeader(requestIdHeader, requestId);
      }
      outgoing = copy.build();
    } catch (RuntimeException | LinkageError e) {
      LOG.failed("client request copy", e);
    }
    return new Call(parent, context, started, request, outgoing, sample);
  }

  /** One instrumented call: its contexts, the request as given and as sent, the timer sample. */
  final class Call {
    final Context parent;
    final Context context;
    final boolean started;
    final HttpRequest request;
    final HttpRequest outgoing;
    private final Timer.Sample sample;

    Call(
        Context parent,
        Context context,
        boolean started,
        HttpRequest request,
        HttpRequest outgoing,
        Timer.Sample sample) {
      this.parent = parent;
      this.context = context;
      this.started = started;
      this.request = request;
      this.outgoing = outgoing;
      this.sample = sample;
    }

    /** Records the metric (with the span current, for exemplars) and ends the span; never throws. */
    void end(@Nullable HttpResponse<?> response, @Nullable Throwable error) {
      try (Scope ignored = context.makeCurrent()) {
        record(response, error);
      } catch (RuntimeException | LinkageError e) {
        LOG.failed("client metric recording", e);
      }
      if (started) {
        try {
          instrumenter.end(context, request, response, error);
        } catch (RuntimeException | LinkageError e) {
          LOG.failed("client span end", e);
        }
      }
    }

    private void record(@Nullable HttpResponse<?> response, @Nullable Throwable error) {
      String template = template(request);
      String uri = template == null ? HttpMetricTags.NONE : template;
      String host = request.uri().getHost();
      String clientName = host == null || host.isEmpty() ? HttpMetricTags.NONE : host;
      if (!uriLimit.admit(uri) || !hostLimit.admit(clientName)) {
        return;
      }
      int status = response == null ? -1 : response.statusCode();
      sample.stop(timers.timer(
          HttpMetricTags.method(request.method()),
          uri,
          response == null ? "CLIENT_ERROR" : HttpMetricTags.status(status),
          HttpMetricTags.outcome(status),
          HttpMetricTags.exception(error),
          clientName));
    }
  }

  private enum BuilderSetter implements TextMapSetter<HttpRequest.Builder> {
    INSTANCE;

    @Override
    public void set(HttpRequest.@Nullable Builder carrier, String key, String value) {
      if (carrier != null) {
        carrier.setHeader(key, value);
      }
    }
  }

  /**
   * Builder of {@link HttpClientTelemetry}. Default: at most {@value #DEFAULT_MAX_URI_TAGS}
   * distinct {@code uri} and {@code client.name} tag values. Not thread-safe.
   */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private final MeterRegistry registry;
    private int maxUriTags = DEFAULT_MAX_URI_TAGS;
    private @Nullable String requestIdHeader = io.github.telemetrybootstrap.context.RequestId.DEFAULT_HEADER;

    private Builder(OpenTelemetry openTelemetry, MeterRegistry registry) {
      this.openTelemetry = openTelemetry;
      this.registry = registry;
    }

    /**
     * Sets the cap on distinct {@code uri} values, and separately on {@code client.name} values,
     * of {@value #METRIC_NAME} recorded by this instance; once reached, measurements with new values are dropped (calls are
     * unaffected and still traced). Default {@value #DEFAULT_MAX_URI_TAGS}.
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
     * Sets the header that carries the current request id to the called service, so one user request
     * has one {@code request_id} on every hop. Default {@code X-Request-Id}
     * ({@code telemetry.request-id.header}); a request that already has the header keeps its value.
     *
     * @param header the header name, or {@code null} not to send the request id
     *     ({@code telemetry.request-id.propagate=false})
     * @return this builder
     */
    public Builder setRequestIdHeader(@Nullable String header) {
      this.requestIdHeader = header == null || header.isBlank() ? null : header;
      return this;
    }

    /**
     * Builds the telemetry.
     *
     * @return the telemetry
     */
    public HttpClientTelemetry build() {
      return new HttpClientTelemetry(this);
    }
  }
}
