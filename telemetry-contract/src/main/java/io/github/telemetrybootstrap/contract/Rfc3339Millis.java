package io.github.telemetrybootstrap.contract;

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

  private static final DateTimeFormatter UP_TO_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);

  /** The second last formatted and its prefix; replaced as a whole, so readers see a matching pair. */
  private record Second(long epochSecond, String prefix) {}

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
    Second s = last;
    if (s.epochSecond != epochSecond) {
      s = new Second(epochSecond, UP_TO_SECONDS.format(Instant.ofEpochSecond(epochSecond)));
      last = s;
    }
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
}
