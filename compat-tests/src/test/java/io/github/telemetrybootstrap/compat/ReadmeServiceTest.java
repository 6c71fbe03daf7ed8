package io.github.telemetrybootstrap.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's first plain-Java sample, verbatim, built in a user's project and run: its request is
 * traced and logged with ids; its downstream call fails here (there is no "inventory" host), so the
 * handler throws, and that unhandled exception gets one ERROR line with the request's ids.
 */
class ReadmeServiceTest {
  @Test
  void theReadmeSampleRunsAndAFailingRequestKeepsItsIds() throws Exception {
    List<String> readme = Files.readAllLines(UserProjects.ROOT.resolve("README.md"));
    int intro = indexOfStartingWith(readme, "A complete service on the JDK HTTP server");
    int start = indexOfStartingWith(readme.subList(intro, readme.size()), "```java") + intro + 1;
    int end = indexOfStartingWith(readme.subList(start, readme.size()), "```") + start;
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String sample = String.join("\n", readme.subList(start, end))
        .replace("new InetSocketAddress(8080)", "new InetSocketAddress(" + port + ")");
    Path project = UserProjects.copyProject("readme-service");
    Path template = project.resolve("src/main/java/com/example/App.java.template");
    Files.writeString(project.resolve("src/main/java/com/example/App.java"),
        Files.readString(template).replace("//README-SAMPLE", sample));
    Files.delete(template);
    UserProjects.Result build = UserProjects.run(project, Duration.ofMinutes(10), java.util.Map.of(),
        UserProjects.ROOT.resolve("mvnw").toString(), "-B", "-q", "-Dtelemetry.version=" + UserProjects.VERSION,
        "-DskipTests", "package");
    assertThat(build.exit()).as("the README sample compiles:\n" + build.stdout() + build.stderr()).isZero();

    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (UserProjects.Service service = UserProjects.start(project, java.util.Map.of(
        "OTEL_SERVICE_NAME", "orders", "OTEL_TRACES_EXPORTER", "none", "TELEMETRY_METRICS_PORT", "0"),
        javaBin, "-cp",
        project.resolve("target/classes") + java.io.File.pathSeparator + project.resolve("target/dependency/*"),
        "com.example.App")) {
      List<String> stdout = service.stdout;
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> response = null;
      Instant deadline = Instant.now().plusSeconds(30);
      while (response == null && Instant.now().isBefore(deadline)) {
        try {
          response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/42"))
              .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
              .header("X-Request-Id", "req-readme").timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException notYet) {
          Thread.sleep(200);
        }
      }
      assertThat(response).as("the sample answered").isNotNull();
      assertThat(response.statusCode()).isEqualTo(500);
      Instant until = Instant.now().plusSeconds(10);
      while (Instant.now().isBefore(until) && stdout.stream().noneMatch(l -> l.contains("\"level\":\"ERROR\""))) {
        Thread.sleep(100);
      }
      assertThat(stdout).anyMatch(l -> l.contains("Fetching order") && l.contains("\"request_id\":\"req-readme\"")
          && l.contains("\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\""));
      assertThat(stdout).filteredOn(l -> l.contains("\"level\":\"ERROR\"")).hasSize(1).allSatisfy(l -> assertThat(l)
          .contains("Unhandled exception handling GET /orders/42")
          .contains("\"request_id\":\"req-readme\"").contains("\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"")
          .contains("\"error\":{"));
    }
  }

  private static int indexOfStartingWith(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("README has no line starting with " + prefix);
  }
}
