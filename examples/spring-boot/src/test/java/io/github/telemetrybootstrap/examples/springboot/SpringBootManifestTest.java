package io.github.telemetrybootstrap.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.testkit.manifest.Finding;
import io.github.telemetrybootstrap.testkit.manifest.ManifestLint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example's Deployment tells Prometheus to scrape the actuator endpoint on the application port. */
class SpringBootManifestTest {
  private static final Path DEPLOYMENT = Path.of("k8s/deployment.yaml");

  @Test
  void deploymentScrapesTheActuatorEndpoint() {
    ManifestLint.builder().metricsPath("/actuator/prometheus").build().assertClean(DEPLOYMENT);
  }

  @Test
  void lintReadsTheDeployment() {
    // The core's own path is not what this service serves: the lint must notice.
    assertThat(ManifestLint.builder().metricsPath("/metrics").build().check(DEPLOYMENT))
        .extracting(Finding::ruleId)
        .contains(ManifestLint.RULE_PATH_MISMATCH);
  }
}
