package io.github.telemetrybootstrap.quarkus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSourceProvider;

/**
 * Two configuration sources that give a Quarkus service the tracing setup of telemetry-core.
 *
 * <ul>
 *   <li><b>Defaults</b> (ordinal {@value #DEFAULTS_ORDINAL}, below {@code application.properties}):
 *       OTLP {@code http/protobuf} to {@code http://localhost:4318}, the OpenTelemetry specification's
 *       defaults, instead of Quarkus's gRPC on 4317.
 *   <li><b>The standard {@code OTEL_*} variables</b> (ordinal {@value #STANDARD_ORDINAL}: above
 *       {@code application.properties} (250), below {@code QUARKUS_OTEL_*} environment variables (300)
 *       and system properties (400)), each mapped to its {@code quarkus.otel.*} key, as the
 *       OpenTelemetry SDK Configuration specification names them. A system property ({@code
 *       otel.exporter.otlp.endpoint}) wins over the variable. Durations in milliseconds (timeouts, the
 *       batch delay) are converted. {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} is a full URL by the
 *       specification; its {@code /v1/traces} path is removed because Quarkus appends it.
 * </ul>
 *
 * <p>Build-time settings of Quarkus OpenTelemetry (the sampler type, propagators, exporter choice)
 * cannot change at run time and are not mapped; set them in {@code application.properties}.
 */
public final class OpenTelemetryConfigSources implements ConfigSourceProvider {
  /** Ordinal of the defaults source. */
  public static final int DEFAULTS_ORDINAL = 110;
  /** Ordinal of the source mapping the standard {@code OTEL_*} variables. */
  public static final int STANDARD_ORDINAL = 290;

  /** Standard name (system property form) to Quarkus key. */
  static final Map<String, String> STANDARD_TO_QUARKUS = standardNames();

  private static final Set<String> MILLISECONDS =
      Set.of(
          "otel.exporter.otlp.timeout", "otel.exporter.otlp.traces.timeout", "otel.bsp.schedule.delay",
          "otel.bsp.export.timeout");

  @Override
  public Iterable<ConfigSource> getConfigSources(ClassLoader forClassLoader) {
    return List.of(
        new MapSource("telemetry-otel-defaults", DEFAULTS_ORDINAL, Map.of(
            "quarkus.otel.exporter.otlp.protocol", "http/protobuf",
            "quarkus.otel.exporter.otlp.endpoint", "http://localhost:4318")),
        new MapSource("telemetry-otel-standard-variables", STANDARD_ORDINAL,
            mapStandard(System.getenv(), System.getProperties())));
  }

  /**
   * Maps the standard settings found in the environment and system properties to Quarkus keys.
   *
   * @param env the environment
   * @param properties the system properties
   * @return Quarkus key to value
   */
  static Map<String, String> mapStandard(Map<String, String> env, java.util.Properties properties) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : STANDARD_TO_QUARKUS.entrySet()) {
      String standard = e.getKey();
      String value = properties.getProperty(standard);
      if (value == null) {
        value = env.get(standard.toUpperCase(Locale.ROOT).replace('.', '_'));
      }
      if (value == null || value.isBlank()) {
        continue;
      }
      value = value.strip();
      if (MILLISECONDS.contains(standard) && value.chars().allMatch(Character::isDigit)) {
        value = value + "ms";
      }
      if (standard.equals("otel.exporter.otlp.traces.endpoint") && value.endsWith("/v1/traces")) {
        value = value.substring(0, value.length() - "/v1/traces".length());
      }
      out.put(e.getValue(), value);
    }
    return out;
  }

  private static Map<String, String> standardNames() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("otel.service.name", "quarkus.otel.service.name");
    m.put("otel.resource.attributes", "quarkus.otel.resource.attributes");
    m.put("otel.sdk.disabled", "quarkus.otel.sdk.disabled");
    for (String signal : new String[] {"", "traces."}) {
      String from = "otel.exporter.otlp." + signal;
      String to = "quarkus.otel.exporter.otlp." + signal;
      for (String k : new String[] {"endpoint", "protocol", "headers", "timeout", "compression"}) {
        m.put(from + k, to + k);
      }
    }
    m.put("otel.traces.sampler.arg", "quarkus.otel.traces.sampler.arg");
    m.put("otel.bsp.schedule.delay", "quarkus.otel.bsp.schedule.delay");
    m.put("otel.bsp.max.queue.size", "quarkus.otel.bsp.max.queue.size");
    m.put("otel.bsp.max.export.batch.size", "quarkus.otel.bsp.max.export.batch.size");
    m.put("otel.bsp.export.timeout", "quarkus.otel.bsp.export.timeout");
    return Collections.unmodifiableMap(m);
  }

  private record MapSource(String name, int ordinal, Map<String, String> values) implements ConfigSource {
    @Override
    public Map<String, String> getProperties() {
      return values;
    }

    @Override
    public Set<String> getPropertyNames() {
      return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
      return values.get(propertyName);
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public int getOrdinal() {
      return ordinal;
    }
  }
}
