package io.github.telemetrybootstrap.examples.quickstart;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's baseline: the quickstart with {@code Telemetry.bootstrap()} removed. Same endpoints,
 * same handlers, same thread pool, same logging calls; no instrumentation, no exporter, no metrics
 * endpoint.
 */
public final class BaselineQuickstart {
  private BaselineQuickstart() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    // The JDK server leaves Nagle on by default: with delayed ACKs every keep-alive response then
    // waits ~40 ms. Must be set before the first HttpServer is created.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    ExecutorService workers = Executors.newFixedThreadPool(32);
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 512);
    new OrderService(null, "http://127.0.0.1:" + server.getAddress().getPort()).register(server);
    server.setExecutor(workers);
    server.start();
    LoggerFactory.getLogger(BaselineQuickstart.class).info("Baseline listening on {}", port);
  }
}
