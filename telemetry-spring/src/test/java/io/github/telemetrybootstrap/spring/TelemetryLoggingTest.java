package io.github.telemetrybootstrap.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.github.telemetrybootstrap.context.RequestId;
import io.github.telemetrybootstrap.context.Tenant;
import io.github.telemetrybootstrap.testkit.logs.ExpectedContext;
import io.github.telemetrybootstrap.testkit.logs.LogLineValidator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockEnvironment;

/** The console format Spring Boot's logging system uses, and the defaults that select it. */
class TelemetryLoggingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";

  @Test
  void formatterWritesTheContractLineWithTheCurrentContext() {
    TelemetryStructuredLogFormatter formatter =
        new TelemetryStructuredLogFormatter(new MockEnvironment().withProperty("telemetry.logging.mask-keys", "iban"));
    LoggerContext loggerContext = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    Logger logger = loggerContext.getLogger("orders");
    LoggingEvent event =
        new LoggingEvent(
            "orders", logger, Level.INFO, "charging {} iban=DE89370400440532013000", null,
            new Object[] {"42"});
    SpanContext span =
        SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());
    String line;
    Context context = RequestId.with(Tenant.with(Context.root().with(Span.wrap(span)), "acme"), "req-1");
    try (Scope ignored = context.makeCurrent()) {
      line = new String(formatter.formatAsBytes(event, StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
    assertThat(line).endsWith("\n").doesNotContain("DE89370400440532013000");
    assertThat(line.strip()).doesNotContain("\n");
    assertThat(line)
        .contains("\"trace_id\":\"" + TRACE_ID + "\"")
        .contains("\"span_id\":\"" + SPAN_ID + "\"")
        .contains("\"tenant_id\":\"acme\"")
        .contains("\"request_id\":\"req-1\"")
        .contains("\"message\":\"charging 42 iban=");
    assertThat(
            LogLineValidator.create()
                .validate(1, line.strip(), ExpectedContext.inSpan(TRACE_ID, SPAN_ID).withTenant("acme")))
        .isEmpty();
    try (Scope ignored = context.makeCurrent()) {
      assertThat(formatter.format(event)).isEqualTo(line);
    }
  }

  @Test
  void defaultsSelectTheFormatAndYieldToTheApplication() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("application", Map.of("spring.main.banner-mode", "console")));
    new TelemetryEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
    assertThat(environment.getProperty("logging.structured.format.console"))
        .isEqualTo(TelemetryStructuredLogFormatter.class.getName());
    assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("1.0");
    assertThat(environment.getProperty("spring.reactor.context-propagation")).isEqualTo("auto");
    assertThat(environment.getProperty("spring.main.banner-mode")).isEqualTo("console");
    assertThat(environment.getPropertySources().stream().reduce((a, b) -> b).orElseThrow().getName())
        .isEqualTo(TelemetryEnvironmentPostProcessor.PROPERTY_SOURCE);
  }

  @Test
  void loggingSwitchedOffKeepsSpringBootsFormat() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("application", Map.of("telemetry.logging.enabled", "false")));
    new TelemetryEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
    assertThat(environment.getProperty("logging.structured.format.console")).isNull();
    assertThat(environment.getProperty("spring.main.banner-mode")).isEqualTo("off");
  }

  @Test
  void switchedOffAddsNothing() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("application", Map.of("telemetry.enabled", "false")));
    new TelemetryEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
    assertThat(environment.getPropertySources().contains(TelemetryEnvironmentPostProcessor.PROPERTY_SOURCE)).isFalse();
  }
}
