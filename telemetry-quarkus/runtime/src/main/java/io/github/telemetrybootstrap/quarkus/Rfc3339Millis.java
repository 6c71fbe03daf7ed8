package io.github.telemetrybootstrap.quarkus;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code @timestamp} values: RFC 3339 in UTC with milliseconds ({@code 2026-12-02T01:24:09.123Z}), the
 * contract's format. The part up to the second is formatted once per second and reused, since a busy
 * service logs many lines per second; {@link DateTimeFormatter} per line was a visible share of the
 * formatter's time.
 */
final class Rfc3339Millis {
  private static final DateTimeFormatter UP_TO_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);

  /** The second last formatted and its prefix; replaced as a whole, so readers see a matching pair. */
  private record Second(long epochSecond, String prefix) {}

  private static volatile Second last = new Second(Long.MIN_VALUE, "");

  private Rfc3339Millis() {}

  /**
   * @param instant the event time
   * @return the timestamp, always 24 characters for years 1000 to 9999
   */
  static String format(Instant instant) {
    long second = instant.getEpochSecond();
    Second s = last;
    if (s.epochSecond != second) {
      s = new Second(second, UP_TO_SECONDS.format(Instant.ofEpochSecond(second)));
      last = s;
    }
    int millis = instant.getNano() / 1_000_000;
    char[] out = new char[s.prefix.length() + 4];
    s.prefix.getChars(0, s.prefix.length(), out, 0);
    int at = s.prefix.length();
    out[at] = (char) ('0' + millis / 100);
    out[at + 1] = (char) ('0' + millis / 10 % 10);
    out[at + 2] = (char) ('0' + millis % 10);
    out[at + 3] = 'Z';
    return new String(out);
  }
}
