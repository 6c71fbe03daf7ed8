package io.github.telemetrybootstrap.testkit.junit;

import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.assertThatLogs;
import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.assertThatMeters;
import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.assertThatSpans;
import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.telemetrybootstrap.Telemetry;
import io.github.telemetrybootstrap.TelemetrySettings;
import io.github.telemetrybootstrap.testkit.logs.LogLineValidator;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs small user-style test classes with JUnit's own engine (EngineTestKit) and checks that passing
 * assertions pass and failing ones fail with the offending line, span or meter in the message. The
 * fixture classes run only from here ({@link #fixturesEnabled()}); surefire skips nested classes.
 */
class TelemetryExtensionEngineTest {
  static final String ENABLED = "io.github.telemetrybootstrap.testkit.junit.TelemetryExtensionEngineTest#fixturesEnabled";
  private static final Logger LOG = LoggerFactory.getLogger("com.example.orders.Checkout");
  private static volatile boolean running;

  static boolean fixturesEnabled() {
    return running;
  }

  private static EngineExecutionResults run(Class<?> fixture) {
    running = true;
    try {
      return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    } finally {
      running = false;
    }
  }

  @AfterEach
  void nothingLeftRunning() {
    assertThat(Telemetry.current()).as("the extension closes the telemetry after the class").isEmpty();
  }

  private static Predicate<String> contains(String... parts) {
    return m -> {
      for (String p : parts) {
        if (!m.contains(p)) {
          return false;
        }
      }
      return true;
    };
  }

  @Test
  void passingAssertionsPass() {
    run(PassingUsage.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
  }

  @Test
  void failingAssertionsFailShowingTheOffendingLineSpanOrMeter() {
    run(FailingUsage.class)
        .testEvents()
        .assertStatistics(s -> s.started(6).succeeded(0).failed(6))
        .assertThatEvents()
        .haveExactly(1, event(test("lineWithoutTenant"), finishedWithFailure(message(contains(
            "Expecting all 1 lines with message \"no tenant here\" to carry tenant_id \"acme\"",
            "[missing-tenant]", "\"message\":\"no tenant here\"")))))
        .haveExactly(1, event(test("lineOutsideTheSpan"), finishedWithFailure(message(contains(
            "to carry span trace_id=", "[missing-trace-context]", "\"message\":\"outside\"")))))
        .haveExactly(1, event(test("spanWithAnotherTenant"), finishedWithFailure(message(contains(
            "Expecting a span named \"checkout\" with attribute saas.tenant=globex but it was not received",
            "\"checkout\" INTERNAL trace_id=", "saas.tenant=\"acme\"")))))
        .haveExactly(1, event(test("secretUnderAnUnconfiguredKey"), finishedWithFailure(message(contains(
            "to match the telemetry log contract, but 1 violation(s)", "/customer_email [secret-key]",
            "\"message\":\"signed up\"").and(m -> !m.contains("ann@example.com"))))))
        .haveExactly(1, event(test("wrongCount"), finishedWithFailure(message(contains(
            "orders.placed {outcome=SUCCESS} counter count 1 (since test start 1)",
            "to have count 2 since the test started, but it has 1")))))
        .haveExactly(1, event(test("lineInASpanThatWasNeverExported"), finishedWithFailure(message(contains(
            "which is no received span", "\"message\":\"in a foreign span\"", "Received spans (1)",
            "\"exported\" INTERNAL")))));
  }

  @Test
  void meterWithOtherTagsListsTheMetersOfThatName() {
    run(MeterTags.class)
        .testEvents()
        .assertThatEvents()
        .haveExactly(1, event(test("otherTags"), finishedWithFailure(message(contains(
            "Expecting a meter named orders.placed with tags {outcome=FAILURE} but the meters with that name have other tags",
            "orders.placed {outcome=SUCCESS} counter count 1")))));
  }

  @Test
  void builderRegistrationAppliesServiceNameAndProperties() {
    run(BuilderRegistration.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
  }

  @Test
  void instanceFieldRegistrationFailsSayingTheFieldMustBeStatic() {
    run(InstanceFieldRegistration.class)
        .testEvents()
        .assertThatEvents()
        .haveExactly(1, event(test("never"), finishedWithFailure(
            instanceOf(ExtensionConfigurationException.class), message(contains("register it on a static field")))));
  }

  @Test
  void telemetryAlreadyRunningFailsTheClassAndIsLeftAlone() {
    Telemetry foreign = Telemetry.builder()
        .serviceName("foreign")
        .registerShutdownHook(false)
        .otelProperty("otel.traces.exporter", "none")
        .setting(TelemetrySettings.METRICS_HOST, "127.0.0.1")
        .setting(TelemetrySettings.METRICS_PORT, "0")
        .build();
    try {
      run(PassingUsage.class)
          .containerEvents()
          .assertThatEvents()
          .haveExactly(1, event(container(PassingUsage.class), finishedWithFailure(
              instanceOf(ExtensionConfigurationException.class),
              message(contains("Telemetry is already running in this JVM (service 'foreign')")))));
      assertThat(Telemetry.current()).containsSame(foreign);
    } finally {
      foreign.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // User-style fixtures

  @TelemetryTest(awaitTimeoutMillis = 300)
  @EnabledIf(ENABLED)
  static class PassingUsage {
    @Test
    void everythingHolds(CapturedTelemetry captured) throws Exception {
      Counter placed = Counter.builder("orders.placed").tag("outcome", "SUCCESS").register(captured.meterRegistry());
      SpanContext span = captured.inSpan("checkout", "acme", () -> {
        LOG.info("charged");
        placed.increment();
      });
      assertThatLogs(captured)
          .allMatchContract()
          .allTraceIdsMatchReceivedSpans()
          .linesWithMessage("charged").hasSize(1).allCarrySpan(span).allCarryTenant("acme");
      assertThatSpans(captured).containsSpanWithTenant("checkout", "acme");
      assertThatMeters(captured).hasMeter("orders.placed", "outcome", "SUCCESS").hasCount(1);
    }
  }

  @TelemetryTest(awaitTimeoutMillis = 300)
  @EnabledIf(ENABLED)
  static class FailingUsage {
    @Test
    void lineWithoutTenant(CapturedTelemetry captured) throws Exception {
      captured.inSpan("tenantless", null, () -> LOG.info("no tenant here"));
      assertThatLogs(captured).linesWithMessage("no tenant here").allCarryTenant("acme");
    }

    @Test
    void lineOutsideTheSpan(CapturedTelemetry captured) throws Exception {
      SpanContext span = captured.inSpan("checkout", "acme", () -> LOG.info("inside"));
      LOG.info("outside");
      assertThatLogs(captured).linesWithMessageContaining("side").allCarrySpan(span);
    }

    @Test
    void spanWithAnotherTenant(CapturedTelemetry captured) throws Exception {
      captured.inSpan("checkout", "acme", () -> { });
      assertThatSpans(captured).containsSpanWithTenant("checkout", "globex");
    }

    @Test
    void secretUnderAnUnconfiguredKey(CapturedTelemetry captured) {
      // The service forgot telemetry.logging.mask-keys=customer_email; the gate knows the key.
      LOG.info("signed up", kv("customer_email", "ann@example.com"));
      assertThatLogs(captured)
          .usingValidator(LogLineValidator.builder().secretKeys(List.of("customer_email")).build())
          .allMatchContract();
    }

    @Test
    void wrongCount(CapturedTelemetry captured) {
      Counter.builder("orders.placed").tag("outcome", "SUCCESS").register(captured.meterRegistry()).increment();
      assertThatMeters(captured).hasMeter("orders.placed", "outcome", "SUCCESS").hasCount(2);
    }

    @Test
    void lineInASpanThatWasNeverExported(CapturedTelemetry captured) throws Exception {
      captured.inSpan("exported", null, () -> { });
      try (SdkTracerProvider foreign = SdkTracerProvider.builder()
          .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
          io.opentelemetry.sdk.trace.export.SpanExporter.composite())).build()) {
        Span span = foreign.get("foreign").spanBuilder("foreign").startSpan();
        try (Scope s = span.makeCurrent()) {
          LOG.info("in a foreign span");
        } finally {
          span.end();
        }
      }
      assertThatLogs(captured).allTraceIdsMatchReceivedSpans();
    }
  }

  @TelemetryTest(awaitTimeoutMillis = 300)
  @EnabledIf(ENABLED)
  static class MeterTags {
    @Test
    void otherTags(CapturedTelemetry captured) {
      Counter.builder("orders.placed").tag("outcome", "SUCCESS").register(captured.meterRegistry()).increment();
      assertThatMeters(captured).hasMeter("orders.placed", "outcome", "FAILURE");
    }
  }

  @EnabledIf(ENABLED)
  static class BuilderRegistration {
    @RegisterExtension
    static final TelemetryExtension TELEMETRY = TelemetryExtension.builder()
        .serviceName("billing")
        .property("telemetry.environment", "staging")
        .property("otel.resource.attributes", "team=payments")
        .build();

    @Test
    void configured(CapturedTelemetry captured) throws Exception {
      SpanContext span = captured.inSpan("invoice", "acme", () -> LOG.info("invoiced"));
      LogLine line = captured.logLines().stream().filter(l -> "invoiced".equals(l.message())).findFirst().orElseThrow();
      assertThat(line.field("service")).isEqualTo("billing");
      assertThat(line.field("env")).isEqualTo("staging");
      assertThat(captured.awaitSpan(span).resourceAttributes()).containsEntry("team", "payments");
      assertThat(captured.telemetry().metricsPort()).hasValueSatisfying(p -> assertThat(p).isPositive());
    }
  }

  @EnabledIf(ENABLED)
  static class InstanceFieldRegistration {
    @RegisterExtension
    final TelemetryExtension telemetry = TelemetryExtension.builder().build();

    @Test
    void never(CapturedTelemetry captured) {
      throw new AssertionError("must not run");
    }
  }
}
