package io.github.telemetrybootstrap.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts for every span that will never reach the collector, by reason, and says so in one
 * throttled warning.
 *
 * <p>Meter {@code telemetry.spans.dropped} (Prometheus {@code telemetry_spans_dropped_total}), in
 * spans, with tags {@code reason} and {@code error_type}:
 * <ul>
 *   <li>{@code reason=queue_full, error_type=queue_full}: the batch span processor's queue
 *       ({@code otel.bsp.max.queue.size}) was full when the span ended. Read from the SDK's own
 *       processor counter ({@code processedSpans} with {@code dropped=true}, or
 *       {@code otel.sdk.processor.span.processed} with {@code error.type=queue_full}) through a metric
 *       reader registered on the SDK's meter provider, so the count is exact;</li>
 *   <li>{@code reason=export_failed}: the export of a batch failed; {@code error_type} is the HTTP
 *       status code ({@code 503}, {@code 429}), the gRPC status name, or the exception's class name
 *       ({@code java.net.ConnectException}), as OpenTelemetry's {@code error.type} convention says;</li>
 *   <li>{@code reason=shutdown_timeout, error_type=timeout}: spans still buffered when the shutdown
 *       timeout ran out.</li>
 * </ul>
 * Meter {@code telemetry.spans.exported} counts the spans delivered.
 *
 * <p>The warning is logged at most once per interval, from logger
 * {@code io.github.telemetrybootstrap.tracing}, with the spans lost since the previous one by reason;
 * the SDK's own repeated "BatchSpanProcessor dropped N span(s)" lines are folded into it (a JUL filter
 * turns them into a report). Endpoint URLs in the text are masked ({@code user:****@}).
 *
 * <p>Internal: not part of the public API. Never throws.
 */
public final class SpanLoss {
  static final Logger LOG = LoggerFactory.getLogger("io.github.telemetrybootstrap.tracing");
  /** Meter name of lost spans. */
  public static final String DROPPED = "telemetry.spans.dropped";
  /** Meter name of delivered spans. */
  public static final String EXPORTED = "telemetry.spans.exported";
  /** JUL logger of the SDK's batch span processor. */
  static final String BSP_LOGGER = "io.opentelemetry.sdk.trace.export.BatchSpanProcessor";

  private static final AttributeKey<Boolean> LEGACY_DROPPED = AttributeKey.booleanKey("dropped");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final MeterRegistry registry;
  private volatile String destination = "the OTLP endpoint";
  private final long warnIntervalNanos;
  private final LongSupplier clock;
  private final Counter exported;
  private final LongAdder exportedTotal = new LongAdder();
  private final LongAdder failedTotal = new LongAdder();
  private final LongAdder ended = new LongAdder();
  private final Map<String, Counter> failedByType = new ConcurrentHashMap<>();
  private final Counter shutdownTimeout;
  private final SdkReader reader = new SdkReader();
  private final AtomicLong nextWarningAt;
  /** Totals at the last report, per reason. */
  private long reportedQueueFull;
  private long reportedFailed;
  private long reportedShutdown;
  private final Map<String, LongAdder> failedSinceReport = new ConcurrentHashMap<>();
  private final Object reportLock = new Object();
  /** Set once the shutdown gave up: later export outcomes are not counted again. */
  private volatile boolean settled;

  /**
   * @param registry where the meters are registered
   * @param warnIntervalNanos minimum time between two warnings, nanoseconds
   * @param clock monotonic clock, {@code System::nanoTime} in production
   */
  public SpanLoss(MeterRegistry registry, long warnIntervalNanos, LongSupplier clock) {
    this.registry = registry;
    this.warnIntervalNanos = warnIntervalNanos;
    this.clock = clock;
    this.nextWarningAt = new AtomicLong(clock.getAsLong());
    this.exported =
        Counter.builder(EXPORTED)
            .description("Spans delivered to the OTLP endpoint (spans)")
            .register(registry);
    FunctionCounter.builder(DROPPED, reader, SdkReader::queueFull)
        .description("Spans that will never reach the collector, by reason (spans)")
        .tag("reason", "queue_full")
        .tag("error_type", "queue_full")
        .register(registry);
    this.shutdownTimeout =
        Counter.builder(DROPPED)
            .description("Spans that will never reach the collector, by reason (spans)")
            .tag("reason", "shutdown_timeout")
            .tag("error_type", "timeout")
            .register(registry);
  }

  /**
   * Sets where spans go, for the warning text.
   *
   * @param destination the endpoint description; masked here
   */
  public void setDestination(String destination) {
    this.destination = Endpoints.mask(destination);
  }

  /** @return the reader to register on the SDK's meter provider */
  public MetricReader sdkMetricReader() {
    return reader;
  }

  /** @return a span processor counting the sampled spans that ended (what should be delivered) */
  public SpanProcessor endedSpanCounter() {
    return new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {}

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        if (span.getSpanContext().isSampled()) {
          ended.increment();
        }
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    };
  }

  /**
   * A JUL filter for the SDK's batch span processor logger: its "dropped N span(s)" lines become a
   * (throttled) report of ours; every other record passes.
   *
   * @return the filter
   */
  public Filter bspLogFilter() {
    return (LogRecord record) -> {
      String msg = record.getMessage();
      if (msg != null && msg.startsWith("BatchSpanProcessor dropped")) {
        maybeWarn(null);
        return false;
      }
      return true;
    };
  }

  void exported(int n) {
    if (settled) {
      return; // already counted as shutdown_timeout
    }
    exported.increment(n);
    exportedTotal.add(n);
  }

  void exportFailed(int n, @Nullable Throwable cause) {
    if (settled) {
      return; // already counted as shutdown_timeout
    }
    String type = errorType(cause);
    failedByType
        .computeIfAbsent(
            type,
            t ->
                Counter.builder(DROPPED)
                    .description("Spans that will never reach the collector, by reason (spans)")
                    .tag("reason", "export_failed")
                    .tag("error_type", t)
                    .register(registry))
        .increment(n);
    failedTotal.add(n);
    failedSinceReport.computeIfAbsent(describe(cause), k -> new LongAdder()).add(n);
    maybeWarn(cause);
  }

  /**
   * Counts the spans still buffered after a shutdown that ran out of time (ended, but neither
   * delivered, failed, nor dropped at the queue). Export outcomes that arrive afterwards are not
   * counted again (a span counted here stays counted here, even if a late export delivers it).
   *
   * @return how many were counted
   */
  public long shutdownTimedOut() {
    long pending = pending();
    if (pending > 0) {
      shutdownTimeout.increment(pending);
    }
    settled = true;
    return Math.max(0, pending);
  }

  /** @return sampled spans ended but not yet accounted for (queued or being exported) */
  public long pending() {
    return ended.sum() - exportedTotal.sum() - failedTotal.sum() - reader.queueFull()
        - (long) shutdownTimeout.count();
  }

  /** @return the spans delivered so far */
  public long exportedCount() {
    return exportedTotal.sum();
  }

  /** @return the spans lost so far, all reasons */
  public long droppedCount() {
    return failedTotal.sum() + reader.queueFull() + (long) shutdownTimeout.count();
  }

  /**
   * One line for the shutdown report: what was delivered and what was lost, by reason.
   *
   * @return e.g. {@code 1200 span(s) exported, 35 dropped (queue full 0, export failed 35, shutdown timeout 0)}
   */
  public String summary() {
    return exportedTotal.sum() + " span(s) exported, " + droppedCount() + " dropped (queue full "
        + reader.queueFull() + ", export failed " + failedTotal.sum() + ", shutdown timeout "
        + (long) shutdownTimeout.count() + ")";
  }

  private void maybeWarn(@Nullable Throwable lastCause) {
    long now = clock.getAsLong();
    long due = nextWarningAt.get();
    if (now - due < 0 || !nextWarningAt.compareAndSet(due, now + warnIntervalNanos)) {
      return;
    }
    long queueFull;
    long failed;
    long shutdown;
    StringBuilder causes = new StringBuilder();
    synchronized (reportLock) {
      long q = reader.queueFull();
      long f = failedTotal.sum();
      long s = (long) shutdownTimeout.count();
      queueFull = q - reportedQueueFull;
      failed = f - reportedFailed;
      shutdown = s - reportedShutdown;
      reportedQueueFull = q;
      reportedFailed = f;
      reportedShutdown = s;
      for (Map.Entry<String, LongAdder> e : failedSinceReport.entrySet()) {
        long n = e.getValue().sumThenReset();
        if (n > 0) {
          causes.append(causes.length() == 0 ? "" : "; ").append(e.getKey()).append(": ").append(n);
        }
      }
    }
    long total = queueFull + failed + shutdown;
    if (total <= 0) {
      nextWarningAt.set(now); // nothing to say yet: let the next loss report at once
      return;
    }
    LOG.warn(
        "Spans to {} are being lost: {} span(s) since the last report (queue full: {}, export failed: {}{}, "
            + "shutdown timeout: {}); totals in metric telemetry_spans_dropped_total by reason. "
            + "Requests are not affected. Next report in {} s at the earliest.",
        destination,
        total,
        queueFull,
        failed,
        causes.length() == 0 ? "" : " [" + causes + "]",
        shutdown,
        TimeUnit.NANOSECONDS.toSeconds(warnIntervalNanos));
  }

  /**
   * The {@code error_type} of a failed export: the HTTP status code, the gRPC status, or the
   * exception class name (OpenTelemetry semantic conventions, {@code error.type}), unwrapped from the
   * sender's {@code CompletionException}, {@code ExecutionException} or {@code UncheckedIOException}.
   */
  static String errorType(@Nullable Throwable cause) {
    try {
      if (cause instanceof FailedExportException.HttpExportException http && http.failedWithResponse()
          && http.getResponse() != null) {
        return Integer.toString(http.getResponse().getStatusCode());
      }
      if (cause instanceof FailedExportException.GrpcExportException grpc && grpc.failedWithResponse()
          && grpc.getResponse() != null) {
        return grpc.getResponse().getStatusCode().name();
      }
    } catch (RuntimeException | LinkageError e) {
      // An SDK without these types: fall back to the class name.
    }
    if (cause == null) {
      return "_OTHER";
    }
    Throwable root = cause;
    if (cause instanceof FailedExportException && cause.getCause() != null) {
      root = cause.getCause();
    }
    // The JDK sender reports what its HttpClient future failed with, wrapped
    // (CompletionException, UncheckedIOException): the cause inside (java.net.ConnectException), as
    // OkHttp reports it directly.
    while ((root instanceof java.util.concurrent.CompletionException
            || root instanceof java.util.concurrent.ExecutionException
            || root instanceof java.io.UncheckedIOException)
        && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getName();
  }

  static String describe(@Nullable Throwable cause) {
    if (cause == null) {
      return "no cause given";
    }
    try {
      if (cause instanceof FailedExportException.HttpExportException http && http.failedWithResponse()
          && http.getResponse() != null) {
        String message = http.getResponse().getStatusMessage();
        return "HTTP " + http.getResponse().getStatusCode() + (message == null || message.isBlank() ? "" : " " + message);
      }
      if (cause instanceof FailedExportException.GrpcExportException grpc && grpc.failedWithResponse()
          && grpc.getResponse() != null) {
        return "gRPC " + grpc.getResponse().getStatusCode();
      }
    } catch (RuntimeException | LinkageError e) {
      // fall through
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return root.getClass().getSimpleName() + (msg == null ? "" : " (" + Endpoints.maskInText(msg) + ")");
  }

  /** Reads the SDK's own span processor counters. */
  static final class SdkReader implements MetricReader {
    private volatile CollectionRegistration registration = CollectionRegistration.noop();
    private volatile long last;

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    /** Spans the batch span processors dropped because their queue was full, since start. */
    long queueFull() {
      long sum = 0;
      try {
        for (MetricData m : registration.collectAllMetrics()) {
          String name = m.getName();
          if (!name.equals("processedSpans") && !name.equals("otel.sdk.processor.span.processed")) {
            continue;
          }
          for (LongPointData p : m.getLongSumData().getPoints()) {
            Attributes a = p.getAttributes();
            if (Boolean.TRUE.equals(a.get(LEGACY_DROPPED)) || "queue_full".equals(a.get(ERROR_TYPE))) {
              sum += p.getValue();
            }
          }
        }
      } catch (RuntimeException | LinkageError e) {
        return last; // never throw into a scrape; keep the last known value
      }
      // Monotonic: the SDK's meter provider is gone after shutdown; keep the last total.
      if (sum > last) {
        last = sum;
      }
      return last;
    }
  }
}
