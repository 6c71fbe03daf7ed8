package io.github.telemetrybootstrap.examples.springboot;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/** The quickstart's endpoints: {@code /hello}, {@code /orders/{id}} (two hops), {@code /fail}. */
@RestController
class OrderController {
  private static final Logger LOG = LoggerFactory.getLogger(OrderController.class);

  private final RestClient.Builder restClientBuilder;
  private final WebServerApplicationContext context;
  private volatile RestClient self;

  OrderController(RestClient.Builder restClientBuilder, WebServerApplicationContext context) {
    // The auto-configured builder carries Spring's observation: each call is a CLIENT span of the
    // one SDK, with traceparent and baggage (the tenant) injected.
    this.restClientBuilder = restClientBuilder;
    this.context = context;
  }

  @GetMapping("/hello")
  Map<String, String> hello() {
    LOG.info("Saying hello");
    return Map.of("message", "hello");
  }

  @GetMapping("/orders/{id}")
  ResponseEntity<Map<String, Object>> order(@PathVariable("id") String id) {
    LOG.info("Fetching order {}", id);
    ResponseEntity<Map> inventory =
        self().get().uri("/inventory/{id}", id).retrieve().toEntity(Map.class);
    LOG.info("Inventory answered {} for order {}", inventory.getStatusCode().value(), id);
    return ResponseEntity.ok(Map.of("order", id, "inventory", inventory.getBody()));
  }

  @GetMapping("/inventory/{id}")
  Map<String, Object> inventory(@PathVariable("id") String id) {
    int stock = Math.floorMod(id.hashCode(), 50) + ThreadLocalRandom.current().nextInt(2);
    LOG.info("Inventory for {}: {} in stock", id, stock);
    return Map.of("id", id, "stock", stock);
  }

  @GetMapping("/fail")
  ResponseEntity<Map<String, String>> fail() {
    IllegalStateException error = new IllegalStateException("payment provider unavailable");
    LOG.error("Order processing failed", error);
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .body(Map.of("error", "payment provider unavailable"));
  }

  private RestClient self() {
    RestClient client = self;
    if (client == null) {
      client =
          restClientBuilder.baseUrl("http://127.0.0.1:" + context.getWebServer().getPort()).build();
      self = client;
    }
    return client;
  }
}
