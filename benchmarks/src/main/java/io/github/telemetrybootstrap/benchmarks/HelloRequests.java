package io.github.telemetrybootstrap.benchmarks;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.telemetrybootstrap.context.RequestId;
import io.github.telemetrybootstrap.context.Tenant;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the benchmarks share about the request-path harness's request: {@code GET /hello} with only a
 * {@code Host} header, served on a loopback JDK {@code HttpServer}, and the context a request's log
 * lines are written in.
 */
final class HelloRequests {
  /** The harness's request, byte for byte. */
  static final byte[] REQUEST =
      "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] BODY = "hello".getBytes(StandardCharsets.UTF_8);

  private HelloRequests() {}

  /**
   * Serves {@code count} harness requests, sent one after the other on one keep-alive connection,
   * on a loopback server whose {@code /hello} context has {@code filters} and a handler that hands
   * the exchange to {@code onExchange} and answers {@code 200 hello}. Returns when every response
   * was read and the server stopped.
   *
   * @param count how many requests, at least 1
   * @param filters the context's filters, in order
   * @param onExchange sees each exchange inside the filters, before the answer
   * @throws IOException if the server cannot bind or a response cannot be read
   */
  static void serve(int count, List<Filter> filters, Consumer<HttpExchange> onExchange) throws IOException {
    // Without it each keep-alive response waits for the client's delayed ACK (about 40 ms). The JDK
    // reads it when the JVM's first HttpServer starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hello", exchange -> {
      onExchange.accept(exchange);
      exchange.sendResponseHeaders(200, BODY.length);
      exchange.getResponseBody().write(BODY);
      exchange.close();
    }).getFilters().addAll(filters);
    server.start();
    try (Socket socket = new Socket("127.0.0.1", server.getAddress().getPort())) {
      socket.setTcpNoDelay(true);
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      for (int i = 0; i < count; i++) {
        socket.getOutputStream().write(REQUEST);
        readResponse(in, buffer, BODY.length);
      }
    } finally {
      server.stop(0);
    }
  }

  /** Reads one response with a body of {@code length} bytes (headers end with an empty line). */
  private static void readResponse(InputStream in, byte[] buffer, int length) throws IOException {
    int read = 0;
    int headerEnd = -1;
    while (headerEnd < 0 || read < headerEnd + length) {
      int n = in.read(buffer, read, buffer.length - read);
      if (n < 0) {
        throw new IOException("connection closed after " + read + " bytes");
      }
      read += n;
      if (headerEnd < 0) {
        String text = new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        headerEnd = end < 0 ? -1 : end + 4;
      }
    }
  }

  /**
   * The context of a traced request as the server filter leaves it: a sampled span, tenant {@code
   * acme} and a request id.
   *
   * @return the context, not yet current
   */
  static Context requestContext() {
    Span span = Span.wrap(SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
        TraceFlags.getSampled(), TraceState.getDefault()));
    return RequestId.with(Tenant.with(Context.root().with(span), "acme"), "3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b");
  }
}
