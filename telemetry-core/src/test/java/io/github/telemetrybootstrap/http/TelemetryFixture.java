package io.github.telemetrybootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.github.telemetrybootstrap.context.TenantSpanProcessor;
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.tracer.common.SpanContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Real components for the HTTP tests: an OpenTelemetry SDK (W3C trace context + baggage,
 * TenantSpanProcessor, in-memory exporter), a Prometheus meter registry whose exemplars come from
 * the current OpenTelemetry span, and a JDK HttpServer on 127.0.0.1 with an ephemeral port.
 */
final class TelemetryFixture implements AutoCloseable {
  /** One plain client for the whole suite; HTTP/1.1 so no h2c upgrade is attempted. */
  static final HttpClient PLAIN =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private static final Duration AWAIT = Duration.ofSeconds(10);

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final OpenTelemetrySdk openTelemetry;
  final PrometheusMeterRegistry registry;
  final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  TelemetryFixture() {
    this(
        TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance()));
  }

  TelemetryFixture(TextMapPropagator propagator) {
    openTelemetry =
        OpenTelemetrySdk.builder()
            .setPropagators(ContextPropagators.create(propagator))
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(new TenantSpanProcessor())
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    registry =
        new PrometheusMeterRegistry(
            PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM, new OtelSpanContext());
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.start();
  }

  /** Registers {@code handler} at {@code path} behind the telemetry filter. */
  HttpContext mount(String path, HttpHandler handler, HttpServerTelemetry telemetry) {
    HttpContext context = server.createContext(path, handler);
    context.getFilters().add(telemetry.filter());
    return context;
  }

  HttpServerTelemetry serverTelemetry() {
    return HttpServerTelemetry.builder(openTelemetry, registry).build();
  }

  HttpClient wrappedClient() {
    return HttpClientTelemetry.builder(openTelemetry, registry).build().wrap(PLAIN);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(AWAIT);
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = request(path);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return PLAIN.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until {@code count} spans have ended (the server ends its span after responding). */
  List<SpanData> awaitSpans(int count) throws InterruptedException {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (spans.getFinishedSpanItems().size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished).as("finished spans").hasSizeGreaterThanOrEqualTo(count);
    return finished;
  }

  /** Waits until the scrape text has a sample matching {@code predicate}, then returns the text. */
  String awaitScrape(Predicate<List<Sample>> predicate) throws InterruptedException {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    String text = registry.scrape();
    while (!predicate.test(Sample.parse(text)) && System.nanoTime() < deadline) {
      Thread.sleep(5);
      text = registry.scrape();
    }
    return text;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    openTelemetry.close();
    registry.close();
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** One line of the Prometheus text exposition format: name, labels, value. */
  record Sample(String name, Map<String, String> labels, double value) {
    static List<Sample> parse(String text) {
      List<Sample> out = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int brace = line.indexOf('{');
        int space;
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace < 0) {
          space = line.indexOf(' ');
          name = line.substring(0, space);
        } else {
          name = line.substring(0, brace);
          int i = brace + 1;
          while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq);
            StringBuilder value = new StringBuilder();
            int j = eq + 2; // skip ="
            while (line.charAt(j) != '"') {
              char c = line.charAt(j);
              if (c == '\\') {
                char n = line.charAt(++j);
                value.append(n == 'n' ? '\n' : n);
              } else {
                value.append(c);
              }
              j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
              i++;
            }
          }
          space = i + 1;
        }
        String rest = line.substring(space).trim();
        String number = rest.split(" ")[0];
        out.add(new Sample(name, labels, Double.parseDouble(number)));
      }
      return out;
    }

    static boolean has(List<Sample> samples, String name, Map<String, String> labels) {
      return samples.stream().anyMatch(s -> s.name.equals(name) && s.labels.equals(labels));
    }
  }

  /** Exemplars from the current OpenTelemetry span, as the bootstrap wires the registry. */
  private static final class OtelSpanContext implements SpanContext {
    @Override
    public String getCurrentTraceId() {
      io.opentelemetry.api.trace.SpanContext sc = Span.current().getSpanContext();
      return sc.isValid() ? sc.getTraceId() : null;
    }

    @Override
    public String getCurrentSpanId() {
      io.opentelemetry.api.trace.SpanContext sc = Span.current().getSpanContext();
      return sc.isValid() ? sc.getSpanId() : null;
    }

    @Override
    public boolean isCurrentSpanSampled() {
      return Span.current().getSpanContext().isSampled();
    }

    @Override
    public void markCurrentSpanAsExemplar() {}
  }
}
