package io.github.telemetrybootstrap.testkit.junit;

import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Formats spans and lines for failure messages. */
final class Display {
  /** Items listed in a failure message; the rest are counted. */
  static final int MAX_ITEMS = 50;

  private Display() {}

  static String span(ReceivedSpan s) {
    StringBuilder b = new StringBuilder();
    b.append('"').append(s.name()).append("\" ").append(s.kind())
        .append(" trace_id=").append(s.traceId())
        .append(" span_id=").append(s.spanId())
        .append(" parent=").append(s.parentSpanId().isEmpty() ? "(root)" : s.parentSpanId())
        .append(" status=").append(s.statusCode())
        .append(" attributes=").append(attributes(s.attributes()));
    return b.toString();
  }

  static String attributes(Map<String, Object> attributes) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, Object> e : new TreeMap<>(attributes).entrySet()) {
      if (b.length() > 1) {
        b.append(", ");
      }
      Object v = e.getValue();
      b.append(e.getKey()).append('=')
          .append(v instanceof String ? "\"" + v + "\"" : v instanceof byte[] bytes ? Arrays.toString(bytes) : v);
    }
    return b.append('}').toString();
  }

  static String spans(Collection<ReceivedSpan> spans) {
    if (spans.isEmpty()) {
      return "  (no span received)";
    }
    StringBuilder b = new StringBuilder();
    int i = 0;
    for (ReceivedSpan s : spans) {
      if (i++ == MAX_ITEMS) {
        b.append("\n  … and ").append(spans.size() - MAX_ITEMS).append(" more");
        break;
      }
      b.append(b.length() == 0 ? "" : "\n").append("  ").append(span(s));
    }
    return b.toString();
  }

  static String lines(List<LogLine> lines) {
    if (lines.isEmpty()) {
      return "  (no line captured)";
    }
    StringBuilder b = new StringBuilder();
    int i = 0;
    for (LogLine l : lines) {
      if (i++ == MAX_ITEMS) {
        b.append("\n  … and ").append(lines.size() - MAX_ITEMS).append(" more");
        break;
      }
      String text = l.text();
      if (text.length() > 400) {
        text = text.substring(0, 400) + "…";
      }
      b.append(b.length() == 0 ? "" : "\n").append("  line ").append(l.number()).append(": ").append(text);
    }
    return b.toString();
  }

  static <T> String items(List<T> items) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    for (T t : items) {
      if (i++ == MAX_ITEMS) {
        b.append("\n  … and ").append(items.size() - MAX_ITEMS).append(" more");
        break;
      }
      b.append(b.length() == 0 ? "" : "\n").append("  ").append(t);
    }
    return b.toString();
  }
}
