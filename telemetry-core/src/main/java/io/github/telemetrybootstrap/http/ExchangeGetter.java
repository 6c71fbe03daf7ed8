package io.github.telemetrybootstrap.http;

import io.github.telemetrybootstrap.contract.SecretMasker;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesGetter;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the OpenTelemetry HTTP server semantic-convention attributes and the propagation headers
 * from a {@link HttpExchange}. The exchange is both the request and the response.
 */
enum ExchangeGetter
    implements HttpServerAttributesGetter<HttpExchange, HttpExchange>, TextMapGetter<HttpExchange> {
  INSTANCE;

  // --- TextMapGetter: W3C traceparent / tracestate / baggage ---

  @Override
  public Iterable<String> keys(HttpExchange exchange) {
    return exchange.getRequestHeaders().keySet();
  }

  @Override
  @Nullable
  public String get(@Nullable HttpExchange exchange, String key) {
    return exchange == null ? null : first(exchange.getRequestHeaders(), key);
  }

  @Override
  public Iterator<String> getAll(@Nullable HttpExchange exchange, String key) {
    if (exchange == null) {
      return Collections.emptyIterator();
    }
    List<String> values = header(exchange.getRequestHeaders(), key);
    return values == null ? Collections.emptyIterator() : values.iterator();
  }

  // --- HttpServerAttributesGetter ---

  @Override
  public String getHttpRequestMethod(HttpExchange exchange) {
    return exchange.getRequestMethod();
  }

  @Override
  public List<String> getHttpRequestHeader(HttpExchange exchange, String name) {
    return values(exchange.getRequestHeaders(), name);
  }

  @Override
  @Nullable
  public Integer getHttpResponseStatusCode(
      HttpExchange exchange, @Nullable HttpExchange response, @Nullable Throwable error) {
    int code = exchange.getResponseCode();
    return code > 0 ? code : null;
  }

  @Override
  public List<String> getHttpResponseHeader(
      HttpExchange exchange, @Nullable HttpExchange response, String name) {
    return values(exchange.getResponseHeaders(), name);
  }

  @Override
  public String getUrlScheme(HttpExchange exchange) {
    return exchange instanceof HttpsExchange ? "https" : "http";
  }

  @Override
  @Nullable
  public String getUrlPath(HttpExchange exchange) {
    return exchange.getRequestURI().getRawPath();
  }

  @Override
  @Nullable
  public String getUrlQuery(HttpExchange exchange) {
    // url.query carries user data: mask secret parameters (password=, api_key=, token=, ...) and
    // credentials, as the log lines do.
    return SecretMasker.global().mask(exchange.getRequestURI().getRawQuery());
  }

  @Override
  @Nullable
  public String getHttpRoute(HttpExchange exchange) {
    String declared = HttpRoute.get(exchange);
    return declared != null ? declared : contextRoute(exchange);
  }

  @Override
  @Nullable
  public String getNetworkProtocolName(HttpExchange exchange, @Nullable HttpExchange response) {
    String protocol = exchange.getProtocol();
    if ("HTTP/1.1".equals(protocol) || "HTTP/1.0".equals(protocol)) {
      return "http"; // nearly every request: no substring per request
    }
    int slash = protocol == null ? -1 : protocol.indexOf('/');
    return slash > 0 ? protocol.substring(0, slash).toLowerCase(Locale.ROOT) : null;
  }

  @Override
  @Nullable
  public String getNetworkProtocolVersion(HttpExchange exchange, @Nullable HttpExchange response) {
    String protocol = exchange.getProtocol();
    if ("HTTP/1.1".equals(protocol)) {
      return "1.1";
    }
    if ("HTTP/1.0".equals(protocol)) {
      return "1.0";
    }
    int slash = protocol == null ? -1 : protocol.indexOf('/');
    return slash > 0 && slash < protocol.length() - 1 ? protocol.substring(slash + 1) : null;
  }

  @Override
  @Nullable
  public InetSocketAddress getNetworkPeerInetSocketAddress(
      HttpExchange exchange, @Nullable HttpExchange response) {
    return exchange.getRemoteAddress();
  }

  @Override
  @Nullable
  public InetSocketAddress getNetworkLocalInetSocketAddress(
      HttpExchange exchange, @Nullable HttpExchange response) {
    return exchange.getLocalAddress();
  }

  /**
   * The route when the handler declared none: the path of the {@code HttpContext} the request was
   * dispatched to (bounded: contexts are registered in code). The root context {@code /} matches
   * every path, so it is a route only for the request {@code /} itself.
   */
  @Nullable
  static String contextRoute(HttpExchange exchange) {
    String path = exchange.getHttpContext() == null ? null : exchange.getHttpContext().getPath();
    if (path == null || path.isEmpty()) {
      return null;
    }
    if (path.equals("/")) {
      return "/".equals(exchange.getRequestURI().getRawPath()) ? "/" : null;
    }
    return path;
  }

  private static List<String> values(Headers headers, String name) {
    List<String> values = header(headers, name);
    return values == null ? List.of() : values;
  }

  /**
   * The values of a header, matched case-insensitively (RFC 9110 section 5.1), as
   * {@link Headers#get(Object)} does, but without its per-call copy of the name: a request asks
   * for about ten headers (propagation, tenant, request id, the semantic conventions' ones), and
   * {@code Headers} normalises the name into a new string every time.
   *
   * @param headers request or response headers
   * @param name a header name in any case
   * @return the values, or {@code null} when the header is absent
   */
  static @Nullable List<String> header(Headers headers, String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      String key = e.getKey();
      if (key != null && key.length() == name.length() && key.equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * The first value of a header, matched case-insensitively ({@link #header}).
   *
   * @param headers request or response headers
   * @param name a header name in any case
   * @return the first value, or {@code null} when the header is absent or has none
   */
  static @Nullable String first(Headers headers, String name) {
    List<String> values = header(headers, name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
