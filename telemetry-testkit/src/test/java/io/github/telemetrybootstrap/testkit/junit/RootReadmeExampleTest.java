package io.github.telemetrybootstrap.testkit.junit;

// The example of the root README.md "Use the testkit in your CI", verbatim (only the class name
// differs), so it stays true.
import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.assertThatLogs;
import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.assertThatMeters;
import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.assertThatSpans;

import io.github.telemetrybootstrap.context.TelemetryContext;
import io.github.telemetrybootstrap.testkit.junit.CapturedTelemetry;
import io.github.telemetrybootstrap.testkit.junit.TelemetryTest;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.api.trace.SpanContext;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@TelemetryTest(serviceName = "orders")
class RootReadmeExampleTest {
  private static final Logger LOG = LoggerFactory.getLogger(RootReadmeExampleTest.class);

  @Test
  void checkoutLogsAndTracesUnderTheTenant(CapturedTelemetry captured) throws Exception {
    Counter placed = Counter.builder("orders.placed").register(captured.meterRegistry());
    ExecutorService pool = TelemetryContext.wrap(Executors.newFixedThreadPool(2));
    try {
      SpanContext span = captured.inSpan("checkout", "acme", () -> {
        LOG.info("order received");
        pool.submit(() -> LOG.info("card charged")).get();   // context survives the executor hop
        placed.increment();
      });

      assertThatLogs(captured).allMatchContract().allTraceIdsMatchReceivedSpans();
      assertThatLogs(captured).linesWithMessage("card charged").allCarrySpan(span).allCarryTenant("acme");
      assertThatSpans(captured).containsSpanWithTenant("checkout", "acme");
      assertThatMeters(captured).hasMeter("orders.placed").hasCount(1);
    } finally {
      pool.shutdown();
    }
  }
}
