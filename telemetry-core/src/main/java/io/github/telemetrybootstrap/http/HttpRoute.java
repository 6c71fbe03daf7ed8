package io.github.telemetrybootstrap.http;

import com.sun.net.httpserver.HttpExchange;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Lets a handler declare the route template that matched the request, such as {@code
 * /orders/{id}}.
 *
 * <p>The template becomes the span attribute {@code http.route}, the server span's name ({@code GET
 * /orders/{id}}, both per the OpenTelemetry HTTP semantic conventions, applied through
 * {@code HttpServerRoute}) and the {@code uri} tag of {@code http.server.requests}. Templates must
 * be low-cardinality: placeholders in braces, never raw ids. {@link HttpRouter} calls this for you.
 *
 * <p>The template is kept per exchange for as long as the {@link HttpServerTelemetry#filter()} is
 * handling it (not in the exchange's attributes, which the JDK server shares across all exchanges
 * of an {@code HttpContext} on Java 17). Outside that filter, {@link #set} does nothing. Setting it
 * again replaces the earlier value; the value in place when the handler returns is used.
 */
public final class HttpRoute {
  /** Longest accepted template, in characters; longer ones are cut. */
  public static final int MAX_LENGTH = 256;

  private static final ContextKey<Slot> KEY = ContextKey.named("telemetry-http-route");
  private static final Map<HttpExchange, Slot> SLOTS = new ConcurrentHashMap<>();

  private HttpRoute() {}

  /**
   * Declares the route template of the request being handled.
   *
   * @param exchange the exchange being handled
   * @param template the template, e.g. {@code /orders/{id}}; control characters are removed and the
   *     length capped at {@value #MAX_LENGTH}; {@code null} or blank is ignored. Never throws.
   */
  public static void set(HttpExchange exchange, @Nullable String template) {
    String clean = sanitize(template);
    if (clean == null) {
      return;
    }
    Slot slot = exchange == null ? null : SLOTS.get(exchange);
    if (slot == null) {
      slot = Context.current().get(KEY);
    }
    if (slot != null) {
      slot.template = clean;
    }
  }

  /**
   * The template declared for this exchange.
   *
   * @param exchange the exchange being handled
   * @return the template, or {@code null} when none was declared or the exchange is not inside the
   *     telemetry filter
   */
  @Nullable
  public static String get(HttpExchange exchange) {
    Slot slot = exchange == null ? null : SLOTS.get(exchange);
    return slot == null ? null : slot.template;
  }

  /** Opens the per-exchange slot; returns the context carrying it. */
  static Context open(HttpExchange exchange, Context context) {
    Slot slot = new Slot(ExchangeGetter.contextRoute(exchange));
    SLOTS.put(exchange, slot);
    return context.with(KEY, slot);
  }

  /** Closes the slot and returns it, or {@code null} when {@link #open} was not called. */
  @Nullable
  static Slot close(HttpExchange exchange) {
    return SLOTS.remove(exchange);
  }

  @Nullable
  static String sanitize(@Nullable String template) {
    if (template == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(Math.min(template.length(), MAX_LENGTH));
    for (int i = 0; i < template.length() && out.length() < MAX_LENGTH; i++) {
      char c = template.charAt(i);
      if (!Character.isISOControl(c) && Character.getType(c) != Character.FORMAT) {
        out.append(c);
      }
    }
    String s = out.toString().strip();
    return s.isEmpty() ? null : s;
  }

  /** What the filter keeps of one exchange while handling it. */
  static final class Slot {
    volatile @Nullable String template;

    /**
     * {@link ExchangeGetter#contextRoute}, read when the request arrives. Not later: the JDK
     * server's exchange answers {@code getHttpContext()} from its connection, and the next request
     * on a keep-alive connection replaces that as soon as this response is sent, while this
     * request's filter is still recording it.
     */
    final @Nullable String contextRoute;

    Slot(@Nullable String contextRoute) {
      this.contextRoute = contextRoute;
    }
  }
}
