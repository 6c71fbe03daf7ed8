package io.github.telemetrybootstrap.testkit.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.github.telemetrybootstrap.testkit.arch.fixtures.BaggageTagsTagging;
import io.github.telemetrybootstrap.testkit.arch.fixtures.Bootstrapper;
import io.github.telemetrybootstrap.testkit.arch.fixtures.CliTool;
import io.github.telemetrybootstrap.testkit.arch.fixtures.InstanceMainWithoutBootstrap;
import io.github.telemetrybootstrap.testkit.arch.fixtures.InterfaceMainWithoutBootstrap;
import io.github.telemetrybootstrap.testkit.arch.fixtures.MainDelegatingToOtherClass;
import io.github.telemetrybootstrap.testkit.arch.fixtures.MainWithBootstrap;
import io.github.telemetrybootstrap.testkit.arch.fixtures.MainWithBuilder;
import io.github.telemetrybootstrap.testkit.arch.fixtures.MainWithHelper;
import io.github.telemetrybootstrap.testkit.arch.fixtures.MainWithNestedServer;
import io.github.telemetrybootstrap.testkit.arch.fixtures.MainWithStaticField;
import io.github.telemetrybootstrap.testkit.arch.fixtures.MainWithoutBootstrap;
import io.github.telemetrybootstrap.testkit.arch.fixtures.NotAMain;
import io.github.telemetrybootstrap.testkit.arch.fixtures.OptedInTenantTagging;
import io.github.telemetrybootstrap.testkit.arch.fixtures.OtelInstrumentTagging;
import io.github.telemetrybootstrap.testkit.arch.fixtures.PrintStackTraceUser;
import io.github.telemetrybootstrap.testkit.arch.fixtures.Slf4jOnly;
import io.github.telemetrybootstrap.testkit.arch.fixtures.SystemOutUser;
import io.github.telemetrybootstrap.testkit.arch.fixtures.TenantCounterBuilderTagging;
import io.github.telemetrybootstrap.testkit.arch.fixtures.TenantRegistryTagging;
import io.github.telemetrybootstrap.testkit.arch.fixtures.TenantStaticInitializerTagging;
import io.github.telemetrybootstrap.testkit.arch.fixtures.TenantWithoutTags;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryRulesTest {
  static {
    // Without a logback configuration the importer logs every class it reads at DEBUG.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.tngtech.archunit"))
        .setLevel(ch.qos.logback.classic.Level.INFO);
  }

  private static final ClassFileImporter IMPORTER = new ClassFileImporter();

  private static JavaClasses classes(Class<?>... types) {
    return IMPORTER.importClasses(types);
  }

  private static JavaClasses nested(Class<?> type) {
    // importClasses does not pull in nested classes; add them by name.
    Class<?>[] all = new Class<?>[type.getDeclaredClasses().length + 1];
    all[0] = type;
    System.arraycopy(type.getDeclaredClasses(), 0, all, 1, type.getDeclaredClasses().length);
    return IMPORTER.importClasses(all);
  }

  // --- MAIN_CALLS_BOOTSTRAP -------------------------------------------------------------------

  @Test
  void mainWithoutBootstrapIsReportedWithClassAndLocation() {
    assertThatThrownBy(() -> TelemetryRules.MAIN_CALLS_BOOTSTRAP.check(classes(MainWithoutBootstrap.class, MainWithBootstrap.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("was violated (1 times)")
        .hasMessageContaining("Class <" + MainWithoutBootstrap.class.getName() + "> never calls Telemetry.bootstrap()")
        .hasMessageContaining("main method <" + MainWithoutBootstrap.class.getName() + ".main(java.lang.String[])> in (MainWithoutBootstrap.java:")
        .hasMessageContaining("call Telemetry.bootstrap() (or Telemetry.builder()...build()) at the top of main")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("<" + MainWithBootstrap.class.getName() + ">"));
  }

  @Test
  void bootstrapDirectlyThroughBuilderHelpersLambdaStaticInitializerOrNestedClassPasses() {
    JavaClasses good =
        IMPORTER.importClasses(
            MainWithBootstrap.class,
            MainWithBuilder.class,
            MainWithHelper.class,
            MainWithStaticField.class,
            MainWithNestedServer.class,
            MainWithNestedServer.class.getDeclaredClasses()[0]);
    assertThatCode(() -> TelemetryRules.MAIN_CALLS_BOOTSTRAP.check(good)).doesNotThrowAnyException();
  }

  @Test
  void callsIntoOtherTopLevelClassesAreNotFollowed() {
    assertThatThrownBy(() -> TelemetryRules.MAIN_CALLS_BOOTSTRAP.check(classes(MainDelegatingToOtherClass.class, Bootstrapper.class)))
        .hasMessageContaining("Class <" + MainDelegatingToOtherClass.class.getName() + "> never calls");
  }

  @Test
  void java25InstanceMainIsAnEntryPointButPrivateOrOddMainsAreNot() {
    assertThatThrownBy(() -> TelemetryRules.MAIN_CALLS_BOOTSTRAP.check(classes(InstanceMainWithoutBootstrap.class, NotAMain.class, InterfaceMainWithoutBootstrap.class)))
        .hasMessageContaining("was violated (2 times)")
        .hasMessageContaining("<" + InterfaceMainWithoutBootstrap.class.getName() + ".main(java.lang.String[])>")
        .hasMessageContaining("<" + InstanceMainWithoutBootstrap.class.getName() + ".main()>");
    assertThat(TelemetryRules.launchableMain(classes(NotAMain.class).get(NotAMain.class))).isEmpty();
  }

  @Test
  void codeWithoutMainPassesTheMainRule() {
    assertThatCode(() -> TelemetryRules.MAIN_CALLS_BOOTSTRAP.check(classes(Slf4jOnly.class))).doesNotThrowAnyException();
  }

  @Test
  void configuredEntryPointsWithoutMainMustCallTheBootstrapSomewhere() {
    JavaClasses imported = classes(Bootstrapper.class, Slf4jOnly.class);
    assertThatCode(() -> TelemetryRules.entryPointsCallBootstrap(Bootstrapper.class).check(imported)).doesNotThrowAnyException();
    assertThatThrownBy(() -> TelemetryRules.entryPointsCallBootstrap(Slf4jOnly.class).check(imported))
        .hasMessageContaining("Class <" + Slf4jOnly.class.getName() + "> never calls Telemetry.bootstrap()")
        .hasMessageContaining("entry point (Slf4jOnly.java:");
    DescribedPredicate<JavaClass> handlers = JavaClass.Predicates.simpleNameEndingWith("Handler");
    assertThatThrownBy(() -> TelemetryRules.entryPointsCallBootstrap(handlers).check(imported))
        .as("a configured entry point that matches nothing must not pass silently")
        .hasMessageContaining("failed to check any classes");
  }

  @Test
  void entryPointsNeedAtLeastOneClass() {
    assertThatThrownBy(TelemetryRules::entryPointsCallBootstrap)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }

  // --- NO_SYSTEM_OUT_LOGGING ------------------------------------------------------------------

  @Test
  void systemOutAndPrintStackTraceAreReportedWithMethodAndLine() {
    assertThatThrownBy(() -> TelemetryRules.NO_SYSTEM_OUT_LOGGING.check(classes(SystemOutUser.class, PrintStackTraceUser.class, Slf4jOnly.class)))
        .hasMessageContaining("was violated (2 times)")
        .hasMessageContaining("Method <" + SystemOutUser.class.getName() + ".report(java.lang.String)> gets field <java.lang.System.out> in (SystemOutUser.java:8)")
        .hasMessageContaining("Method <" + PrintStackTraceUser.class.getName() + ".fail(java.io.IOException)> calls method <java.io.IOException.printStackTrace()> in (PrintStackTraceUser.java:12)")
        .hasMessageContaining("log through SLF4J")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("render(").doesNotContain("Slf4jOnly"));
  }

  @Test
  void allowListedClassesAndTheirNestedClassesMayPrint() {
    JavaClasses imported = nested(CliTool.class);
    assertThatThrownBy(() -> TelemetryRules.NO_SYSTEM_OUT_LOGGING.check(imported))
        .hasMessageContaining("was violated (2 times)")
        .hasMessageContaining(CliTool.class.getName() + "$Help.print()");
    assertThatCode(() -> TelemetryRules.noSystemOutLoggingExcept(CliTool.class).check(imported)).doesNotThrowAnyException();
    assertThatCode(() -> TelemetryRules.noSystemOutLoggingExcept(JavaClass.Predicates.simpleName("CliTool")).check(imported))
        .doesNotThrowAnyException();
  }

  // --- NO_TENANT_METRIC_TAGS ------------------------------------------------------------------

  @Test
  void tenantReadAndMetricTagInOneMethodIsReportedForEachApi() {
    JavaClasses imported =
        classes(TenantCounterBuilderTagging.class, TenantRegistryTagging.class, BaggageTagsTagging.class, OtelInstrumentTagging.class);
    assertThatThrownBy(() -> TelemetryRules.NO_TENANT_METRIC_TAGS.check(imported))
        .hasMessageContaining("was violated (4 times)")
        .hasMessageContaining(
            "Method <" + TenantCounterBuilderTagging.class.getName() + ".countOrder(io.micrometer.core.instrument.MeterRegistry)>"
                + " reads the tenant (Tenant.current() in (TenantCounterBuilderTagging.java:12))"
                + " and adds a metric tag (Counter.Builder.tag(String, String) in (TenantCounterBuilderTagging.java:13))")
        .hasMessageContaining(TenantRegistryTagging.class.getName() + ".count(")
        .hasMessageContaining("adds a metric tag (PrometheusMeterRegistry.counter(String, String[]) in (TenantRegistryTagging.java:11)")
        .hasMessageContaining("reads the tenant (Baggage.getEntryValue(String) in (BaggageTagsTagging.java:12))")
        .hasMessageContaining("adds a metric tag (Tags.of(String, String) in (BaggageTagsTagging.java:13))")
        .hasMessageContaining("reads the tenant (Tenant.fromContext(Context)")
        .hasMessageContaining("adds a metric tag (LongCounter.add(long, Attributes)")
        .hasMessageContaining("tag through io.github.telemetrybootstrap.metrics.TenantMetrics");
  }

  @Test
  void staticInitializersAreCheckedToo() {
    assertThatThrownBy(() -> TelemetryRules.NO_TENANT_METRIC_TAGS.check(classes(TenantStaticInitializerTagging.class)))
        .hasMessageContaining(TenantStaticInitializerTagging.class.getName() + ".<clinit>()")
        .hasMessageContaining("reads the tenant (Tenant.current() in (TenantStaticInitializerTagging.java:10))");
  }

  @Test
  void optInAnnotationAndSeparateMethodsPass() {
    assertThatCode(() -> TelemetryRules.NO_TENANT_METRIC_TAGS.check(classes(OptedInTenantTagging.class, TenantWithoutTags.class)))
        .doesNotThrowAnyException();
  }

  @Test
  void additionalOptInPlacesCanBeConfigured() {
    ArchRule rule =
        TelemetryRules.noTenantMetricTagsOutside(
            com.tngtech.archunit.core.domain.JavaMember.Predicates.declaredIn(TenantRegistryTagging.class));
    assertThatCode(() -> rule.check(classes(TenantRegistryTagging.class))).doesNotThrowAnyException();
    assertThatThrownBy(() -> rule.check(classes(TenantCounterBuilderTagging.class))).hasMessageContaining("countOrder");
  }

  @Test
  void theCoreOptInApiClassMayTagWithTheTenant(@TempDir Path dir) throws IOException {
    // The opt-in class lives in telemetry-core; compile a stand-in with its name so the rule's
    // by-name allowance is exercised on real bytecode without shadowing the real class.
    Path out =
        TestCompiler.compile(
            dir,
            Map.of(
                TelemetryRules.TENANT_METRICS_API,
                String.join(
                    "\n",
                    "package io.github.telemetrybootstrap.metrics;",
                    "public final class TenantMetrics {",
                    "  public static io.micrometer.core.instrument.Tags tenantTags() {",
                    "    return io.micrometer.core.instrument.Tags.of(\"tenant\", io.github.telemetrybootstrap.context.Tenant.current().orElse(\"other\"));",
                    "  }",
                    "  static final class Capped {",
                    "    io.micrometer.core.instrument.Tag tag() {",
                    "      return io.micrometer.core.instrument.Tag.of(\"tenant\", io.github.telemetrybootstrap.context.Tenant.current().orElse(\"other\"));",
                    "    }",
                    "  }",
                    "}")));
    JavaClasses imported = IMPORTER.importPath(out);
    assertThat(imported).extracting(JavaClass::getName)
        .containsExactlyInAnyOrder(TelemetryRules.TENANT_METRICS_API, TelemetryRules.TENANT_METRICS_API + "$Capped");
    assertThatCode(() -> TelemetryRules.NO_TENANT_METRIC_TAGS.check(imported)).doesNotThrowAnyException();
  }

  // --- ALL ------------------------------------------------------------------------------------

  @Test
  void allReportsEveryRuleAndPassesOnAGoodService() {
    JavaClasses good = classes(MainWithBootstrap.class, Slf4jOnly.class, TenantWithoutTags.class, OptedInTenantTagging.class);
    assertThatCode(() -> TelemetryRules.ALL.check(good)).doesNotThrowAnyException();

    JavaClasses bad = classes(MainWithoutBootstrap.class, SystemOutUser.class, TenantCounterBuilderTagging.class);
    assertThatThrownBy(() -> TelemetryRules.ALL.check(bad))
        .hasMessageContaining(MainWithoutBootstrap.class.getName())
        .hasMessageContaining(SystemOutUser.class.getName() + ".report(")
        .hasMessageContaining(TenantCounterBuilderTagging.class.getName() + ".countOrder(");
  }

  @Test
  void wholeFixturePackageImportsAndEveryBadFixtureIsNamed() {
    JavaClasses all = IMPORTER.importPackages("io.github.telemetrybootstrap.testkit.arch.fixtures");
    List<String> bad =
        List.of(
            MainWithoutBootstrap.class.getName() + ">",
            MainDelegatingToOtherClass.class.getName() + ">",
            InstanceMainWithoutBootstrap.class.getName() + ">",
            InterfaceMainWithoutBootstrap.class.getName() + ">",
            TenantStaticInitializerTagging.class.getName(),
            SystemOutUser.class.getName(),
            PrintStackTraceUser.class.getName(),
            CliTool.class.getName(),
            TenantCounterBuilderTagging.class.getName(),
            TenantRegistryTagging.class.getName(),
            BaggageTagsTagging.class.getName(),
            OtelInstrumentTagging.class.getName());
    assertThatThrownBy(() -> TelemetryRules.ALL.check(all))
        .satisfies(e -> assertThat(e.getMessage()).contains(bad))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("<" + MainWithHelper.class.getName() + ">"));
  }
}
