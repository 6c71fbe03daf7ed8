package io.github.telemetrybootstrap.testkit.junit;

import io.github.telemetrybootstrap.Telemetry;
import io.github.telemetrybootstrap.context.Tenant;
import io.github.telemetrybootstrap.logging.JsonLogging;
import io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What telemetry produced during the current test, as captured by {@link TelemetryExtension}: the
 * JSON log lines exactly as written, the spans received over real OTLP, and the meters. Declare it as
 * a parameter of a test or lifecycle method.
 *
 * <p><b>What resets before each test</b>: the captured log lines (numbered from 1 again), the spans
 * held by the receiver, and the meter baseline of {@link #countSinceTestStart(Meter)}. Meters
 * themselves are not removed: the registry keeps the JVM, process and library binders registered at
 * bootstrap, and a meter an application registered in an earlier test of the class keeps its total.
 * {@link MetersAssert.MeterAssert#hasCount(double)} therefore compares the increase since the test
 * started; {@link MetersAssert.MeterAssert#hasTotalCount(double)} compares the registry's own value.
 * The telemetry itself (and its registry) lives for the test class.
 *
 * <p>Spans and lines from work still running when a test ends (a background thread that logs
 * later) can land in the next test; end your spans and join your threads in the test. All methods
 * are thread-safe.
 */
public final class CapturedTelemetry {
  private final Telemetry telemetry;
  private final OtlpReceiver receiver;
  private final LogCapture logs;
  private final Duration timeout;
  private volatile Map<Meter.Id, Double> baseline = Map.of();

  CapturedTelemetry(Telemetry telemetry, OtlpReceiver receiver, LogCapture logs, Duration timeout) {
    this.telemetry = telemetry;
    this.receiver = receiver;
    this.logs = logs;
    this.timeout = timeout;
  }

  /**
   * The telemetry bootstrapped for the test class (also {@code Telemetry.current()}).
   *
   * @return never null
   */
  public Telemetry telemetry() {
    return telemetry;
  }

  /**
   * The in-process OTLP receiver the telemetry exports spans to.
   *
   * @return never null
   */
  public OtlpReceiver receiver() {
    return receiver;
  }

  /**
   * How long {@link #awaitSpans}, the span assertions and the log flush wait at most.
   *
   * @return the timeout configured on the extension (default 5 s)
   */
  public Duration awaitTimeout() {
    return timeout;
  }

  /**
   * The JSON log lines written since the test started, after waiting (up to {@link #awaitTimeout()})
   * until every event logged before this call has been written.
   *
   * @return an immutable list in output order, numbered from 1
   */
  public List<LogLine> logLines() {
    JsonLogging.flush(timeout);
    return logs.snapshot();
  }

  /**
   * Lines written beyond the capture's cap of 100,000 lines per test, not kept.
   *
   * @return count since the test started
   */
  public long droppedLogLines() {
    return logs.droppedLines();
  }

  /**
   * The spans received since the test started, after flushing the spans that have ended (through the
   * real OTLP exporter, {@link Telemetry#forceFlush(Duration)}). Spans not yet ended are not included.
   *
   * @return an immutable list, oldest first
   */
  public List<ReceivedSpan> spans() {
    telemetry.forceFlush(timeout);
    return receiver.spans();
  }

  /**
   * Waits until at least one received span matches, flushing ended spans first.
   *
   * @param condition the span to wait for
   * @return all matching spans, at least one, oldest first
   * @throws AssertionError after {@link #awaitTimeout()}, listing the spans that did arrive
   */
  public List<ReceivedSpan> awaitSpans(Predicate<ReceivedSpan> condition) {
    telemetry.forceFlush(timeout);
    return receiver.awaitSpans(condition, timeout);
  }

  /**
   * Waits until the span with this context has been received.
   *
   * @param span the context of an ended span, for example the one {@link #inSpan} returned
   * @return the received span
   * @throws AssertionError after {@link #awaitTimeout()}, listing the spans that did arrive
   */
  public ReceivedSpan awaitSpan(SpanContext span) {
    return awaitSpans(s -> s.traceId().equals(span.getTraceId()) && s.spanId().equals(span.getSpanId())).get(0);
  }

  /**
   * The registry the telemetry serves (a Prometheus registry with the JVM, process and library
   * binders). Register application meters here.
   *
   * @return never null
   */
  public MeterRegistry meterRegistry() {
    return telemetry.meterRegistry();
  }

  /**
   * The Prometheus text exposition of the registry, as the metrics endpoint serves it.
   *
   * @return the scrape text
   */
  public String scrape() {
    return telemetry.prometheusMeterRegistry().scrape();
  }

  /**
   * The meter's count minus its count when the test started (0 for a meter registered since).
   * Counts: {@link Counter#count()}, {@link FunctionCounter#count()}, {@link Timer#count()},
   * {@link DistributionSummary#count()}, {@link FunctionTimer#count()}.
   *
   * @param meter a counter, function counter, timer, function timer or distribution summary
   * @return the increase during the test
   * @throws IllegalArgumentException for a meter without a count (a gauge, a long task timer)
   */
  public double countSinceTestStart(Meter meter) {
    Double count = count(meter);
    if (count == null) {
      throw new IllegalArgumentException(
          "meter " + meter.getId() + " is a " + meter.getId().getType() + ", which has no count");
    }
    return count - baseline.getOrDefault(meter.getId(), 0.0);
  }

  /** The count of a countable meter, or null. */
  static @Nullable Double count(Meter meter) {
    if (meter instanceof Counter c) {
      return c.count();
    } else if (meter instanceof FunctionCounter c) {
      return c.count();
    } else if (meter instanceof Timer t) {
      return (double) t.count();
    } else if (meter instanceof DistributionSummary d) {
      return (double) d.count();
    } else if (meter instanceof FunctionTimer t) {
      return t.count();
    }
    return null;
  }

  /**
   * Runs {@code body} inside a new span of the telemetry's tracer, under {@code tenant} (W3C baggage
   * {@code tenant_id}, which the core copies to the span attribute {@code saas.tenant} and to every
   * log line), and ends the span. An exception from the body is recorded on the span (status
   * {@code ERROR}) and rethrown.
   *
   * <pre>{@code
   * SpanContext span = captured.inSpan("checkout", "acme", () ->
   *     executor.submit(() -> log.info("charged")).get());
   * assertThatLogs(captured).linesWithMessage("charged").allCarrySpan(span).allCarryTenant("acme");
   * }</pre>
   *
   * @param spanName the span name
   * @param tenant the tenant, or {@code null} for none
   * @param body the code to run; it may throw
   * @return the context (trace and span ids) of the ended span
   * @throws Exception what {@code body} throws
   */
  public SpanContext inSpan(String spanName, @Nullable String tenant, ThrowingRunnable body) throws Exception {
    Objects.requireNonNull(body, "body");
    try (Scope t = Tenant.makeCurrent(tenant)) {
      Span span = telemetry.tracer().spanBuilder(Objects.requireNonNull(spanName, "spanName")).startSpan();
      try (Scope s = span.makeCurrent()) {
        body.run();
      } catch (Exception | Error e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR);
        throw e;
      } finally {
        span.end();
      }
      return span.getSpanContext();
    }
  }

  /** A piece of test code that may throw, for {@link #inSpan}. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    /**
     * Runs the code.
     *
     * @throws Exception anything
     */
    void run() throws Exception;
  }

  /**
   * Starts the capture afresh, as the extension does before each test: flushes ended spans and
   * queued log events, then forgets the lines and spans held and records the meter baseline.
   */
  public void reset() {
    telemetry.forceFlush(timeout);
    JsonLogging.flush(timeout);
    receiver.reset();
    logs.clear();
    Map<Meter.Id, Double> b = new HashMap<>();
    for (Meter m : telemetry.meterRegistry().getMeters()) {
      Double c = count(m);
      if (c != null) {
        b.put(m.getId(), c);
      }
    }
    baseline = Map.copyOf(b);
  }

  @Override
  public String toString() {
    return "CapturedTelemetry[" + telemetry.serviceInfo().name() + ", receiver " + receiver.endpoint() + "]";
  }
}
