package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.contract.SecretMasker;
import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.context.RequestId;
import io.github.telemetrybootstrap.context.Tenant;
import io.github.telemetrybootstrap.internal.ServiceInfo;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import net.logstash.logback.argument.StructuredArguments;
import net.logstash.logback.composite.AbstractJsonProvider;
import net.logstash.logback.composite.JsonProvider;
import net.logstash.logback.marker.Markers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/** The encoder used synchronously (a plain OutputStreamAppender), as a user's ConsoleAppender would. */
class TelemetryJsonEncoderTest {
  static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
  static final String JWT =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
          .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
          io.opentelemetry.sdk.trace.export.SpanExporter.composite())).build(); // without a processor the SDK makes no spans (1.68+)
  private final Tracer tracer = tracerProvider.get("test");
  private Logger logger;
  private TelemetryJsonEncoder encoder;
  private OutputStreamAppender<ILoggingEvent> appender;

  @BeforeEach
  void setUp() {
    context.setMDCAdapter(MDC.getMDCAdapter());
    encoder = new TelemetryJsonEncoder();
    encoder.setContext(context);
    encoder.setMaskKeys("iban");
    encoder.start();
    appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    logger = context.getLogger("com.example.Orders");
    logger.addAppender(appender);
    ServiceInfo.set(new ServiceInfo("orders", "1.4.2", "staging"));
  }

  @AfterEach
  void tearDown() {
    MDC.clear();
    context.stop();
    tracerProvider.close();
    ServiceInfo.set(ServiceInfo.fromEnvironment(k -> null, k -> null));
  }

  private List<JsonNode> lines() {
    return JsonLines.parse(out.toByteArray());
  }

  private JsonNode only() {
    List<JsonNode> lines = lines();
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  @Test
  void writesTheContractFieldsInOrderWithTheirFormats() {
    Span span = tracer.spanBuilder("handle").startSpan();
    try (Scope s = span.makeCurrent();
        Scope t = Tenant.makeCurrent("acme");
        Scope r = RequestId.makeCurrent("req-7")) {
      logger.warn("order {} placed", 42, new IllegalStateException("boom"));
    } finally {
      span.end();
    }
    JsonNode line = only();
    assertThat(JsonLines.fieldNames(line))
        .containsExactly(
            LogFields.TIMESTAMP, LogFields.LEVEL, LogFields.LOGGER, LogFields.THREAD, LogFields.MESSAGE,
            LogFields.SERVICE, LogFields.SERVICE_VERSION, LogFields.ENV, LogFields.TRACE_ID,
            LogFields.SPAN_ID, LogFields.TRACE_FLAGS, LogFields.TENANT_ID, LogFields.REQUEST_ID,
            LogFields.ERROR);
    assertThat(line.get(LogFields.TIMESTAMP).asString()).matches(TIMESTAMP);
    assertThat(line.get(LogFields.LEVEL).asString()).isEqualTo("WARN");
    assertThat(line.get(LogFields.LOGGER).asString()).isEqualTo("com.example.Orders");
    assertThat(line.get(LogFields.THREAD).asString()).isEqualTo(Thread.currentThread().getName());
    assertThat(line.get(LogFields.MESSAGE).asString()).isEqualTo("order 42 placed");
    assertThat(line.get(LogFields.SERVICE).asString()).isEqualTo("orders");
    assertThat(line.get(LogFields.SERVICE_VERSION).asString()).isEqualTo("1.4.2");
    assertThat(line.get(LogFields.ENV).asString()).isEqualTo("staging");
    SpanContext sc = span.getSpanContext();
    assertThat(line.get(LogFields.TRACE_ID).asString())
        .isEqualTo(sc.getTraceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    assertThat(line.get(LogFields.SPAN_ID).asString())
        .isEqualTo(sc.getSpanId()).matches("[0-9a-f]{16}").isNotEqualTo("0".repeat(16));
    assertThat(line.get(LogFields.TRACE_FLAGS).asString()).isEqualTo("01");
    assertThat(line.get(LogFields.TENANT_ID).asString()).isEqualTo("acme");
    assertThat(line.get(LogFields.REQUEST_ID).asString()).isEqualTo("req-7");
    JsonNode error = line.get(LogFields.ERROR);
    assertThat(JsonLines.fieldNames(error))
        .containsExactly(LogFields.ERROR_TYPE, LogFields.ERROR_MESSAGE, LogFields.ERROR_STACK_TRACE);
    assertThat(error.get(LogFields.ERROR_TYPE).asString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.get(LogFields.ERROR_MESSAGE).asString()).isEqualTo("boom");
    assertThat(error.get(LogFields.ERROR_STACK_TRACE).asString())
        .startsWith("java.lang.IllegalStateException: boom\n")
        .contains("at io.github.telemetrybootstrap.logging.TelemetryJsonEncoderTest");
  }

  @Test
  void levelsAreTheContractNames() {
    logger.setLevel(ch.qos.logback.classic.Level.TRACE);
    logger.trace("t");
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    assertThat(lines())
        .extracting(l -> l.get(LogFields.LEVEL).asString())
        .containsExactly("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  }

  @Test
  void unknownVersionAndEnvironmentAndNoContextAreOmitted() {
    ServiceInfo.set(new ServiceInfo("orders", null, null));
    logger.info("plain");
    JsonNode line = only();
    assertThat(JsonLines.fieldNames(line))
        .containsExactly(
            LogFields.TIMESTAMP, LogFields.LEVEL, LogFields.LOGGER, LogFields.THREAD, LogFields.MESSAGE,
            LogFields.SERVICE);
  }

  @Test
  void unsampledSpanHasFlags00() {
    SdkTracerProvider off = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff())
        .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
          io.opentelemetry.sdk.trace.export.SpanExporter.composite())).build();
    Span span = off.get("test").spanBuilder("x").startSpan();
    try (Scope s = span.makeCurrent()) {
      logger.info("not sampled");
    }
    off.close();
    JsonNode line = only();
    assertThat(line.get(LogFields.TRACE_ID).asString()).isEqualTo(span.getSpanContext().getTraceId());
    assertThat(line.get(LogFields.TRACE_FLAGS).asString()).isEqualTo("00");
  }

  @Test
  void tenantIsSanitised() {
    try (Scope t = Tenant.makeCurrent("  ac\nme\u0007 ")) {
      logger.info("x");
    }
    assertThat(only().get(LogFields.TENANT_ID).asString()).isEqualTo("acme");
  }

  @Test
  void multiLineMessageBecomesOneLineWithVisibleBreaks() {
    logger.info("first\nsecond\r\nthird\u2028fourth\rfifth");
    JsonNode line = only();
    // The decoded message has no CR/LF (the contract's schema forbids them); breaks stay visible.
    assertThat(line.get(LogFields.MESSAGE).asString())
        .isEqualTo("first\\nsecond\\nthird\\nfourth\\nfifth")
        .doesNotContain("\n", "\r");
  }

  @Test
  void aMultiLineMessageStillHasItsSecretsMasked() {
    logger.info("config:\nAuthorization: Bearer abc.def.ghi\npassword=hunter2");
    String message = only().get(LogFields.MESSAGE).asString();
    assertThat(message).doesNotContain("abc.def.ghi", "hunter2").doesNotContain("\n");
  }

  @Test
  void mdcArgumentsKeyValuePairsAndMarkersBecomeFields() {
    MDC.put("order_id", "o-1");
    logger.atInfo()
        .addMarker(Markers.append("shard", 3))
        .addKeyValue("attempt", 2)
        .log("paid {}", kv("amount_cents", 1299));
    JsonNode line = only();
    assertThat(line.get("order_id").asString()).isEqualTo("o-1");
    assertThat(line.get("attempt").asInt()).isEqualTo(2);
    assertThat(line.get("amount_cents").asInt()).isEqualTo(1299);
    assertThat(line.get("shard").asInt()).isEqualTo(3);
    assertThat(line.get(LogFields.MESSAGE).asString()).isEqualTo("paid amount_cents=1299");
  }

  @Test
  void userFieldsCannotOverwriteContractFields() {
    Span span = tracer.spanBuilder("handle").startSpan();
    try (Scope s = span.makeCurrent()) {
      MDC.put(LogFields.TRACE_ID, "00000000000000000000000000000bad");
      MDC.put("user", "alice");
      logger.atInfo()
          .addKeyValue(LogFields.LEVEL, "FATAL")
          .addMarker(Markers.append(LogFields.MESSAGE, Map.of("nested", "x")))
          .log("real {}", kv(LogFields.SPAN_ID, "fake"), kv("after", 1));
    } finally {
      span.end();
    }
    JsonNode line = only();
    String raw = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(raw).containsOnlyOnce("\"trace_id\"").containsOnlyOnce("\"span_id\"")
        .containsOnlyOnce("\"level\"").containsOnlyOnce("\"message\"");
    assertThat(line.get(LogFields.TRACE_ID).asString()).isEqualTo(span.getSpanContext().getTraceId());
    assertThat(line.get(LogFields.SPAN_ID).asString()).isEqualTo(span.getSpanContext().getSpanId());
    assertThat(line.get(LogFields.LEVEL).asString()).isEqualTo("INFO");
    assertThat(line.get(LogFields.MESSAGE).asString()).isEqualTo("real span_id=fake");
    assertThat(line.get("user").asString()).isEqualTo("alice");
    assertThat(line.get("after").asInt()).isEqualTo(1);
  }

  @Test
  void noTraceFieldsOutsideASpan() {
    logger.info("outside");
    JsonNode line = only();
    assertThat(line.has(LogFields.TRACE_ID)).isFalse();
    assertThat(line.has(LogFields.SPAN_ID)).isFalse();
    assertThat(line.has(LogFields.TRACE_FLAGS)).isFalse();
    assertThat(line.has(LogFields.TENANT_ID)).isFalse();
    assertThat(line.has(LogFields.REQUEST_ID)).isFalse();
  }

  @Test
  void secretKeysAreMaskedInMdcArgumentsAndNestedObjects() {
    MDC.put("Authorization", "Bearer abc123DEF456");
    MDC.put("user", "alice");
    logger.atInfo()
        .addKeyValue("api-key", "k-1")
        .log("login {} {} {}",
            kv("password", "hunter2"),
            kv("request", Map.of("headers", Map.of("Cookie", "sid=1"), "path", "/login")),
            kv("iban", "DE89370400440532013000"));
    JsonNode line = only();
    assertThat(line.get("Authorization").asString()).isEqualTo("****");
    assertThat(line.get("user").asString()).isEqualTo("alice");
    assertThat(line.get("api-key").asString()).isEqualTo("****");
    assertThat(line.get("password").asString()).isEqualTo("****");
    assertThat(line.get("request").get("headers").get("Cookie").asString()).isEqualTo("****");
    assertThat(line.get("request").get("path").asString()).isEqualTo("/login");
    assertThat(line.get("iban").asString()).isEqualTo("****");
    assertThat(line.get(LogFields.MESSAGE).asString())
        .startsWith("login password=**** request={")
        .contains("headers={Cookie=****}", "path=/login")
        .endsWith("} iban=****")
        .doesNotContain("hunter2", "sid=1", "DE89");
  }

  @Test
  void secretsInMessageAndExceptionAreMasked() {
    Exception e =
        new IllegalArgumentException("rejected token " + JWT + " for card 4111 1111 1111 1111");
    logger.error("auth header Bearer abc123DEF456ghi, card 4111111111111111, id 4111111111111112", e);
    JsonNode line = only();
    assertThat(line.get(LogFields.MESSAGE).asString())
        .isEqualTo("auth header Bearer ****, card ****, id 4111111111111112");
    JsonNode error = line.get(LogFields.ERROR);
    assertThat(error.get(LogFields.ERROR_MESSAGE).asString()).isEqualTo("rejected token **** for card ****");
    assertThat(error.get(LogFields.ERROR_STACK_TRACE).asString())
        .startsWith("java.lang.IllegalArgumentException: rejected token **** for card ****")
        .doesNotContain(JWT)
        .doesNotContain("4111 1111 1111 1111");
    String raw = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(raw).doesNotContain("abc123DEF456ghi").doesNotContain("4111111111111111");
  }

  @Test
  void cardNumbersLoggedAsNumbersAreMasked() {
    logger.info("paid", kv("card", 4111111111111111L), kv("order", 4111111111111112L), kv("n", 7));
    JsonNode line = only();
    assertThat(line.get("card").asString()).isEqualTo("****");
    assertThat(line.get("order").asLong()).isEqualTo(4111111111111112L);
    assertThat(line.get("n").asInt()).isEqualTo(7);
  }

  @Test
  void rootCauseIsInTheStackTraceEvenWhenCut() {
    encoder.stop();
    encoder.setMaxStackTraceLength(600);
    encoder.start();
    Exception root = new java.io.IOException("connection refused");
    Exception wrapped = new RuntimeException("outer", new IllegalStateException("middle", root));
    logger.error("failed", wrapped);
    JsonNode error = only().get(LogFields.ERROR);
    assertThat(error.get(LogFields.ERROR_TYPE).asString()).isEqualTo("java.lang.RuntimeException");
    String trace = error.get(LogFields.ERROR_STACK_TRACE).asString();
    assertThat(trace).startsWith("java.io.IOException: connection refused").hasSizeLessThanOrEqualTo(600);
  }

  @Test
  void globalMaskKeysApplyToRunningEncoders() {
    SecretMasker.setGlobalExtraKeys(List.of("ssn"));
    try {
      logger.info("person {}", kv("ssn", "078-05-1120"));
      assertThat(only().get("ssn").asString()).isEqualTo("****");
    } finally {
      SecretMasker.setGlobalExtraKeys(List.of());
    }
  }

  @Test
  void badTextIsWrittenNotThrown() {
    logger.info("lone surrogate \uD800 and nul \u0000 end");
    JsonNode line = only();
    assertThat(line.get(LogFields.MESSAGE).asString()).startsWith("lone surrogate").endsWith(" end");
  }

  @Test
  void credentialsAreMaskedInEveryChannel() {
    String aws = "AKIAIOSFODNN7EXAMPLE";
    String github = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
    String slack = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
    String stripe = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    MDC.put("upstream", "postgres://app:s3cr3tP4ss@db:5432/orders");
    logger.atError()
        .setMessage("deploy with {} and {} failed, password is hunter2")
        .addArgument(aws)
        .addArgument(StructuredArguments.value("password", "pw-in-message"))
        .addKeyValue("note", "slack " + slack)
        .addMarker(Markers.appendRaw("payload", "{\"password\":\"raw-pw\",\"stripe\":\"" + stripe + "\"}"))
        .addMarker(Markers.appendRaw("token", "\"raw-token-value\""))
        .setCause(new IllegalStateException("git push with " + github + " rejected: <password>xml-pw</password>"))
        .log();
    String line = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    for (String secret : List.of(aws, "pw-in-message", "hunter2", slack, "raw-pw", stripe,
        "raw-token-value", github, "xml-pw", "s3cr3tP4ss")) {
      assertThat(line).as(secret).doesNotContain(secret);
    }
    JsonNode json = only();
    assertThat(json.get("message").asString())
        .isEqualTo("deploy with **** and **** failed, password is ****");
    assertThat(json.get("password").asString()).isEqualTo("****");
    assertThat(json.get("token").asString()).isEqualTo("****");
    assertThat(json.get("payload").get("password").asString()).isEqualTo("****");
    assertThat(json.get("upstream").asString()).isEqualTo("postgres://app:****@db:5432/orders");
    assertThat(json.get("error").get("message").asString()).contains("git push with **** rejected");
    assertThat(json.get("error").get("stack_trace").asString()).doesNotContain(github);
  }

  @Test
  void lineAndParagraphSeparatorsAreEscapedEverywhere() {
    MDC.put("note", "a\u2028b\u2029c");
    logger.info("plain");
    String raw = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(raw).doesNotContain("\u2028").doesNotContain("\u2029").contains("a\\u2028b\\u2029c");
    assertThat(only().get("note").asString()).isEqualTo("a\u2028b\u2029c");
  }

  @Test
  void secretsInLoggerAndThreadNamesAreMasked() throws Exception {
    Logger odd = context.getLogger("com.example.token=ghp_16C7e42F292c6912E7710c838347Ae178B4a");
    odd.addAppender(appender);
    Thread worker = new Thread(() -> odd.info("from a badly named thread"), "worker password=hunter2");
    worker.start();
    worker.join();
    JsonNode line = only();
    assertThat(line.get(LogFields.LOGGER).asString()).isEqualTo("com.example.token=****");
    assertThat(line.get(LogFields.THREAD).asString()).isEqualTo("worker password=****");
  }

  @Test
  void theEncodersOwnMaskKeysApplyToStructuredArgumentsInTheMessage() {
    logger.info("paying from {}", StructuredArguments.value("iban", "DE89370400440532013000"));
    JsonNode line = only();
    assertThat(line.get(LogFields.MESSAGE).asString()).isEqualTo("paying from ****");
    assertThat(line.get("iban").asString()).isEqualTo("****");
  }

  /** A provider of the user's own that writes two fixed fields. */
  private static JsonProvider<ILoggingEvent> fields(String k1, String v1, String k2, String v2) {
    return new AbstractJsonProvider<>() {
      @Override
      public void writeTo(JsonGenerator generator, ILoggingEvent event) {
        generator.writeStringProperty(k1, v1);
        generator.writeStringProperty(k2, v2);
      }
    };
  }

  /** One INFO line with {@code message}, through a new encoder that {@code configure} has set up. */
  private JsonNode encodeWith(java.util.function.Consumer<TelemetryJsonEncoder> configure, String message) {
    TelemetryJsonEncoder custom = new TelemetryJsonEncoder();
    custom.setContext(context);
    configure.accept(custom);
    custom.start();
    LoggingEvent event = new LoggingEvent(getClass().getName(), logger, Level.INFO, message, null, null);
    return JsonLines.parse(custom.encode(event)).get(0);
  }

  @Test
  void aProviderTheUserAddsToTheUserFieldsStillWritesAndIsMasked() {
    JsonNode line = encodeWith(encoder -> encoder.getProviders().getProviders().forEach(p -> {
      if (p instanceof UserFieldsJsonProvider user) {
        user.addProvider(fields("region", "eu-west-1", "api_key", "k-123"));
      }
    }), "no MDC, no arguments");
    assertThat(line.get("region").asString()).isEqualTo("eu-west-1");
    assertThat(line.get("api_key").asString()).isEqualTo("****");
  }

  @Test
  void aMessageLongerThanTheLineCapIsMaskedThenCut() {
    int cap = LogLimits.maxLineLength();
    String secret = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
    logger.info("x".repeat(cap - 20) + " " + secret + " " + "y".repeat(100));
    String message = only().get(LogFields.MESSAGE).asString();
    assertThat(message).doesNotContain("ghp_16C7").hasSizeLessThanOrEqualTo(cap);
  }

  @Test
  void aProviderAddedAtTheTopLevelHasItsValuesMaskedToo() {
    JsonNode line = encodeWith(encoder -> encoder.getProviders().addProvider(fields(
        "note", "deploy with token=ghp_16C7e42F292c6912E7710c838347Ae178B4a", "password", "hunter2")),
        "plain");
    assertThat(line.get("note").asString()).isEqualTo("deploy with token=****");
    assertThat(line.get("password").asString()).isEqualTo("****");
    assertThat(line.get(LogFields.MESSAGE).asString()).isEqualTo("plain");
  }
}
