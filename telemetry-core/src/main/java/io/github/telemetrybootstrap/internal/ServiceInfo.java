package io.github.telemetrybootstrap.internal;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The service metadata written on every log line ({@code service}, {@code service_version},
 * {@code env}). Before the bootstrap runs it is read from the environment the way the OpenTelemetry
 * SDK reads it; the bootstrap replaces it with the values of the resource it built.
 *
 * <p>Internal: shared by the library's own modules (telemetry-spring sets it before Spring Boot logs
 * its first lines); not part of the public API, may change without notice.
 *
 * @param name {@code service.name}; never null
 * @param version {@code service.version}, or null
 * @param environment {@code deployment.environment.name}, or null
 */
public record ServiceInfo(String name, @Nullable String version, @Nullable String environment) {

  /** The SDK's default service name when none is configured. */
  public static final String UNKNOWN_SERVICE = "unknown_service:java";

  private static volatile @Nullable ServiceInfo current;

  /**
   * The service metadata in force.
   *
   * @return the bootstrap's values, or those read from the environment before it ran
   */
  public static ServiceInfo current() {
    ServiceInfo info = current;
    if (info == null) {
      info = fromEnvironment(System::getProperty, System::getenv);
      current = info;
    }
    return info;
  }

  /**
   * Replaces the metadata in force. Called by the bootstrap.
   *
   * @param info the new metadata
   */
  public static void set(ServiceInfo info) {
    current = info;
  }

  /**
   * Reads the metadata the way the SDK would: {@code otel.service.name} / {@code OTEL_SERVICE_NAME},
   * then {@code service.name} in {@code otel.resource.attributes} / {@code OTEL_RESOURCE_ATTRIBUTES};
   * version and environment from the resource attributes, then {@code telemetry.service.version} and
   * {@code telemetry.environment}.
   *
   * @param sys system property lookup
   * @param env environment lookup
   * @return the metadata; the name falls back to {@value #UNKNOWN_SERVICE}
   */
  public static ServiceInfo fromEnvironment(
      Function<String, @Nullable String> sys, Function<String, @Nullable String> env) {
    String attrs = Strings.firstNonBlank(sys.apply("otel.resource.attributes"), env.apply("OTEL_RESOURCE_ATTRIBUTES"));
    String name =
        Strings.firstNonBlank(sys.apply("otel.service.name"), env.apply("OTEL_SERVICE_NAME"), attr(attrs, "service.name"));
    String version =
        Strings.firstNonBlank(
            attr(attrs, "service.version"),
            sys.apply("telemetry.service.version"),
            env.apply("TELEMETRY_SERVICE_VERSION"));
    String environment =
        Strings.firstNonBlank(
            attr(attrs, "deployment.environment.name"),
            sys.apply("telemetry.environment"),
            env.apply("TELEMETRY_ENVIRONMENT"));
    return new ServiceInfo(name == null ? UNKNOWN_SERVICE : name, version, environment);
  }

  private static @Nullable String attr(@Nullable String attrs, String key) {
    if (attrs == null) {
      return null;
    }
    for (String pair : attrs.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).strip().equals(key)) {
        String v = pair.substring(eq + 1).strip();
        return v.isEmpty() ? null : java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
