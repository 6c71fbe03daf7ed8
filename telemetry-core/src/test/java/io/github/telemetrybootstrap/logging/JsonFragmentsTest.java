package io.github.telemetrybootstrap.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.github.telemetrybootstrap.context.RequestId;
import io.github.telemetrybootstrap.context.Tenant;
import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.internal.ServiceInfo;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.decorate.PrettyPrintingDecorator;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import net.logstash.logback.layout.LoggingEventCompositeJsonLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The contract's providers append pre-encoded runs of fields where that is exact and write field by
 * field elsewhere: wherever a user's own encoder or layout puts them, pretty-printed, at a buffer
 * boundary, and with values that need escaping, the line is the JSON that field-by-field writing gives.
 */
class JsonFragmentsTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";

  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("com.example.Orders");
  private Scope scope;

  @BeforeEach
  void setUp() {
    context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
    ServiceInfo.set(new ServiceInfo("orders", "1.4.2", "staging"));
    Span span = Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
    scope = RequestId.with(Tenant.with(Context.root().with(span), "acme"), "req-7").makeCurrent();
  }

  @AfterEach
  void tearDown() {
    scope.close();
    ServiceInfo.set(ServiceInfo.fromEnvironment(k -> null, k -> null));
  }

  private LoggingEvent event(Logger from, String message) {
    return event(from, message, "http-worker-3");
  }

  private LoggingEvent event(Logger from, String message, String thread) {
    LoggingEvent event = new LoggingEvent(getClass().getName(), from, Level.INFO, message, null, null);
    event.setThreadName(thread);
    return event;
  }

  private static void assertTraceServiceTenantRequest(JsonNode line) {
    assertThat(line.get(LogFields.TRACE_ID).asString()).isEqualTo(TRACE_ID);
    assertThat(line.get(LogFields.SPAN_ID).asString()).isEqualTo(SPAN_ID);
    assertThat(line.get(LogFields.TRACE_FLAGS).asString()).isEqualTo("01");
    assertThat(line.get(LogFields.SERVICE).asString()).isEqualTo("orders");
    assertThat(line.get(LogFields.SERVICE_VERSION).asString()).isEqualTo("1.4.2");
    assertThat(line.get(LogFields.ENV).asString()).isEqualTo("staging");
    assertThat(line.get(LogFields.TENANT_ID).asString()).isEqualTo("acme");
    assertThat(line.get(LogFields.REQUEST_ID).asString()).isEqualTo("req-7");
  }

  @Test
  void theProvidersWriteValidJsonWhereverAUsersCompositeEncoderPutsThem() {
    // The trace fields first, where no field precedes them: a fragment starting with its comma
    // would give {,"trace_id"...
    LoggingEventCompositeJsonEncoder encoder = new LoggingEventCompositeJsonEncoder();
    encoder.setContext(context);
    encoder.getProviders().addProvider(new TraceContextJsonProvider());
    encoder.getProviders().addProvider(new ServiceJsonProvider());
    encoder.getProviders().addProvider(new TenantJsonProvider());
    encoder.getProviders().addProvider(new RequestIdJsonProvider());
    encoder.start();
    JsonNode line = JsonLines.parse(encoder.encode(event(logger, "hello"))).get(0);
    assertThat(JsonLines.fieldNames(line)).containsExactly(LogFields.TRACE_ID, LogFields.SPAN_ID,
        LogFields.TRACE_FLAGS, LogFields.SERVICE, LogFields.SERVICE_VERSION, LogFields.ENV,
        LogFields.TENANT_ID, LogFields.REQUEST_ID);
    assertTraceServiceTenantRequest(line);

    // And the service fields first, before the trace fields.
    LoggingEventCompositeJsonEncoder serviceFirst = new LoggingEventCompositeJsonEncoder();
    serviceFirst.setContext(context);
    serviceFirst.getProviders().addProvider(new ServiceJsonProvider());
    serviceFirst.getProviders().addProvider(new TraceContextJsonProvider());
    serviceFirst.start();
    JsonNode other = JsonLines.parse(serviceFirst.encode(event(logger, "hello"))).get(0);
    assertThat(JsonLines.fieldNames(other)).containsExactly(LogFields.SERVICE, LogFields.SERVICE_VERSION,
        LogFields.ENV, LogFields.TRACE_ID, LogFields.SPAN_ID, LogFields.TRACE_FLAGS);
  }

  @Test
  void aLayoutWritingTextGetsTheSameFields() {
    LoggingEventCompositeJsonLayout layout = new LoggingEventCompositeJsonLayout();
    layout.setContext(context);
    layout.getProviders().addProvider(new LoggingEventFormattedTimestampJsonProvider());
    layout.getProviders().addProvider(new ServiceJsonProvider());
    layout.getProviders().addProvider(new TraceContextJsonProvider());
    layout.getProviders().addProvider(new TenantJsonProvider());
    layout.getProviders().addProvider(new RequestIdJsonProvider());
    layout.start();
    String text = layout.doLayout(event(logger, "hello"));
    JsonNode line = JsonLines.MAPPER.readTree(text);
    assertThat(JsonLines.fieldNames(line)).containsExactly("@timestamp", LogFields.SERVICE,
        LogFields.SERVICE_VERSION, LogFields.ENV, LogFields.TRACE_ID, LogFields.SPAN_ID,
        LogFields.TRACE_FLAGS, LogFields.TENANT_ID, LogFields.REQUEST_ID);
    assertTraceServiceTenantRequest(line);
  }

  @Test
  void aPrettyPrintedLineIsPrettyPrintedThroughout() {
    TelemetryJsonEncoder encoder = new TelemetryJsonEncoder();
    encoder.setContext(context);
    encoder.addDecorator(new PrettyPrintingDecorator<>());
    encoder.start();
    String raw = new String(encoder.encode(event(logger, "hello")), StandardCharsets.UTF_8);
    // Every field on its own line: no pre-encoded ,"name":"value" run left in it.
    assertThat(raw).doesNotContain(",\"").contains("\n  \"" + LogFields.TRACE_ID + "\" : ");
    JsonNode line = JsonLines.MAPPER.readTree(raw);
    assertThat(line.get(LogFields.LEVEL).asString()).isEqualTo("INFO");
    assertThat(line.get(LogFields.LOGGER).asString()).isEqualTo("com.example.Orders");
    assertThat(line.get(LogFields.THREAD).asString()).isEqualTo("http-worker-3");
    assertTraceServiceTenantRequest(line);
  }

  @Test
  void valuesThatNeedEscapingAreWrittenFieldByFieldWithTheEncodersEscapes() {
    ServiceInfo.set(new ServiceInfo("or\"ders", "1.4.2\\beta", "stag\u2028ing"));
    TelemetryJsonEncoder encoder = new TelemetryJsonEncoder();
    encoder.setContext(context);
    encoder.start();
    Logger odd = context.getLogger("com.example.Caf\u00e9\u2029Orders");
    LoggingEvent event = event(odd, "hello", "worker \"7\"\u2028");
    byte[] bytes = encoder.encode(event);
    String raw = new String(bytes, StandardCharsets.UTF_8);
    assertThat(raw).doesNotContain("\u2028").doesNotContain("\u2029")
        .contains("stag\\u2028ing").contains("Caf\u00e9\\u2029Orders");
    JsonNode line = JsonLines.parse(bytes).get(0);
    assertThat(line.get(LogFields.SERVICE).asString()).isEqualTo("or\"ders");
    assertThat(line.get(LogFields.SERVICE_VERSION).asString()).isEqualTo("1.4.2\\beta");
    assertThat(line.get(LogFields.ENV).asString()).isEqualTo("stag\u2028ing");
    assertThat(line.get(LogFields.LOGGER).asString()).isEqualTo("com.example.Caf\u00e9\u2029Orders");
    assertThat(line.get(LogFields.THREAD).asString()).isEqualTo("worker \"7\"\u2028");
    assertThat(line.get(LogFields.TRACE_ID).asString()).isEqualTo(TRACE_ID);
  }

  @Test
  void withAProviderOfTheUsersTheWholeLineIsMaskedAndKeepsEveryContractField() {
    // A provider the encoder does not know puts the whole line through logstash's masking generator,
    // which the fragments pass through.
    TelemetryJsonEncoder encoder = new TelemetryJsonEncoder();
    encoder.setContext(context);
    encoder.getProviders().addProvider(new net.logstash.logback.composite.AbstractJsonProvider<ILoggingEvent>() {
      @Override
      public void writeTo(tools.jackson.core.JsonGenerator generator, ILoggingEvent event) {
        generator.writeStringProperty("note", "deploy with token=ghp_16C7e42F292c6912E7710c838347Ae178B4a");
      }
    });
    encoder.start();
    JsonNode line = JsonLines.parse(encoder.encode(event(logger, "hello"))).get(0);
    assertThat(JsonLines.fieldNames(line)).containsExactly(LogFields.TIMESTAMP, LogFields.LEVEL,
        LogFields.LOGGER, LogFields.THREAD, LogFields.MESSAGE, LogFields.SERVICE, LogFields.SERVICE_VERSION,
        LogFields.ENV, LogFields.TRACE_ID, LogFields.SPAN_ID, LogFields.TRACE_FLAGS, LogFields.TENANT_ID,
        LogFields.REQUEST_ID, "note");
    assertTraceServiceTenantRequest(line);
    assertThat(line.get(LogFields.LEVEL).asString()).isEqualTo("INFO");
    assertThat(line.get(LogFields.LOGGER).asString()).isEqualTo("com.example.Orders");
    assertThat(line.get("note").asString()).isEqualTo("deploy with token=****");
  }

  @Test
  void aFragmentThatDoesNotFitTheGeneratorsBufferIsWrittenWhole() {
    // Messages of every length up to twice the generator's 8000-byte buffer put each fragment
    // across the buffer's end once.
    TelemetryJsonEncoder encoder = new TelemetryJsonEncoder();
    encoder.setContext(context);
    encoder.start();
    StringBuilder message = new StringBuilder();
    for (int length = 0; length <= 16_200; length++) {
      byte[] bytes = encoder.encode(event(logger, message.toString()));
      List<JsonNode> lines = JsonLines.parse(bytes);
      assertThat(lines).as("message of %d characters", length).hasSize(1);
      JsonNode line = lines.get(0);
      assertThat(line.get(LogFields.MESSAGE).asString()).hasSize(length);
      assertTraceServiceTenantRequest(line);
      message.append((char) ('a' + length % 26));
    }
  }
}
