package io.github.telemetrybootstrap.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.Telemetry;
import io.github.telemetrybootstrap.testkit.logs.LogLineValidator;
import io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The example on a real port with {@code telemetry-spring}: real traffic with {@code traceparent},
 * {@code baggage} and {@code X-Tenant-Id}; the real stdout checked against the log schema; spans
 * exported over real OTLP to the testkit's receiver; {@code /actuator/prometheus} scraped.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"otel.bsp.schedule.delay=100", "otel.service.name=spring-boot-example"})
class SpringBootExampleTest {
  private static final PrintStream ORIGINAL_OUT = System.out;
  private static final ByteArrayOutputStream STDOUT = new ByteArrayOutputStream();
  private static final OtlpReceiver RECEIVER = OtlpReceiver.start();
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  static {
    // Spring Boot's console appender writes to whatever System.out is when a line is logged: tee it.
    System.setOut(
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) {
                ORIGINAL_OUT.write(b);
                synchronized (STDOUT) {
                  STDOUT.write(b);
                }
              }

              @Override
              public void write(byte[] b, int off, int len) {
                ORIGINAL_OUT.write(b, off, len);
                synchronized (STDOUT) {
                  STDOUT.write(b, off, len);
                }
              }
            },
            true,
            StandardCharsets.UTF_8));
    System.setProperty("otel.exporter.otlp.endpoint", RECEIVER.endpoint());
  }

  @LocalServerPort int port;
  @Autowired ApplicationContext context;

  private final HttpClient http = HttpClient.newHttpClient();

  @AfterAll
  static void restore() {
    System.setOut(ORIGINAL_OUT);
    System.clearProperty("otel.exporter.otlp.endpoint");
    RECEIVER.close();
  }

  @Test
  void springUsesTheBootstrapsSdkAndRegistry() {
    Telemetry telemetry = context.getBean(Telemetry.class);
    assertThat(context.getBeansOfType(OpenTelemetry.class)).hasSize(1);
    assertThat(context.getBean(OpenTelemetry.class)).isSameAs(telemetry.openTelemetry());
    assertThat(context.getBean(MeterRegistry.class)).isSameAs(telemetry.meterRegistry());
    assertThat(telemetry.serviceInfo().name()).isEqualTo("spring-boot-example");
  }

  @Test
  void ordersRequestCarriesTraceTenantAndRequestIdInLogsSpansAndMetrics() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    HttpResponse<String> response =
        get(
            "/orders/42",
            "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01",
            "X-Tenant-Id", "acme",
            "X-Request-Id", "req-123");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"order\":\"42\"").contains("\"stock\"");
    assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-123");

    // Spans: server /orders, client /inventory, server /inventory, all in the caller's trace, all
    // with the tenant (the downstream hop got it as W3C baggage).
    List<ReceivedSpan> spans = RECEIVER.awaitTrace(traceId, 3, Duration.ofSeconds(10));
    assertThat(spans).extracting(ReceivedSpan::kind).contains("SERVER", "CLIENT");
    assertThat(spans).hasSizeGreaterThanOrEqualTo(3);
    assertThat(spans).allSatisfy(s -> assertThat(s.attribute("saas.tenant")).isEqualTo("acme"));
    assertThat(spans).allSatisfy(s -> assertThat(s.serviceName()).isEqualTo("spring-boot-example"));

    // Logs: every line is in the contract; the request's lines carry trace, tenant and request id.
    List<JsonNode> orderLines =
        lines().stream()
            .map(SpringBootExampleTest::parse)
            .filter(n -> n.path("message").asString("").equals("Fetching order 42"))
            .toList();
    assertThat(orderLines).hasSize(1);
    JsonNode line = orderLines.get(0);
    assertThat(line.path("trace_id").asString()).isEqualTo(traceId);
    assertThat(line.path("span_id").asString()).matches("[0-9a-f]{16}");
    assertThat(line.path("tenant_id").asString()).isEqualTo("acme");
    assertThat(line.path("request_id").asString()).isEqualTo("req-123");
    assertThat(line.path("service").asString()).isEqualTo("spring-boot-example");
    JsonNode inventoryLine =
        lines().stream()
            .map(SpringBootExampleTest::parse)
            .filter(n -> n.path("message").asString("").startsWith("Inventory for 42"))
            .findFirst()
            .orElseThrow();
    assertThat(inventoryLine.path("trace_id").asString()).isEqualTo(traceId);
    assertThat(inventoryLine.path("tenant_id").asString()).isEqualTo("acme");

    // Metrics: the actuator serves the bootstrap's registry, the request histogram with an exemplar.
    HttpResponse<String> scrape =
        get("/actuator/prometheus", "Accept", "application/openmetrics-text; version=1.0.0");
    assertThat(scrape.statusCode()).isEqualTo(200);
    List<String> metricLines = scrape.body().lines().toList();
    assertThat(metricLines)
        .anyMatch(l -> l.startsWith("http_server_requests_seconds_count{") && l.contains("uri=\"/orders/{id}\""));
    assertThat(metricLines)
        .anyMatch(
            l ->
                l.startsWith("http_server_requests_seconds_bucket{")
                    && l.contains("uri=\"/orders/{id}\"")
                    && l.contains("trace_id=\"" + traceId + "\""));
    assertThat(metricLines).anyMatch(l -> l.startsWith("jvm_memory_used_bytes"));
  }

  @Test
  void tenantFromBaggageAndGeneratedRequestId() throws Exception {
    HttpResponse<String> response = get("/hello", "baggage", "tenant_id=globex");
    assertThat(response.statusCode()).isEqualTo(200);
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    JsonNode line =
        lines().stream()
            .map(SpringBootExampleTest::parse)
            .filter(n -> n.path("message").asString("").equals("Saying hello"))
            .filter(n -> n.path("request_id").asString("").equals(requestId))
            .findFirst()
            .orElseThrow();
    assertThat(line.path("tenant_id").asString()).isEqualTo("globex");
    assertThat(line.path("trace_id").asString()).matches("[0-9a-f]{32}");
  }

  @Test
  void failLogsErrorWithExceptionAndAnswers500() throws Exception {
    HttpResponse<String> response = get("/fail");
    assertThat(response.statusCode()).isEqualTo(500);
    JsonNode line =
        lines().stream()
            .map(SpringBootExampleTest::parse)
            .filter(n -> n.path("message").asString("").equals("Order processing failed"))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(line.path("level").asString()).isEqualTo("ERROR");
    assertThat(line.path("error").path("type").asString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(line.path("error").path("stack_trace").asString()).contains("OrderController.fail");
    assertThat(line.path("trace_id").asString()).matches("[0-9a-f]{32}");
  }

  @Test
  void everyStdoutLineMatchesTheLogSchema() throws Exception {
    get("/hello", "X-Tenant-Id", "acme");
    List<String> lines = lines();
    assertThat(lines).isNotEmpty();
    assertThat(LogLineValidator.create().validateAll(lines)).isEmpty();
  }

  private static List<String> lines() {
    String all;
    synchronized (STDOUT) {
      all = STDOUT.toString(StandardCharsets.UTF_8);
    }
    return Arrays.stream(all.split("\n")).filter(l -> !l.isBlank()).toList();
  }

  private static JsonNode parse(String line) {
    return JSON.readTree(line);
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, String> unused() {
    return Map.of();
  }
}
