package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.contract.SecretMasker;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.github.telemetrybootstrap.TelemetryConfigurationException;
import io.github.telemetrybootstrap.TelemetrySettings;
import java.util.Map;

/**
 * Logback {@link Configurator} (registered in {@code META-INF/services}) that makes the JSON appender
 * the default output, so the very first log line is JSON, before {@code Telemetry.bootstrap()} runs.
 *
 * <p>Logback 1.5 runs service-loaded configurators, highest {@link ConfiguratorRank} first, before
 * its built-in {@code DefaultJoranConfigurator} (configuration files) and {@code BasicConfigurator}
 * (plain console). This one has the lowest rank, {@link ConfiguratorRank#FALLBACK}, so other custom
 * configurators go first, and:
 * <ul>
 *   <li>when the application has a configuration file ({@code logback.configurationFile},
 *       {@code logback-test.xml}, {@code logback.xml}), does nothing and returns
 *       {@link ExecutionStatus#INVOKE_NEXT_IF_ANY}, so logback reads that file;</li>
 *   <li>when {@code telemetry.logging.enabled} / {@code TELEMETRY_LOGGING_ENABLED} is {@code false}, or
 *       another configurator already attached appenders, does nothing and returns
 *       {@link ExecutionStatus#INVOKE_NEXT_IF_ANY};</li>
 *   <li>otherwise installs the JSON appender (see {@link JsonLogging#installIfUnconfigured}) and
 *       returns {@link ExecutionStatus#DO_NOT_INVOKE_NEXT_IF_ANY}, so no plain console appender is
 *       added.</li>
 * </ul>
 * Invalid {@code telemetry.*} settings do not stop logging: the defaults are used here and the
 * bootstrap reports the error.
 */
@ConfiguratorRank(ConfiguratorRank.FALLBACK)
public class TelemetryLogbackConfigurator extends ContextAwareBase implements Configurator {
  /** Called by logback's service loader. */
  public TelemetryLogbackConfigurator() {}

  /**
   * Rejects logback-classic before 1.3, which would call {@code configure} with another signature
   * and die with an {@code AbstractMethodError} at the application's first {@code getLogger}: this
   * fails with a message that says what was found and what to change instead.
   *
   * @param context the logger context
   * @throws io.github.telemetrybootstrap.TelemetryConfigurationException on logback-classic 1.2
   */
  @Override
  public void setContext(ch.qos.logback.core.Context context) {
    try {
      Class.forName("ch.qos.logback.classic.spi.Configurator$ExecutionStatus", false,
          TelemetryLogbackConfigurator.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      Package p = context.getClass().getPackage();
      throw new io.github.telemetrybootstrap.TelemetryConfigurationException(
          "ch.qos.logback:logback-classic",
          p == null || p.getImplementationVersion() == null ? "1.2 or older" : p.getImplementationVersion(),
          "telemetry-core needs logback-classic 1.5.x or later with slf4j-api 2.0: upgrade both (or import "
              + "io.github.telemetrybootstrap:telemetry-bom)",
          e);
    }
    super.setContext(context);
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    // Whatever configures logback from here on (ours or the application's file), its warnings and
    // errors go to stderr: stdout is for contract lines only.
    StderrStatusListener.register(context);
    if (JsonLogging.findConfigurationFile(context) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    TelemetrySettings settings;
    try {
      settings = TelemetrySettings.fromEnvironment();
    } catch (TelemetryConfigurationException e) {
      // The bootstrap reports it as a TelemetryConfigurationException naming key and value; logging
      // starts with the defaults meanwhile.
      addInfo("Invalid telemetry setting, using logging defaults: " + e.getMessage());
      settings = TelemetrySettings.resolve(Map.of(), k -> null, k -> null);
    }
    if (!settings.loggingEnabled()
        || context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    SecretMasker.setGlobal(
        settings.loggingMaskKeys(), settings.loggingMaskEmails(), settings.loggingMaskPattern());
    LogLimits.set(settings.loggingQueueBytes(), settings.loggingMaxLineLength());
    JsonLogging.install(context, settings.loggingQueueSize());
    addInfo("Installed the telemetry JSON appender on the root logger (no logback configuration file found)");
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
