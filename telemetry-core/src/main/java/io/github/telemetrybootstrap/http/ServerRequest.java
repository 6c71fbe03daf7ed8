package io.github.telemetrybootstrap.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request as {@link HttpServerTelemetry}'s filter reads it: the exchange, and its request
 * headers indexed once, for the dozen or so header lookups a request gets (W3C {@code traceparent},
 * {@code tracestate}, {@code baggage}; the tenant and request-id headers; the HTTP semantic
 * conventions' {@code Forwarded}, {@code X-Forwarded-For}, {@code X-Forwarded-Host}, {@code
 * X-Forwarded-Proto}, {@code Host}, {@code User-Agent}), nearly all absent.
 *
 * <p>The JDK server's request headers cannot change (an {@code UnmodifiableHeaders} since JDK 17):
 * their names are copied once into an array, with a 64-bit mask of the names' lengths, so an absent
 * header costs one bit test and a present one a short scan, instead of a walk of the headers' hash
 * table and a wrapper per entry ({@code Collections.unmodifiableMap}) per lookup. Headers that may
 * change between two lookups (an exchange a framework or a test made with a plain {@code Headers})
 * are read as they are at each lookup. Names match case-insensitively (RFC 9110 section 5.1).
 */
final class ServerRequest {
  /** {@code sun.net.httpserver.UnmodifiableHeaders}, or {@code null} where the JDK has none. */
  private static final @Nullable Class<?> UNMODIFIABLE = unmodifiableHeadersClass();
  private static final List<?>[] NO_VALUES = {};

  private final HttpExchange exchange;
  private final @Nullable Headers headers;
  /** The names, or {@code null} when the headers may change and are scanned per lookup. */
  private final String @Nullable [] names;
  private final List<?>[] values;
  /** Bit {@code n}: some name's length is {@code n} modulo 64. */
  private final long lengths;

  /**
   * Reads the exchange's request headers. Never throws: headers that cannot be read count as none,
   * headers that cannot be indexed are read at each lookup.
   */
  ServerRequest(HttpExchange exchange) {
    this.exchange = exchange;
    Headers h = null;
    String[] n = null;
    List<?>[] v = NO_VALUES;
    long mask = 0;
    try {
      h = exchange.getRequestHeaders();
      if (h != null && h.getClass() == UNMODIFIABLE) {
        int size = h.size();
        String[] keys = new String[size];
        List<?>[] lists = new List<?>[size];
        int count = 0;
        for (Map.Entry<String, List<String>> e : h.entrySet()) {
          String key = e.getKey();
          if (key != null && count < size) {
            keys[count] = key;
            lists[count] = e.getValue();
            count++;
            mask |= bit(key.length());
          }
        }
        n = count == size ? keys : Arrays.copyOf(keys, count);
        v = count == size ? lists : Arrays.copyOf(lists, count);
      }
    } catch (RuntimeException e) {
      n = null; // read them at each lookup (which may fail there, where the caller handles it)
      v = NO_VALUES;
      mask = 0;
    }
    this.headers = h;
    this.names = n;
    this.values = v;
    this.lengths = mask;
  }

  HttpExchange exchange() {
    return exchange;
  }

  /**
   * The values of a request header.
   *
   * @param name a header name in any case
   * @return the values, or {@code null} when the header is absent
   */
  @SuppressWarnings("unchecked")
  @Nullable
  List<String> header(String name) {
    String[] n = names;
    if (n == null) {
      return headers == null ? null : ExchangeGetter.header(headers, name);
    }
    int length = name.length();
    if ((lengths & bit(length)) == 0) {
      return null;
    }
    for (int i = 0; i < n.length; i++) {
      String key = n[i];
      if (key.length() == length && key.equalsIgnoreCase(name)) {
        return (List<String>) values[i];
      }
    }
    return null;
  }

  /**
   * The first value of a request header.
   *
   * @param name a header name in any case
   * @return the first value, or {@code null} when the header is absent or has none
   */
  @Nullable
  String first(String name) {
    List<String> v = header(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static long bit(int length) {
    return 1L << length; // the shift distance is taken modulo 64 (JLS 15.19)
  }

  private static @Nullable Class<?> unmodifiableHeadersClass() {
    try {
      return Class.forName("sun.net.httpserver.UnmodifiableHeaders", false, Headers.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null; // another JDK's server: every lookup reads the headers
    }
  }
}
