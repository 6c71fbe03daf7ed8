package io.github.telemetrybootstrap.quarkus;

import io.github.telemetrybootstrap.contract.ConfigKeys;
import io.github.telemetrybootstrap.contract.ContextRules;
import io.github.telemetrybootstrap.contract.SecretMasker;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.Recorder;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;
import java.util.List;
import java.util.Optional;
import java.util.logging.Formatter;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Start-up work of the extension, recorded at build time and run at runtime init: checks the
 * {@code telemetry.*} settings, configures the shared masker and builds the console formatter.
 */
@Recorder
public class TelemetryRecorder {
  private final RuntimeValue<TelemetryConfig> config;

  /** @param config the runtime configuration, injected by Quarkus */
  public TelemetryRecorder(RuntimeValue<TelemetryConfig> config) {
    this.config = config;
  }

  /**
   * Validates the settings (failing start-up with {@link ConfigurationException} naming the key,
   * the value and its source), sets {@link SecretMasker#setGlobal} and returns the contract's console
   * formatter, or empty when {@code telemetry.logging.enabled=false}.
   *
   * @return the formatter for Quarkus's console handler
   */
  public RuntimeValue<Optional<Formatter>> consoleFormatter() {
    TelemetryConfig c = config.getValue();
    SmallRyeConfig raw = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
    requireHeader(raw, ConfigKeys.TENANT_HEADER, c.tenant().header());
    requireHeader(raw, ConfigKeys.REQUEST_ID_HEADER, c.requestId().header());
    requireRange(raw, ConfigKeys.TENANT_MAX_LENGTH, c.tenant().maxLength(), 1,
        ContextRules.TENANT_MAX_LENGTH_LIMIT, "characters");
    requireRange(raw, ConfigKeys.LOGGING_MAX_LINE_LENGTH, c.logging().maxLineLength(), 1024, 16 << 20,
        "characters");
    Pattern pattern = null;
    if (c.logging().maskPattern().isPresent()) {
      try {
        pattern = Pattern.compile(c.logging().maskPattern().get());
      } catch (PatternSyntaxException e) {
        throw invalid(raw, ConfigKeys.LOGGING_MASK_PATTERN, c.logging().maskPattern().get(),
            "not a regular expression (java.util.regex): " + e.getDescription());
      }
    }
    SecretMasker.setGlobal(c.logging().maskKeys().orElse(List.of()), c.logging().maskEmails(), pattern);
    if (!c.logging().enabled()) {
      return new RuntimeValue<>(Optional.empty());
    }
    return new RuntimeValue<>(Optional.of(new ContractLogFormatter(
        ServiceIdentity.serviceName(raw),
        ServiceIdentity.serviceVersion(raw),
        ServiceIdentity.environment(raw, c.environment()),
        c.logging().maxLineLength(),
        c.tenant().maxLength())));
  }

  private static void requireHeader(SmallRyeConfig raw, String key, String value) {
    if (!ContextRules.isHeaderName(value)) {
      throw invalid(raw, key, value, "expected an HTTP header name (RFC 9110 token)");
    }
  }

  private static void requireRange(SmallRyeConfig raw, String key, int value, int min, int max, String unit) {
    if (value < min || value > max) {
      throw invalid(raw, key, Integer.toString(value),
          "expected an integer " + min + ".." + max + " (" + unit + ")");
    }
  }

  static ConfigurationException invalid(SmallRyeConfig raw, String key, String value, String expected) {
    ConfigValue v = raw.getConfigValue(key);
    String source = v == null || v.getSourceName() == null ? "" : " (from " + v.getSourceName() + ")";
    return new ConfigurationException(
        key + "=" + value + source + " is invalid: " + expected, java.util.Set.of(key));
  }
}
