package io.github.telemetrybootstrap.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which values the runtimes may copy into a log line without escaping them. */
class LogTextTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "com.example.Orders", "vert.x-eventloop-thread-0", "Café ünïcödé", "a/b:c{d}", "\u007f"})
  void valuesWithNothingToEscapeAreVerbatim(String value) {
    assertThat(LogText.isJsonVerbatim(value)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"or\"ders", "back\\slash", "tab\there", "new\nline", "nul\u0000", "unit\u001f",
      "line\u2028separator", "paragraph\u2029separator"})
  void quotesBackslashesControlCharactersAndLineSeparatorsAreNot(String value) {
    assertThat(LogText.isJsonVerbatim(value)).isFalse();
  }
}
