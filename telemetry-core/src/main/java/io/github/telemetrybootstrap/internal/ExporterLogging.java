package io.github.telemetrybootstrap.internal;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Silences the OpenTelemetry exporters' own per-failure error logs: {@link DropCountingSpanExporter}
 * reports export failures in one throttled warning with the cause and a counter instead, so an
 * unreachable collector does not flood stdout.
 *
 * <p>Internal: not part of the public API.
 */
public final class ExporterLogging {
  /** java.util.logging loggers the OTLP exporters report each failed export on. */
  static final List<String> NOISY =
      List.of(
          // OpenTelemetry Java 1.65 and later
          "io.opentelemetry.exporter.otlp.internal.HttpExporter",
          "io.opentelemetry.exporter.otlp.internal.GrpcExporter",
          // earlier releases
          "io.opentelemetry.exporter.internal.http.HttpExporter",
          "io.opentelemetry.exporter.internal.grpc.GrpcExporter");

  // JUL holds loggers weakly: keep them, or the level is lost when they are collected.
  private static final List<Logger> HELD = NOISY.stream().map(Logger::getLogger).toList();

  private ExporterLogging() {}

  private static final Logger BSP = Logger.getLogger(SpanLoss.BSP_LOGGER);

  /**
   * Turns the noisy loggers off, in JUL and, when logback is the SLF4J binding, in logback, and folds
   * the batch span processor's repeated "dropped N span(s)" lines into {@code loss}'s report.
   *
   * @param loss the span loss accounting of this bootstrap
   */
  public static void quiet(SpanLoss loss) {
    for (Logger l : HELD) {
      l.setLevel(Level.OFF);
    }
    BSP.setFilter(loss.bspLogFilter());
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
      for (String name : NOISY) {
        ctx.getLogger(name).setLevel(ch.qos.logback.classic.Level.OFF);
      }
    }
  }
}
