package io.github.telemetrybootstrap.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.quarkus.ContractLogFormatter;
import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code telemetry.logging.enabled=false} leaves the console to Quarkus's own format. */
class LoggingBackOffTest {
  @RegisterExtension
  static final QuarkusUnitTest APP =
      new QuarkusUnitTest()
          .withApplicationRoot(jar -> jar.addClass(ConsoleFormatters.class))
          .overrideConfigKey("telemetry.logging.enabled", "false");

  @Test
  void theConsoleKeepsQuarkussFormatter() {
    assertThat(ConsoleFormatters.installed()).isNotEmpty()
        .noneMatch(f -> f instanceof ContractLogFormatter);
  }
}
