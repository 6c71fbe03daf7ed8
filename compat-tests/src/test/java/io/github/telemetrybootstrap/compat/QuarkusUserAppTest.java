package io.github.telemetrybootstrap.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.testkit.cli.LintLogs;
import io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A user's Quarkus service (projects/quarkus-app: quarkus-rest and telemetry-quarkus, the Quarkus
 * BOM and plugin) built with the wrapper from the installed artifacts and run with
 * {@code java -jar target/quarkus-app/quarkus-run.jar}: lines logged on a worker thread, on the event
 * loop, after a Mutiny delay and a hop to the worker pool and in a {@code ManagedExecutor} task all carry the
 * caller's trace and the request's tenant and request id; spans reach a real OTLP receiver with
 * {@code saas.tenant}; stdout passes {@code lint-logs}.
 */
class QuarkusUserAppTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void everyThreadHopKeepsTheRequestsIds(@TempDir Path dir) throws Exception {
    Path project = UserProjects.build("quarkus-app");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> stdout;
      try (UserProjects.Service service = UserProjects.start(project, java.util.Map.of(
          "PORT", Integer.toString(port),
          "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
          "OTEL_SERVICE_NAME", "greetings",
          "OTEL_BSP_SCHEDULE_DELAY", "100"), javaBin, "-jar", "target/quarkus-app/quarkus-run.jar")) {
        stdout = service.stdout;
        Process p = service.process;
        HttpClient http = HttpClient.newHttpClient();
        awaitUp(http, port, p, stdout);
        for (String path : List.of("/hello", "/reactive", "/executor")) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .header("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01")
              .header("X-Tenant-Id", "acme").header("X-Request-Id", "req" + path.replace('/', '-'))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        }
        List<ReceivedSpan> spans = receiver.awaitTrace(TRACE, 3, Duration.ofSeconds(20));
        assertThat(spans).extracting(ReceivedSpan::name).contains("GET /hello", "GET /reactive", "GET /executor");
        assertThat(spans).allSatisfy(s -> assertThat(s.attribute("saas.tenant")).isEqualTo("acme"));
        assertThat(spans).extracting(s -> s.resourceAttributes().get("service.name")).containsOnly("greetings");
      }

      List<JsonNode> lines = stdout.stream().map(QuarkusUserAppTest::parse).toList();
      for (var expected : java.util.Map.of("hello from a worker thread", "req-hello",
          "reactive: on the event loop", "req-reactive", "reactive: after the hop", "req-reactive",
          "executor: in a managed task", "req-executor").entrySet()) {
        String message = expected.getKey();
        JsonNode line = lines.stream().filter(n -> n.path("message").asString("").equals(message)).findFirst()
            .orElseThrow(() -> new AssertionError("no line '" + message + "' in " + stdout));
        assertThat(line.path("trace_id").asString()).as(message).isEqualTo(TRACE);
        assertThat(line.path("span_id").asString()).as(message).hasSize(16);
        assertThat(line.path("tenant_id").asString()).as(message).isEqualTo("acme");
        assertThat(line.path("request_id").asString()).as(message).isEqualTo(expected.getValue());
      }
      Set<String> threads = lines.stream().filter(n -> n.path("message").asString("").startsWith("reactive"))
          .map(n -> n.path("thread").asString()).collect(Collectors.toSet());
      assertThat(threads).as("the Mutiny continuation runs on another thread").hasSize(2);

      Path log = Files.write(dir.resolve("quarkus-app.log"), stdout, StandardCharsets.UTF_8);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int lint = LintLogs.run(new String[] {"--require-trace-context", "--require-request-context", log.toString()},
          InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(lint).as("lint-logs said:\n%s", out.toString(StandardCharsets.UTF_8)).isEqualTo(LintLogs.EXIT_OK);
    }
  }

  private static void awaitUp(HttpClient http, int port, Process p, List<String> stdout) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new AssertionError("the service exited " + p.exitValue() + ":\n" + String.join("\n", stdout));
      }
      try {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health")).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the service did not answer in 60 s:\n" + String.join("\n", stdout));
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (RuntimeException notJson) {
      throw new AssertionError("stdout line is not JSON: " + line, notJson);
    }
  }
}
