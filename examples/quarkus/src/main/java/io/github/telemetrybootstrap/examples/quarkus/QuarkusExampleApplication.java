package io.github.telemetrybootstrap.examples.quarkus;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the service. Without an OTLP endpoint configured ({@code OTEL_EXPORTER_OTLP_ENDPOINT},
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} or {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}), an
 * embedded OTLP receiver takes the spans and prints one line per trace on stderr, as the quickstart
 * does.
 */
@QuarkusMain
public final class QuarkusExampleApplication {
  QuarkusExampleApplication() {}

  /**
   * @param args passed to Quarkus
   */
  public static void main(String... args) {
    EmbeddedCollector collector = EmbeddedCollector.startIfNoEndpointConfigured();
    try {
      Quarkus.run(args);
    } finally {
      if (collector != null) {
        collector.close();
      }
    }
  }
}
