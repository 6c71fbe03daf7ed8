package io.github.telemetrybootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.telemetrybootstrap.context.Tenant;
import io.github.telemetrybootstrap.http.TelemetryFixture.Sample;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpClientTelemetryTest {
  private static final AttributeKey<String> TENANT = AttributeKey.stringKey(Tenant.SPAN_ATTRIBUTE);
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final String COUNT = "http_client_requests_seconds_count";

  private final TelemetryFixture fx = new TelemetryFixture();
  private final AtomicReference<Headers> received = new AtomicReference<>();

  @AfterEach
  void close() {
    fx.close();
  }

  /** A plain (uninstrumented) endpoint that records the headers it received. */
  private void mountRecorder(int status) {
    fx.server.createContext(
        "/",
        exchange -> {
          received.set(exchange.getRequestHeaders());
          respond(exchange, status, "ok");
        });
  }

  private static void respond(HttpExchange exchange, int status, String body) throws java.io.IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> clientLabels(
      String uri, String status, String outcome, String exception, String host) {
    return Map.of(
        "method", "GET", "uri", uri, "status", status, "outcome", outcome, "exception", exception,
        "client_name", host);
  }

  @Test
  void sendCreatesAClientSpanAndInjectsItsContext() throws Exception {
    mountRecorder(200);
    HttpClient client = fx.wrappedClient();

    HttpResponse<String> response =
        client.send(
            HttpClientTelemetry.uriTemplate(fx.request("/orders/42?x=1"), "/orders/{id}").build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    // HTTP semantic conventions: {method} {url.template} when the template is known.
    assertThat(span.getName()).isEqualTo("GET /orders/{id}");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("url.template"))).isEqualTo("/orders/{id}");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("url.full")))
        .isEqualTo(fx.uri("/orders/42?x=1").toString());
    assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("127.0.0.1");
    assertThat(span.getAttributes().get(AttributeKey.longKey("server.port")))
        .isEqualTo((long) fx.server.getAddress().getPort());
    assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    // W3C Trace Context: version-traceid-parentid-flags; the sampled bit (0x01) is set, OTel may
    // also set the level-2 random-trace-id bit (0x02).
    String traceparent = received.get().getFirst("traceparent");
    assertThat(traceparent).startsWith("00-" + span.getTraceId() + "-" + span.getSpanId() + "-");
    assertThat(Integer.parseInt(traceparent.substring(traceparent.length() - 2), 16) & 1).isEqualTo(1);
    assertThat(received.get().containsKey(HttpClientTelemetry.URI_TEMPLATE_HEADER)).isFalse();
  }

  @Test
  void clientRequestsAreTimedWithTheTemplateAsUri() throws Exception {
    mountRecorder(200);
    HttpClient client = fx.wrappedClient();

    client.send(
        HttpClientTelemetry.uriTemplate(fx.request("/orders/42"), "/orders/{id}").build(),
        HttpResponse.BodyHandlers.discarding());
    client.send(fx.request("/orders/43").build(), HttpResponse.BodyHandlers.discarding());

    List<Sample> samples = Sample.parse(fx.registry.scrape());
    assertThat(samples)
        .anyMatch(s -> s.name().equals(COUNT) && s.labels().equals(clientLabels("/orders/{id}", "200", "SUCCESS", "none", "127.0.0.1")))
        .anyMatch(s -> s.name().equals(COUNT) && s.labels().equals(clientLabels("none", "200", "SUCCESS", "none", "127.0.0.1")))
        .noneMatch(s -> s.name().startsWith("http_client") && s.labels().containsValue("/orders/43"));
  }

  @Test
  void fullUrlTemplateKeepsOnlyThePath() throws Exception {
    mountRecorder(200);

    fx.wrappedClient()
        .send(
            HttpClientTelemetry.uriTemplate(fx.request("/a/1"), "http://inventory:8080/a/{id}").build(),
            HttpResponse.BodyHandlers.discarding());

    assertThat(Sample.parse(fx.registry.scrape()))
        .anyMatch(s -> s.name().equals(COUNT) && "/a/{id}".equals(s.labels().get("uri")));
  }

  @Test
  void currentTenantTravelsAsBaggage() throws Exception {
    mountRecorder(200);
    HttpClient client = fx.wrappedClient();

    try (Scope ignored = Tenant.makeCurrent("acme")) {
      client.send(fx.request("/x").build(), HttpResponse.BodyHandlers.discarding());
    }

    assertThat(received.get().getFirst("baggage")).contains("tenant_id=acme");
    assertThat(fx.awaitSpans(1).get(0).getAttributes().get(TENANT)).isEqualTo("acme");
  }

  @Test
  void errorStatusMarksTheSpanAsError() throws Exception {
    mountRecorder(503);

    HttpResponse<String> response =
        fx.wrappedClient().send(fx.request("/x").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(503);
    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("503");
    assertThat(Sample.parse(fx.registry.scrape()))
        .anyMatch(s -> s.name().equals(COUNT) && s.labels().equals(clientLabels("none", "503", "SERVER_ERROR", "none", "127.0.0.1")));
  }

  @Test
  void connectionFailureReachesTheCallerUnchangedAndIsRecorded() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/x")).timeout(Duration.ofSeconds(5)).build();

    assertThatThrownBy(() -> fx.wrappedClient().send(request, HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(ConnectException.class);

    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("java.net.ConnectException");
    assertThat(Sample.parse(fx.registry.scrape()))
        .anyMatch(s -> s.name().equals(COUNT) && s.labels().equals(clientLabels("none", "CLIENT_ERROR", "UNKNOWN", "ConnectException", "127.0.0.1")));
  }

  @Test
  void asyncConnectionFailureFailsTheFutureAndEndsTheSpan() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/x")).build();

    CompletableFuture<HttpResponse<Void>> future =
        fx.wrappedClient().sendAsync(request, HttpResponse.BodyHandlers.discarding());

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ConnectException.class);
    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("java.net.ConnectException");
  }

  @Test
  void sendAsyncEndsTheSpanAndRunsDependentStagesInTheCallersContext() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    fx.server.createContext(
        "/slow",
        exchange -> {
          received.set(exchange.getRequestHeaders());
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          respond(exchange, 200, "done");
        });
    HttpClient client = fx.wrappedClient();
    Span parent = fx.openTelemetry.getTracer("test").spanBuilder("parent").startSpan();

    CompletableFuture<SpanContext> inStage;
    try (Scope ignored = parent.makeCurrent()) {
      inStage =
          client
              .sendAsync(fx.request("/slow").build(), HttpResponse.BodyHandlers.ofString())
              .thenApply(r -> Span.current().getSpanContext());
    }
    release.countDown(); // the response can only arrive after the stage was attached
    SpanContext seen = inStage.get(10, TimeUnit.SECONDS);
    parent.end();

    assertThat(seen).isEqualTo(parent.getSpanContext());
    SpanData clientSpan =
        fx.awaitSpans(2).stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    assertThat(clientSpan.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(clientSpan.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
    assertThat(received.get().getFirst("traceparent")).contains(clientSpan.getSpanId());
  }

  @Test
  void brokenPropagatorStillSendsTheRequest() throws Exception {
    try (TelemetryFixture broken = new TelemetryFixture(new ThrowingInjector())) {
      broken.server.createContext(
          "/",
          exchange -> {
            received.set(exchange.getRequestHeaders());
            respond(exchange, 200, "fine");
          });
      HttpClient client = HttpClientTelemetry.builder(broken.openTelemetry, broken.registry).build().wrap(TelemetryFixture.PLAIN);

      HttpResponse<String> response =
          client.send(
              HttpClientTelemetry.uriTemplate(broken.request("/x/1"), "/x/{id}").build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.body()).isEqualTo("fine");
      assertThat(received.get().containsKey(HttpClientTelemetry.URI_TEMPLATE_HEADER)).isFalse();
      assertThat(broken.awaitSpans(1).get(0).getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(broken.awaitSpans(1).get(0).getAttributes().get(AttributeKey.longKey("http.response.status_code")))
          .isEqualTo(200L);
    }
  }

  @Test
  void wrappingTwiceDoesNotInstrumentTwice() {
    HttpClientTelemetry telemetry = HttpClientTelemetry.builder(fx.openTelemetry, fx.registry).build();
    HttpClient once = telemetry.wrap(TelemetryFixture.PLAIN);

    assertThat(telemetry.wrap(once)).isSameAs(once);
    assertThat(once.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(once.connectTimeout()).contains(Duration.ofSeconds(5));
  }

  /**
   * Two hops: a routed handler calls another endpoint through the wrapped client. The caller's
   * trace continues through the server span, the client span and the downstream server span, and
   * the tenant given to the first hop reaches the second as baggage.
   */
  @Test
  void handlerCallingDownstreamProducesOneTraceWithTheTenantPropagated() throws Exception {
    HttpClient client = fx.wrappedClient();
    AtomicReference<String> downstreamTenant = new AtomicReference<>();
    HttpHandler inventory =
        exchange -> {
          downstreamTenant.set(Tenant.current().orElse(null));
          respond(exchange, 200, "in stock");
        };
    HttpHandler checkout =
        exchange -> {
          String sku = HttpRouter.pathParameters(exchange).get("sku");
          try {
            HttpResponse<String> stock =
                client.send(
                    HttpClientTelemetry.uriTemplate(fx.request("/inventory/" + sku), "/inventory/{sku}").build(),
                    HttpResponse.BodyHandlers.ofString());
            respond(exchange, 200, "checkout: " + stock.body());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, "interrupted");
          }
        };
    fx.mount(
        "/",
        HttpRouter.builder().post("/checkout/{sku}", checkout).get("/inventory/{sku}", inventory).build(),
        fx.serverTelemetry());
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    String callerSpanId = "b7ad6b7169203331";

    HttpResponse<String> response =
        TelemetryFixture.PLAIN.send(
            fx.request("/checkout/sku-1")
                .header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01")
                .header("X-Tenant-Id", "acme")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.body()).isEqualTo("checkout: in stock");
    List<SpanData> spans = fx.awaitSpans(3);
    SpanData checkoutSpan = find(spans, SpanKind.SERVER, "/checkout/{sku}");
    SpanData clientSpan = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    SpanData inventorySpan = find(spans, SpanKind.SERVER, "/inventory/{sku}");
    assertThat(spans).extracting(SpanData::getTraceId).containsOnly(traceId);
    assertThat(checkoutSpan.getParentSpanId()).isEqualTo(callerSpanId);
    assertThat(clientSpan.getParentSpanId()).isEqualTo(checkoutSpan.getSpanId());
    assertThat(inventorySpan.getParentSpanId()).isEqualTo(clientSpan.getSpanId());
    assertThat(inventorySpan.getParentSpanContext().isRemote()).isTrue();
    assertThat(checkoutSpan.getName()).isEqualTo("POST /checkout/{sku}");
    assertThat(inventorySpan.getName()).isEqualTo("GET /inventory/{sku}");
    assertThat(spans).extracting(s -> s.getAttributes().get(TENANT)).containsOnly("acme");
    assertThat(downstreamTenant.get()).isEqualTo("acme");
    assertThat(Sample.parse(fx.registry.scrape()))
        .anyMatch(s -> s.name().equals(COUNT) && s.labels().equals(clientLabels("/inventory/{sku}", "200", "SUCCESS", "none", "127.0.0.1")));
  }

  private static SpanData find(List<SpanData> spans, SpanKind kind, String route) {
    return spans.stream()
        .filter(s -> s.getKind() == kind && route.equals(s.getAttributes().get(ROUTE)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " span with route " + route + " in " + spans));
  }

  /** Extracts nothing and fails on inject, standing in for a buggy propagator. */
  private static final class ThrowingInjector implements io.opentelemetry.context.propagation.TextMapPropagator {
    @Override
    public java.util.Collection<String> fields() {
      return List.of();
    }

    @Override
    public <C> void inject(io.opentelemetry.context.Context context, C carrier, io.opentelemetry.context.propagation.TextMapSetter<C> setter) {
      throw new IllegalStateException("broken inject");
    }

    @Override
    public <C> io.opentelemetry.context.Context extract(io.opentelemetry.context.Context context, C carrier, io.opentelemetry.context.propagation.TextMapGetter<C> getter) {
      return context;
    }
  }
}
