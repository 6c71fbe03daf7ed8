package io.github.telemetrybootstrap.internal;

import io.github.telemetrybootstrap.TelemetryConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The setups the library cannot serve, found at bootstrap and reported as a
 * {@link TelemetryConfigurationException} that says what was found and what to change, instead of a
 * silent NOP logger, a linkage error later, or a misleading startup line.
 *
 * <ul>
 *   <li>SLF4J: {@code slf4j-api} 2.0 or later with a provider, and the provider is logback-classic
 *       1.5 or later (telemetry-core writes the contract through logback);
 *   <li>the Log4j 2 API, when present, routed to SLF4J ({@code log4j-to-slf4j}), not to
 *       {@code log4j-core}, whose console lines would bypass the contract;
 *   <li>the {@code io.opentelemetry} API, SDK and exporters of one release, {@value #OTEL_MINIMUM} or
 *       later (a build that manages some of them can mix releases), and an API incubator no older
 *       than the API (a newer one, as the instrumentation API brings on Spring Boot's parent, works).
 * </ul>
 *
 * <p>Internal: not part of the public API.
 */
public final class Compatibility {
  /** The logback-classic line the encoder is built for. */
  static final String LOGBACK_NEEDED = "1.5";

  private Compatibility() {}

  /**
   * Checks the logging setup, before the library touches any logback class.
   *
   * @throws TelemetryConfigurationException naming what was found and what to change
   */
  public static void checkLogging() {
    if (!present("org.slf4j.spi.SLF4JServiceProvider")) {
      throw new TelemetryConfigurationException(
          "org.slf4j:slf4j-api",
          version("org.slf4j.LoggerFactory", "1.x"),
          "SLF4J 1.x finds no SLF4J 2 provider, so every log line would be dropped silently; "
              + "telemetry-core needs slf4j-api 2.0 or later: remove the slf4j-api 1.7 pin (or import "
              + "io.github.telemetrybootstrap:telemetry-bom)",
          null);
    }
    Object factory;
    try {
      factory = org.slf4j.LoggerFactory.getILoggerFactory();
    } catch (RuntimeException | LinkageError e) {
      throw new TelemetryConfigurationException(
          "SLF4J provider", String.valueOf(e), "SLF4J could not start; telemetry-core needs logback-classic "
              + LOGBACK_NEEDED + ".x as the SLF4J provider", e);
    }
    String name = factory.getClass().getName();
    if (name.equals("ch.qos.logback.classic.LoggerContext")) {
      String v = version("ch.qos.logback.classic.LoggerContext", null);
      if (v != null && !atLeast(v, LOGBACK_NEEDED)) {
        throw new TelemetryConfigurationException(
            "ch.qos.logback:logback-classic", v,
            "telemetry-core needs logback-classic " + LOGBACK_NEEDED + ".x or later (with slf4j-api 2.0): "
                + "upgrade logback-classic, or import io.github.telemetrybootstrap:telemetry-bom",
            null);
      }
    } else if (name.startsWith("org.slf4j.helpers.NOP") || name.startsWith("org.slf4j.helpers.Substitute")) {
      throw new TelemetryConfigurationException(
          "SLF4J provider", "none (" + name + ")",
          "no SLF4J provider is on the class path, so every log line would be dropped silently; "
              + "telemetry-core writes the contract through logback: add ch.qos.logback:logback-classic "
              + "(it comes with telemetry-core unless excluded)",
          null);
    } else if (name.startsWith("org.apache.logging.slf4j")) {
      throw new TelemetryConfigurationException(
          "SLF4J provider", "log4j-slf4j2-impl (Log4j 2, " + name + ")",
          "telemetry-core writes the contract through logback, so Log4j 2 as the backend would write "
              + "lines outside the contract: remove org.apache.logging.log4j:log4j-slf4j2-impl and "
              + "log4j-core, and add org.apache.logging.log4j:log4j-to-slf4j so Log4j 2 API calls reach "
              + "logback too",
          null);
    } else {
      throw new TelemetryConfigurationException(
          "SLF4J provider", name,
          "telemetry-core writes the contract through logback-classic " + LOGBACK_NEEDED
              + ".x: make it the only SLF4J provider on the class path",
          null);
    }
    checkLog4jApi();
  }

  /** Log4j 2 API calls must reach SLF4J (log4j-to-slf4j), not log4j-core's own appenders. */
  private static void checkLog4jApi() {
    if (!present("org.apache.logging.log4j.LogManager") || !present("org.apache.logging.log4j.core.LoggerContext")) {
      return;
    }
    String provider;
    try {
      Class<?> logManager = Class.forName("org.apache.logging.log4j.LogManager");
      provider = logManager.getMethod("getFactory").invoke(null).getClass().getName();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return; // cannot tell; do not fail a setup that may be fine
    }
    if (provider.startsWith("org.apache.logging.log4j.core")) {
      throw new TelemetryConfigurationException(
          "org.apache.logging.log4j:log4j-core", version("org.apache.logging.log4j.core.LoggerContext", "?"),
          "Log4j 2 API calls go to log4j-core, whose lines bypass the contract (plain text, no ids, no "
              + "masking): replace log4j-core by org.apache.logging.log4j:log4j-to-slf4j so they reach "
              + "logback",
          null);
    }
  }

  /**
   * The oldest OpenTelemetry Java release the library is tested on: the one Spring Boot 4.1's parent
   * manages (compat-tests' spring-boot-app runs on it, with the newer incubator the instrumentation
   * API brings).
   */
  static final String OTEL_MINIMUM = "1.62.0";
  /** The release the library is built with. */
  static final String OTEL_BUILT_WITH = "1.68.0";

  /** Classes of the OpenTelemetry artifacts the library uses, by artifact. */
  private static final Map<String, String> OTEL_ARTIFACTS = new LinkedHashMap<>();

  static {
    OTEL_ARTIFACTS.put("opentelemetry-api", "io.opentelemetry.api.OpenTelemetry");
    OTEL_ARTIFACTS.put("opentelemetry-context", "io.opentelemetry.context.Context");
    OTEL_ARTIFACTS.put("opentelemetry-api-incubator", "io.opentelemetry.api.incubator.ExtendedOpenTelemetry");
    OTEL_ARTIFACTS.put("opentelemetry-sdk-common", "io.opentelemetry.sdk.common.CompletableResultCode");
    OTEL_ARTIFACTS.put("opentelemetry-sdk-trace", "io.opentelemetry.sdk.trace.SdkTracerProvider");
    OTEL_ARTIFACTS.put("opentelemetry-sdk-metrics", "io.opentelemetry.sdk.metrics.SdkMeterProvider");
    OTEL_ARTIFACTS.put("opentelemetry-sdk", "io.opentelemetry.sdk.OpenTelemetrySdk");
    OTEL_ARTIFACTS.put(
        "opentelemetry-sdk-extension-autoconfigure",
        "io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk");
    OTEL_ARTIFACTS.put("opentelemetry-exporter-common", "io.opentelemetry.exporter.internal.FailedExportException");
    OTEL_ARTIFACTS.put(
        "opentelemetry-exporter-otlp", "io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter");
    OTEL_ARTIFACTS.put(
        "opentelemetry-exporter-sender-jdk", PreferJdkHttpSender.JDK_SENDER);
  }

  /**
   * Checks that the OpenTelemetry artifacts on the class path are of one release.
   *
   * @throws TelemetryConfigurationException naming the artifacts and versions found
   */
  public static void checkOpenTelemetry() {
    Map<String, String> found = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : OTEL_ARTIFACTS.entrySet()) {
      String v = version(e.getValue(), null);
      if (v != null) {
        found.put(e.getKey(), v.replace("-alpha", ""));
      }
    }
    String incubator = found.remove("opentelemetry-api-incubator");
    String apiVersion = found.get("opentelemetry-api");
    if (apiVersion != null && !atLeast(apiVersion, OTEL_MINIMUM)) {
      throw new TelemetryConfigurationException(
          "io.opentelemetry:opentelemetry-api", apiVersion,
          "telemetry-core needs OpenTelemetry Java " + OTEL_MINIMUM + " or later (built with "
              + OTEL_BUILT_WITH + "): import io.github.telemetrybootstrap:telemetry-bom, or raise the "
              + "opentelemetry.version property of your parent",
          null);
    }
    if (incubator != null && apiVersion != null && !atLeast(incubator, apiVersion)) {
      throw new TelemetryConfigurationException(
          "io.opentelemetry:opentelemetry-api-incubator", incubator + "-alpha",
          "it is older than opentelemetry-api " + apiVersion + ": import "
              + "io.github.telemetrybootstrap:telemetry-bom (or io.opentelemetry:opentelemetry-bom-alpha)",
          null);
    }
    if (new TreeSet<>(found.values()).size() > 1) {
      String api = found.getOrDefault("opentelemetry-api", "?");
      StringBuilder mismatched = new StringBuilder();
      found.forEach((artifact, v) -> {
        if (!v.equals(api)) {
          mismatched.append(mismatched.length() == 0 ? "" : ", ").append(artifact).append(' ').append(v);
        }
      });
      throw new TelemetryConfigurationException(
          "io.opentelemetry artifacts",
          "opentelemetry-api " + api + " with " + mismatched,
          "mixed OpenTelemetry releases (a build that manages some io.opentelemetry artifacts, such as "
              + "spring-boot-starter-parent, moved them): import io.github.telemetrybootstrap:telemetry-bom "
              + "in dependencyManagement before other BOMs, or set the parent's opentelemetry.version to "
              + "one release for all",
          null);
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, Compatibility.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static @Nullable String version(String className, @Nullable String fallback) {
    try {
      Class<?> c = Class.forName(className, false, Compatibility.class.getClassLoader());
      Package p = c.getPackage();
      String v = p == null ? null : p.getImplementationVersion();
      return v != null ? v : fallback;
    } catch (ClassNotFoundException | LinkageError e) {
      return fallback;
    }
  }

  /** Whether dotted version {@code v} is at least {@code min} (numeric parts compared in order). */
  static boolean atLeast(String v, String min) {
    String[] a = v.split("[.\\-]");
    String[] b = min.split("[.\\-]");
    for (int i = 0; i < b.length; i++) {
      int x = i < a.length ? leadingInt(a[i]) : 0;
      int y = leadingInt(b[i]);
      if (x != y) {
        return x > y;
      }
    }
    return true;
  }

  private static int leadingInt(String s) {
    int n = 0;
    for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
      n = n * 10 + (s.charAt(i) - '0');
    }
    return n;
  }
}
