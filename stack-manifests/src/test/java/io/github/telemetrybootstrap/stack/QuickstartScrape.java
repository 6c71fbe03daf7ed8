package io.github.telemetrybootstrap.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Starts the quickstart in its own JVM (as a user runs it), drives every endpoint, forces one
 * garbage collection (so the GC pause series exist), and returns its {@code /metrics} body: the names
 * a dashboard may rely on.
 */
final class QuickstartScrape {
  private static final String MAIN = "io.github.telemetrybootstrap.examples.quickstart.QuickstartApplication";

  private QuickstartScrape() {}

  static String scrapeAfterTraffic() throws Exception {
    int port = free();
    int metricsPort = free();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), MAIN)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TELEMETRY_"));
    pb.environment().put("PORT", String.valueOf(port));
    pb.environment().put("TELEMETRY_METRICS_HOST", "127.0.0.1");
    pb.environment().put("TELEMETRY_METRICS_PORT", String.valueOf(metricsPort));
    pb.environment().put("OTEL_SERVICE_NAME", "quickstart");
    Process process = pb.start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          if (get(http, port, "/hello").statusCode() == 200) {
            break;
          }
        } catch (IOException notYet) {
          if (System.nanoTime() > deadline || !process.isAlive()) {
            throw new IllegalStateException("the quickstart did not start", notYet);
          }
          Thread.sleep(100);
        }
      }
      get(http, port, "/orders/1");
      get(http, port, "/fail");
      Process gc = new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
              String.valueOf(process.pid()),
              "GC.run")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      gc.waitFor(30, TimeUnit.SECONDS);
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int free() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
