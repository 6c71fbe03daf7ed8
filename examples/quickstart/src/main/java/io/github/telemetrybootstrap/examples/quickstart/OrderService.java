package io.github.telemetrybootstrap.examples.quickstart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.telemetrybootstrap.Telemetry;
import io.github.telemetrybootstrap.http.HttpClientTelemetry;
import io.github.telemetrybootstrap.http.HttpRouter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quickstart's endpoints. With a {@link Telemetry} the server is instrumented and the client
 * propagates context; without one (the benchmark's baseline) the same code runs uninstrumented.
 */
final class OrderService {
  private static final Logger LOG = LoggerFactory.getLogger(OrderService.class);

  private final @Nullable Telemetry telemetry;
  private final String selfBaseUrl;
  private final HttpClient client;

  OrderService(@Nullable Telemetry telemetry, String selfBaseUrl) {
    this.telemetry = telemetry;
    this.selfBaseUrl = selfBaseUrl;
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    this.client = telemetry == null ? plain : telemetry.instrument(plain);
  }

  void register(HttpServer server) {
    HttpRouter router =
        HttpRouter.builder()
            .get("/hello", this::hello)
            .get("/orders/{id}", this::order)
            .get("/inventory/{id}", this::inventory)
            .get("/fail", this::fail)
            .build();
    var context = server.createContext("/", router);
    if (telemetry != null) {
      context.getFilters().add(telemetry.httpServerFilter());
    }
  }

  private void hello(HttpExchange exchange) throws IOException {
    LOG.info("Saying hello");
    respond(exchange, 200, "{\"message\":\"hello\"}");
  }

  private void order(HttpExchange exchange) throws IOException {
    String id = HttpRouter.pathParameters(exchange).get("id");
    LOG.info("Fetching order {}", id);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(selfBaseUrl + "/inventory/" + id))
            .timeout(Duration.ofSeconds(5));
    if (telemetry != null) {
      HttpClientTelemetry.uriTemplate(request, "/inventory/{id}");
    }
    try {
      HttpResponse<String> inventory = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      LOG.info("Inventory answered {} for order {}", inventory.statusCode(), id);
      respond(
          exchange,
          inventory.statusCode() == 200 ? 200 : 502,
          "{\"order\":\"" + json(id) + "\",\"inventory\":" + inventory.body() + "}");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(exchange, 503, "{\"error\":\"interrupted\"}");
    }
  }

  private void inventory(HttpExchange exchange) throws IOException {
    String id = HttpRouter.pathParameters(exchange).get("id");
    int stock = Math.floorMod(id.hashCode(), 50) + ThreadLocalRandom.current().nextInt(2);
    LOG.info("Inventory for {}: {} in stock", id, stock);
    respond(exchange, 200, "{\"id\":\"" + json(id) + "\",\"stock\":" + stock + "}");
  }

  private void fail(HttpExchange exchange) throws IOException {
    IllegalStateException error = new IllegalStateException("payment provider unavailable");
    LOG.error("Order processing failed", error);
    respond(exchange, 500, "{\"error\":\"payment provider unavailable\"}");
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
