package io.github.telemetrybootstrap.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A small {@link HttpHandler} that dispatches on method and path template and declares the matched
 * template with {@link HttpRoute#set}, so services get {@code http.route}, span names such as
 * {@code GET /orders/{id}} and a bounded {@code uri} metric tag without hand-rolled matching.
 *
 * <pre>{@code
 * HttpHandler router = HttpRouter.builder()
 *     .get("/orders/{id}", exchange -> {
 *       String id = HttpRouter.pathParameters(exchange).get("id");
 *       ...
 *     })
 *     .route("POST", "/orders", this::createOrder)
 *     .build();
 * server.createContext("/", router).getFilters().add(serverTelemetry.filter());
 * }</pre>
 *
 * <p>Templates are whole request paths (including the {@code HttpContext} path the router is
 * mounted at), made of {@code /}-separated segments; a segment is either literal or a parameter
 * {@code {name}} that matches one non-empty segment. The request's raw path is matched segment by
 * segment; parameter values are percent-decoded (UTF-8). When several templates match, the one with
 * a literal segment earlier wins ({@code /orders/new} before {@code /orders/{id}}). A {@code HEAD}
 * request without its own route is served by the {@code GET} route (the JDK server sends no body).
 *
 * <p>No template matches the path: {@code 404} with an empty body and no route declared (the metric
 * {@code uri} tag is {@code NOT_FOUND}). Templates match but none for this method: {@code 405} with
 * the {@code Allow} header listing every method that would match (RFC 9110 section 15.5.6), the most
 * specific matching template declared. The router does
 * not catch handler exceptions; the telemetry filter records them.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class HttpRouter implements HttpHandler {
  private static final Pattern METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z\\-]+");
  private static final Pattern PARAM = Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_.\\-]*}");
  private static final Map<HttpExchange, Map<String, String>> PARAMETERS = new ConcurrentHashMap<>();

  private final List<Route> routes;

  private HttpRouter(List<Route> routes) {
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(Route::compareSpecificity);
    this.routes = List.copyOf(sorted);
  }

  /**
   * Starts an empty router builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The path parameters of the route that is handling {@code exchange}, by name.
   *
   * @param exchange the exchange passed to a handler registered on a router
   * @return the parameters, unmodifiable; empty outside a routed handler or for templates without
   *     parameters
   */
  public static Map<String, String> pathParameters(HttpExchange exchange) {
    Map<String, String> params = exchange == null ? null : PARAMETERS.get(exchange);
    return params == null ? Map.of() : params;
  }

  /**
   * Dispatches the exchange to the matching route's handler, or answers 404 or 405.
   *
   * @param exchange the exchange
   * @throws IOException whatever the handler throws, or an I/O error sending 404/405
   */
  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String[] segments = split(exchange.getRequestURI().getRawPath());
    Route pathMatch = null;
    Route getMatch = null;
    Map<String, String> getParams = null;
    TreeSet<String> allowed = null;
    for (Route route : routes) {
      Map<String, String> params = route.match(segments);
      if (params == null) {
        continue;
      }
      if (route.method.equals(method)) {
        dispatch(exchange, route, params);
        return;
      }
      if (getMatch == null && route.method.equals("GET") && method.equals("HEAD")) {
        getMatch = route;
        getParams = params;
      }
      if (pathMatch == null) {
        pathMatch = route;
        allowed = new TreeSet<>();
      }
      allowed.add(route.method);
    }
    if (getMatch != null) {
      dispatch(exchange, getMatch, getParams);
      return;
    }
    try {
      if (pathMatch == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        HttpRoute.set(exchange, pathMatch.template);
        if (allowed.contains("GET")) {
          allowed.add("HEAD");
        }
        exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
        exchange.sendResponseHeaders(405, -1);
      }
    } finally {
      exchange.close();
    }
  }

  private static void dispatch(HttpExchange exchange, Route route, Map<String, String> params)
      throws IOException {
    HttpRoute.set(exchange, route.template);
    if (params.isEmpty()) {
      route.handler.handle(exchange);
      return;
    }
    PARAMETERS.put(exchange, params);
    try {
      route.handler.handle(exchange);
    } finally {
      PARAMETERS.remove(exchange);
    }
  }

  private static String[] split(@Nullable String path) {
    if (path == null || path.isEmpty() || path.equals("/")) {
      return new String[0];
    }
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.split("/", -1);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("HttpRouter[");
    for (int i = 0; i < routes.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(routes.get(i).method).append(' ').append(routes.get(i).template);
    }
    return sb.append(']').toString();
  }

  /**
   * Builder of {@link HttpRouter}. Routes are validated as they are added; order of addition does
   * not matter. Not thread-safe.
   */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a {@code GET} route.
     *
     * @param template the path template, e.g. {@code /orders/{id}}
     * @param handler the handler
     * @return this builder
     * @throws IllegalArgumentException as {@link #route(String, String, HttpHandler)}
     */
    public Builder get(String template, HttpHandler handler) {
      return route("GET", template, handler);
    }

    /**
     * Adds a {@code POST} route.
     *
     * @param template the path template
     * @param handler the handler
     * @return this builder
     * @throws IllegalArgumentException as {@link #route(String, String, HttpHandler)}
     */
    public Builder post(String template, HttpHandler handler) {
      return route("POST", template, handler);
    }

    /**
     * Adds a {@code PUT} route.
     *
     * @param template the path template
     * @param handler the handler
     * @return this builder
     * @throws IllegalArgumentException as {@link #route(String, String, HttpHandler)}
     */
    public Builder put(String template, HttpHandler handler) {
      return route("PUT", template, handler);
    }

    /**
     * Adds a {@code DELETE} route.
     *
     * @param template the path template
     * @param handler the handler
     * @return this builder
     * @throws IllegalArgumentException as {@link #route(String, String, HttpHandler)}
     */
    public Builder delete(String template, HttpHandler handler) {
      return route("DELETE", template, handler);
    }

    /**
     * Adds a route.
     *
     * @param method the request method, case-sensitive as in RFC 9110 ({@code GET}, {@code PATCH},
     *     ...)
     * @param template the path template: starts with {@code /}; each segment literal or {@code
     *     {name}}; parameter names unique; no query, fragment, spaces or control characters
     * @param handler the handler to call
     * @return this builder
     * @throws IllegalArgumentException if the method or template is malformed, or the same method
     *     and template (up to parameter names) was already added
     * @throws NullPointerException if {@code handler} is {@code null}
     */
    public Builder route(String method, String template, HttpHandler handler) {
      Objects.requireNonNull(handler, "handler");
      if (method == null || !METHOD.matcher(method).matches()) {
        throw new IllegalArgumentException(
            "route method must be an HTTP method token such as GET, was '" + method + "'");
      }
      Route route = Route.parse(method, template, handler);
      for (Route existing : routes) {
        if (existing.method.equals(method) && existing.shape().equals(route.shape())) {
          throw new IllegalArgumentException(
              "duplicate route " + method + " " + template + " (already added as "
                  + existing.template + ")");
        }
      }
      routes.add(route);
      return this;
    }

    /**
     * Builds the router.
     *
     * @return an immutable router; with no routes it answers every request 404
     */
    public HttpRouter build() {
      return new HttpRouter(routes);
    }
  }

  private static final class Route {
    final String method;
    final String template;
    final HttpHandler handler;
    /** Per segment: the literal, or {@code null} for a parameter. */
    final @Nullable String[] literals;
    final String[] names;

    private Route(String method, String template, HttpHandler handler, String[] literals, String[] names) {
      this.method = method;
      this.template = template;
      this.handler = handler;
      this.literals = literals;
      this.names = names;
    }

    static Route parse(String method, String template, HttpHandler handler) {
      if (template == null || !template.startsWith("/")) {
        throw new IllegalArgumentException(
            "route template must start with '/', was '" + template + "'");
      }
      for (int i = 0; i < template.length(); i++) {
        char c = template.charAt(i);
        if (c <= ' ' || c == 0x7f || c == '?' || c == '#') {
          throw new IllegalArgumentException(
              "route template must be a path without spaces, control characters, '?' or '#', was '"
                  + template + "'");
        }
      }
      String[] segments = split(template);
      String[] literals = new String[segments.length];
      String[] names = new String[segments.length];
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < segments.length; i++) {
        String s = segments[i];
        if (s.startsWith("{") || s.endsWith("}")) {
          if (!PARAM.matcher(s).matches()) {
            throw new IllegalArgumentException(
                "route template segment '" + s + "' in '" + template
                    + "' must be a literal or a parameter such as {id}");
          }
          String name = s.substring(1, s.length() - 1);
          if (seen.contains(name)) {
            throw new IllegalArgumentException(
                "route template '" + template + "' repeats parameter {" + name + "}");
          }
          seen.add(name);
          names[i] = name;
        } else if (s.contains("{") || s.contains("}")) {
          throw new IllegalArgumentException(
              "route template segment '" + s + "' in '" + template
                  + "' mixes a literal and a parameter; use a whole segment such as {id}");
        } else {
          literals[i] = s;
        }
      }
      return new Route(method, template, handler, literals, names);
    }

    /** The template with parameter names erased, to detect duplicates. */
    String shape() {
      StringBuilder sb = new StringBuilder();
      for (String literal : literals) {
        sb.append('/').append(literal == null ? "{}" : literal);
      }
      return sb.toString();
    }

    /** The parameters if the path matches, else {@code null}. */
    @Nullable
    Map<String, String> match(String[] segments) {
      if (segments.length != literals.length) {
        return null;
      }
      Map<String, String> params = null;
      for (int i = 0; i < segments.length; i++) {
        if (literals[i] != null) {
          if (!literals[i].equals(segments[i])) {
            return null;
          }
        } else {
          if (segments[i].isEmpty()) {
            return null;
          }
          if (params == null) {
            params = new LinkedHashMap<>();
          }
          params.put(names[i], decode(segments[i]));
        }
      }
      return params == null ? Map.of() : Collections.unmodifiableMap(params);
    }

    private static String decode(String segment) {
      if (segment.indexOf('%') < 0) {
        return segment;
      }
      try {
        // '+' is literal in a path segment, unlike in a form.
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return segment;
      }
    }

    /** Literal segments sort before parameters, left to right; then by method for stable order. */
    static int compareSpecificity(Route a, Route b) {
      int n = Math.min(a.literals.length, b.literals.length);
      for (int i = 0; i < n; i++) {
        boolean al = a.literals[i] != null;
        boolean bl = b.literals[i] != null;
        if (al != bl) {
          return al ? -1 : 1;
        }
      }
      int byLength = Integer.compare(a.literals.length, b.literals.length);
      if (byLength != 0) {
        return byLength;
      }
      int byTemplate = a.template.compareTo(b.template);
      return byTemplate != 0 ? byTemplate : a.method.compareTo(b.method);
    }
  }
}
