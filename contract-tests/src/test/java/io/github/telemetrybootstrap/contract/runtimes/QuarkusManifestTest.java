package io.github.telemetrybootstrap.contract.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.testkit.manifest.Finding;
import io.github.telemetrybootstrap.testkit.manifest.ManifestLint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Quarkus example's Deployment tells Prometheus to scrape /q/metrics on the application port. */
class QuarkusManifestTest {
  private static final Path DEPLOYMENT = Path.of("..", "examples", "quarkus", "k8s", "deployment.yaml");

  @Test
  void deploymentScrapesTheQuarkusMetricsEndpoint() {
    ManifestLint.builder().metricsPath("/q/metrics").build().assertClean(DEPLOYMENT);
  }

  @Test
  void lintReadsTheDeployment() {
    assertThat(ManifestLint.builder().metricsPath("/metrics").build().check(DEPLOYMENT))
        .extracting(Finding::ruleId)
        .contains(ManifestLint.RULE_PATH_MISMATCH);
  }
}
