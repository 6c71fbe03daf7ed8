package io.github.telemetrybootstrap.quarkus;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Serves the OpenMetrics format, with its {@code trace_id} exemplars, to scrapers that ask for it,
 * as a real Prometheus does. Two gaps in Quarkus's own Prometheus endpoint stand in the way:
 *
 * <ul>
 *   <li>it answers in the text format 0.0.4, which has no exemplars, whenever the {@code Accept}
 *       header mentions {@code text/plain} at all, and Prometheus sends
 *       {@code application/openmetrics-text;version=1.0.0,...,text/plain;version=0.0.4;q=0.5,...};
 *       here the header is read by its quality values (RFC 9110 section 12.5.1);
 *   <li>its OpenMetrics output puts exemplars on a histogram's {@code _count} line, which OpenMetrics
 *       1.0 does not allow (exemplars belong to {@code _bucket} and counter {@code _total} lines) and
 *       Prometheus rejects with "does not support exemplars", failing the whole scrape; those
 *       exemplars are left out here.
 * </ul>
 */
final class OpenMetricsEndpoint {
  private OpenMetricsEndpoint() {}

  /**
   * @param accept the request's {@code Accept} header, or {@code null}
   * @return true when OpenMetrics has a quality above zero and at least that of {@code text/plain}
   */
  static boolean prefersOpenMetrics(String accept) {
    if (accept == null) {
      return false;
    }
    double openMetrics = 0;
    double text = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].strip().toLowerCase(Locale.ROOT);
      double q = 1;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].strip();
        if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
          try {
            q = Double.parseDouble(p.substring(2).strip());
          } catch (NumberFormatException malformed) {
            q = 0;
          }
        }
      }
      if (type.equals("application/openmetrics-text")) {
        openMetrics = Math.max(openMetrics, q);
      } else if (type.equals("text/plain")) {
        text = Math.max(text, q);
      }
    }
    return openMetrics > 0 && openMetrics >= text;
  }

  /**
   * Answers the request with the registry's OpenMetrics exposition, exemplars only where OpenMetrics
   * allows them.
   *
   * @param rc the scrape request
   * @param registry the Prometheus registry Quarkus's endpoint serves
   */
  static void serve(RoutingContext rc, PrometheusMeterRegistry registry) {
    String body = conformingExemplars(registry.scrape(TextFormat.CONTENT_TYPE_OPENMETRICS_100));
    rc.response().putHeader("Content-Type", TextFormat.CONTENT_TYPE_OPENMETRICS_100).end(body);
  }

  /**
   * @param exposition OpenMetrics text
   * @return the text with exemplars removed from every sample line that is not a {@code _bucket}
   *     or {@code _total} sample
   */
  static String conformingExemplars(String exposition) {
    StringBuilder out = new StringBuilder(exposition.length());
    int start = 0;
    int n = exposition.length();
    while (start < n) {
      int end = exposition.indexOf('\n', start);
      if (end < 0) {
        end = n;
      }
      String line = exposition.substring(start, end);
      if (!line.startsWith("#")) {
        int nameEnd = 0;
        while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
          nameEnd++;
        }
        int exemplar = line.indexOf(" # {", labelsEnd(line, nameEnd));
        String name = line.substring(0, nameEnd);
        if (exemplar > 0 && !name.endsWith("_bucket") && !name.endsWith("_total")) {
          line = line.substring(0, exemplar);
        }
      }
      out.append(line);
      if (end < n) {
        out.append('\n');
      }
      start = end + 1;
    }
    return out.toString();
  }

  /** The index after a sample's label set (quoted values may hold any character), or {@code from}. */
  private static int labelsEnd(String line, int from) {
    if (from >= line.length() || line.charAt(from) != '{') {
      return from;
    }
    boolean quoted = false;
    for (int i = from + 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '}' && !quoted) {
        return i + 1;
      }
    }
    return line.length();
  }
}
