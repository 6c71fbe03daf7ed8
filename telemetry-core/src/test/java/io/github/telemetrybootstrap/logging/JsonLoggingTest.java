package io.github.telemetrybootstrap.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.BasicConfigurator;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.TelemetrySettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

class JsonLoggingTest {
  private final List<LoggerContext> contexts = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void tearDown() {
    contexts.forEach(LoggerContext::stop);
    System.clearProperty("logback.configurationFile");
    System.clearProperty("telemetry.logging.queue-size");
    System.clearProperty("telemetry.logging.mask-keys");
    System.clearProperty("telemetry.logging.enabled");
    System.clearProperty("telemetry.metrics.port");
  }

  private LoggerContext newContext() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    contexts.add(context);
    return context;
  }

  private static List<Appender<ILoggingEvent>> rootAppenders(LoggerContext context) {
    List<Appender<ILoggingEvent>> list = new ArrayList<>();
    context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(list::add);
    return list;
  }

  @Test
  void installsOverLogbacksDefaultConfigurationAndIsIdempotent() {
    LoggerContext context = newContext();
    BasicConfigurator basic = new BasicConfigurator();
    basic.setContext(context);
    basic.configure(context);
    assertThat(rootAppenders(context)).singleElement().isInstanceOf(ConsoleAppender.class);

    assertThat(JsonLogging.installIfUnconfigured(context, 64, null)).isTrue();
    List<Appender<ILoggingEvent>> appenders = rootAppenders(context);
    assertThat(appenders).singleElement().isInstanceOf(TelemetryAsyncAppender.class);
    TelemetryAsyncAppender installed = (TelemetryAsyncAppender) appenders.get(0);
    assertThat(installed.getName()).isEqualTo(JsonLogging.APPENDER_NAME);
    assertThat(installed.getQueueSize()).isEqualTo(64);
    assertThat(installed.isStarted()).isTrue();
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);

    assertThat(JsonLogging.installIfUnconfigured(context, 64, null)).isTrue();
    assertThat(rootAppenders(context)).containsExactly(installed);

    // New settings replace the appender instead of adding a second one.
    assertThat(JsonLogging.installIfUnconfigured(context, 128, null)).isTrue();
    assertThat(rootAppenders(context)).singleElement()
        .isInstanceOfSatisfying(TelemetryAsyncAppender.class, a -> assertThat(a.getQueueSize()).isEqualTo(128));
    assertThat(installed.isStarted()).isFalse();
  }

  @Test
  void installsOnAnEmptyContext() {
    LoggerContext context = newContext();
    assertThat(JsonLogging.installIfUnconfigured(context, 64, null)).isTrue();
    assertThat(rootAppenders(context)).singleElement().isInstanceOf(TelemetryAsyncAppender.class);
  }

  @Test
  void leavesAnApplicationsConfigurationFileAlone() throws Exception {
    LoggerContext context = newContext();
    BasicConfigurator basic = new BasicConfigurator();
    basic.setContext(context);
    basic.configure(context);
    URL file = Files.writeString(dir.resolve("logback.xml"), "<configuration/>").toUri().toURL();
    assertThat(JsonLogging.installIfUnconfigured(context, 64, file)).isFalse();
    assertThat(rootAppenders(context)).singleElement().isInstanceOf(ConsoleAppender.class);
  }

  @Test
  void leavesProgrammaticConfigurationAlone() {
    LoggerContext context = newContext();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setName("CONSOLE");
    console.setContext(context);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    console.setEncoder(encoder);
    console.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(console);
    assertThat(JsonLogging.installIfUnconfigured(context, 64, null)).isFalse();
    assertThat(rootAppenders(context)).containsExactly(console);

    LoggerContext other = newContext();
    other.getLogger("com.example").addAppender(console);
    assertThat(JsonLogging.installIfUnconfigured(other, 64, null)).isFalse();
  }

  @Test
  void disabledLoggingInstallsNothing() {
    TelemetrySettings off =
        TelemetrySettings.resolve(Map.of(TelemetrySettings.LOGGING_ENABLED, "false"), k -> null, k -> null);
    assertThat(JsonLogging.installIfUnconfigured(off)).isFalse();
  }

  @Test
  void theSpiConfiguratorMadeThisJvmsLoggingJsonAndBootstrapKeepsIt() {
    // No logback.xml on this module's test class path: logback ran TelemetryLogbackConfigurator.
    LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();
    TelemetryAsyncAppender installed = JsonLogging.installedAppender(global);
    assertThat(installed).isNotNull();
    assertThat(rootAppenders(global)).containsExactly(installed);
    TelemetrySettings defaults = TelemetrySettings.resolve(Map.of(), k -> null, k -> null);
    assertThat(JsonLogging.installIfUnconfigured(defaults)).isTrue();
    assertThat(rootAppenders(global)).containsExactly(installed);
  }

  @Test
  void spiConfiguratorInstallsWithoutAConfigFileAndDefersToOne() throws Exception {
    LoggerContext plain = newContext();
    new ContextInitializer(plain).autoConfig();
    assertThat(rootAppenders(plain)).singleElement().isInstanceOf(TelemetryAsyncAppender.class);
    assertThat(JsonLogging.installedAppender(plain)).isNotNull();

    Path xml = Files.writeString(dir.resolve("app-logback.xml"), """
        <configuration>
          <appender name="PLAIN" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%msg%n</pattern></encoder>
          </appender>
          <root level="WARN"><appender-ref ref="PLAIN"/></root>
        </configuration>
        """);
    System.setProperty("logback.configurationFile", xml.toString());
    LoggerContext configured = newContext();
    new ContextInitializer(configured).autoConfig();
    assertThat(rootAppenders(configured)).singleElement()
        .satisfies(a -> assertThat(a.getName()).isEqualTo("PLAIN"));
    assertThat(JsonLogging.findConfigurationFile(configured)).isNotNull();
    assertThat(JsonLogging.installIfUnconfigured(configured, 64, JsonLogging.findConfigurationFile(configured)))
        .isFalse();
  }

  @Test
  void spiConfiguratorHonoursLoggingDisabledAndSurvivesInvalidSettings() throws Exception {
    System.setProperty("telemetry.logging.enabled", "false");
    LoggerContext disabled = newContext();
    new ContextInitializer(disabled).autoConfig();
    assertThat(rootAppenders(disabled)).singleElement().isInstanceOf(ConsoleAppender.class);
    assertThat(JsonLogging.installedAppender(disabled)).isNull();

    System.clearProperty("telemetry.logging.enabled");
    System.setProperty("telemetry.metrics.port", "not-a-port");
    LoggerContext invalid = newContext();
    new ContextInitializer(invalid).autoConfig();
    assertThat(rootAppenders(invalid)).singleElement().isInstanceOf(TelemetryAsyncAppender.class);
    assertThat(invalid.getStatusManager().getCopyOfStatusList())
        .anyMatch(st -> st.getMessage().contains("telemetry.metrics.port"));
  }

  @Test
  void includeFileDefinesTheJsonAppenderForAnApplicationsOwnConfiguration() throws Exception {
    System.setProperty("telemetry.logging.queue-size", "256");
    System.setProperty("telemetry.logging.mask-keys", "iban, ssn");
    Path xml = Files.writeString(dir.resolve("logback.xml"), """
        <configuration>
          <include resource="io/github/telemetrybootstrap/logback/json-console-appender.xml"/>
          <root level="INFO">
            <appender-ref ref="TELEMETRY_JSON"/>
          </root>
        </configuration>
        """);
    LoggerContext context = newContext();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    joran.doConfigure(xml.toFile());
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .noneMatch(s -> s.getLevel() >= ch.qos.logback.core.status.Status.WARN);

    List<Appender<ILoggingEvent>> appenders = rootAppenders(context);
    assertThat(appenders).singleElement().isInstanceOf(TelemetryAsyncAppender.class);
    TelemetryAsyncAppender appender = (TelemetryAsyncAppender) appenders.get(0);
    assertThat(appender.getName()).isEqualTo("TELEMETRY_JSON");
    assertThat(appender.getQueueSize()).isEqualTo(256);
    assertThat(appender.getEncoder()).isInstanceOf(TelemetryJsonEncoder.class);

    // Point the configured appender at a capture stream to read what it writes.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    appender.stop();
    appender.getEncoder().start();
    appender.setOutputStream(out);
    appender.start();
    context.getLogger("com.example.App").info("hello {} {}", kv("ssn", "078-05-1120"), kv("n", 1));
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    JsonNode line = JsonLines.parse(out.toByteArray()).get(0);
    assertThat(line.get(LogFields.LOGGER).asString()).isEqualTo("com.example.App");
    assertThat(line.get("ssn").asString()).isEqualTo("****");
    assertThat(line.get("n").asInt()).isEqualTo(1);
    assertThat(JsonLogging.installIfUnconfigured(context, 64, xml.toUri().toURL())).isFalse();
  }

  @Test
  void julIsRoutedToSlf4jAtLogbacksLevels() {
    // The SPI configurator of this JVM routed java.util.logging to SLF4J.
    LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TelemetryJsonEncoder encoder = new TelemetryJsonEncoder();
    encoder.setContext(global);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> capture = new OutputStreamAppender<>();
    capture.setContext(global);
    capture.setEncoder(encoder);
    capture.setOutputStream(out);
    capture.start();
    Logger target = global.getLogger("jul.routing.test");
    target.addAppender(capture);
    target.setAdditive(false);
    try {
      java.util.logging.Logger jul = java.util.logging.Logger.getLogger("jul.routing.test");
      jul.info("from jul password=hunter2");
      jul.fine("not enabled");
      assertThat(jul.isLoggable(java.util.logging.Level.FINE)).isFalse();
      List<JsonNode> lines = JsonLines.parse(out.toByteArray());
      assertThat(lines).singleElement()
          .satisfies(l -> {
            assertThat(l.get(LogFields.LOGGER).asString()).isEqualTo("jul.routing.test");
            assertThat(l.get(LogFields.LEVEL).asString()).isEqualTo("INFO");
            assertThat(l.get(LogFields.MESSAGE).asString()).isEqualTo("from jul password=****");
          });
    } finally {
      target.detachAppender(capture);
      target.setAdditive(true);
      capture.stop();
    }
  }

  @Test
  void droppedEventsAreAPrometheusCounterInEvents() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JsonLogging.bindMetrics(registry);
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("# TYPE telemetry_logs_dropped_total counter")
        .containsPattern("# HELP telemetry_logs_dropped_total .*\\(events\\)")
        .containsPattern("(?m)^telemetry_logs_dropped_total " + JsonLogging.droppedCount() + "\\.0$");
    registry.close();
  }

  @Test
  void flushWaitsForWhatTheInstalledAppenderHasQueued() {
    org.slf4j.Logger app = LoggerFactory.getLogger("com.example.Flush");
    for (int i = 0; i < 3; i++) {
      app.info("flush {}", i);
    }
    assertThat(JsonLogging.flush(Duration.ofSeconds(10))).isTrue();
  }
}
