package io.github.telemetrybootstrap.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.testkit.cli.LintLogs;
import io.github.telemetrybootstrap.testkit.logs.ExpectedContext;
import io.github.telemetrybootstrap.testkit.logs.LogLineValidator;
import io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The quickstart as a user runs it: a separate JVM, real HTTP traffic with {@code traceparent},
 * {@code baggage}, {@code X-Tenant-Id} and {@code X-Request-Id}, its real stdout, the real OTLP
 * exporter sending to the testkit's receiver, and a real Prometheus scraping it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuickstartEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  private OtlpReceiver receiver;
  private QuickstartProcess quickstart;

  @BeforeAll
  void start() throws Exception {
    receiver = OtlpReceiver.start();
    quickstart =
        QuickstartProcess.start(
            Map.of(
                "OTEL_SERVICE_NAME", "quickstart",
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_BSP_SCHEDULE_DELAY", "200",
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=e2e,service.version=0.1.0"),
            true);
  }

  @AfterAll
  void stop() throws Exception {
    if (quickstart != null) {
      quickstart.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private HttpResponse<String> orderFromCaller(String requestId) throws Exception {
    return quickstart.get(
        "/orders/42",
        Map.of(
            "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01",
            "baggage", "tenant_id=acme,region=eu",
            "X-Request-Id", requestId));
  }

  @Test
  void aRequestsLogLinesCarryTheCallersTraceTheTenantAndTheRequestId() throws Exception {
    HttpResponse<String> response = orderFromCaller("req-logs-1");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-logs-1");

    // /orders/42 logs before and after calling /inventory/42, and /inventory/42 logs once: the
    // request id travels with the call, so all three lines carry the caller's id.
    List<JsonNode> lines = awaitLines(l -> "req-logs-1".equals(text(l, "request_id")), 3);
    assertThat(lines).allSatisfy(l -> {
      assertThat(text(l, "trace_id")).isEqualTo(CALLER_TRACE);
      assertThat(text(l, "span_id")).matches("[0-9a-f]{16}").isNotEqualTo("0000000000000000");
      assertThat(text(l, "trace_flags")).isEqualTo("01");
      assertThat(text(l, "tenant_id")).isEqualTo("acme");
      assertThat(text(l, "service")).isEqualTo("quickstart");
      assertThat(text(l, "service_version")).isEqualTo("0.1.0");
      assertThat(text(l, "env")).isEqualTo("e2e");
    });
    assertThat(lines).extracting(l -> text(l, "message")).contains("Fetching order 42");
    LogLineValidator validator = LogLineValidator.create();
    for (JsonNode l : lines) {
      assertThat(
              validator.validate(
                  1,
                  l.toString(),
                  ExpectedContext.inSpan(CALLER_TRACE, text(l, "span_id")).withTenant("acme")))
          .isEmpty();
    }
    // The downstream hop logged in the same trace, with the tenant carried by baggage.
    List<JsonNode> hop =
        awaitLines(
            l -> CALLER_TRACE.equals(text(l, "trace_id")) && "Inventory for 42".equals(prefix(l))
                && "req-logs-1".equals(text(l, "request_id")),
            1);
    assertThat(text(hop.get(0), "tenant_id")).isEqualTo("acme");
  }

  @Test
  void theTenantHeaderAndAGeneratedRequestIdReachTheLogs() throws Exception {
    HttpResponse<String> response = quickstart.get("/hello", Map.of("X-Tenant-Id", "globex"));
    String generated = response.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(generated).matches("[0-9a-f-]{36}");

    JsonNode line = awaitLines(l -> generated.equals(text(l, "request_id")), 1).get(0);
    assertThat(text(line, "tenant_id")).isEqualTo("globex");
    assertThat(text(line, "trace_id")).matches("[0-9a-f]{32}");
  }

  @Test
  void everyStdoutLineIsOneJsonObjectOfTheContract() throws Exception {
    quickstart.get("/fail", Map.of("X-Request-Id", "req-fail-1"));
    JsonNode error = awaitLines(l -> "req-fail-1".equals(text(l, "request_id")), 1).get(0);
    assertThat(text(error, "level")).isEqualTo("ERROR");
    assertThat(error.get("error").get("type").asString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.get("error").get("stack_trace").asString()).contains("OrderService.fail");

    List<String> stdout = quickstart.stdout();
    assertThat(stdout).isNotEmpty();
    // The testkit's gate, exactly as a user's CI runs it: schema plus the rules a schema can't express.
    assertThat(LogLineValidator.builder().requireTraceContextOnRequests(true).build().validateAll(stdout))
        .isEmpty();
    for (String raw : stdout) {
      JsonNode l = JSON.readTree(raw);
      assertThat(l.isObject()).as(raw).isTrue();
      assertThat(text(l, "@timestamp")).as(raw).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      assertThat(text(l, "level")).as(raw).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
      assertThat(l.has("logger") && l.has("thread") && l.has("message")).as(raw).isTrue();
      assertThat(text(l, "service")).as(raw).isEqualTo("quickstart");
    }
  }

  @Test
  void lintLogsPassesOnTheQuickstartsRealStdout(@TempDir Path dir) throws Exception {
    orderFromCaller("req-lint-1");
    quickstart.get("/fail", Map.of());
    awaitLines(l -> "req-lint-1".equals(text(l, "request_id")), 2);
    Path log = java.nio.file.Files.write(dir.resolve("quickstart.log"), quickstart.stdout());

    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int exit =
        LintLogs.run(
            new String[] {"--require-trace-context", "--require-request-context", log.toString()},
            java.io.InputStream.nullInputStream(),
            new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));

    assertThat(exit).as(out + "\n" + err).isEqualTo(LintLogs.EXIT_OK);
  }

  @Test
  void theReceiverGetsTheTwoHopTraceWithTheTenant() throws Exception {
    orderFromCaller("req-trace-1");

    List<ReceivedSpan> trace = awaitTrace(CALLER_TRACE, 3);
    ReceivedSpan orders = find(trace, "GET /orders/{id}");
    ReceivedSpan inventory = find(trace, "GET /inventory/{id}");
    ReceivedSpan client =
        trace.stream().filter(s -> s.spanId().equals(inventory.parentSpanId())).findFirst().orElseThrow();

    assertThat(orders.parentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(client.parentSpanId()).isEqualTo(orders.spanId());
    assertThat(client.kind()).isEqualTo("CLIENT");
    assertThat(List.of(orders, client, inventory))
        .allSatisfy(s -> assertThat(s.attributes()).containsEntry("saas.tenant", "acme"));
    assertThat(orders.attributes()).containsEntry("http.route", "/orders/{id}");
    assertThat(orders.resourceAttributes()).containsEntry("service.name", "quickstart");
    assertThat(orders.resourceAttributes()).doesNotContainKey("process.command_line");
  }

  @Test
  void aRealPrometheusScrapesTheRequestMetricWithAnExemplarOfAReceivedTrace(@TempDir Path dir)
      throws Exception {
    Path binary = ExternalTool.require("prometheus", "prometheus");
    try (PrometheusServer prometheus =
        PrometheusServer.start(binary, dir, "127.0.0.1:" + quickstart.metricsPort, "/metrics")) {
      Instant deadline = Instant.now().plusSeconds(60);
      JsonNode exemplars = null;
      Set<String> exemplarTraceIds = Set.of();
      Set<String> receivedTraceIds = Set.of();
      while (Instant.now().isBefore(deadline)) {
        orderFromCaller("req-prom-" + System.nanoTime());
        quickstart.get("/orders/7", Map.of());
        Thread.sleep(1000);
        JsonNode count = prometheus.query("http_server_requests_seconds_count{uri=\"/orders/{id}\"}");
        exemplars = prometheus.exemplars("http_server_requests_seconds_bucket{uri=\"/orders/{id}\"}");
        exemplarTraceIds = new java.util.HashSet<>();
        for (JsonNode series : exemplars) {
          for (JsonNode e : series.get("exemplars")) {
            exemplarTraceIds.add(e.get("labels").get("trace_id").asString());
          }
        }
        receivedTraceIds = receiver.spans().stream().map(ReceivedSpan::traceId).collect(Collectors.toSet());
        if (count.size() > 0 && exemplarTraceIds.stream().anyMatch(receivedTraceIds::contains)) {
          JsonNode labels = count.get(0).get("metric");
          assertThat(text(labels, "method")).isEqualTo("GET");
          assertThat(text(labels, "status")).isEqualTo("200");
          assertThat(text(labels, "outcome")).isEqualTo("SUCCESS");
          assertThat(text(labels, "exception")).isEqualTo("none");
          return;
        }
      }
      throw new AssertionError(
          "no exemplar trace id of http_server_requests_seconds_bucket{uri=\"/orders/{id}\"} was "
              + "received by the OTLP receiver; exemplars: " + exemplars + " received: " + receivedTraceIds);
    }
  }

  /** The server span of that name (the client span of a templated call has the same name). */
  private static ReceivedSpan find(List<ReceivedSpan> spans, String name) {
    return spans.stream()
        .filter(s -> s.name().equals(name) && s.kind().equals("SERVER"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
  }

  private List<ReceivedSpan> awaitTrace(String traceId, int minSpans) throws Exception {
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      List<ReceivedSpan> trace =
          receiver.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
      if (trace.size() >= minSpans) {
        return trace;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("trace " + traceId + " not received; got " + receiver.spans());
  }

  private List<JsonNode> awaitLines(java.util.function.Predicate<JsonNode> match, int atLeast)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    List<JsonNode> found = new ArrayList<>();
    while (Instant.now().isBefore(deadline)) {
      found.clear();
      for (String raw : quickstart.stdout()) {
        JsonNode l = JSON.readTree(raw);
        if (match.test(l)) {
          found.add(l);
        }
      }
      if (found.size() >= atLeast) {
        return found;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("expected " + atLeast + " matching lines, got " + found + "\nstdout: " + quickstart.stdout());
  }

  private static String prefix(JsonNode l) {
    String m = text(l, "message");
    return m == null ? null : m.replaceAll(":.*", "");
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }
}
