package io.github.telemetrybootstrap.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
}
