package io.github.telemetrybootstrap.examples.quickstart;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** A real Prometheus (the Debian package's binary) on loopback, with exemplar storage on. */
public final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts Prometheus scraping {@code target} (host:port) at {@code metricsPath} every second.
   *
   * @param binary the prometheus executable
   * @param workDir where its configuration, data and log go
   * @param target host:port to scrape
   * @param metricsPath the path to scrape
   * @return the ready server
   * @throws Exception when it does not become ready in 30 s
   */
  public static PrometheusServer start(Path binary, Path workDir, String target, String metricsPath)
      throws Exception {
    int port = Ports.free();
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global:\n"
            + "  scrape_interval: 1s\n"
            + "  scrape_timeout: 1s\n"
            + "scrape_configs:\n"
            + "  - job_name: quickstart\n"
            + "    metrics_path: " + metricsPath + "\n"
            + "    static_configs:\n"
            + "      - targets: ['" + target + "']\n");
    Path data = Files.createDirectories(workDir.resolve("data"));
    Process p =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + port,
                "--enable-feature=exemplar-storage")
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("prometheus.log").toFile())
            .start();
    PrometheusServer server = new PrometheusServer(p, port);
    server.awaitReady(workDir.resolve("prometheus.log"));
    return server;
  }

  private void awaitReady(Path log) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited:\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("prometheus not ready in 30 s:\n" + Files.readString(log));
  }

  /**
   * Runs an instant query.
   *
   * @param promql the query
   * @return {@code data.result}
   * @throws Exception on a failed request
   */
  public JsonNode query(String promql) throws Exception {
    return get("/api/v1/query?query=" + enc(promql)).get("data").get("result");
  }

  /**
   * Runs an exemplar query over the last ten minutes.
   *
   * @param promql the query
   * @return {@code data} of the answer
   * @throws Exception on a failed request
   */
  public JsonNode exemplars(String promql) throws Exception {
    long now = Instant.now().getEpochSecond();
    return get(
            "/api/v1/query_exemplars?query="
                + enc(promql)
                + "&start="
                + (now - 600)
                + "&end="
                + (now + 60))
        .get("data");
  }

  private JsonNode get(String pathAndQuery) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
