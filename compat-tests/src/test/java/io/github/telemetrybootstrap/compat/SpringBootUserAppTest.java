package io.github.telemetrybootstrap.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.testkit.cli.LintLogs;
import io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Spring Boot service that is not our example: its own pom on {@code spring-boot-starter-parent}
 * 4.1.1 with telemetry-spring as its only telemetry dependency, built with the wrapper and run as a
 * separate JVM ({@code java -jar}, Spring Boot's executable jar). One dependency must mean traces,
 * ids on every line (the container's ERROR line of a failing request included), one request id on
 * both hops, exemplars, and a stdout that passes lint-logs.
 */
class SpringBootUserAppTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String FAIL_TRACE = "5bf92f3577b34da6a3ce929d0e0e4737";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"spring-boot-app", "spring-boot-jetty-app"})
  void oneDependencyGivesTheWholeContract(String name, @TempDir Path dir) throws Exception {
    Path project = UserProjects.build(name);
    int port = freePort();
    List<String> stdout = new CopyOnWriteArrayList<>();
    List<String> stderr = new CopyOnWriteArrayList<>();
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-jar", "target/shop-1.0.0.jar", "--server.port=" + port)
          .directory(project.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TELEMETRY_"));
      pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
      pb.environment().put("OTEL_BSP_SCHEDULE_DELAY", "100");
      pb.environment().put("TELEMETRY_METRICS_PORT", String.valueOf(freePort()));
      pb.environment().put("TELEMETRY_METRICS_HOST", "127.0.0.1");
      Process p = pb.start();
      pump(p.getInputStream(), stdout);
      pump(p.getErrorStream(), stderr);
      try {
        awaitUp(port, p, stdout, stderr);

        HttpResponse<String> ok = get(port, "/owners/42", Map.of(
            "traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01", "X-Tenant-Id", "acme", "X-Request-Id", "req-shop-1"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("X-Request-Id")).hasValue("req-shop-1");
        HttpResponse<String> failed = get(port, "/oups", Map.of(
            "traceparent", "00-" + FAIL_TRACE + "-00f067aa0ba902b7-01", "X-Request-Id", "req-oups-1"));
        assertThat(failed.statusCode()).isEqualTo(500);

        // Traces: the server spans of both hops and the client span, in the caller's trace.
        List<ReceivedSpan> trace = receiver.awaitTrace(TRACE, 3, Duration.ofSeconds(20));
        assertThat(trace).extracting(ReceivedSpan::traceId).containsOnly(TRACE);
        assertThat(trace).anyMatch(s -> "acme".equals(s.attributes().get("saas.tenant")));
        List<ReceivedSpan> failedTrace = receiver.awaitTrace(FAIL_TRACE, 1, Duration.ofSeconds(20));
        assertThat(failedTrace).isNotEmpty();

        // Exemplars carry a received trace id.
        String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .header("Accept", "application/openmetrics-text; version=1.0.0").build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(scrape).containsPattern("http_server_requests_seconds_bucket\\{.*uri=\"/owners/\\{id}\".*# \\{.*trace_id=\"" + TRACE + "\"");

        // Logs: every line of the request on both hops carries the caller's trace and one request id.
        List<JsonNode> shopLines = awaitLines(stdout, l -> "req-shop-1".equals(text(l, "request_id")), 3);
        assertThat(shopLines).extracting(l -> text(l, "message"))
            .contains("Looking up owner 42", "Stock for 42", "Owner 42 has stock 7");
        assertThat(shopLines).allSatisfy(l -> {
          assertThat(text(l, "trace_id")).isEqualTo(TRACE);
          assertThat(text(l, "tenant_id")).isEqualTo("acme");
        });
        // The container's own line about the failing request (Tomcat: ERROR, Jetty: WARN) keeps its ids.
        List<JsonNode> errors = awaitLines(stdout, l -> l.has("error")
            && ("ERROR".equals(text(l, "level")) || "WARN".equals(text(l, "level"))), 1);
        assertThat(errors).allSatisfy(l -> {
          assertThat(text(l, "trace_id")).as(l.toString()).isEqualTo(FAIL_TRACE);
          assertThat(text(l, "request_id")).as(l.toString()).isEqualTo("req-oups-1");
        });
        assertThat(errors).anyMatch(l -> l.get("error").toString().contains("java.lang.IllegalStateException"));
        assertThat(stdout).anyMatch(l -> l.contains("Telemetry started") && l.contains("traces to"));
      } finally {
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        Thread.sleep(300);
      }
    }
    Path log = Files.write(dir.resolve("shop.log"), stdout);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = LintLogs.run(new String[] {"--require-trace-context", "--require-request-context", log.toString()}, InputStream.nullInputStream(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(LintLogs.EXIT_OK);
    assertThat(stdout).allSatisfy(l -> assertThat(l).startsWith("{"));
  }

  private HttpResponse<String> get(int port, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void awaitUp(int port, Process p, List<String> stdout, List<String> stderr) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new AssertionError("the app exited " + p.exitValue() + "\n" + String.join("\n", stdout) + "\n" + stderr);
      }
      try {
        if (get(port, "/actuator/health", Map.of()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the app did not start in 60 s\n" + String.join("\n", stdout) + "\n" + stderr);
  }

  private static List<JsonNode> awaitLines(List<String> stdout, java.util.function.Predicate<JsonNode> match, int atLeast)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    List<JsonNode> found = List.of();
    while (Instant.now().isBefore(deadline)) {
      found = stdout.stream().map(SpringBootUserAppTest::parse).filter(n -> n != null && match.test(n)).toList();
      if (found.size() >= atLeast) {
        return found;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("expected " + atLeast + " matching lines, found " + found + "\nstdout:\n" + String.join("\n", stdout));
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null ? null : v.asString();
  }

  private static void pump(InputStream in, List<String> sink) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          sink.add(line);
        }
      } catch (java.io.IOException ignored) {
        // process gone
      }
    });
    t.setDaemon(true);
    t.start();
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
