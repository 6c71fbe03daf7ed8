package io.github.telemetrybootstrap;

import io.github.telemetrybootstrap.contract.SecretMasker;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link Telemetry#bootstrap()} when a setting is invalid. The message names the key (as
 * the user wrote it: environment variable, system property or builder key) and the offending value,
 * and says what was expected, for example
 * {@code TELEMETRY_METRICS_PORT=70000 is invalid: expected a port number 0..65535}.
 *
 * <p>Nothing is started when this is thrown: no exporter, no metrics server, no shutdown hook.
 */
public class TelemetryConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The key as the user gave it. */
  private final String key;

  /** The offending value, or null when missing. */
  private final @Nullable String value;

  /**
   * Creates the exception.
   *
   * @param key the setting's key as the user gave it, e.g. {@code OTEL_TRACES_SAMPLER_ARG}
   * @param value the offending value, {@code null} when missing
   * @param expected what a valid value looks like
   * @param cause the underlying error, may be {@code null}
   */
  public TelemetryConfigurationException(
      String key, @Nullable String value, String expected, @Nullable Throwable cause) {
    super(key + "=" + (value == null ? "<unset>" : display(key, value)) + " is invalid: " + expected, cause);
    this.key = key;
    this.value = value;
  }

  /**
   * The value as the message shows it: secrets masked, since the message reaches logs. A key named
   * like a secret ({@code ..._PASSWORD}) shows {@code ****}; headers ({@code OTEL_EXPORTER_OTLP_HEADERS})
   * show their names with masked values; URLs lose their user info.
   */
  static String display(String key, String value) {
    String k = key.toLowerCase(java.util.Locale.ROOT);
    if (io.github.telemetrybootstrap.contract.SecretMasker.global().isSecretKey(key)) {
      return io.github.telemetrybootstrap.contract.SecretMasker.MASK;
    }
    if (k.endsWith("headers")) {
      StringBuilder b = new StringBuilder();
      for (String entry : value.split(",", -1)) {
        int eq = entry.indexOf('=');
        b.append(b.length() == 0 ? "" : ",")
            .append(eq < 0 ? io.github.telemetrybootstrap.contract.SecretMasker.MASK
                : entry.substring(0, eq + 1) + io.github.telemetrybootstrap.contract.SecretMasker.MASK);
      }
      return b.toString();
    }
    return io.github.telemetrybootstrap.internal.Endpoints.maskInText(value);
  }

  /**
   * The key of the invalid setting.
   *
   * @return the key as the user gave it
   */
  public String key() {
    return key;
  }

  /**
   * The invalid value, unmasked (the message masks secrets; this is for programs that handle the
   * error).
   *
   * @return the value, or {@code null} when a required setting was missing
   */
  public @Nullable String value() {
    return value;
  }
}
