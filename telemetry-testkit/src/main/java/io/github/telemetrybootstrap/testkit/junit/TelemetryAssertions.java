package io.github.telemetrybootstrap.testkit.junit;

import io.github.telemetrybootstrap.testkit.logs.LogLineValidator;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;

/**
 * Entry points of the fluent telemetry assertions (AssertJ). Import statically:
 *
 * <pre>{@code
 * import static io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions.*;
 *
 * assertThatLogs(captured).allMatchContract().allTraceIdsMatchReceivedSpans();
 * assertThatLogs(captured).linesWithMessage("charged").allCarrySpan(span).allCarryTenant("acme");
 * assertThatSpans(captured).containsSpanWithTenant("checkout", "acme");
 * assertThatMeters(captured).hasMeter("orders.placed", "outcome", "SUCCESS").hasCount(1);
 * }</pre>
 *
 * Every failure message shows the offending line or span, or what exists instead.
 */
public final class TelemetryAssertions {
  private static final LogLineValidator VALIDATOR = LogLineValidator.create();

  private TelemetryAssertions() {}

  /**
   * Assertions on the log lines captured since the test started (flushed first), with the captured
   * spans available to {@link LogLinesAssert#allTraceIdsMatchReceivedSpans()}.
   *
   * @param captured the capture
   * @return the assertion, over all captured lines
   */
  public static LogLinesAssert assertThatLogs(CapturedTelemetry captured) {
    List<LogLine> lines = captured.logLines();
    return new LogLinesAssert(lines, lines, "captured lines", captured::spans, VALIDATOR);
  }

  /**
   * Assertions on given log lines, without spans.
   *
   * @param lines the lines, e.g. a subset of {@link CapturedTelemetry#logLines()}
   * @return the assertion
   */
  public static LogLinesAssert assertThatLogs(List<LogLine> lines) {
    return new LogLinesAssert(lines, lines, "given lines", null, VALIDATOR);
  }

  /**
   * Assertions on the spans received since the test started; the {@code contains…} assertions wait
   * up to {@link CapturedTelemetry#awaitTimeout()} for a matching span.
   *
   * @param captured the capture
   * @return the assertion
   */
  public static SpansAssert assertThatSpans(CapturedTelemetry captured) {
    return new SpansAssert(captured::spans, captured.awaitTimeout());
  }

  /**
   * Assertions on given spans, checked at once.
   *
   * @param spans the spans, e.g. {@code receiver.spans()}
   * @return the assertion
   */
  public static SpansAssert assertThatSpans(List<ReceivedSpan> spans) {
    List<ReceivedSpan> copy = List.copyOf(spans);
    return new SpansAssert(() -> copy, Duration.ZERO);
  }

  /**
   * Assertions on the telemetry's meters, counts relative to the start of the test
   * ({@link CapturedTelemetry#countSinceTestStart(Meter)}).
   *
   * @param captured the capture
   * @return the assertion
   */
  public static MetersAssert assertThatMeters(CapturedTelemetry captured) {
    return new MetersAssert(captured.meterRegistry(), captured::countSinceTestStart);
  }

  /**
   * Assertions on any registry; there "count since the test started" is the count itself.
   *
   * @param registry the registry
   * @return the assertion
   */
  public static MetersAssert assertThatMeters(MeterRegistry registry) {
    return new MetersAssert(registry, m -> {
      Double c = CapturedTelemetry.count(m);
      return c == null ? Double.NaN : c;
    });
  }
}
