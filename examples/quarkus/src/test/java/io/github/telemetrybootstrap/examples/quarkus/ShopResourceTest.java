package io.github.telemetrybootstrap.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The example's endpoints under {@code @QuarkusTest}, with the tenant and request id of a caller. */
@QuarkusTest
class ShopResourceTest {
  @TestHTTPResource("/")
  URI base;

  @Test
  void orderCallsInventoryAndEchoesTheRequestId() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(base.resolve("orders/42"))
            .header("X-Tenant-Id", "acme").header("X-Request-Id", "req-test").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("req-test", r.headers().firstValue("X-Request-Id").orElse(""));
    assertTrue(r.body().contains("\"order\":\"42\""), r.body());
    assertTrue(r.body().contains("\"stock\""), r.body());
  }

  @Test
  void failAnswers500() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(base.resolve("fail")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(500, r.statusCode());
  }
}
