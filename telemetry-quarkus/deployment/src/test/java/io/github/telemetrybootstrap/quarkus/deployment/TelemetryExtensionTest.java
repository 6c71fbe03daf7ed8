package io.github.telemetrybootstrap.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.QuarkusUnitTest;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension in a real Quarkus application, with real HTTP traffic on loopback. */
class TelemetryExtensionTest {
  @RegisterExtension
  static final QuarkusUnitTest APP =
      new QuarkusUnitTest()
          .withApplicationRoot(jar -> jar.addClasses(TestApp.class, TestApp.Spans.class,
              TestApp.InventoryClient.class, TestApp.Resource.class, ConsoleFormatters.class))
          .overrideConfigKey("quarkus.rest-client.inventory.url", "http://localhost:${quarkus.http.test-port:8081}")
          .overrideConfigKey("quarkus.otel.bsp.schedule.delay", "50ms");

  @TestHTTPResource("/")
  URI base;

  private final HttpClient http = HttpClient.newHttpClient();
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @BeforeEach
  void clear() {
    TestApp.Spans.ENDED.clear();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<SpanData> awaitSpans(Predicate<List<SpanData>> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.test(List.copyOf(TestApp.Spans.ENDED)) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return List.copyOf(TestApp.Spans.ENDED);
  }

  @Test
  void tenantHeaderWinsOverBaggageAndReachesSpanAndContext() throws Exception {
    HttpResponse<String> r = get("hello",
        "traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01",
        "baggage", "tenant_id=from-baggage",
        "X-Tenant-Id", " acme\tcorp ",
        "X-Request-Id", "req-42");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Request-Id")).contains("req-42");
    assertThat(r.body()).contains("\"trace_id\":\"" + TRACE + "\"")
        .contains("\"tenant\":\"acmecorp\"").contains("\"request_id\":\"req-42\"");
    List<SpanData> spans = awaitSpans(s -> s.stream().anyMatch(d -> d.getKind() == SpanKind.SERVER));
    SpanData server = spans.stream().filter(d -> d.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    assertThat(server.getTraceId()).isEqualTo(TRACE);
    assertThat(server.getAttributes().get(AttributeKey.stringKey("saas.tenant"))).isEqualTo("acmecorp");
  }

  @Test
  void requestIdIsGeneratedWhenAbsent() throws Exception {
    HttpResponse<String> r = get("hello");
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(r.body()).contains("\"request_id\":\"" + id + "\"");
  }

  @Test
  void restClientCarriesRequestIdAndTenantDownstream() throws Exception {
    HttpResponse<String> r = get("orders/7", "X-Tenant-Id", "globex", "X-Request-Id", "req-7");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"request_id_header\":\"req-7\"").contains("\"baggage_tenant\":\"globex\"");
    List<SpanData> spans = awaitSpans(s -> s.size() >= 3);
    assertThat(spans).hasSizeGreaterThanOrEqualTo(3);
    assertThat(spans).allSatisfy(s ->
        assertThat(s.getAttributes().get(AttributeKey.stringKey("saas.tenant"))).isEqualTo("globex"));
    assertThat(spans).extracting(SpanData::getKind).contains(SpanKind.SERVER, SpanKind.CLIENT);
    assertThat(spans).extracting(SpanData::getTraceId).containsOnly(spans.get(0).getTraceId());
  }

  @Test
  void serverRequestsAreAHistogramWithTheContractTags() throws Exception {
    get("hello");
    assertThat(get("fail").statusCode()).isEqualTo(500);
    String metrics = get("q/metrics").body();
    assertThat(metrics).containsPattern(
        "http_server_requests_seconds_bucket\\{[^}]*exception=\"none\"[^}]*method=\"GET\"[^}]*outcome=\"SUCCESS\"[^}]*status=\"200\"[^}]*uri=\"/hello\"");
    assertThat(metrics).containsPattern(
        "http_server_requests_seconds_count\\{[^}]*exception=\"IllegalStateException\"[^}]*status=\"500\"[^}]*uri=\"/fail\"");
    assertThat(metrics).contains("jvm_memory_used_bytes");
  }

  @Test
  void theApplicationsPropagatorsApplyTheInboundRuleWhenTheyExtract() {
    // A traced request's context gets tenant and request id while Quarkus extracts it, so the filter
    // need not make a second context current (which makes Quarkus rebuild the request's MDC).
    java.util.Map<String, String> carrier = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    carrier.putAll(java.util.Map.of(
        "traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01",
        "baggage", "tenant_id=from-baggage",
        "x-tenant-id", " acme\tcorp ",
        "x-request-id", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"));
    io.opentelemetry.context.Context extracted =
        openTelemetry.getPropagators().getTextMapPropagator()
            .extract(io.opentelemetry.context.Context.root(), carrier, MAP_GETTER);
    assertThat(io.opentelemetry.api.trace.Span.fromContext(extracted).getSpanContext().getTraceId())
        .isEqualTo(TRACE);
    assertThat(io.opentelemetry.api.baggage.Baggage.fromContext(extracted).getEntryValue("tenant_id"))
        .isEqualTo("acmecorp");
    try (var ignored = extracted.makeCurrent()) {
      assertThat(io.github.telemetrybootstrap.quarkus.RequestContext.requestId()).contains("Bearer ****");
    }
    // Without headers of ours, a request id is generated, as for a request without X-Request-Id.
    io.opentelemetry.context.Context bare =
        openTelemetry.getPropagators().getTextMapPropagator()
            .extract(io.opentelemetry.context.Context.root(), java.util.Map.<String, String>of(), MAP_GETTER);
    try (var ignored = bare.makeCurrent()) {
      assertThat(io.github.telemetrybootstrap.quarkus.RequestContext.requestId()).isPresent();
    }
  }

  @Test
  void aRequestQuarkusDoesNotTraceStillGetsItsRequestId() throws Exception {
    // Quarkus does not trace its non-application endpoints: no extraction, the filter applies the rule.
    HttpResponse<String> r = get("q/metrics", "X-Request-Id", "req-metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Request-Id")).contains("req-metrics");
    assertThat(get("q/metrics").headers().firstValue("X-Request-Id").orElseThrow())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  private static final io.opentelemetry.context.propagation.TextMapGetter<java.util.Map<String, String>>
      MAP_GETTER =
          new io.opentelemetry.context.propagation.TextMapGetter<>() {
            @Override
            public Iterable<String> keys(java.util.Map<String, String> carrier) {
              return carrier.keySet();
            }

            @Override
            public String get(java.util.Map<String, String> carrier, String key) {
              return carrier == null ? null : carrier.get(key);
            }
          };

  @jakarta.inject.Inject io.opentelemetry.api.OpenTelemetry openTelemetry;

  @Test
  void theConsoleWritesTheContract() {
    assertThat(ConsoleFormatters.installed()).isNotEmpty()
        .allMatch(f -> f instanceof io.github.telemetrybootstrap.quarkus.ContractLogFormatter);
  }

  @Test
  void otlpDefaultsAreTheSpecificationsNotQuarkuss() {
    var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
    assertThat(config.getValue("quarkus.otel.exporter.otlp.protocol", String.class)).isEqualTo("http/protobuf");
    assertThat(config.getValue("quarkus.otel.exporter.otlp.endpoint", String.class)).isEqualTo("http://localhost:4318");
  }
}
