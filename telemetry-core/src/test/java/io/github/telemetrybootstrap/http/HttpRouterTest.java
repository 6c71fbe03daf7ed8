package io.github.telemetrybootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpRouterTest {
  private final TelemetryFixture fx = new TelemetryFixture();

  @AfterEach
  void close() {
    fx.close();
  }

  /** Answers with the matched template's name and its path parameters. */
  private static HttpHandler echo(String name) {
    return exchange -> {
      byte[] body =
          (name + " " + HttpRouter.pathParameters(exchange) + " route=" + HttpRoute.get(exchange))
              .getBytes(StandardCharsets.UTF_8);
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    };
  }

  private void mount(HttpRouter router) {
    fx.mount("/", router, fx.serverTelemetry());
  }

  @Test
  void literalSegmentsWinOverParametersRegardlessOfOrder() throws Exception {
    mount(
        HttpRouter.builder()
            .get("/orders/{id}", echo("byId"))
            .get("/orders/new", echo("new"))
            .get("/orders/{id}/lines/{line}", echo("line"))
            .build());

    assertThat(fx.get("/orders/new").body()).isEqualTo("new {} route=/orders/new");
    assertThat(fx.get("/orders/42").body()).isEqualTo("byId {id=42} route=/orders/{id}");
    assertThat(fx.get("/orders/42/lines/3").body())
        .isEqualTo("line {id=42, line=3} route=/orders/{id}/lines/{line}");
  }

  @Test
  void parameterValuesArePercentDecoded() throws Exception {
    mount(HttpRouter.builder().get("/files/{name}", echo("file")).build());

    assertThat(fx.get("/files/a%20b+c%2Fd").body()).isEqualTo("file {name=a b+c/d} route=/files/{name}");
  }

  @Test
  void unmatchedPathIs404AndEmptySegmentsDoNotMatchParameters() throws Exception {
    mount(HttpRouter.builder().get("/orders/{id}", echo("byId")).build());

    assertThat(fx.get("/orders/").statusCode()).isEqualTo(404);
    assertThat(fx.get("/orders").statusCode()).isEqualTo(404);
    assertThat(fx.get("/orders/1/2").statusCode()).isEqualTo(404);
  }

  @Test
  void wrongMethodIs405WithAllowAndTheTemplateAsRoute() throws Exception {
    mount(
        HttpRouter.builder()
            .get("/orders/{id}", echo("get"))
            .put("/orders/{id}", echo("put"))
            .build());

    HttpResponse<String> response =
        TelemetryFixture.PLAIN.send(
            fx.request("/orders/1").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD, PUT");
    SpanData span = fx.awaitSpans(1).get(0);
    assertThat(span.getName()).isEqualTo("POST /orders/{id}");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/orders/{id}");
  }

  @Test
  void headIsServedByTheGetRoute() throws Exception {
    mount(HttpRouter.builder().get("/orders/{id}", echo("get")).build());

    HttpResponse<String> response =
        TelemetryFixture.PLAIN.send(
            fx.request("/orders/1").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void rootTemplateMatchesOnlyRoot() throws Exception {
    mount(HttpRouter.builder().get("/", echo("root")).build());

    assertThat(fx.get("/").body()).isEqualTo("root {} route=/");
    assertThat(fx.get("/x").statusCode()).isEqualTo(404);
  }

  @Test
  void malformedRoutesFailAtBuildTimeNamingTheTemplate() {
    HttpHandler h = echo("x");
    assertThatThrownBy(() -> HttpRouter.builder().get("orders", h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'orders'");
    assertThatThrownBy(() -> HttpRouter.builder().get("/orders/id-{id}", h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'id-{id}'");
    assertThatThrownBy(() -> HttpRouter.builder().get("/a/{id}/b/{id}", h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repeats parameter {id}");
    assertThatThrownBy(() -> HttpRouter.builder().get("/a?b", h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'/a?b'");
    assertThatThrownBy(() -> HttpRouter.builder().route("GE T", "/a", h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'GE T'");
    assertThatThrownBy(() -> HttpRouter.builder().get("/a/{x}", h).get("/a/{y}", h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate route GET /a/{y}");
  }

  @Test
  void routeSetOutsideTheTelemetryFilterIsIgnored() throws Exception {
    fx.server.createContext("/", HttpRouter.builder().get("/plain/{id}", echo("plain")).build());

    HttpResponse<String> response = fx.get("/plain/1");

    assertThat(response.body()).isEqualTo("plain {id=1} route=null");
  }
}
