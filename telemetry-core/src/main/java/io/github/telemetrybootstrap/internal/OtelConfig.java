package io.github.telemetrybootstrap.internal;

import io.github.telemetrybootstrap.TelemetryConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurablePropagatorProvider;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSamplerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The library's OpenTelemetry defaults and the checks that turn a bad {@code OTEL_*} value into a
 * {@link TelemetryConfigurationException} naming the key and the value.
 *
 * <p>Internal: not part of the public API.
 */
public final class OtelConfig {
  private OtelConfig() {}

  /**
   * The defaults handed to the SDK autoconfigure at the lowest priority: any {@code OTEL_*}
   * environment variable, {@code otel.*} system property or builder override wins.
   *
   * @return an immutable map of {@code otel.*} keys to values
   */
  public static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("otel.traces.exporter", "otlp");
    d.put("otel.exporter.otlp.protocol", "http/protobuf");
    d.put("otel.exporter.otlp.endpoint", "http://localhost:4318");
    d.put("otel.traces.sampler", "parentbased_always_on");
    d.put("otel.propagators", "tracecontext,baggage");
    // stdout JSON is the log path; Prometheus scrapes the metrics.
    d.put("otel.logs.exporter", "none");
    d.put("otel.metrics.exporter", "none");
    return Map.copyOf(d);
  }

  /**
   * Checks the merged configuration before the SDK builds anything.
   *
   * @param config the configuration autoconfigure resolved (defaults, environment, system properties,
   *     builder overrides)
   * @param sys system property lookup, to name the key as the user wrote it
   * @param env environment lookup, to name the key as the user wrote it
   * @throws TelemetryConfigurationException naming the first invalid key and its value
   */
  public static void validate(
      ConfigProperties config,
      Function<String, @Nullable String> sys,
      Function<String, @Nullable String> env) {
    KeyNamer names = new KeyNamer(sys, env);
    for (String key :
        List.of("otel.exporter.otlp.endpoint", "otel.exporter.otlp.traces.endpoint")) {
      String v = config.getString(key);
      if (v != null) {
        checkEndpoint(names.name(key), v);
      }
    }
    for (String key :
        List.of("otel.exporter.otlp.protocol", "otel.exporter.otlp.traces.protocol")) {
      String v = config.getString(key);
      if (v != null && !Set.of("grpc", "http/protobuf", "http/json").contains(v)) {
        throw new TelemetryConfigurationException(
            names.name(key), v, "expected one of grpc, http/protobuf, http/json", null);
      }
    }
    Set<String> exporters = new TreeSet<>(List.of("none"));
    for (ConfigurableSpanExporterProvider p : load(ConfigurableSpanExporterProvider.class)) {
      exporters.add(p.getName());
    }
    for (String exporter : config.getList("otel.traces.exporter")) {
      if (!exporters.contains(exporter)) {
        throw new TelemetryConfigurationException(
            names.name("otel.traces.exporter"),
            config.getString("otel.traces.exporter"),
            "unknown span exporter '" + exporter + "'; available: " + exporters,
            null);
      }
    }
    Set<String> propagators = new TreeSet<>(List.of("tracecontext", "baggage", "none"));
    for (ConfigurablePropagatorProvider p : load(ConfigurablePropagatorProvider.class)) {
      propagators.add(p.getName());
    }
    for (String propagator : config.getList("otel.propagators")) {
      if (!propagators.contains(propagator)) {
        throw new TelemetryConfigurationException(
            names.name("otel.propagators"),
            config.getString("otel.propagators"),
            "unknown propagator '" + propagator + "'; available: " + propagators,
            null);
      }
    }
    checkSampler(config, names);
    for (String key : List.of("otel.resource.attributes", "otel.exporter.otlp.headers",
        "otel.exporter.otlp.traces.headers")) {
      checkMap(names, key, config.getString(key));
    }
    for (String key : List.of("otel.exporter.otlp.compression", "otel.exporter.otlp.traces.compression")) {
      String v = config.getString(key);
      if (v != null && !Set.of("gzip", "none").contains(v.strip())) {
        throw new TelemetryConfigurationException(names.name(key), v, "expected gzip or none", null);
      }
    }
    for (String key : List.of("otel.exporter.otlp.timeout", "otel.exporter.otlp.traces.timeout",
        "otel.bsp.schedule.delay", "otel.bsp.export.timeout")) {
      checkDuration(names, key, config.getString(key));
    }
    for (String key : List.of("otel.bsp.max.queue.size", "otel.bsp.max.export.batch.size",
        "otel.attribute.value.length.limit", "otel.attribute.count.limit",
        "otel.span.attribute.value.length.limit", "otel.span.attribute.count.limit",
        "otel.span.event.count.limit", "otel.span.link.count.limit")) {
      checkPositiveInt(names, key, config.getString(key));
    }
  }

  /** {@code key1=value1,key2=value2}: the OpenTelemetry SDK environment variable map format. */
  private static void checkMap(KeyNamer names, String key, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    for (String entry : value.split(",", -1)) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0 || entry.substring(0, eq).isBlank()) {
        throw new TelemetryConfigurationException(
            names.name(key), value, "expected comma-separated key=value pairs (entry '"
                + (key.endsWith("headers") ? "****" : entry.strip()) + "' has no key=)", null);
      }
    }
  }

  /** A duration as the SDK reads it: a number of milliseconds, or with ms, s, m, h or d. */
  private static void checkDuration(KeyNamer names, String key, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    if (!value.strip().matches("[0-9]+\\s*(ms|s|m|h|d)?")) {
      throw new TelemetryConfigurationException(
          names.name(key), value, "expected a duration: milliseconds, or a number with ms, s, m, h or d", null);
    }
  }

  private static void checkPositiveInt(KeyNamer names, String key, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    try {
      if (Integer.parseInt(value.strip()) <= 0) {
        throw new NumberFormatException("not positive");
      }
    } catch (NumberFormatException e) {
      throw new TelemetryConfigurationException(names.name(key), value, "expected a positive integer", e);
    }
  }

  private static void checkSampler(ConfigProperties config, KeyNamer names) {
    Set<String> samplers =
        new TreeSet<>(
            List.of(
                "always_on",
                "always_off",
                "traceidratio",
                "parentbased_always_on",
                "parentbased_always_off",
                "parentbased_traceidratio"));
    for (ConfigurableSamplerProvider p : load(ConfigurableSamplerProvider.class)) {
      samplers.add(p.getName());
    }
    String sampler = config.getString("otel.traces.sampler", "parentbased_always_on");
    if (!samplers.contains(sampler)) {
      throw new TelemetryConfigurationException(
          names.name("otel.traces.sampler"), sampler, "expected one of " + samplers, null);
    }
    String arg = config.getString("otel.traces.sampler.arg");
    if (arg != null && sampler.endsWith("traceidratio")) {
      double ratio;
      try {
        ratio = Double.parseDouble(arg.strip());
      } catch (NumberFormatException e) {
        throw new TelemetryConfigurationException(
            names.name("otel.traces.sampler.arg"), arg, "expected a ratio between 0.0 and 1.0", e);
      }
      if (!(ratio >= 0.0 && ratio <= 1.0)) {
        throw new TelemetryConfigurationException(
            names.name("otel.traces.sampler.arg"), arg, "expected a ratio between 0.0 and 1.0", null);
      }
    }
  }

  private static void checkEndpoint(String key, String value) {
    String expected = "expected an http or https URL such as http://localhost:4318";
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw new TelemetryConfigurationException(key, value, expected, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new TelemetryConfigurationException(key, value, expected, null);
    }
    if (uri.getPort() > 65535) {
      throw new TelemetryConfigurationException(key, value, expected + " (port out of range)", null);
    }
  }

  private static <T> Iterable<T> load(Class<T> type) {
    return ServiceLoader.load(type, OtelConfig.class.getClassLoader());
  }

  /**
   * Names an {@code otel.*} key the way the user set it: {@code -Dotel.x.y} for a system property,
   * {@code OTEL_X_Y} for an environment variable, the plain key otherwise (builder or default).
   */
  public static final class KeyNamer {
    private final Function<String, @Nullable String> sys;
    private final Function<String, @Nullable String> env;

    /**
     * @param sys system property lookup
     * @param env environment lookup
     */
    public KeyNamer(Function<String, @Nullable String> sys, Function<String, @Nullable String> env) {
      this.sys = sys;
      this.env = env;
    }

    /**
     * @param key an {@code otel.*} property key
     * @return the name under which the user set it
     */
    public String name(String key) {
      if (sys.apply(key) != null) {
        return "-D" + key;
      }
      String envName = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
      if (env.apply(envName) != null) {
        return envName;
      }
      return key;
    }
  }
}
