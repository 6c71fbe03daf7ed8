package io.github.telemetrybootstrap.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus scrape endpoint: the Prometheus Java client's own {@link HTTPServer} (on the JDK
 * HTTP server), serving the text and OpenMetrics formats with content negotiation and gzip, and
 * {@code /-/healthy}.
 *
 * <p>Matching pod annotations: {@code prometheus.io/scrape: "true"}, {@code prometheus.io/port:
 * "9464"}, {@code prometheus.io/path: "/metrics"}.
 */
public final class PrometheusEndpoint implements AutoCloseable {
  private final HTTPServer server;
  private final String path;
  private final String host;

  private PrometheusEndpoint(HTTPServer server, String host, String path) {
    this.server = server;
    this.host = host;
    this.path = path;
  }

  /**
   * Starts serving.
   *
   * @param registry the registry to expose
   * @param host address to bind, e.g. {@code 0.0.0.0}
   * @param port port, 0 for any free one
   * @param path metrics path, starting with {@code /}
   * @return the running endpoint
   * @throws IOException if the address cannot be bound (for example the port is in use)
   */
  public static PrometheusEndpoint start(PrometheusRegistry registry, String host, int port, String path)
      throws IOException {
    // Two daemon threads at most: scrapes are rare and must never keep the JVM alive.
    ExecutorService executor =
        new ThreadPoolExecutor(
            1,
            2,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(64),
            r -> {
              Thread t = new Thread(r, "telemetry-metrics-http");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.DiscardOldestPolicy());
    HTTPServer server =
        HTTPServer.builder()
            .hostname(host)
            .port(port)
            .registry(registry)
            .metricsHandlerPath(path)
            .executorService(executor)
            .buildAndStart();
    return new PrometheusEndpoint(server, host, path);
  }

  /**
   * @return the bound port (the real one when 0 was asked)
   */
  public int port() {
    return server.getPort();
  }

  /**
   * @return the metrics path
   */
  public String path() {
    return path;
  }

  /**
   * @return a URL for humans, e.g. {@code http://0.0.0.0:9464/metrics}
   */
  public String url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port() + path;
  }

  /** Stops serving; idempotent. */
  @Override
  public void close() {
    server.close();
  }
}
