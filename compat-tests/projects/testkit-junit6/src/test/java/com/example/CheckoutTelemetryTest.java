package com.example;

import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.assertThatLogs;
import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.assertThatMeters;
import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.assertThatSpans;

import io.github.telemetrybootstrap.context.TelemetryContext;
import io.github.telemetrybootstrap.testkit.junit.CapturedTelemetry;
import io.github.telemetrybootstrap.testkit.junit.TelemetryTest;
import io.github.telemetrybootstrap.testkit.junit.VirtualThreads;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.api.trace.SpanContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@TelemetryTest(serviceName = "orders", properties = "telemetry.environment=ci")
class CheckoutTelemetryTest {
  private static final Logger LOG = LoggerFactory.getLogger(CheckoutTelemetryTest.class);

  @Test
  void checkoutLogsAndTracesUnderTheTenant(CapturedTelemetry captured) throws Exception {
    Counter placed = Counter.builder("orders.placed").tag("outcome", "SUCCESS")
        .register(captured.meterRegistry());
    ExecutorService pool = TelemetryContext.wrap(Executors.newFixedThreadPool(2));
    try {
      // A real span of the telemetry's tracer, under tenant "acme" (baggage tenant_id).
      SpanContext span = captured.inSpan("checkout", "acme", () -> {
        LOG.info("order received");
        pool.submit(() -> LOG.info("card charged")).get();                   // executor hop
        CompletableFuture.supplyAsync(() -> 42, pool)
            .thenAcceptAsync(n -> LOG.info("stock reserved"), pool).get();  // CompletableFuture chain
        placed.increment();
      });

      assertThatLogs(captured)
          .allMatchContract()                    // schema + rules, via LogLineValidator
          .allTraceIdsMatchReceivedSpans();      // every line with a trace_id belongs to a received span
      assertThatLogs(captured).linesWithMessage("card charged")
          .hasSize(1).allCarrySpan(span).allCarryTenant("acme");
      assertThatLogs(captured).linesWithMessage("stock reserved")
          .allCarryTraceOf(span).allCarryTenant("acme");
      assertThatSpans(captured).containsSpanWithTenant("checkout", "acme").hasStatusCode("UNSET");
      assertThatMeters(captured).hasMeter("orders.placed", "outcome", "SUCCESS").hasCount(1);
      assertThatMeters(captured).doesNotHaveMeter("orders.placed", "tenant", "acme");
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void contextSurvivesAVirtualThread(CapturedTelemetry captured) throws Exception {
    // Java 21+ found by reflection (this compiles on 17); on 17 the test is skipped with a message.
    ExecutorService virtual = TelemetryContext.wrap(VirtualThreads.newPerTaskExecutorOrSkip());
    try {
      SpanContext span = captured.inSpan("virtual", "acme",
          () -> virtual.submit(() -> LOG.info("on a virtual thread")).get());
      assertThatLogs(captured).linesWithMessage("on a virtual thread").allCarrySpan(span).allCarryTenant("acme");
    } finally {
      virtual.shutdown();
    }
  }
}
