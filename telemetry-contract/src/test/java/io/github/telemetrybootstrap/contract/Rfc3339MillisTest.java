package io.github.telemetrybootstrap.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class Rfc3339MillisTest {
  private static final DateTimeFormatter REFERENCE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void agreesWithDateTimeFormatterAcrossSecondsAndMillis() {
    long base = Instant.parse("2026-12-31T23:59:58.000Z").toEpochMilli();
    for (long ms = base; ms < base + 3_000; ms += 7) {
      Instant t = Instant.ofEpochMilli(ms);
      assertThat(Rfc3339Millis.format(t)).isEqualTo(REFERENCE.format(t));
    }
    for (int i = 0; i < 10_000; i++) {
      Instant t = Instant.ofEpochSecond(ThreadLocalRandom.current().nextLong(0, 253_402_300_799L),
          ThreadLocalRandom.current().nextInt(1_000_000_000));
      assertThat(Rfc3339Millis.format(t)).isEqualTo(REFERENCE.format(t)).hasSize(24);
    }
  }

  @Test
  void theBytesAreTheStringsAsciiForEveryYearLocalDateTimeHas() {
    byte[] out = new byte[Rfc3339Millis.MAX_LENGTH + 3];
    for (Instant t : List.of(Instant.EPOCH, Instant.parse("2026-12-02T03:04:05.678Z"),
        Instant.parse("9999-12-31T23:59:59.999Z"), LocalDateTime.MAX.toInstant(ZoneOffset.UTC),
        LocalDateTime.MIN.toInstant(ZoneOffset.UTC))) {
      String expected = Rfc3339Millis.format(t);
      int n = Rfc3339Millis.formatTo(t.getEpochSecond(), t.getNano(), out, 3);
      assertThat(new String(out, 3, n, StandardCharsets.US_ASCII)).isEqualTo(expected);
      assertThat(n).isLessThanOrEqualTo(Rfc3339Millis.MAX_LENGTH);
    }
  }
}
