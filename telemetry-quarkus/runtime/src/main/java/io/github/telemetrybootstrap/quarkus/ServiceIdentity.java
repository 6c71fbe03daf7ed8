package io.github.telemetrybootstrap.quarkus;

import io.smallrye.config.SmallRyeConfig;
import java.util.Optional;

/** The {@code service}, {@code service_version} and {@code env} log fields, from Quarkus config. */
final class ServiceIdentity {
  private ServiceIdentity() {}

  /** {@code quarkus.otel.service.name}, else {@code quarkus.application.name}, as the SDK's resource. */
  static String serviceName(SmallRyeConfig c) {
    return first(c, "quarkus.otel.service.name", "quarkus.application.name")
        .or(() -> resourceAttribute(c, "service.name"))
        .orElse("unknown_service:java");
  }

  static String serviceVersion(SmallRyeConfig c) {
    return resourceAttribute(c, "service.version")
        .or(() -> first(c, "quarkus.application.version"))
        .orElse(null);
  }

  static String environment(SmallRyeConfig c, Optional<String> configured) {
    return configured
        .filter(s -> !s.isBlank())
        .or(() -> resourceAttribute(c, "deployment.environment.name"))
        .or(() -> resourceAttribute(c, "deployment.environment"))
        .orElse(null);
  }

  private static Optional<String> first(SmallRyeConfig c, String... keys) {
    for (String k : keys) {
      Optional<String> v = c.getOptionalValue(k, String.class).filter(s -> !s.isBlank() && !"<<unset>>".equals(s));
      if (v.isPresent()) {
        return v.map(String::strip);
      }
    }
    return Optional.empty();
  }

  /** One entry of {@code quarkus.otel.resource.attributes} ({@code k=v,k2=v2}, W3C Baggage style). */
  private static Optional<String> resourceAttribute(SmallRyeConfig c, String name) {
    Optional<String> all = c.getOptionalValue("quarkus.otel.resource.attributes", String.class);
    if (all.isEmpty()) {
      return Optional.empty();
    }
    for (String pair : all.get().split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
        String v = pair.substring(eq + 1).strip();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
