package io.github.telemetrybootstrap.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps the configured span exporter to count what it delivers and what it loses, and to say so in
 * one throttled warning instead of one error per failed batch.
 *
 * <p>Meters: {@code telemetry.spans.exported} and {@code telemetry.spans.dropped} with tag
 * {@code reason=export_failed} (Prometheus {@code telemetry_spans_exported_total},
 * {@code telemetry_spans_dropped_total}), counting spans; no base unit is set, so Micrometer does
 * not append one to the Prometheus name. The warning is logged at most once per
 * {@code warnInterval} and carries the number of spans dropped since the previous one. Never throws:
 * an exception from the delegate is caught and counted as a failed export.
 *
 * <p>Internal: not part of the public API.
 */
public final class DropCountingSpanExporter implements SpanExporter {
  private static final Logger LOG = LoggerFactory.getLogger("io.github.telemetrybootstrap.tracing");

  private final SpanExporter delegate;
  private final String destination;
  private final Counter exported;
  private final Counter dropped;
  private final long warnIntervalNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong droppedSinceWarning = new AtomicLong();
  private final AtomicLong nextWarningAt;

  /**
   * @param delegate the exporter autoconfigure built
   * @param destination where spans go, for the warning text (e.g. the endpoint URL)
   * @param registry where the counters are registered
   * @param warnIntervalNanos minimum time between two warnings, nanoseconds
   * @param nanoClock monotonic clock, {@code System::nanoTime} in production
   */
  public DropCountingSpanExporter(
      SpanExporter delegate,
      String destination,
      MeterRegistry registry,
      long warnIntervalNanos,
      LongSupplier nanoClock) {
    this.delegate = delegate;
    this.destination = destination;
    this.exported =
        Counter.builder("telemetry.spans.exported")
            .description("Spans delivered to the OTLP endpoint (spans)")
            .register(registry);
    this.dropped =
        Counter.builder("telemetry.spans.dropped")
            .description("Spans lost because the export failed (spans)")
            .tag("reason", "export_failed")
            .register(registry);
    this.warnIntervalNanos = warnIntervalNanos;
    this.nanoClock = nanoClock;
    this.nextWarningAt = new AtomicLong(nanoClock.getAsLong());
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    int n = spans.size();
    CompletableResultCode result;
    try {
      result = delegate.export(spans);
    } catch (RuntimeException e) {
      failed(n, e);
      return CompletableResultCode.ofFailure();
    }
    result.whenComplete(
        () -> {
          if (result.isSuccess()) {
            exported.increment(n);
          } else {
            failed(n, result.getFailureThrowable());
          }
        });
    return result;
  }

  private void failed(int n, Throwable cause) {
    dropped.increment(n);
    long pending = droppedSinceWarning.addAndGet(n);
    long now = nanoClock.getAsLong();
    long due = nextWarningAt.get();
    if (now - due >= 0 && nextWarningAt.compareAndSet(due, now + warnIntervalNanos)) {
      droppedSinceWarning.addAndGet(-pending);
      LOG.warn(
          "Span export to {} failed{}; {} span(s) dropped since the last report "
              + "(total in metric telemetry_spans_dropped_total). Requests are not affected. "
              + "Next report in {} s at the earliest.",
          destination,
          cause == null ? "" : ": " + describe(cause),
          pending,
          TimeUnit.NANOSECONDS.toSeconds(warnIntervalNanos));
    }
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return root.getClass().getSimpleName() + (msg == null ? "" : " (" + msg + ")");
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return "DropCountingSpanExporter{" + delegate + "}";
  }
}
