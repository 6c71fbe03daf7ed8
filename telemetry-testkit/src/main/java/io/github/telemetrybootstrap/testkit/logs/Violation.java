package io.github.telemetrybootstrap.testkit.logs;

import java.util.Objects;

/**
 * One rule a log line breaks.
 *
 * @param lineNumber 1-based number of the line in its input (for joined CRI partial lines, the
 *     first physical line)
 * @param field JSON Pointer (RFC 6901) of the offending value, {@code ""} for the whole line
 * @param rule the rule broken
 * @param message what is wrong, for a human
 * @param line the offending line for display: secrets masked, control characters escaped, truncated
 *     to {@value LogLineValidator#DISPLAY_CHARS} characters
 */
public record Violation(long lineNumber, String field, Rule rule, String message, String line) {
  /** Checks for nulls. */
  public Violation {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(line, "line");
  }

  /**
   * One human line: {@code line 12 /trace_id [trace-id-format] message: <line>}.
   *
   * @return the formatted violation
   */
  @Override
  public String toString() {
    return "line " + lineNumber + " " + (field.isEmpty() ? "(line)" : field) + " [" + rule.id() + "] "
        + message + ": " + line;
  }
}
