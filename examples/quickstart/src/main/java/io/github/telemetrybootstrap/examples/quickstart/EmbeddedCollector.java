package io.github.telemetrybootstrap.examples.quickstart;

import io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver;
import io.github.telemetrybootstrap.testkit.otlp.TraceSummary;
import java.io.PrintStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The quickstart's stand-in for a collector: when no OTLP endpoint is configured, the testkit's
 * in-process OTLP receiver listens on loopback, the bootstrap is pointed at it, and one summary line
 * per received trace goes to stderr (stdout stays pure JSON logs).
 */
final class EmbeddedCollector implements AutoCloseable {
  private final OtlpReceiver receiver;

  private EmbeddedCollector(OtlpReceiver receiver) {
    this.receiver = receiver;
  }

  /**
   * Starts the receiver unless {@code OTEL_EXPORTER_OTLP_ENDPOINT} / {@code
   * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (or their system properties) are set.
   *
   * @return the running collector, or {@code null} when a real endpoint is configured
   */
  static @Nullable EmbeddedCollector startIfNoEndpointConfigured() {
    if (configured("otel.exporter.otlp.endpoint") || configured("otel.exporter.otlp.traces.endpoint")) {
      return null;
    }
    OtlpReceiver receiver = OtlpReceiver.start();
    PrintStream err = System.err;
    // One line per trace once it has been quiet for half a second (a trace may span SDK batches).
    receiver.addTraceListener(Duration.ofMillis(500), spans -> err.println(TraceSummary.format(spans)));
    // The bootstrap reads these like any user setting; export quickly so the demo feels live.
    System.setProperty("otel.exporter.otlp.endpoint", receiver.endpoint());
    if (!configured("otel.bsp.schedule.delay")) {
      System.setProperty("otel.bsp.schedule.delay", "500");
    }
    err.println("Embedded OTLP receiver on " + receiver.endpoint() + ": one line per trace below.");
    return new EmbeddedCollector(receiver);
  }

  private static boolean configured(String property) {
    String env = property.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    return System.getProperty(property) != null || System.getenv(env) != null;
  }

  @Override
  public void close() {
    receiver.close();
  }
}
