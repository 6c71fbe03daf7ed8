package io.github.telemetrybootstrap.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A wrong value fails start-up, naming the key and the value. */
class InvalidConfigurationTest {
  @RegisterExtension
  static final QuarkusUnitTest APP =
      new QuarkusUnitTest()
          .withEmptyApplication()
          .overrideConfigKey("telemetry.tenant.header", "X Tenant")
          .assertException(e -> {
            Throwable t = e;
            while (t != null && !(t instanceof ConfigurationException)) {
              t = t.getCause();
            }
            assertThat(t).as("cause chain of %s", e).isNotNull();
            assertThat(t.getMessage())
                .contains("telemetry.tenant.header=X Tenant")
                .contains("expected an HTTP header name (RFC 9110 token)");
          });

  @Test
  void startupFails() {
    // Not reached when the start fails as expected: QuarkusUnitTest then checks assertException instead.
    org.junit.jupiter.api.Assertions.fail("the application started with telemetry.tenant.header=X Tenant");
  }
}
