package io.github.telemetrybootstrap.testkit.arch;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.telemetrybootstrap.testkit.arch.fixtures.MainWithBootstrap;
import io.github.telemetrybootstrap.testkit.arch.fixtures.MainWithoutBootstrap;
import io.github.telemetrybootstrap.testkit.arch.fixtures.OptedInTenantTagging;
import io.github.telemetrybootstrap.testkit.arch.fixtures.Slf4jOnly;
import io.github.telemetrybootstrap.testkit.arch.fixtures.SystemOutUser;
import io.github.telemetrybootstrap.testkit.arch.fixtures.TenantCounterBuilderTagging;
import io.github.telemetrybootstrap.testkit.arch.fixtures.TenantWithoutTags;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The rules work as {@code @ArchTest} fields under ArchUnit's own JUnit engine, the way a user's
 * test runs them. The user-style test classes are compiled here, so surefire never runs the
 * deliberately failing one on its own.
 */
class TelemetryRulesJUnitEngineTest {
  static {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.tngtech.archunit"))
        .setLevel(ch.qos.logback.classic.Level.INFO);
  }

  private static final String ARCHUNIT_ENGINE = "archunit";
  private static final String PKG = "com.example.usage";
  private static URLClassLoader loader;

  @org.junit.jupiter.api.AfterAll
  static void closeLoader() throws IOException {
    loader.close();
  }

  @BeforeAll
  static void compileUserStyleTests(@TempDir Path dir) throws IOException {
    String header =
        "package " + PKG + ";\n"
            + "import com.tngtech.archunit.junit.AnalyzeClasses;\n"
            + "import com.tngtech.archunit.junit.ArchTest;\n"
            + "import com.tngtech.archunit.lang.ArchRule;\n"
            + "import io.github.telemetrybootstrap.testkit.arch.TelemetryRules;\n";
    Path classes =
        TestCompiler.compile(
            dir,
            Map.of(
                PKG + ".GoodServiceArchitectureTest",
                header
                    + "@AnalyzeClasses(classes = {" + names(MainWithBootstrap.class, Slf4jOnly.class, TenantWithoutTags.class, OptedInTenantTagging.class) + "})\n"
                    + "public class GoodServiceArchitectureTest {\n"
                    + "  @ArchTest static final ArchRule telemetry = TelemetryRules.ALL;\n"
                    + "}\n",
                PKG + ".BadServiceArchitectureTest",
                header
                    + "@AnalyzeClasses(classes = {" + names(MainWithoutBootstrap.class, SystemOutUser.class, TenantCounterBuilderTagging.class) + "})\n"
                    + "public class BadServiceArchitectureTest {\n"
                    + "  @ArchTest static final ArchRule mainCallsBootstrap = TelemetryRules.MAIN_CALLS_BOOTSTRAP;\n"
                    + "  @ArchTest static final ArchRule noSystemOut = TelemetryRules.NO_SYSTEM_OUT_LOGGING;\n"
                    + "  @ArchTest static final ArchRule noTenantTags = TelemetryRules.NO_TENANT_METRIC_TAGS;\n"
                    + "}\n"));
    loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, TelemetryRulesJUnitEngineTest.class.getClassLoader());
  }

  private static String names(Class<?>... types) {
    StringBuilder out = new StringBuilder();
    for (Class<?> type : types) {
      out.append(out.length() == 0 ? "" : ", ").append(type.getName()).append(".class");
    }
    return out.toString();
  }

  /** Runs the ArchUnit engine on a compiled class; the engine loads classes by name from the context loader. */
  private static EngineExecutionResults run(String simpleName) throws ClassNotFoundException {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return EngineTestKit.engine(ARCHUNIT_ENGINE).selectors(selectClass(loader.loadClass(PKG + "." + simpleName))).execute();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  @Test
  void compliantServicePasses() throws ClassNotFoundException {
    run("GoodServiceArchitectureTest")
        .testEvents()
        .assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
  }

  @Test
  void eachBrokenRuleFailsItsOwnTestNamingTheOffender() throws ClassNotFoundException {
    run("BadServiceArchitectureTest")
        .testEvents()
        .assertStatistics(stats -> stats.started(3).succeeded(0).failed(3))
        .assertThatEvents()
        .haveExactly(1, event(test("mainCallsBootstrap"),
            finishedWithFailure(message(m -> m.contains("MainWithoutBootstrap> never calls Telemetry.bootstrap()")))))
        .haveExactly(1, event(test("noSystemOut"),
            finishedWithFailure(message(m -> m.contains("SystemOutUser.report(java.lang.String)> gets field <java.lang.System.out>")))))
        .haveExactly(1, event(test("noTenantTags"),
            finishedWithFailure(message(m -> m.contains("TenantCounterBuilderTagging.countOrder(")))));
  }
}
