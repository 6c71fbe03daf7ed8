package io.github.telemetrybootstrap.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * Wraps the configured span exporter to count what it delivers and what it loses ({@link SpanLoss}),
 * instead of the exporter's one error per failed batch. Never throws: an exception from the delegate
 * is caught and counted as a failed export.
 *
 * <p>Internal: not part of the public API.
 */
public final class DropCountingSpanExporter implements SpanExporter {
  private final SpanExporter delegate;
  private final SpanLoss loss;

  /**
   * @param delegate the exporter autoconfigure built
   * @param loss where deliveries and losses are counted and reported
   */
  public DropCountingSpanExporter(SpanExporter delegate, SpanLoss loss) {
    this.delegate = delegate;
    this.loss = loss;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    int n = spans.size();
    CompletableResultCode result;
    try {
      result = delegate.export(spans);
    } catch (RuntimeException e) {
      loss.exportFailed(n, e);
      return CompletableResultCode.ofFailure();
    }
    result.whenComplete(
        () -> {
          if (result.isSuccess()) {
            loss.exported(n);
          } else {
            loss.exportFailed(n, result.getFailureThrowable());
          }
        });
    return result;
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
