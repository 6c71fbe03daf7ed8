package io.github.telemetrybootstrap.contract;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The contract's {@code @timestamp} values ({@link LogFields#TIMESTAMP}): RFC 3339 in UTC with exactly
 * three fraction digits, {@code 2026-12-02T01:24:09.123Z} (pattern
 * {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}, source: RFC 3339 section 5.6, {@code date-time} with
 * {@code time-secfrac}; sub-millisecond digits are dropped, not rounded).
 *
 * <p>The part up to the second is formatted once per second and reused, since a busy service logs
 * many lines per second; a {@link DateTimeFormatter} per line was a visible share of a line's cost.
 * Thread-safe; lines of different threads in the same second share the prefix.
 */
public final class Rfc3339Millis {
  /** Length of every value for the years 0000 to 9999, in characters. */
  public static final int LENGTH = 24;

  /** The longest value, for any year {@link java.time.LocalDateTime} has (±999,999,999), in characters. */
  public static final int MAX_LENGTH = 36;

  private static final DateTimeFormatter UP_TO_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);

  /** The second last formatted and its prefix; replaced as a whole, so readers see a matching pair. */
  private record Second(long epochSecond, String prefix, byte[] asciiPrefix) {
    Second(long epochSecond, String prefix) {
      this(epochSecond, prefix, prefix.getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static volatile Second last = new Second(Long.MIN_VALUE, "");

  private Rfc3339Millis() {}

  /**
   * Formats an instant.
   *
   * @param instant the event time, not null
   * @return the timestamp, {@value #LENGTH} characters for the years 0000 to 9999
   */
  public static String format(Instant instant) {
    return format(instant.getEpochSecond(), instant.getNano());
  }

  /**
   * Formats an instant given as seconds and nanoseconds since the epoch (the parts of an
   * {@link Instant}, or of {@code System.currentTimeMillis()} as {@code ms / 1000} and
   * {@code ms % 1000 * 1_000_000}).
   *
   * @param epochSecond seconds since 1970-01-01T00:00:00Z
   * @param nanos nanoseconds within the second, 0 to 999,999,999
   * @return the timestamp, {@value #LENGTH} characters for the years 0000 to 9999
   */
  public static String format(long epochSecond, int nanos) {
    Second s = second(epochSecond);
    int millis = nanos / 1_000_000;
    String prefix = s.prefix;
    char[] out = new char[prefix.length() + 4];
    prefix.getChars(0, prefix.length(), out, 0);
    int at = prefix.length();
    out[at] = (char) ('0' + millis / 100);
    out[at + 1] = (char) ('0' + millis / 10 % 10);
    out[at + 2] = (char) ('0' + millis % 10);
    out[at + 3] = 'Z';
    return new String(out);
  }

  /**
   * Writes the timestamp as US-ASCII bytes, for writers that emit bytes without a {@link String} per
   * value (every character is ASCII, so the bytes are also its UTF-8 encoding).
   *
   * @param epochSecond seconds since 1970-01-01T00:00:00Z
   * @param nanos nanoseconds within the second, 0 to 999,999,999
   * @param out the destination, with at least {@value #MAX_LENGTH} bytes from {@code offset}
   * @param offset where the first byte goes
   * @return the number of bytes written, {@value #LENGTH} for the years 0000 to 9999
   * @throws IndexOutOfBoundsException if {@code out} has too little room
   */
  public static int formatTo(long epochSecond, int nanos, byte[] out, int offset) {
    byte[] prefix = second(epochSecond).asciiPrefix;
    System.arraycopy(prefix, 0, out, offset, prefix.length);
    int at = offset + prefix.length;
    int millis = nanos / 1_000_000;
    out[at] = (byte) ('0' + millis / 100);
    out[at + 1] = (byte) ('0' + millis / 10 % 10);
    out[at + 2] = (byte) ('0' + millis % 10);
    out[at + 3] = 'Z';
    return prefix.length + 4;
  }

  private static Second second(long epochSecond) {
    Second s = last;
    if (s.epochSecond != epochSecond) {
      s = new Second(epochSecond, UP_TO_SECONDS.format(Instant.ofEpochSecond(epochSecond)));
      last = s;
    }
    return s;
  }
}
