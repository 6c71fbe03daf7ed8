package io.github.telemetrybootstrap;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the one {@link Telemetry} of this JVM. Values given here override both the {@code OTEL_*} /
 * {@code otel.*} and the {@code TELEMETRY_*} / {@code telemetry.*} settings; they are meant for
 * tests and for frameworks that read their own configuration.
 *
 * <pre>{@code
 * Telemetry telemetry = Telemetry.builder()
 *     .serviceName("orders")
 *     .otelProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:4318")
 *     .setting(TelemetrySettings.METRICS_PORT, "0")
 *     .build();
 * }</pre>
 *
 * <p>Not thread-safe; build once.
 */
public final class TelemetryBuilder {
  final Map<String, String> otelProperties = new LinkedHashMap<>();
  final Map<String, String> settings = new LinkedHashMap<>();
  boolean shutdownHook = true;

  TelemetryBuilder() {}

  /**
   * Sets {@code service.name} (OpenTelemetry {@code otel.service.name}).
   *
   * @param serviceName the logical name of the service, e.g. {@code orders}
   * @return this builder
   */
  public TelemetryBuilder serviceName(String serviceName) {
    return otelProperty("otel.service.name", Objects.requireNonNull(serviceName, "serviceName"));
  }

  /**
   * Overrides one OpenTelemetry SDK autoconfigure property, with priority over environment
   * variables and system properties. See the SDK's autoconfigure documentation for the keys.
   *
   * @param key an {@code otel.*} key, e.g. {@code otel.exporter.otlp.endpoint}
   * @param value its value
   * @return this builder
   * @throws IllegalArgumentException if the key does not start with {@code otel.}
   */
  public TelemetryBuilder otelProperty(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (!key.startsWith("otel.")) {
      throw new IllegalArgumentException("not an otel.* key: " + key);
    }
    otelProperties.put(key, value);
    return this;
  }

  /**
   * Overrides one of the library's own settings (the keys in {@link TelemetrySettings}), with
   * priority over system properties and environment variables. Unknown keys fail at {@link #build()}.
   *
   * @param key a {@code telemetry.*} key, e.g. {@link TelemetrySettings#METRICS_PORT}
   * @param value its value
   * @return this builder
   */
  public TelemetryBuilder setting(String key, String value) {
    settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Whether to register a JVM shutdown hook that flushes spans and logs within
   * {@link TelemetrySettings#SHUTDOWN_TIMEOUT}. Default {@code true}.
   *
   * @param register false to rely on {@link Telemetry#close()} alone
   * @return this builder
   */
  public TelemetryBuilder registerShutdownHook(boolean register) {
    this.shutdownHook = register;
    return this;
  }

  /**
   * Bootstraps telemetry, or returns the instance already running (bootstrap is idempotent; the
   * values of a later builder are then ignored with a warning).
   *
   * @return the running telemetry
   * @throws TelemetryConfigurationException if a setting is invalid; nothing is left running
   */
  public Telemetry build() {
    return Telemetry.start(this);
  }
}
