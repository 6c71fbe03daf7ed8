package io.github.telemetrybootstrap.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.testkit.cli.LintLogs;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The example as a user runs it: a separate JVM ({@code java -cp ... SpringBootExampleApplication}),
 * no {@code OTEL_*} in its environment, its real stdout read from the pipe. Every line, from Spring's
 * first startup line to its last shutdown line, must be a contract JSON line (no banner, no plain
 * text), and the whole capture must pass the testkit's {@code lint-logs --require-trace-context}, the
 * command CI runs on a service's logs.
 */
class SpringBootExampleProcessTest {
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void lintLogsPassesOnTheExamplesRealStdout(@TempDir Path dir) throws Exception {
    int port = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            SpringBootExampleApplication.class.getName(),
            "--server.port=" + port,
            "--server.address=127.0.0.1");
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TELEMETRY_"));
    // No collector in this test: spans are not exported (the other test checks OTLP export).
    pb.environment().put("OTEL_TRACES_EXPORTER", "none");
    Process process = pb.start();
    List<String> stdout = new CopyOnWriteArrayList<>();
    List<String> stderr = new CopyOnWriteArrayList<>();
    Thread outPump = pump(process.getInputStream(), stdout, "example-stdout");
    pump(process.getErrorStream(), stderr, "example-stderr");
    try {
      awaitUp(process, port, stdout, stderr);

      HttpResponse<String> order =
          get(
              port,
              "/orders/42",
              "traceparent", "00-" + CALLER_TRACE + "-00f067aa0ba902b7-01",
              "X-Tenant-Id", "acme",
              "X-Request-Id", "req-lint-1");
      assertThat(order.statusCode()).isEqualTo(200);
      assertThat(order.headers().firstValue("X-Request-Id")).hasValue("req-lint-1");
      assertThat(get(port, "/fail").statusCode()).isEqualTo(500);
    } finally {
      // SIGTERM, as Kubernetes stops a pod: the shutdown lines are part of what is linted.
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      outPump.join(5_000);
    }

    List<String> lines = new ArrayList<>(stdout);
    JsonMapper json = JsonMapper.builder().build();
    assertThat(lines).as("stdout; stderr was %s", stderr).isNotEmpty();
    for (String line : lines) {
      JsonNode node;
      try {
        node = json.readTree(line);
      } catch (RuntimeException notJson) {
        throw new AssertionError("stdout line is not JSON: " + line, notJson);
      }
      assertThat(node.isObject()).as("stdout line is not a JSON object: [%s]", line).isTrue();
    }
    List<JsonNode> orderLines =
        lines.stream()
            .map(json::readTree)
            .filter(n -> "req-lint-1".equals(n.path("request_id").asString("")))
            .toList();
    assertThat(orderLines)
        .as("the /orders/42 lines")
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            n -> {
              assertThat(n.path("trace_id").asString()).isEqualTo(CALLER_TRACE);
              assertThat(n.path("tenant_id").asString()).isEqualTo("acme");
            });
    assertThat(lines)
        .anyMatch(l -> l.contains("\"level\":\"ERROR\"") && l.contains("Order processing failed"));

    Path log = Files.write(dir.resolve("spring-boot-example.log"), lines, StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        LintLogs.run(
            new String[] {"--require-trace-context", log.toString()},
            InputStream.nullInputStream(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit)
        .as("lint-logs said:\n%s\n%s", out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8))
        .isEqualTo(LintLogs.EXIT_OK);
  }

  private void awaitUp(Process process, int port, List<String> stdout, List<String> stderr)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the example exited " + process.exitValue() + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      try {
        if (get(port, "/hello").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the example did not answer in 60 s\nstderr:\n" + stderr);
  }

  private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Thread pump(InputStream in, List<String> sink, String name) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  sink.add(line);
                }
              } catch (IOException closed) {
                // the process is gone
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
