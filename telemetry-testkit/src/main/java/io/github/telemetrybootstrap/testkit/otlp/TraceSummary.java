package io.github.telemetrybootstrap.testkit.otlp;

import io.github.telemetrybootstrap.context.Tenant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One human line per trace, for consoles and test failure messages, for example
 * {@code trace 4bf92f35… 3 spans 12.3 ms: GET /orders/{id} ← GET /inventory/{id} [tenant acme]}.
 *
 * <p>The line shows the first 8 hex characters of the trace id, the number of spans, the trace's
 * wall-clock duration (earliest start to latest end) in milliseconds, the names of its entry spans
 * (root, then {@code SERVER} and {@code CONSUMER} spans in start order, at most
 * {@value #MAX_NAMES}), the tenant from the span attribute {@value Tenant#SPAN_ATTRIBUTE} when
 * present, and {@code ERROR} when a span has status {@code ERROR}.
 */
public final class TraceSummary {
  /** Span names shown per line at most. */
  public static final int MAX_NAMES = 5;

  private TraceSummary() {}

  /**
   * Summarises spans, one line per trace id, traces in order of first appearance.
   *
   * @param spans spans of any number of traces, in any order
   * @return lines separated by {@code \n} without a trailing newline; {@code ""} for no spans
   */
  public static String format(List<ReceivedSpan> spans) {
    return String.join("\n", lines(spans));
  }

  /**
   * Summarises spans, one line per trace id.
   *
   * @param spans spans of any number of traces, in any order
   * @return one line per trace, traces in order of first appearance
   */
  public static List<String> lines(List<ReceivedSpan> spans) {
    Map<String, List<ReceivedSpan>> byTrace = new LinkedHashMap<>();
    for (ReceivedSpan s : spans) {
      byTrace.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
    }
    List<String> out = new ArrayList<>(byTrace.size());
    for (List<ReceivedSpan> trace : byTrace.values()) {
      out.add(line(trace));
    }
    return out;
  }

  private static String line(List<ReceivedSpan> trace) {
    List<ReceivedSpan> sorted = new ArrayList<>(trace);
    sorted.sort(Comparator.comparingLong(ReceivedSpan::startEpochNanos));
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    Set<String> ids = new HashSet<>();
    for (ReceivedSpan s : sorted) {
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
      ids.add(s.spanId());
    }
    List<String> names = new ArrayList<>();
    Map<String, Boolean> shown = new HashMap<>();
    for (ReceivedSpan s : sorted) {
      boolean entry = s.isRoot() || !ids.contains(s.parentSpanId())
          || s.kind().equals("SERVER") || s.kind().equals("CONSUMER");
      if (entry && shown.putIfAbsent(s.spanId(), Boolean.TRUE) == null) {
        names.add(s.name());
      }
    }
    if (names.isEmpty()) {
      names.add(sorted.get(0).name());
    }
    StringBuilder sb = new StringBuilder(128);
    String id = sorted.get(0).traceId();
    sb.append("trace ").append(id, 0, Math.min(8, id.length())).append('…');
    sb.append(' ').append(sorted.size()).append(sorted.size() == 1 ? " span " : " spans ");
    sb.append(String.format(Locale.ROOT, "%.1f ms", Math.max(0, end - start) / 1e6));
    sb.append(": ");
    for (int i = 0; i < names.size() && i < MAX_NAMES; i++) {
      if (i > 0) {
        sb.append(" ← ");
      }
      sb.append(names.get(i));
    }
    if (names.size() > MAX_NAMES) {
      sb.append(" ← …");
    }
    for (ReceivedSpan s : sorted) {
      Object tenant = s.attribute(Tenant.SPAN_ATTRIBUTE);
      if (tenant != null) {
        sb.append(" [tenant ").append(tenant).append(']');
        break;
      }
    }
    for (ReceivedSpan s : sorted) {
      if (s.statusCode().equals("ERROR")) {
        sb.append(" ERROR");
        break;
      }
    }
    return sb.toString();
  }
}
