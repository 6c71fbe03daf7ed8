package io.github.telemetrybootstrap.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The standard OTEL_* variables reach Quarkus OpenTelemetry under its own keys. */
class OpenTelemetryConfigSourcesTest {
  @Test
  void variablesAreMappedAndMillisecondsConverted() {
    Map<String, String> mapped = OpenTelemetryConfigSources.mapStandard(Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:4318/v1/traces",
        "OTEL_SERVICE_NAME", "orders",
        "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=prod",
        "OTEL_EXPORTER_OTLP_TIMEOUT", "2500",
        "OTEL_BSP_SCHEDULE_DELAY", "100",
        "OTEL_TRACES_SAMPLER_ARG", "0.25"), new Properties());
    assertThat(mapped).containsEntry("quarkus.otel.exporter.otlp.endpoint", "http://collector:4318")
        .containsEntry("quarkus.otel.exporter.otlp.traces.endpoint", "http://traces:4318")
        .containsEntry("quarkus.otel.service.name", "orders")
        .containsEntry("quarkus.otel.resource.attributes", "deployment.environment.name=prod")
        .containsEntry("quarkus.otel.exporter.otlp.timeout", "2500ms")
        .containsEntry("quarkus.otel.bsp.schedule.delay", "100ms")
        .containsEntry("quarkus.otel.traces.sampler.arg", "0.25");
  }

  @Test
  void aSystemPropertyWinsOverTheVariableAndBlankIsUnset() {
    Properties props = new Properties();
    props.setProperty("otel.service.name", "from-property");
    Map<String, String> mapped = OpenTelemetryConfigSources.mapStandard(
        Map.of("OTEL_SERVICE_NAME", "from-env", "OTEL_EXPORTER_OTLP_ENDPOINT", " "), props);
    assertThat(mapped).containsEntry("quarkus.otel.service.name", "from-property")
        .doesNotContainKey("quarkus.otel.exporter.otlp.endpoint");
  }

  @Test
  void theSourcesSitBetweenTheDefaultsAndQuarkusVariables() {
    var sources = new java.util.ArrayList<org.eclipse.microprofile.config.spi.ConfigSource>();
    new OpenTelemetryConfigSources().getConfigSources(getClass().getClassLoader()).forEach(sources::add);
    assertThat(sources).extracting(org.eclipse.microprofile.config.spi.ConfigSource::getOrdinal)
        .containsExactly(110, 290);
    assertThat(sources.get(0).getValue("quarkus.otel.exporter.otlp.protocol")).isEqualTo("http/protobuf");
    assertThat(sources.get(0).getValue("quarkus.otel.exporter.otlp.endpoint")).isEqualTo("http://localhost:4318");
  }
}
