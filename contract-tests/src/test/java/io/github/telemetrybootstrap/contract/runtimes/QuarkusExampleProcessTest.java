package io.github.telemetrybootstrap.contract.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.contract.runtimes.ServiceProcess.Runtime;
import io.github.telemetrybootstrap.examples.quickstart.ExternalTool;
import io.github.telemetrybootstrap.examples.quickstart.PrometheusServer;
import io.github.telemetrybootstrap.testkit.cli.LintLogs;
import io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Quarkus example as a user runs it ({@code java -jar examples/quarkus/target/quarkus-app/quarkus-run.jar}),
 * exporting to the testkit's OTLP receiver over real HTTP, scraped by a real Prometheus, stopped by
 * SIGTERM; its real stdout must pass {@code lint-logs --require-trace-context}.
 */
class QuarkusExampleProcessTest {
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void theExampleKeepsTheContractFromFirstToLastLine(@TempDir Path dir) throws Exception {
    Path prometheusBinary = ExternalTool.require("prometheus", "prometheus");
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      ServiceProcess quarkus = ServiceProcess.start(Runtime.QUARKUS, Map.of(
          "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
          "OTEL_BSP_SCHEDULE_DELAY", "100"));
      try (quarkus;
          PrometheusServer prometheus = PrometheusServer.start(
              prometheusBinary, dir, "127.0.0.1:" + quarkus.port, "/q/metrics")) {
        var order = quarkus.get("/orders/42",
            "traceparent", "00-" + CALLER_TRACE + "-00f067aa0ba902b7-01",
            "X-Tenant-Id", "acme",
            "X-Request-Id", "req-q-1");
        assertThat(order.statusCode()).isEqualTo(200);
        assertThat(order.headers().firstValue("X-Request-Id")).hasValue("req-q-1");
        assertThat(quarkus.get("/fail").statusCode()).isEqualTo(500);

        // Spans: the caller's trace, server and client hops, saas.tenant on every span.
        List<ReceivedSpan> trace = receiver.awaitTrace(CALLER_TRACE, 3, Duration.ofSeconds(20));
        assertThat(trace).extracting(ReceivedSpan::name)
            .contains("GET /orders/{id}", "GET /inventory/{id}");
        assertThat(trace).allSatisfy(s -> assertThat(s.attribute("saas.tenant")).isEqualTo("acme"));
        assertThat(trace).extracting(s -> s.resourceAttributes().get("service.name")).containsOnly("quarkus-example");

        // A real Prometheus scrape: the request histogram, with an exemplar of a received trace.
        Set<String> received =
            receiver.spans().stream().map(ReceivedSpan::traceId).collect(Collectors.toSet());
        JsonNode exemplars = awaitExemplars(prometheus, "http_server_requests_seconds_bucket{uri=\"/orders/{id}\"}");
        List<String> exemplarTraces = exemplars.findValues("trace_id").stream().map(JsonNode::asString).toList();
        assertThat(exemplarTraces).as("exemplars %s", exemplars).isNotEmpty();
        assertThat(received).containsAll(exemplarTraces);
        assertThat(prometheus.query("http_server_requests_seconds_count{uri=\"/orders/{id}\",status=\"200\",outcome=\"SUCCESS\",exception=\"none\"}"))
            .isNotEmpty();
      }
      int exit = quarkus.terminate();
      assertThat(exit).as("exit status after SIGTERM; stderr %s", quarkus.stderr()).isIn(0, 143);

      List<String> lines = quarkus.stdout();
      assertThat(lines).as("stderr: %s", quarkus.stderr()).isNotEmpty();
      for (String line : lines) {
        assertThat(parse(line).isObject()).as("stdout line [%s]", line).isTrue();
      }
      assertThat(parse(lines.get(lines.size() - 1)).path("message").asString())
          .as("exit %d, stderr %s", exit, quarkus.stderr())
          .contains("stopped");
      List<JsonNode> orderLines = lines.stream().map(QuarkusExampleProcessTest::parse)
          .filter(n -> "req-q-1".equals(n.path("request_id").asString(""))).toList();
      assertThat(orderLines).hasSizeGreaterThanOrEqualTo(3).allSatisfy(n -> {
        assertThat(n.path("trace_id").asString()).isEqualTo(CALLER_TRACE);
        assertThat(n.path("tenant_id").asString()).isEqualTo("acme");
      });
      JsonNode failure = lines.stream().map(QuarkusExampleProcessTest::parse)
          .filter(n -> n.path("message").asString("").equals("Order processing failed")).findFirst().orElseThrow();
      assertThat(failure.path("level").asString()).isEqualTo("ERROR");
      assertThat(failure.path("trace_id").asString()).hasSize(32);
      assertThat(failure.path("error").path("type").asString()).isEqualTo("java.lang.IllegalStateException");

      Path log = Files.write(dir.resolve("quarkus-example.log"), lines, StandardCharsets.UTF_8);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int lint = LintLogs.run(new String[] {"--require-trace-context", "--require-request-context", log.toString()},
          InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(lint).as("lint-logs said:\n%s", out.toString(StandardCharsets.UTF_8)).isEqualTo(LintLogs.EXIT_OK);
    }
  }

  private static JsonNode awaitExemplars(PrometheusServer prometheus, String query) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    JsonNode data = prometheus.exemplars(query);
    while (data.findValues("trace_id").isEmpty() && Instant.now().isBefore(deadline)) {
      Thread.sleep(500);
      data = prometheus.exemplars(query);
    }
    return data;
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (RuntimeException notJson) {
      throw new AssertionError("stdout line is not JSON: " + line, notJson);
    }
  }
}
