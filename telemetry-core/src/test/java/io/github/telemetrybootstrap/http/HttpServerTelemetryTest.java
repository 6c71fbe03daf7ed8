package io.github.telemetrybootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.telemetrybootstrap.context.RequestId;
import io.github.telemetrybootstrap.context.Tenant;
import io.github.telemetrybootstrap.http.TelemetryFixture.Sample;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpServerTelemetryTest {
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<String> TENANT = AttributeKey.stringKey(Tenant.SPAN_ATTRIBUTE);
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final String COUNT = "http_server_requests_seconds_count";

  private final TelemetryFixture fx = new TelemetryFixture();
  private final AtomicReference<String> seenRequestId = new AtomicReference<>();
  private final AtomicReference<String> seenTenant = new AtomicReference<>();

  @AfterEach
  void close() {
    fx.close();
  }

  private HttpHandler ok(String body) {
    return exchange -> {
      seenRequestId.set(RequestId.current().orElse(null));
      seenTenant.set(Tenant.current().orElse(null));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  private void mountOrders(HttpServerTelemetry telemetry) {
    fx.mount("/", HttpRouter.builder().get("/orders/{id}", ok("order")).build(), telemetry);
  }

  private static Map<String, String> serverLabels(
      String method, String uri, String status, String outcome, String exception) {
    return Map.of(
        "method", method, "uri", uri, "status", status, "outcome", outcome, "exception", exception);
  }

  @Test
  void serverSpanFollowsHttpSemanticConventionsAndContinuesTheCallersTrace() throws Exception {
    mountOrders(fx.serverTelemetry());
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parentSpanId = "00f067aa0ba902b7";

    HttpResponse<String> response =
        fx.get("/orders/42?expand=lines", "traceparent", "00-" + traceId + "-" + parentSpanId + "-01");

    assertThat(response.statusCode()).isEqualTo(200);
    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getName()).isEqualTo("GET /orders/{id}");
    assertThat(span.getAttributes().get(ROUTE)).isEqualTo("/orders/{id}");
    assertThat(span.getAttributes().get(METHOD)).isEqualTo("GET");
    assertThat(span.getAttributes().get(STATUS)).isEqualTo(200L);
    assertThat(span.getAttributes().get(URL_PATH)).isEqualTo("/orders/42");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("url.query"))).isEqualTo("expand=lines");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("url.scheme"))).isEqualTo("http");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("127.0.0.1");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("network.protocol.version"))).isEqualTo("1.1");
    assertThat(span.getTraceId()).isEqualTo(traceId);
    assertThat(span.getParentSpanId()).isEqualTo(parentSpanId);
    assertThat(span.getParentSpanContext().isRemote()).isTrue();
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void requestWithoutTraceparentStartsANewTrace() throws Exception {
    mountOrders(fx.serverTelemetry());

    fx.get("/orders/1");

    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getParentSpanContext().isValid()).isFalse();
    assertThat(span.getTraceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
  }

  @Test
  void tenantHeaderLandsOnTheSpanAndInTheHandlersContextCapped() throws Exception {
    mountOrders(fx.serverTelemetry());
    String longTenant = "t".repeat(200);

    fx.get("/orders/1", "X-Tenant-Id", longTenant);

    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getAttributes().get(TENANT)).isEqualTo("t".repeat(Tenant.DEFAULT_MAX_LENGTH));
    assertThat(seenTenant.get()).isEqualTo("t".repeat(Tenant.DEFAULT_MAX_LENGTH));
  }

  @Test
  void aUtf8TenantHeaderHasTheSameSpellingAsTheSameTenantInBaggage() throws Exception {
    mountOrders(fx.serverTelemetry());
    // What curl and browsers send for "X-Tenant-Id: café": the UTF-8 bytes, raw (the JDK client
    // refuses non-ASCII header values, so this goes over a plain socket).
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", fx.uri("/").getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /orders/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Tenant-Id: café\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
          .startsWith("HTTP/1.1 200");
    }
    assertThat(fx.awaitSpans(1).get(0).getAttributes().get(TENANT)).isEqualTo("café");
    assertThat(seenTenant.get()).isEqualTo("café");

    fx.get("/orders/2", "baggage", "tenant_id=caf%C3%A9");
    assertThat(fx.awaitSpans(2).get(1).getAttributes().get(TENANT)).isEqualTo("café");
    assertThat(seenTenant.get()).isEqualTo("café");
  }

  @Test
  void headerNamesMatchInAnyCaseAndATokenSentAsRequestIdIsMaskedInTheEcho() throws Exception {
    mountOrders(fx.serverTelemetry());
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String response;
    // Header names as a client may spell them (RFC 9110: case-insensitive), over a plain socket so
    // nothing normalises them on the way.
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", fx.uri("/").getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /orders/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + "TRACEPARENT: 00-" + traceId + "-00f067aa0ba902b7-01\r\n"
          + "x-TENANT-id: acme\r\n"
          + "x-request-ID: Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
    assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("x-request-id: Bearer ****\r\n")
        .doesNotContain("ghp_16C7");
    var span = fx.awaitSpans(1).get(0);
    assertThat(span.getTraceId()).isEqualTo(traceId);
    assertThat(span.getAttributes().get(TENANT)).isEqualTo("acme");
    assertThat(seenTenant.get()).isEqualTo("acme");
    assertThat(seenRequestId.get()).isEqualTo("Bearer ****");
  }

  @Test
  void secretsInTheQueryAndTheTenantAreMaskedOnTheSpan() throws Exception {
    mountOrders(fx.serverTelemetry());

    fx.get("/orders/1?password=hunter2&api_key=k-123&token=t-456&expand=lines",
        "X-Tenant-Id", "acme ghp_16C7e42F292c6912E7710c838347Ae178B4a");

    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("url.query")))
        .isEqualTo("password=****&api_key=****&token=****&expand=lines");
    assertThat(span.getAttributes().get(TENANT)).isEqualTo("acme ****");
    assertThat(seenTenant.get()).isEqualTo("acme ****");
  }

  @Test
  void tenantFromIncomingBaggageIsSanitised() throws Exception {
    mountOrders(fx.serverTelemetry());

    // %07 (BEL) and %0A (LF) decode to control characters, which must not reach span or logs.
    fx.get("/orders/1", "baggage", "tenant_id=ac%07me%0A,other=x");

    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getAttributes().get(TENANT)).isEqualTo("acme");
    assertThat(seenTenant.get()).isEqualTo("acme");
  }

  @Test
  void tenantHeaderWinsOverBaggage() throws Exception {
    mountOrders(fx.serverTelemetry());

    fx.get("/orders/1", "baggage", "tenant_id=from-baggage", "X-Tenant-Id", "from-header");

    assertThat(fx.awaitSpans(1).get(0).getAttributes().get(TENANT)).isEqualTo("from-header");
  }

  @Test
  void tenantHeaderNameIsConfigurable() throws Exception {
    mountOrders(
        HttpServerTelemetry.builder(fx.openTelemetry, fx.registry).setTenantHeader("X-Org").build());

    fx.get("/orders/1", "X-Org", "globex", "X-Tenant-Id", "ignored");

    assertThat(fx.awaitSpans(1).get(0).getAttributes().get(TENANT)).isEqualTo("globex");
  }

  @Test
  void noTenantMeansNoTenantAttribute() throws Exception {
    mountOrders(fx.serverTelemetry());

    fx.get("/orders/1");

    assertThat(fx.awaitSpans(1).get(0).getAttributes().get(TENANT)).isNull();
    assertThat(seenTenant.get()).isNull();
  }

  @Test
  void givenRequestIdIsEchoedAndCurrentInTheHandler() throws Exception {
    mountOrders(fx.serverTelemetry());

    HttpResponse<String> response = fx.get("/orders/1", "X-Request-Id", "req-123");

    assertThat(response.headers().firstValue("X-Request-Id")).contains("req-123");
    assertThat(seenRequestId.get()).isEqualTo("req-123");
  }

  @Test
  void missingRequestIdIsGeneratedAsUuidEchoedAndCurrentInTheHandler() throws Exception {
    mountOrders(fx.serverTelemetry());

    HttpResponse<String> first = fx.get("/orders/1");
    String firstId = first.headers().firstValue("X-Request-Id").orElseThrow();
    String seenFirst = seenRequestId.get();
    HttpResponse<String> second = fx.get("/orders/1");

    assertThat(UUID.fromString(firstId).toString()).isEqualTo(firstId);
    assertThat(seenFirst).isEqualTo(firstId);
    assertThat(second.headers().firstValue("X-Request-Id")).isPresent().get().isNotEqualTo(firstId);
  }

  @Test
  void controlCharactersInHeadersAreRemovedNotRejected() throws Exception {
    mountOrders(fx.serverTelemetry());
    // The JDK client refuses such header values, so speak HTTP/1.1 over a loopback socket.
    String raw =
        "GET /orders/7 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            + "X-Tenant-Id: ac\u0001me\u007f\r\n"
            + "X-Request-Id: id\u0002-9\r\n\r\n";

    String reply;
    try (Socket socket = new Socket("127.0.0.1", fx.server.getAddress().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    assertThat(reply).startsWith("HTTP/1.1 200").containsIgnoringCase("X-request-id: id-9\r\n");
    assertThat(fx.awaitSpans(1).get(0).getAttributes().get(TENANT)).isEqualTo("acme");
    assertThat(seenTenant.get()).isEqualTo("acme");
    assertThat(seenRequestId.get()).isEqualTo("id-9");
  }

  @Test
  void requestsAreCountedWithSpringBootTagsAndAHistogram() throws Exception {
    mountOrders(fx.serverTelemetry());

    fx.get("/orders/42");
    fx.get("/orders/43");

    Map<String, String> labels = serverLabels("GET", "/orders/{id}", "200", "SUCCESS", "none");
    String text =
        fx.awaitScrape(s -> s.stream().anyMatch(x -> x.name().equals(COUNT) && x.labels().equals(labels) && x.value() == 2));
    List<Sample> samples = Sample.parse(text);
    assertThat(samples)
        .filteredOn(s -> s.name().equals(COUNT) && s.labels().equals(labels))
        .singleElement()
        .extracting(Sample::value)
        .isEqualTo(2.0);
    assertThat(samples)
        .filteredOn(s -> s.name().equals("http_server_requests_seconds_bucket"))
        .extracting(s -> s.labels().get("le"))
        .contains("+Inf")
        .hasSizeGreaterThan(10);
    assertThat(text).contains("http_server_requests_seconds_sum{");
    assertThat(samples).allSatisfy(s -> assertThat(s.labels()).doesNotContainKey("tenant"));
  }

  @Test
  void exemplarsCarryTheServerSpansTraceId() throws Exception {
    mountOrders(fx.serverTelemetry());

    fx.get("/orders/42");

    String traceId = fx.awaitSpans(1).get(0).getTraceId();
    fx.awaitScrape(s -> Sample.has(s, COUNT, serverLabels("GET", "/orders/{id}", "200", "SUCCESS", "none")));
    String openMetrics = fx.registry.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(openMetrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_bucket")))
        .anySatisfy(l -> assertThat(l).contains("# {").contains("trace_id=\"" + traceId + "\""));
  }

  @Test
  void notFoundWithoutTemplateIsTaggedNotFoundAndHasNoRoute() throws Exception {
    mountOrders(fx.serverTelemetry());

    HttpResponse<String> response = fx.get("/no/such/page");

    assertThat(response.statusCode()).isEqualTo(404);
    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getName()).isEqualTo("GET");
    assertThat(span.getAttributes().get(ROUTE)).isNull();
    assertThat(span.getAttributes().get(STATUS)).isEqualTo(404L);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    String text =
        fx.awaitScrape(s -> Sample.has(s, COUNT, serverLabels("GET", "NOT_FOUND", "404", "CLIENT_ERROR", "none")));
    assertThat(Sample.parse(text))
        .anyMatch(s -> s.name().equals(COUNT) && s.labels().equals(serverLabels("GET", "NOT_FOUND", "404", "CLIENT_ERROR", "none")));
  }

  @Test
  void redirectWithoutTemplateIsTaggedRedirection() throws Exception {
    fx.mount(
        "/old",
        exchange -> {
          exchange.getResponseHeaders().set("Location", "/orders/1");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        },
        fx.serverTelemetry());

    HttpResponse<String> response = fx.get("/old/path");

    assertThat(response.statusCode()).isEqualTo(302);
    Map<String, String> labels = serverLabels("GET", "REDIRECTION", "302", "REDIRECTION", "none");
    assertThat(Sample.parse(fx.awaitScrape(s -> Sample.has(s, COUNT, labels))))
        .anyMatch(s -> s.name().equals(COUNT) && s.labels().equals(labels));
  }

  @Test
  void handlerExceptionBecomes500ErrorSpanAndExceptionTag() throws Exception {
    fx.mount(
        "/",
        HttpRouter.builder()
            .get(
                "/orders/{id}",
                exchange -> {
                  throw new IllegalStateException("database down");
                })
            .build(),
        fx.serverTelemetry());

    HttpResponse<String> response = fx.get("/orders/9");

    assertThat(response.statusCode()).isEqualTo(500);
    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo("java.lang.IllegalStateException");
    assertThat(span.getAttributes().get(STATUS)).isEqualTo(500L);
    assertThat(span.getName()).isEqualTo("GET /orders/{id}");
    assertThat(span.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    Map<String, String> labels =
        serverLabels("GET", "/orders/{id}", "500", "SERVER_ERROR", "IllegalStateException");
    assertThat(Sample.parse(fx.awaitScrape(s -> Sample.has(s, COUNT, labels))))
        .anyMatch(s -> s.name().equals(COUNT) && s.labels().equals(labels));
  }

  @Test
  void anUnhandledExceptionGetsOneErrorLineWithTheRequestsIds() throws Exception {
    ch.qos.logback.classic.Logger serverLog =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.github.telemetrybootstrap.http.server");
    List<String[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> capture =
        new ch.qos.logback.core.AppenderBase<>() {
          @Override
          protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) {
            seen.add(new String[] {
              e.getLevel().toString(), e.getFormattedMessage(),
              io.opentelemetry.api.trace.Span.current().getSpanContext().getTraceId(),
              RequestId.current().orElse(null), Tenant.current().orElse(null),
              e.getThrowableProxy() == null ? null : e.getThrowableProxy().getMessage()});
          }
        };
    capture.start();
    serverLog.addAppender(capture);
    try {
      fx.mount("/", HttpRouter.builder().get("/orders/{id}", exchange -> {
        throw new IllegalStateException("database down");
      }).build(), fx.serverTelemetry());
      String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      HttpResponse<String> response = fx.get("/orders/9",
          "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01", "X-Request-Id", "req-crash", "X-Tenant-Id", "acme");
      assertThat(response.statusCode()).isEqualTo(500);
      fx.awaitSpans(1);
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0)).containsExactly(
          "ERROR", "Unhandled exception handling GET /orders/9; answered 500 unless a response was already sent",
          traceId, "req-crash", "acme", "database down");
    } finally {
      serverLog.detachAppender(capture);
    }
  }

  @Test
  void handlerExceptionAfterHeadersWereSentKeepsTheSentStatus() throws Exception {
    fx.mount(
        "/",
        HttpRouter.builder()
            .get(
                "/stream",
                exchange -> {
                  exchange.sendResponseHeaders(200, 0); // chunked
                  exchange.getResponseBody().write("partial".getBytes(StandardCharsets.UTF_8));
                  exchange.getResponseBody().flush();
                  throw new IllegalArgumentException("mid-stream");
                })
            .build(),
        fx.serverTelemetry());

    assertThatThrownBy(() -> fx.get("/stream")).isInstanceOf(IOException.class);

    Map<String, String> labels =
        serverLabels("GET", "/stream", "200", "SUCCESS", "IllegalArgumentException");
    assertThat(Sample.parse(fx.awaitScrape(s -> Sample.has(s, COUNT, labels))))
        .anyMatch(s -> s.name().equals(COUNT) && s.labels().equals(labels));
    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo("java.lang.IllegalArgumentException");
  }

  @Test
  void uriCardinalityIsCappedWhileRequestsStillSucceed() throws Exception {
    HttpRouter.Builder routes = HttpRouter.builder();
    for (int i = 0; i < 5; i++) {
      routes.get("/r" + i + "/{id}", ok("r"));
    }
    fx.mount(
        "/",
        routes.build(),
        HttpServerTelemetry.builder(fx.openTelemetry, fx.registry).setMaxUriTags(3).build());

    for (int i = 0; i < 5; i++) {
      assertThat(fx.get("/r" + i + "/x").statusCode()).isEqualTo(200);
    }

    fx.awaitSpans(5); // every request finished, so every metric was recorded or dropped
    Set<String> uris =
        Sample.parse(fx.registry.scrape()).stream()
            .filter(s -> s.name().equals(COUNT))
            .map(s -> s.labels().get("uri"))
            .collect(Collectors.toSet());
    assertThat(uris).hasSize(3).allMatch(u -> u.matches("/r[0-4]/\\{id}"));
  }

  @Test
  void contextPathIsTheRouteWhenNoTemplateIsDeclared() throws Exception {
    HttpServerTelemetry telemetry = fx.serverTelemetry();
    fx.mount("/health", ok("up"), telemetry);
    fx.mount("/", ok("home"), telemetry);

    fx.get("/health");
    fx.get("/");
    fx.get("/anything/else");

    List<SpanData> spans = fx.awaitSpans(3);
    assertThat(spans).extracting(SpanData::getName).containsExactlyInAnyOrder("GET /health", "GET /", "GET");
    assertThat(spans)
        .filteredOn(s -> s.getName().equals("GET"))
        .singleElement()
        .satisfies(s -> assertThat(s.getAttributes().get(ROUTE)).isNull());
    fx.awaitScrape(s -> s.stream().filter(x -> x.name().equals(COUNT)).count() == 3);
    assertThat(Sample.parse(fx.registry.scrape()))
        .filteredOn(s -> s.name().equals(COUNT))
        .extracting(s -> s.labels().get("uri"))
        .containsExactlyInAnyOrder("/health", "root", "UNKNOWN");
  }

  @Test
  void contextRouteIsTheOneTheRequestArrivedOnWhenTheNextRequestOnTheConnectionComesFirst()
      throws Exception {
    // The JDK server's exchange answers getHttpContext() from its connection, and the next request
    // on a keep-alive connection replaces it once this response is sent. /health holds its filter
    // until that next request (to the root context) has been handled, then records its metric.
    HttpServerTelemetry telemetry = fx.serverTelemetry();
    CountDownLatch nextHandled = new CountDownLatch(1);
    HttpHandler health = ok("up");
    fx.mount(
        "/health",
        exchange -> {
          health.handle(exchange);
          try {
            nextHandled.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        },
        telemetry);
    HttpHandler home = ok("home");
    fx.mount(
        "/",
        exchange -> {
          home.handle(exchange);
          nextHandled.countDown();
        },
        telemetry);

    fx.get("/health");
    fx.get("/anything/else");

    assertThat(nextHandled.await(5, TimeUnit.SECONDS)).isTrue();
    fx.awaitSpans(2);
    Map<String, String> health200 = serverLabels("GET", "/health", "200", "SUCCESS", "none");
    Map<String, String> unknown200 = serverLabels("GET", "UNKNOWN", "200", "SUCCESS", "none");
    String text =
        fx.awaitScrape(s -> Sample.has(s, COUNT, health200) && Sample.has(s, COUNT, unknown200));
    assertThat(Sample.parse(text))
        .filteredOn(s -> s.name().equals(COUNT))
        .extracting(s -> s.labels().get("uri"), Sample::value)
        .containsExactlyInAnyOrder(tuple("/health", 1.0), tuple("UNKNOWN", 1.0));
  }

  @Test
  void nonStandardMethodIsTaggedUnknownAndOtherOnTheSpan() throws Exception {
    fx.mount("/", HttpRouter.builder().route("PROPFIND", "/dav", ok("dav")).build(), fx.serverTelemetry());

    HttpResponse<String> response =
        TelemetryFixture.PLAIN.send(
            fx.request("/dav").method("PROPFIND", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getAttributes().get(METHOD)).isEqualTo("_OTHER");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("http.request.method_original")))
        .isEqualTo("PROPFIND");
    Map<String, String> labels = serverLabels("UNKNOWN", "/dav", "200", "SUCCESS", "none");
    assertThat(Sample.parse(fx.awaitScrape(s -> Sample.has(s, COUNT, labels))))
        .anyMatch(s -> s.name().equals(COUNT) && s.labels().equals(labels));
  }

  @Test
  void brokenPropagatorNeverBreaksTheRequest() throws Exception {
    try (TelemetryFixture broken = new TelemetryFixture(new ThrowingPropagator())) {
      broken.mount("/", HttpRouter.builder().get("/orders/{id}", ok("order")).build(), broken.serverTelemetry());

      HttpResponse<String> response =
          broken.get("/orders/1", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("order");
      assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
      SpanData span = broken.awaitSpans(1).get(0);
      assertThat(span.getName()).isEqualTo("GET /orders/{id}");
      assertThat(span.getParentSpanContext().isValid()).isFalse();
    }
  }

  @Test
  void currentSpanInsideTheHandlerIsTheServerSpan() throws Exception {
    AtomicReference<String> inside = new AtomicReference<>();
    fx.mount(
        "/",
        HttpRouter.builder()
            .get(
                "/orders/{id}",
                exchange -> {
                  inside.set(Span.current().getSpanContext().getSpanId());
                  ok("x").handle(exchange);
                })
            .build(),
        fx.serverTelemetry());

    fx.get("/orders/1");

    assertThat(inside.get()).isEqualTo(fx.awaitSpans(1).get(0).getSpanId());
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }

  @Test
  void builderRejectsInvalidSettingsNamingTheValue() {
    HttpServerTelemetry.Builder builder = HttpServerTelemetry.builder(fx.openTelemetry, fx.registry);
    assertThatThrownBy(() -> builder.setTenantHeader("X Tenant"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'X Tenant'");
    assertThatThrownBy(() -> builder.setRequestIdHeader(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("request id header");
    assertThatThrownBy(() -> builder.setMaxUriTags(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
  }

  /** A propagator that fails on every call, standing in for a buggy third-party one. */
  private static final class ThrowingPropagator implements TextMapPropagator {
    @Override
    public Collection<String> fields() {
      return List.of("traceparent");
    }

    @Override
    public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
      throw new IllegalStateException("broken inject");
    }

    @Override
    public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
      throw new IllegalStateException("broken extract");
    }
  }

  @SuppressWarnings("unused")
  private static String header(HttpExchange exchange, String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }
}
