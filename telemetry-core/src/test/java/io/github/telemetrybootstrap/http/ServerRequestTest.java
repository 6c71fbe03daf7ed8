package io.github.telemetrybootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Header lookups of the filter: on the JDK server's real request headers (indexed once per request),
 * sent by a raw socket so the header names' case and repetition are exactly what a client wrote,
 * and on an exchange with ordinary, mutable {@link Headers} (read at each lookup).
 */
class ServerRequestTest {
  private static final String LONG_NAME = "X-" + "a".repeat(70); // beyond the index's length bits
  private final ExecutorService oneThread = Executors.newSingleThreadExecutor();
  private final BlockingQueue<Object> results = new ArrayBlockingQueue<>(16);
  private volatile Consumer<HttpExchange> onRequest = exchange -> {};
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try {
        onRequest.accept(exchange);
      } catch (RuntimeException | AssertionError e) {
        results.add(e);
      } finally {
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
      }
    });
    server.setExecutor(oneThread); // every request's lookups on the same thread, as a pool reuses them
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    oneThread.shutdownNow();
  }

  @Test
  void findsHeadersInAnyCaseAndOnlyThose() throws Exception {
    onRequest = exchange -> {
      ServerRequest r = new ServerRequest(exchange);
      results.add(String.valueOf(r.first("x-tenant-id")));
      results.add(String.valueOf(r.first("X-TENANT-ID")));
      results.add(String.valueOf(r.first("x-tenant-ix"))); // same length, absent
      results.add(String.valueOf(r.header("forwarded"))); // absent
      results.add(String.valueOf(r.header("accept"))); // repeated: every value, in order
      results.add(String.valueOf(r.first(LONG_NAME.toUpperCase())));
      results.add(String.valueOf(r.first("X-" + "a".repeat(6)))); // length 8 = 72 mod 64, absent
      results.add(String.valueOf(ExchangeGetter.INSTANCE.get(r, "TraceParent")));
      results.add(String.valueOf(ExchangeGetter.INSTANCE.getHttpRequestHeader(r, "user-agent")));
    };
    send("X-Tenant-Id: acme\r\nAccept: text/plain\r\naccept: application/json\r\n"
        + LONG_NAME + ": long\r\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n");

    assertThat(take(9)).containsExactly(
        "acme", "acme", "null", "null", "[text/plain, application/json]", "long", "null",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "[]");
  }

  @Test
  void findsEveryOneOfManyHeaders() throws Exception {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      headers.append("X-Header-").append(i).append(": value-").append(i).append("\r\n");
    }
    onRequest = exchange -> {
      ServerRequest r = new ServerRequest(exchange);
      List<String> found = new ArrayList<>();
      for (int i = 39; i >= 0; i--) {
        found.add(r.first("x-header-" + i));
      }
      found.add(String.valueOf(r.first("x-header-40")));
      results.add(found);
    };
    send(headers.toString());

    List<String> expected = new ArrayList<>();
    for (int i = 39; i >= 0; i--) {
      expected.add("value-" + i);
    }
    expected.add("null");
    assertThat(take(1)).containsExactly(expected);
  }

  @Test
  void mutableHeadersAreReadAsTheyAreAtEachLookup() {
    Headers headers = new Headers();
    ServerRequest r = new ServerRequest(exchangeWith(() -> headers));
    assertThat(r.first("x-tenant-id")).isNull();
    headers.add("X-Tenant-Id", "acme");
    assertThat(r.first("x-tenant-id")).isEqualTo("acme");
    headers.set("x-tenant-id", "globex");
    assertThat(r.first("X-TENANT-ID")).isEqualTo("globex");
    headers.remove("X-Tenant-Id");
    assertThat(r.header("x-tenant-id")).isNull();
  }

  @Test
  void headersThatCannotBeReadCountAsNone() {
    ServerRequest r = new ServerRequest(exchangeWith(() -> {
      throw new IllegalStateException("broken exchange");
    }));
    assertThat(r.first("x-tenant-id")).isNull();
    assertThat(ExchangeGetter.INSTANCE.getHttpRequestHeader(r, "forwarded")).isEmpty();
  }

  /** An exchange (as a framework or a test makes one) whose request headers come from {@code headers}. */
  private static HttpExchange exchangeWith(java.util.function.Supplier<Headers> headers) {
    return new HttpExchange() {
      @Override public Headers getRequestHeaders() { return headers.get(); }
      @Override public Headers getResponseHeaders() { return new Headers(); }
      @Override public java.net.URI getRequestURI() { return java.net.URI.create("/x"); }
      @Override public String getRequestMethod() { return "GET"; }
      @Override public com.sun.net.httpserver.HttpContext getHttpContext() { return null; }
      @Override public void close() {}
      @Override public InputStream getRequestBody() { return InputStream.nullInputStream(); }
      @Override public OutputStream getResponseBody() { return OutputStream.nullOutputStream(); }
      @Override public void sendResponseHeaders(int code, long length) {}
      @Override public InetSocketAddress getRemoteAddress() { return null; }
      @Override public int getResponseCode() { return -1; }
      @Override public InetSocketAddress getLocalAddress() { return null; }
      @Override public String getProtocol() { return "HTTP/1.1"; }
      @Override public Object getAttribute(String name) { return null; }
      @Override public void setAttribute(String name, Object value) {}
      @Override public void setStreams(InputStream i, OutputStream o) {}
      @Override public com.sun.net.httpserver.HttpPrincipal getPrincipal() { return null; }
    };
  }

  /** Sends one request with the given header lines and waits for its answer. */
  private void send(String headerLines) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.getAddress().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headerLines + "Connection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String status = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(status).startsWith("HTTP/1.1 204");
    }
  }

  private List<Object> take(int n) throws InterruptedException {
    List<Object> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Object r = results.poll(10, TimeUnit.SECONDS);
      assertThat(r).as("result %d of %d", i + 1, n).isNotNull();
      if (r instanceof Throwable t) {
        throw new AssertionError("the handler failed", t);
      }
      taken.add(r);
    }
    return taken;
  }
}
