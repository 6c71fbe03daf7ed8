package io.github.telemetrybootstrap.testkit.junit;

import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.assertThatLogs;
import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.assertThatMeters;
import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.assertThatSpans;
import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.telemetrybootstrap.Telemetry;
import io.github.telemetrybootstrap.context.TelemetryContext;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.SpanContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extension in use, as a user's test uses it: real SLF4J logging through the library's JSON
 * appender, real spans exported over OTLP to the in-process receiver, real Micrometer meters.
 */
@TelemetryTest(serviceName = "orders", properties = "telemetry.environment=ci")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TelemetryExtensionTest {
  private static final Logger LOG = LoggerFactory.getLogger("com.example.orders.Checkout");
  private static ExecutorService pool;

  @BeforeAll
  static void startPool(CapturedTelemetry captured) {
    assertThat(Telemetry.current()).containsSame(captured.telemetry());
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  @Test
  @Order(1)
  void linesLoggedInsideARealSpanCarryItsIdsAndArriveAsWritten(CapturedTelemetry captured) throws Exception {
    SpanContext span = captured.inSpan("checkout", "acme", () -> {
      LOG.info("charged card", kv("order_id", "o-42"));
      LOG.info("tab\tand é \"quoted\"");
    });
    LOG.info("after the span");

    List<LogLine> lines = captured.logLines();
    LogLine charged = lines.stream().filter(l -> "charged card".equals(l.message())).findFirst().orElseThrow();
    assertThat(charged.traceId()).isEqualTo(span.getTraceId());
    assertThat(charged.spanId()).isEqualTo(span.getSpanId());
    assertThat(charged.tenantId()).isEqualTo("acme");
    assertThat(charged.field("service")).isEqualTo("orders");
    assertThat(charged.field("env")).isEqualTo("ci");
    assertThat(charged.field("order_id")).isEqualTo("o-42");
    // The encoder's own bytes: its field order, its escapes, raw UTF-8 (a re-serialisation would differ).
    assertThat(charged.text()).startsWith("{\"@timestamp\":\"").contains(",\"level\":\"INFO\",\"logger\":");
    LogLine multi = lines.stream().filter(l -> l.text().contains("quoted")).findFirst().orElseThrow();
    assertThat(new String(multi.bytes(), StandardCharsets.UTF_8))
        .contains("\"message\":\"tab\\tand é \\\"quoted\\\"\"")
        .doesNotContain("\t");
    assertThat(multi.bytes()).contains("é".getBytes(StandardCharsets.UTF_8));

    assertThatLogs(captured)
        .allMatchContract()
        .allTraceIdsMatchReceivedSpans()
        .linesWithMessage("charged card").hasSize(1).allCarrySpan(span).allCarryTenant("acme");
    assertThat(lines.stream().filter(l -> "after the span".equals(l.message())).findFirst().orElseThrow().traceId())
        .isNull();
  }

  @Test
  @Order(2)
  void spansArriveThroughTheRealOtlpExporter(CapturedTelemetry captured) throws Exception {
    SpanContext span = captured.inSpan("checkout", "acme", () -> { });
    ReceivedSpan received = captured.awaitSpan(span);
    assertThat(received.serviceName()).isEqualTo("orders");
    assertThat(captured.receiver().traceRequests()).isPositive();
    assertThatSpans(captured)
        .containsSpanWithTenant("checkout", "acme")
        .hasKind("INTERNAL")
        .hasStatusCode("UNSET");

    SpanContext failed = null;
    try {
      captured.inSpan("refund", null, () -> {
        throw new IllegalStateException("declined");
      });
    } catch (IllegalStateException expected) {
      failed = io.opentelemetry.api.trace.Span.current().getSpanContext();
    }
    assertThat(failed).isNotNull();
    assertThatSpans(captured).containsSpanNamed("refund").hasStatusCode("ERROR");
  }

  @Test
  @Order(3)
  void countersAndTimersAreAssertedSinceTheTestStarted(CapturedTelemetry captured) {
    Counter placed = Counter.builder("orders.placed").tag("outcome", "SUCCESS").register(captured.meterRegistry());
    Counter.builder("orders.placed").tag("outcome", "FAILURE").register(captured.meterRegistry());
    Timer latency = Timer.builder("orders.latency").tag("uri", "/orders").register(captured.meterRegistry());
    placed.increment();
    placed.increment(2);
    latency.record(Duration.ofMillis(12));

    assertThatMeters(captured).hasMeter("orders.placed", "outcome", "SUCCESS").hasCount(3).hasTotalCount(3);
    assertThatMeters(captured).hasMeter("orders.latency").hasCount(1);
    assertThatMeters(captured).doesNotHaveMeter("orders.placed", "tenant", "acme");
    assertThat(captured.scrape())
        .contains("orders_placed_total{outcome=\"SUCCESS\"} 3.0")
        .contains("orders_latency_seconds_count{uri=\"/orders\"} 1");
    // The JVM binders of the bootstrap stay registered.
    assertThatMeters(captured).hasMeter("jvm.threads.live");
  }

  @Test
  @Order(4)
  void linesSpansAndMeterBaselinesResetBetweenTests(CapturedTelemetry captured) throws Exception {
    assertThat(captured.logLines()).noneMatch(l -> "charged card".equals(l.message()));
    assertThat(captured.spans()).isEmpty();
    // The counter of the previous test is still registered with its total, but nothing was counted here.
    assertThatMeters(captured).hasMeter("orders.placed", "outcome", "SUCCESS").hasCount(0).hasTotalCount(3);

    LOG.info("first line of this test");
    assertThat(captured.logLines()).first().satisfies(l -> {
      assertThat(l.number()).isEqualTo(1);
      assertThat(l.message()).isEqualTo("first line of this test");
    });
  }

  @Test
  void contextSurvivesAnExecutorHop(CapturedTelemetry captured) throws Exception {
    ExecutorService wrapped = TelemetryContext.wrap(pool);
    SpanContext span = captured.inSpan("hop", "acme", () ->
        wrapped.submit(() -> LOG.info("after executor hop")).get(5, TimeUnit.SECONDS));
    assertThatLogs(captured).linesWithMessage("after executor hop")
        .hasSize(1).allCarrySpan(span).allCarryTraceOf(span).allCarryTenant("acme");
    assertThat(captured.logLines()).filteredOn(l -> "after executor hop".equals(l.message()))
        .allSatisfy(l -> assertThat(l.thread()).startsWith("pool-"));
  }

  @Test
  void contextSurvivesACompletableFutureChain(CapturedTelemetry captured) throws Exception {
    java.util.concurrent.Executor wrapped = TelemetryContext.wrap((java.util.concurrent.Executor) pool);
    SpanContext span = captured.inSpan("chain", "acme", () ->
        CompletableFuture.supplyAsync(() -> {
              LOG.info("future step");
              return 1;
            }, wrapped)
            .thenApplyAsync(n -> {
              LOG.info("future step");
              return n + 1;
            }, wrapped)
            .thenAcceptAsync(n -> LOG.info("future step"), wrapped)
            .get(5, TimeUnit.SECONDS));
    assertThatLogs(captured).linesWithMessage("future step")
        .hasSize(3).allCarrySpan(span).allCarryTenant("acme");
  }

  @Test
  void contextSurvivesAVirtualThread(CapturedTelemetry captured) throws Exception {
    ExecutorService virtual = VirtualThreads.newPerTaskExecutorOrSkip();
    try {
      ExecutorService wrapped = TelemetryContext.wrap(virtual);
      java.util.concurrent.atomic.AtomicReference<String> thread = new java.util.concurrent.atomic.AtomicReference<>();
      SpanContext span = captured.inSpan("virtual", "acme", () ->
          wrapped.submit(() -> {
            thread.set(Thread.currentThread().toString());
            LOG.info("on a virtual thread");
          }).get(5, TimeUnit.SECONDS));
      assertThat(thread.get()).startsWith("VirtualThread[");
      assertThatLogs(captured).linesWithMessage("on a virtual thread")
          .hasSize(1).allMatchContract().allCarrySpan(span).allCarryTenant("acme");
    } finally {
      virtual.shutdown();
    }
  }

  @Test
  void failureMessagesShowTheOffendingLine(CapturedTelemetry captured) throws Exception {
    SpanContext span = captured.inSpan("tenantless", null, () -> LOG.info("no tenant here"));
    assertThatThrownBy(() -> assertThatLogs(captured).linesWithMessage("no tenant here").allCarryTenant("acme"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("[missing-tenant]")
        .hasMessageContaining("\"message\":\"no tenant here\"")
        .hasMessageContaining(span.getTraceId());
    assertThatThrownBy(() -> assertThatLogs(captured).linesWithMessage("never logged").allCarrySpan(span))
        .hasMessageContaining("Expecting at least one of the lines with message \"never logged\"")
        .hasMessageContaining("\"message\":\"no tenant here\"");
  }

  @Nested
  class NestedClasses {
    @Test
    void shareTheEnclosingTelemetry(CapturedTelemetry captured) throws Exception {
      assertThat(captured.telemetry().serviceInfo().name()).isEqualTo("orders");
      SpanContext span = captured.inSpan("nested", "acme", () -> LOG.info("nested line"));
      assertThatLogs(captured).linesWithMessage("nested line").allCarrySpan(span);
      assertThatSpans(captured).containsSpanWithTenant("nested", "acme");
    }
  }
}
