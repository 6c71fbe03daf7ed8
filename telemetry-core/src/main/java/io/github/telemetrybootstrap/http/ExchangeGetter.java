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
 * of a request ({@link ServerRequest}: the exchange with its request headers indexed) and its
 * response (the same {@link HttpExchange}).
 */
enum ExchangeGetter
    implements HttpServerAttributesGetter<ServerRequest, HttpExchange>, TextMapGetter<ServerRequest> {
  INSTANCE;

  // --- TextMapGetter: W3C traceparent / tracestate / baggage ---

  @Override
  public Iterable<String> keys(ServerRequest request) {
    return request.exchange().getRequestHeaders().keySet();
  }

  @Override
  @Nullable
  public String get(@Nullable ServerRequest request, String key) {
    return request == null ? null : request.first(key);
  }

  @Override
  public Iterator<String> getAll(@Nullable ServerRequest request, String key) {
    if (request == null) {
      return Collections.emptyIterator();
    }
    List<String> values = request.header(key);
    return values == null ? Collections.emptyIterator() : values.iterator();
  }

  // --- HttpServerAttributesGetter ---

  @Override
  public String getHttpRequestMethod(ServerRequest request) {
    return request.exchange().getRequestMethod();
  }

  @Override
  public List<String> getHttpRequestHeader(ServerRequest request, String name) {
    List<String> values = request.header(name);
    return values == null ? List.of() : values;
  }

  @Override
  @Nullable
  public Integer getHttpResponseStatusCode(
      ServerRequest request, @Nullable HttpExchange response, @Nullable Throwable error) {
    int code = request.exchange().getResponseCode();
    return code > 0 ? code : null;
  }

  @Override
  public List<String> getHttpResponseHeader(
      ServerRequest request, @Nullable HttpExchange response, String name) {
    return values(request.exchange().getResponseHeaders(), name);
  }

  @Override
  public String getUrlScheme(ServerRequest request) {
    return request.exchange() instanceof HttpsExchange ? "https" : "http";
  }

  @Override
  @Nullable
  public String getUrlPath(ServerRequest request) {
    return request.exchange().getRequestURI().getRawPath();
  }

  @Override
  @Nullable
  public String getUrlQuery(ServerRequest request) {
    // url.query carries user data: mask secret parameters (password=, api_key=, token=, ...) and
    // credentials, as the log lines do.
    return SecretMasker.global().mask(request.exchange().getRequestURI().getRawQuery());
  }

  @Override
  @Nullable
  public String getHttpRoute(ServerRequest request) {
    String declared = HttpRoute.get(request.exchange());
    return declared != null ? declared : contextRoute(request.exchange());
  }

  @Override
  @Nullable
  public String getNetworkProtocolName(ServerRequest request, @Nullable HttpExchange response) {
    String protocol = request.exchange().getProtocol();
    if ("HTTP/1.1".equals(protocol) || "HTTP/1.0".equals(protocol)) {
      return "http"; // nearly every request: no substring per request
    }
    int slash = protocol == null ? -1 : protocol.indexOf('/');
    return slash > 0 ? protocol.substring(0, slash).toLowerCase(Locale.ROOT) : null;
  }

  @Override
  @Nullable
  public String getNetworkProtocolVersion(ServerRequest request, @Nullable HttpExchange response) {
    String protocol = request.exchange().getProtocol();
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
      ServerRequest request, @Nullable HttpExchange response) {
    return request.exchange().getRemoteAddress();
  }

  @Override
  @Nullable
  public InetSocketAddress getNetworkLocalInetSocketAddress(
      ServerRequest request, @Nullable HttpExchange response) {
    return request.exchange().getLocalAddress();
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
   * for about a dozen headers (propagation, tenant, request id, the semantic conventions' {@code
   * Forwarded}, {@code X-Forwarded-*}, {@code Host}, {@code User-Agent}), nearly all absent, and
   * {@code Headers} normalises the name into a new string every time.
   *
   * <p>Scans the headers on every call; the filter's lookups in a request's headers go through
   * {@link ServerRequest#header}, which indexes them once.
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
}
