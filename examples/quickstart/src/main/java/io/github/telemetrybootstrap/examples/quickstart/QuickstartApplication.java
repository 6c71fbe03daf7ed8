package io.github.telemetrybootstrap.examples.quickstart;

import com.sun.net.httpserver.HttpServer;
import io.github.telemetrybootstrap.Telemetry;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quickstart: a small real service on the JDK HTTP server.
 *
 * <ul>
 *   <li>{@code GET /hello}: answers a greeting.
 *   <li>{@code GET /orders/{id}}: calls the service's own {@code GET /inventory/{id}} over
 *       {@link java.net.http.HttpClient}, so one trace spans two hops.
 *   <li>{@code GET /fail}: logs an ERROR with an exception and answers 500.
 * </ul>
 *
 * <p>Port 8080 unless {@code PORT} says otherwise. With no {@code OTEL_EXPORTER_OTLP_ENDPOINT} set,
 * an embedded OTLP receiver on loopback takes the traces and prints one line per trace to stderr, so
 * stdout stays pure JSON logs.
 */
public final class QuickstartApplication {
  private static final Logger LOG = LoggerFactory.getLogger(QuickstartApplication.class);

  private QuickstartApplication() {}

  /**
   * Starts the service and blocks until the JVM stops.
   *
   * @param args ignored
   * @throws Exception if the port cannot be bound
   */
  public static void main(String[] args) throws Exception {
    // The JDK server leaves Nagle on by default: with delayed ACKs every keep-alive response then
    // waits ~40 ms. The JDK reads this once, when the first HttpServer of the JVM is created (the
    // metrics endpoint is one), so it is set before anything else.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // A real service sets OTEL_SERVICE_NAME in its Deployment; the quickstart names itself.
    if (System.getenv("OTEL_SERVICE_NAME") == null && System.getProperty("otel.service.name") == null) {
      System.setProperty("otel.service.name", "quickstart");
    }
    EmbeddedCollector collector = EmbeddedCollector.startIfNoEndpointConfigured();
    Telemetry telemetry;
    HttpServer server;
    ExecutorService workers;
    try {
      telemetry = Telemetry.bootstrap();
      int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
      workers = Executors.newFixedThreadPool(32, named("http-worker"));
      server = HttpServer.create(new InetSocketAddress(port), 512);
    } catch (Exception | Error e) {
      // Fail fast: nothing started here may keep a JVM alive that cannot serve.
      Telemetry.current().ifPresent(Telemetry::close);
      if (collector != null) {
        collector.close();
      }
      throw e;
    }
    OrderService service =
        new OrderService(telemetry, "http://127.0.0.1:" + server.getAddress().getPort());
    service.register(server);
    server.setExecutor(workers);
    server.start();
    LOG.info(
        "Quickstart listening on http://localhost:{} (try /hello, /orders/42, /fail)",
        server.getAddress().getPort());

    // On SIGTERM the telemetry's shutdown first stops the server (requests being served finish and
    // their spans end), then flushes spans and logs.
    telemetry.beforeShutdown(
        () -> {
          server.stop(1);
          workers.shutdown();
        });
    if (collector != null) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    telemetry.close(); // waits for the telemetry's own shutdown to finish
                    collector.close(); // then prints what it still received
                  },
                  "quickstart-shutdown"));
    }
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(false);
      return t;
    };
  }
}
