package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.contract.SecretMasker;
import ch.qos.logback.classic.BasicConfigurator;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.util.DefaultJoranConfigurator;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.classic.layout.TTLLLayout;
import io.github.telemetrybootstrap.TelemetrySettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Static entry points the bootstrap uses to set up and shut down the JSON logs.
 *
 * <p>Which configuration wins: an application's own logback configuration ({@code logback-test.xml},
 * {@code logback.xml}, or the file named by the system property {@code logback.configurationFile})
 * always does; it can opt into the JSON format with the include file (see the package documentation).
 * Without one, {@link TelemetryLogbackConfigurator} installs the JSON appender when logback starts, so
 * even the first line is JSON, and {@link #installIfUnconfigured(TelemetrySettings)} re-applies the
 * bootstrap's settings.
 */
public final class JsonLogging {
  /** Name of the appender installed on the root logger, and of the include file's appender. */
  public static final String APPENDER_NAME = "TELEMETRY_JSON";
  /** Name of the Micrometer counter of dropped log events (Prometheus {@code telemetry_logs_dropped_total}). */
  public static final String DROPPED_METRIC = "telemetry.logs.dropped";
  /** Meter of lines shortened to the line cap (Prometheus {@code telemetry_logs_truncated_total}). */
  public static final String TRUNCATED_METRIC = "telemetry.logs.truncated";

  /** Key under which the logger context holds the appender this class installed. */
  static final String INSTALLED_KEY = JsonLogging.class.getName() + ".installed";

  /** Strongly reachable state object for the function counter (Micrometer keeps it weakly). */
  private static final Object METRIC_STATE = new Object();

  private JsonLogging() {}

  /**
   * Makes the JSON appender the root logger's output when the application has no logback
   * configuration of its own: no configuration file, and the context configured only by logback's
   * default ({@code BasicConfigurator}, a plain console appender) or by this library. Then the root
   * logger writes to one {@link TelemetryAsyncAppender} on stdout at {@code INFO}, with queue size
   * {@link TelemetrySettings#loggingQueueSize()}, and {@code java.util.logging} is routed to SLF4J
   * (with logback's {@code LevelChangePropagator}, so disabled JUL levels stay cheap).
   *
   * <p>Always, even when it does not install: sets the extra mask keys
   * ({@link TelemetrySettings#loggingMaskKeys()}) of every {@link TelemetryJsonEncoder}.
   *
   * <p>Idempotent: when the appender is already installed (by an earlier call or by
   * {@link TelemetryLogbackConfigurator}) it is kept, or replaced by one with the new queue size.
   * Nothing is installed when {@link TelemetrySettings#loggingEnabled()} is false or SLF4J is not bound
   * to logback. Never throws for logging trouble; problems go to logback's status messages.
   *
   * @param settings the resolved settings
   * @return whether the JSON appender is the root logger's output installed by this library after
   *     the call (false when the application's own configuration was left in place)
   */
  public static boolean installIfUnconfigured(TelemetrySettings settings) {
    SecretMasker.setGlobal(
        settings.loggingMaskKeys(), settings.loggingMaskEmails(), settings.loggingMaskPattern());
    LogLimits.set(settings.loggingQueueBytes(), settings.loggingMaxLineLength());
    if (!settings.loggingEnabled()) {
      return false;
    }
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      return false;
    }
    URL configFile = findConfigurationFile(context);
    boolean installed = installIfUnconfigured(context, settings.loggingQueueSize(), configFile);
    if (!installed) {
      // The application's own configuration: java.util.logging still goes through it, and it is told
      // (once, on stderr) when it writes no contract lines.
      routeJulToSlf4j(context);
      if (!hasContractOutput(context)) {
        warnNoContractEncoder(configFile);
      }
    }
    return installed;
  }

  /**
   * Where log lines go when the library did not install its appender, for the startup line.
   *
   * @return e.g. {@code logs through the application's logback configuration, which has the contract
   *     encoder}
   */
  public static String describeApplicationOutput() {
    if (!settingsAllowDescribe()) {
      return "logs through the application's logging configuration";
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    return hasContractOutput(context)
        ? "logs through the application's logback configuration, which has the contract encoder"
        : "logs through the application's logback configuration, WITHOUT the contract encoder (see stderr)";
  }

  private static boolean settingsAllowDescribe() {
    return LoggerFactory.getILoggerFactory() instanceof LoggerContext;
  }

  /** The one line that gives an application's own logback.xml the contract. */
  public static final String INCLUDE_LINE =
      "<include resource=\"io/github/telemetrybootstrap/logback/json-console-appender.xml\"/>";

  private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();

  private static void warnNoContractEncoder(@Nullable URL configFile) {
    if (WARNED.compareAndSet(false, true)) {
      java.io.PrintStream err = new java.io.PrintStream(
          new java.io.FileOutputStream(java.io.FileDescriptor.err), true, java.nio.charset.StandardCharsets.UTF_8);
      err.println("telemetry: the logback configuration " + (configFile == null ? "in place" : configFile)
          + " writes no telemetry contract lines (no TelemetryJsonEncoder): log lines lack trace_id, "
          + "tenant_id and request_id, and are not masked. Add this line inside its <configuration> "
          + "(and remove your own console appender from <root>): " + INCLUDE_LINE);
    }
  }

  /**
   * Whether some appender of the root logger writes contract lines: a {@link TelemetryAsyncAppender},
   * or an output-stream appender whose encoder is a {@link TelemetryJsonEncoder}.
   */
  static boolean hasContractOutput(LoggerContext context) {
    for (Logger logger : context.getLoggerList()) {
      for (Appender<ILoggingEvent> a : appenders(logger)) {
        if (a instanceof TelemetryAsyncAppender
            || (a instanceof ch.qos.logback.core.OutputStreamAppender<ILoggingEvent> out
                && out.getEncoder() instanceof TelemetryJsonEncoder)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The testable core of {@link #installIfUnconfigured(TelemetrySettings)}. */
  static boolean installIfUnconfigured(LoggerContext context, int queueSize, @Nullable URL configFile) {
    synchronized (context.getConfigurationLock()) {
      if (configFile != null) {
        return false;
      }
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      TelemetryAsyncAppender ours = installedAppender(context);
      if (ours != null) {
        if (ours.isStarted() && ours.getQueueSize() == queueSize
            && ours.getMaxQueueBytes() == LogLimits.queueBytes()
            && ours.getMaxLineLength() == LogLimits.maxLineLength()) {
          return true;
        }
        TelemetryAsyncAppender replacement = newAppender(context, queueSize);
        root.addAppender(replacement);
        root.detachAppender(ours);
        context.putObject(INSTALLED_KEY, replacement);
        ours.stop();
        return true;
      }
      if (!onlyDefaultConfiguration(context)) {
        return false;
      }
      install(context, queueSize);
      return true;
    }
  }

  /**
   * Replaces the root logger's appenders by the JSON appender, sets the root level to INFO and routes
   * {@code java.util.logging} to SLF4J. Used by the SPI configurator and by
   * {@link #installIfUnconfigured}.
   */
  static TelemetryAsyncAppender install(LoggerContext context, int queueSize) {
    StderrStatusListener.register(context);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    TelemetryAsyncAppender appender = newAppender(context, queueSize);
    List<Appender<ILoggingEvent>> old = appenders(root);
    root.addAppender(appender);
    for (Appender<ILoggingEvent> a : old) {
      root.detachAppender(a);
      a.stop();
    }
    context.putObject(INSTALLED_KEY, appender);
    routeJulToSlf4j(context);
    root.setLevel(Level.INFO);
    return appender;
  }

  private static TelemetryAsyncAppender newAppender(LoggerContext context, int queueSize) {
    TelemetryAsyncAppender appender = new TelemetryAsyncAppender();
    appender.setName(APPENDER_NAME);
    appender.setContext(context);
    appender.setQueueSize(queueSize);
    TelemetryJsonEncoder encoder = new TelemetryJsonEncoder();
    encoder.setContext(context);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }

  static @Nullable TelemetryAsyncAppender installedAppender(LoggerContext context) {
    Object installed = context.getObject(INSTALLED_KEY);
    if (installed instanceof TelemetryAsyncAppender a
        && context.getLogger(Logger.ROOT_LOGGER_NAME).isAttached(a)) {
      return a;
    }
    return null;
  }

  /**
   * Whether the context holds nothing but logback's default configuration: no appender on any logger
   * except the {@code BasicConfigurator} console appender on the root.
   */
  static boolean onlyDefaultConfiguration(LoggerContext context) {
    for (Logger logger : context.getLoggerList()) {
      for (Appender<ILoggingEvent> a : appenders(logger)) {
        if (!(Logger.ROOT_LOGGER_NAME.equals(logger.getName()) && isBasicConfiguratorConsole(a))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Recognises the appender {@link BasicConfigurator} adds: "console", TTLL layout. */
  private static boolean isBasicConfiguratorConsole(Appender<ILoggingEvent> appender) {
    return appender instanceof ConsoleAppender<ILoggingEvent> console
        && "console".equals(console.getName())
        && console.getEncoder() instanceof LayoutWrappingEncoder<ILoggingEvent> enc
        && enc.getLayout() instanceof TTLLLayout;
  }

  private static List<Appender<ILoggingEvent>> appenders(Logger logger) {
    List<Appender<ILoggingEvent>> list = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
      list.add(it.next());
    }
    return list;
  }

  /**
   * The logback configuration file the application provides, found the way logback's
   * {@link DefaultJoranConfigurator} finds it: the system property {@code logback.configurationFile},
   * then {@code logback-test.xml}, then {@code logback.xml} on the class path.
   *
   * @param context the logger context (for status messages)
   * @return the file's URL, or {@code null} when there is none
   */
  static @Nullable URL findConfigurationFile(LoggerContext context) {
    ConfigurationFileProbe probe = new ConfigurationFileProbe();
    probe.setContext(context);
    return probe.find();
  }

  /** Reuses logback's own search so the rules stay logback's. */
  private static final class ConfigurationFileProbe extends DefaultJoranConfigurator {
    @Nullable URL find() {
      return performMultiStepConfigurationFileSearch(false);
    }
  }

  /**
   * Routes {@code java.util.logging} to SLF4J: removes the JUL root handlers, installs
   * {@code SLF4JBridgeHandler}, and adds logback's {@code LevelChangePropagator} so JUL levels follow
   * logback's. Idempotent; failures become logback status warnings.
   *
   * @param context the logger context
   */
  static void routeJulToSlf4j(LoggerContext context) {
    try {
      if (!SLF4JBridgeHandler.isInstalled()) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
      }
      for (LoggerContextListener l : context.getCopyOfListenerList()) {
        if (l instanceof LevelChangePropagator) {
          return;
        }
      }
      LevelChangePropagator propagator = new LevelChangePropagator();
      propagator.setContext(context);
      propagator.setResetJUL(true);
      propagator.start();
      context.addListener(propagator);
    } catch (RuntimeException | LinkageError e) {
      context.getStatusManager()
          .add(new ch.qos.logback.core.status.WarnStatus(
              "Could not route java.util.logging to SLF4J", JsonLogging.class, e));
    }
  }

  /**
   * Registers the counter {@value #DROPPED_METRIC} (Prometheus {@code telemetry_logs_dropped_total}):
   * log events dropped by every {@link TelemetryAsyncAppender}, in events, because the queue was full
   * (in events or bytes), an event failed to encode or the output failed; and
   * {@value #TRUNCATED_METRIC} ({@code telemetry_logs_truncated_total}): lines shortened to the line cap.
   *
   * @param registry the registry to register with
   */
  public static void bindMetrics(MeterRegistry registry) {
    FunctionCounter.builder(DROPPED_METRIC, METRIC_STATE, s -> TelemetryAsyncAppender.totalDroppedCount())
        .description("Log events dropped (events) because the log queue was full or output failed")
        .register(registry);
    FunctionCounter.builder(TRUNCATED_METRIC, METRIC_STATE, s -> TelemetryAsyncAppender.totalTruncatedCount())
        .description("Log lines shortened (lines) to fit telemetry.logging.max-line-length")
        .register(registry);
  }

  /**
   * Log events dropped so far by every {@link TelemetryAsyncAppender}; monotonically increasing.
   *
   * @return the count, in events
   */
  public static long droppedCount() {
    return TelemetryAsyncAppender.totalDroppedCount();
  }

  /**
   * Waits until every running {@link TelemetryAsyncAppender} has written the events appended before
   * this call, at most {@code timeout} in total. Never throws.
   *
   * @param timeout the longest wait; zero or negative checks without waiting
   * @return whether everything was written in time
   */
  public static boolean flush(Duration timeout) {
    return flush(TelemetryAsyncAppender.running(), timeout);
  }

  static boolean flush(Iterable<TelemetryAsyncAppender> appenders, Duration timeout) {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    boolean all = true;
    for (TelemetryAsyncAppender a : appenders) {
      all &= a.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    return all;
  }

  /**
   * Flushes (see {@link #flush(Duration)}) and stops every running {@link TelemetryAsyncAppender},
   * within {@code timeout} in total (plus at most a millisecond per appender) even when stdout is
   * stalled. Events logged afterwards are discarded. Call it last at shutdown.
   *
   * @param timeout the longest time to take
   */
  public static void stop(Duration timeout) {
    stop(List.copyOf(TelemetryAsyncAppender.running()), timeout);
  }

  static void stop(Iterable<TelemetryAsyncAppender> appenders, Duration timeout) {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    flush(appenders, timeout);
    for (TelemetryAsyncAppender a : appenders) {
      long leftMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      a.setMaxFlushTime((int) Math.min(leftMs, a.getMaxFlushTime()));
      a.stop();
    }
  }
}
