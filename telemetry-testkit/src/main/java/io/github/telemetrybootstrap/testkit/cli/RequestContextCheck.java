package io.github.telemetrybootstrap.testkit.cli;

import io.github.telemetrybootstrap.testkit.logs.Rule;
import io.github.telemetrybootstrap.testkit.logs.Violation;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The check behind {@code lint-logs --require-request-context}: lines logged on a thread while it
 * served a request must carry the request's ids, including the lines a container or framework writes
 * about it after the application's code returned (an unhandled exception, an error page).
 *
 * <p>Per thread (field {@code thread}), in input order: a line without {@code request_id} between two
 * lines with the same {@code request_id} is reported; so is an {@code ERROR} or {@code WARN} line without
 * {@code request_id} whose previous line on that thread carried one and was logged at most
 * {@value #ERROR_WINDOW_MILLIS} ms earlier. The second finding is reported when the line is read;
 * the first when the thread's next line shows the request went on. Not thread-safe: one instance per
 * input.
 */
public final class RequestContextCheck {
  /** How long after a request's line an ERROR line on the same thread still belongs to it, in ms. */
  public static final long ERROR_WINDOW_MILLIS = 2000;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private record Seen(@Nullable String requestId, @Nullable Instant at) {}

  private record Pending(long lineNumber, String line, String afterRequest) {}

  private final Map<String, Seen> lastByThread = new HashMap<>();
  private final Map<String, List<Pending>> betweenByThread = new HashMap<>();

  /** Creates a check with no history. */
  public RequestContextCheck() {}

  /**
   * Takes the next line of the input.
   *
   * @param lineNumber its number
   * @param line the JSON line (other lines are ignored)
   * @return the violations this line reveals (for this line or earlier ones of its thread)
   */
  public List<Violation> accept(long lineNumber, String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (RuntimeException e) {
      return List.of();
    }
    if (n == null || !n.isObject() || n.get("thread") == null) {
      return List.of();
    }
    String thread = n.get("thread").asString();
    String requestId = text(n, "request_id");
    Instant at = instant(text(n, "@timestamp"));
    Seen previous = lastByThread.get(thread);
    List<Violation> out = new ArrayList<>();
    if (requestId == null) {
      if (previous != null && previous.requestId() != null) {
        String level = text(n, "level");
        boolean error = "ERROR".equals(level) || "WARN".equals(level);
        if (error && previous.at() != null && at != null
            && at.toEpochMilli() - previous.at().toEpochMilli() <= ERROR_WINDOW_MILLIS) {
          out.add(violation(lineNumber, line, "this " + level + " line follows a line of request "
              + previous.requestId() + " on thread " + thread + " within " + ERROR_WINDOW_MILLIS
              + " ms but lacks its request_id and trace_id (a container or framework line about a failing "
              + "request logged outside the request's context)"));
        } else {
          betweenByThread.computeIfAbsent(thread, t -> new ArrayList<>())
              .add(new Pending(lineNumber, line, previous.requestId()));
        }
      }
      // The thread's last known request stays: a later line of it makes pending lines violations.
      lastByThread.put(thread, new Seen(previous == null ? null : previous.requestId(), at));
    } else {
      List<Pending> pending = betweenByThread.remove(thread);
      if (pending != null) {
        for (Pending p : pending) {
          if (p.afterRequest().equals(requestId)) {
            out.add(violation(p.lineNumber(), p.line(), "logged on thread " + thread + " between two lines of "
                + "request " + requestId + " but lacks its request_id"));
          }
        }
      }
      lastByThread.put(thread, new Seen(requestId, at));
    }
    return out;
  }

  private static Violation violation(long lineNumber, String line, String message) {
    return new Violation(lineNumber, "/request_id", Rule.MISSING_REQUEST_CONTEXT, message, line);
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static @Nullable Instant instant(@Nullable String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
