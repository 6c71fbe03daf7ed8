package io.github.telemetrybootstrap.examples.quickstart;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.github.telemetrybootstrap.testkit.arch.TelemetryRules;
import org.junit.jupiter.api.Test;

/** The testkit's ArchUnit gates on the quickstart's own classes, as a user's build would run them. */
class QuickstartArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackagesOf(QuickstartApplication.class);

  @Test
  void mainCallsTheBootstrap() {
    TelemetryRules.MAIN_CALLS_BOOTSTRAP.check(CLASSES);
  }

  @Test
  void nothingLogsThroughSystemOutExceptTheTraceSummariesOnStderr() {
    // The embedded collector's one line per trace goes to stderr on purpose: stdout stays pure JSON.
    TelemetryRules.noSystemOutLoggingExcept(EmbeddedCollector.class).check(CLASSES);
  }

  @Test
  void theTenantIsNeverAMetricTag() {
    TelemetryRules.NO_TENANT_METRIC_TAGS.check(CLASSES);
  }
}
