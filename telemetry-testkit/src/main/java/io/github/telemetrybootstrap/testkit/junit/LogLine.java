package io.github.telemetrybootstrap.testkit.junit;

import io.github.telemetrybootstrap.contract.LogFields;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One log line exactly as the telemetry JSON appender wrote it, captured by {@link TelemetryExtension}.
 *
 * <p>{@link #bytes()} are the bytes handed to the output stream (UTF-8, without the terminating
 * {@code \n}); nothing is re-serialised. The accessors for fields parse the line lazily with Jackson;
 * a line that is not a JSON object has no fields (they return {@code null}) and is reported by
 * {@link LogLinesAssert#allMatchContract()}. Immutable and thread-safe.
 */
public final class LogLine {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final long number;
  private final byte[] bytes;
  private volatile @Nullable String text;
  private volatile @Nullable JsonNode tree;
  private volatile boolean parsed;

  LogLine(long number, byte[] bytes) {
    this.number = number;
    this.bytes = bytes;
  }

  /**
   * The line's position among the lines captured since the current test started (the extension
   * resets the capture before each test).
   *
   * @return 1-based line number, as used in {@link io.github.telemetrybootstrap.testkit.logs.Violation}s
   */
  public long number() {
    return number;
  }

  /**
   * The exact bytes the appender wrote for this line.
   *
   * @return a copy, UTF-8, without the terminating {@code \n}
   */
  public byte[] bytes() {
    return Arrays.copyOf(bytes, bytes.length);
  }

  /** The bytes without copying, for the validator. */
  byte[] raw() {
    return bytes;
  }

  /**
   * The line as text.
   *
   * @return the bytes decoded as UTF-8 (malformed input replaced by U+FFFD), without the terminator
   */
  public String text() {
    String t = text;
    if (t == null) {
      t = new String(bytes, StandardCharsets.UTF_8);
      text = t;
    }
    return t;
  }

  /**
   * A top-level field of the line.
   *
   * @param name the field name, for example {@link LogFields#TRACE_ID}
   * @return a string value as is; a number, boolean, object or array as its JSON text; {@code null}
   *     when the field is absent or JSON {@code null}, or when the line is not a JSON object
   */
  public @Nullable String field(String name) {
    JsonNode t = tree();
    if (t == null) {
      return null;
    }
    JsonNode v = t.get(name);
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    return v.isString() ? v.asString() : v.toString();
  }

  /**
   * Whether the line has a top-level field.
   *
   * @param name the field name
   * @return true when present and not JSON {@code null}
   */
  public boolean has(String name) {
    return field(name) != null;
  }

  /** @return the {@code message} field, or {@code null} */
  public @Nullable String message() {
    return field(LogFields.MESSAGE);
  }

  /** @return the {@code level} field ({@code TRACE DEBUG INFO WARN ERROR}), or {@code null} */
  public @Nullable String level() {
    return field(LogFields.LEVEL);
  }

  /** @return the {@code logger} field, or {@code null} */
  public @Nullable String logger() {
    return field(LogFields.LOGGER);
  }

  /** @return the {@code thread} field, or {@code null} */
  public @Nullable String thread() {
    return field(LogFields.THREAD);
  }

  /** @return the {@code trace_id} field (32 lowercase hex), or {@code null} outside a span */
  public @Nullable String traceId() {
    return field(LogFields.TRACE_ID);
  }

  /** @return the {@code span_id} field (16 lowercase hex), or {@code null} outside a span */
  public @Nullable String spanId() {
    return field(LogFields.SPAN_ID);
  }

  /** @return the {@code tenant_id} field, or {@code null} when no tenant was current */
  public @Nullable String tenantId() {
    return field(LogFields.TENANT_ID);
  }

  /** @return the {@code request_id} field, or {@code null} outside an inbound request */
  public @Nullable String requestId() {
    return field(LogFields.REQUEST_ID);
  }

  private @Nullable JsonNode tree() {
    if (!parsed) {
      JsonNode t;
      try {
        t = MAPPER.readTree(bytes);
      } catch (JacksonException | IllegalArgumentException e) {
        t = null;
      }
      tree = t != null && t.isObject() ? t : null;
      parsed = true;
    }
    return tree;
  }

  /**
   * For failure messages.
   *
   * @return {@code line N: <text>}
   */
  @Override
  public String toString() {
    return "line " + number + ": " + text();
  }
}
