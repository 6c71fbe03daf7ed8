package io.github.telemetrybootstrap.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Quarkus formatter writes the same line as telemetry-core: fields, masking, one line, caps. */
class ContractLogFormatterTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";
  private final ObjectMapper json = new ObjectMapper();
  private final ContractLogFormatter formatter = new ContractLogFormatter("orders", "1.2.3", "prod", 2048, 64);

  private JsonNode format(ExtLogRecord record) throws IOException {
    String line = formatter.format(record);
    assertThat(line).endsWith("\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r", "\u2028", "\u2029");
    return json.readTree(line);
  }

  private static ExtLogRecord record(java.util.logging.Level level, String message, Object... params) {
    ExtLogRecord r = new ExtLogRecord(level, message, ExtLogRecord.FormatStyle.MESSAGE_FORMAT, "test");
    r.setLoggerName("com.example.Orders");
    r.setParameters(params);
    return r;
  }

  @Test
  void aRequestLineCarriesTheContractFieldsFromTheCurrentContext() throws Exception {
    Context context = Context.root()
        .with(Span.wrap(SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(), TraceState.getDefault())))
        .with(Baggage.builder().put("tenant_id", "acme").build());
    context = RequestContext.inbound(context, null, "req-1", 64);
    JsonNode line;
    try (Scope ignored = context.makeCurrent()) {
      line = format(record(Level.INFO, "Fetching order {0}", 42));
    }
    assertThat(line.get("@timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("logger").asText()).isEqualTo("com.example.Orders");
    assertThat(line.get("message").asText()).isEqualTo("Fetching order 42");
    assertThat(line.get("service").asText()).isEqualTo("orders");
    assertThat(line.get("service_version").asText()).isEqualTo("1.2.3");
    assertThat(line.get("env").asText()).isEqualTo("prod");
    assertThat(line.get("trace_id").asText()).isEqualTo(TRACE);
    assertThat(line.get("span_id").asText()).isEqualTo(SPAN);
    assertThat(line.get("trace_flags").asText()).isEqualTo("01");
    assertThat(line.get("tenant_id").asText()).isEqualTo("acme");
    assertThat(line.get("request_id").asText()).isEqualTo("req-1");
    List<String> names = new java.util.ArrayList<>();
    line.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("@timestamp", "level", "logger", "thread", "message", "service",
        "service_version", "env", "trace_id", "span_id", "trace_flags", "tenant_id", "request_id");
  }

  @Test
  void withoutASpanTheMdcOfQuarkusOpenTelemetryGivesTheIds() throws Exception {
    ExtLogRecord r = record(Level.WARN, "late");
    r.putMdc("traceId", TRACE);
    r.putMdc("spanId", SPAN);
    r.putMdc("sampled", "true");
    JsonNode line = format(r);
    assertThat(line.get("level").asText()).isEqualTo("WARN");
    assertThat(line.get("trace_id").asText()).isEqualTo(TRACE);
    assertThat(line.get("trace_flags").asText()).isEqualTo("01");
    assertThat(line.has("traceId")).isFalse();
  }

  @Test
  void levelsMapToTheContractsNames() {
    assertThat(ContractLogFormatter.level(Level.FATAL)).isEqualTo("ERROR");
    assertThat(ContractLogFormatter.level(java.util.logging.Level.SEVERE)).isEqualTo("ERROR");
    assertThat(ContractLogFormatter.level(java.util.logging.Level.WARNING)).isEqualTo("WARN");
    assertThat(ContractLogFormatter.level(java.util.logging.Level.CONFIG)).isEqualTo("INFO");
    assertThat(ContractLogFormatter.level(Level.DEBUG)).isEqualTo("DEBUG");
    assertThat(ContractLogFormatter.level(java.util.logging.Level.FINEST)).isEqualTo("TRACE");
  }

  @Test
  void errorsAndMdcValuesAreMaskedAndMultiLineMessagesStayOneLine() throws Exception {
    ExtLogRecord r = record(Level.ERROR, "login failed for password=hunter2\nsecond line\u2028third");
    r.setThrown(new IllegalStateException("token=abc123secret"));
    r.putMdc("api_key", "k-1");
    r.putMdc("note", "a\u2028b");
    r.putMdc("order", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl");
    String raw = formatter.format(r);
    assertThat(raw).contains("\\u2028").doesNotContain("hunter2", "abc123secret", "k-1", "eyJhbGci");
    JsonNode line = json.readTree(raw);
    assertThat(line.get("message").asText()).isEqualTo("login failed for password=****\\nsecond line\\nthird");
    assertThat(line.get("error").get("type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(line.get("error").get("message").asText()).isEqualTo("token=****");
    assertThat(line.get("error").get("stack_trace").asText())
        .startsWith("java.lang.IllegalStateException: token=****").contains("\tat ");
    assertThat(line.get("api_key").asText()).isEqualTo("****");
    assertThat(line.get("order").asText()).isEqualTo("Bearer ****");
  }

  @Test
  void aLongMessageIsCutWithTheMarker() throws Exception {
    String message = "x ".repeat(5000);
    JsonNode line = format(record(Level.INFO, message));
    assertThat(line.get("message").asText()).hasSizeLessThanOrEqualTo(2048)
        .endsWith(" <truncated: 10000 chars in all>");
  }

  @Test
  void secretsInLoggerAndThreadNamesAreMaskedAsInTelemetryCore() throws Exception {
    ExtLogRecord r = record(Level.INFO, "from a badly named thread");
    r.setLoggerName("com.example.token=ghp_16C7e42F292c6912E7710c838347Ae178B4a");
    r.setThreadName("worker password=hunter2");
    for (int i = 0; i < 2; i++) { // the second line from the per-name cache
      JsonNode line = format(r);
      assertThat(line.get("logger").asText()).isEqualTo("com.example.token=****");
      assertThat(line.get("thread").asText()).isEqualTo("worker password=****");
    }
  }

  @Test
  void everyValueIsEscapedWhateverItHolds() throws Exception {
    ContractLogFormatter odd = new ContractLogFormatter("or\"ders", "1.2\\3", "pr\u2028od", 2048, 64);
    Context context = Context.root()
        .with(Baggage.builder().put("tenant_id", "ac\u2029me \"x\"").build());
    context = RequestContext.inbound(context, null, "req\\1", 64);
    ExtLogRecord r = record(Level.INFO, "quote \" backslash \\ tab \t emoji \uD83D\uDE00 done");
    r.setLoggerName("com.example.Caf\u00e9\u2028Orders");
    r.setThreadName("worker \"7\"\u0001");
    r.putMdc("k\"ey", "v\u2029al");
    String raw;
    try (Scope ignored = context.makeCurrent()) {
      raw = odd.format(r);
    }
    JsonNode line = format(r); // the checks of format(): one line, no raw separators
    assertThat(line.get("logger").asText()).isEqualTo("com.example.Caf\u00e9\u2028Orders");
    JsonNode parsed = json.readTree(raw);
    assertThat(raw.substring(0, raw.length() - 1)).doesNotContain("\n", "\u2028", "\u2029");
    assertThat(parsed.get("service").asText()).isEqualTo("or\"ders");
    assertThat(parsed.get("service_version").asText()).isEqualTo("1.2\\3");
    assertThat(parsed.get("env").asText()).isEqualTo("pr\u2028od");
    assertThat(parsed.get("message").asText()).isEqualTo("quote \" backslash \\ tab \t emoji \uD83D\uDE00 done");
    assertThat(parsed.get("logger").asText()).isEqualTo("com.example.Caf\u00e9\u2028Orders");
    assertThat(parsed.get("thread").asText()).isEqualTo("worker \"7\"\u0001");
    assertThat(parsed.get("tenant_id").asText()).isEqualTo("ac\u2029me \"x\"");
    assertThat(parsed.get("request_id").asText()).isEqualTo("req\\1");
    assertThat(parsed.get("k\"ey").asText()).isEqualTo("v\u2029al");
  }

  @Test
  void onlyTheSampledBitIsWrittenAsTraceFlags() throws Exception {
    // W3C Trace Context Level 2 adds a "random" flag (02); the contract allows 01 and 00.
    Context context = Context.root().with(Span.wrap(
        SpanContext.create(TRACE, SPAN, TraceFlags.fromByte((byte) 0x03), TraceState.getDefault())));
    JsonNode line;
    try (Scope ignored = context.makeCurrent()) {
      line = format(record(Level.INFO, "hello"));
    }
    assertThat(line.get("trace_flags").asText()).isEqualTo("01");
  }

  @Test
  void eachLineHasTheTenantOfItsOwnContext() throws Exception {
    for (String tenant : List.of("acme", "globex", "acme", " ")) {
      Context context = Context.root().with(Baggage.builder().put("tenant_id", tenant).build());
      JsonNode line;
      try (Scope ignored = context.makeCurrent()) {
        line = format(record(Level.INFO, "hello"));
      }
      if (tenant.isBlank()) {
        assertThat(line.has("tenant_id")).isFalse();
      } else {
        assertThat(line.get("tenant_id").asText()).isEqualTo(tenant);
      }
    }
  }

  @Test
  void anErrorIsAnObjectWhoseFirstFieldIsItsType() throws Exception {
    ExtLogRecord r = record(Level.ERROR, "failed");
    r.setThrown(new RuntimeException((String) null));
    JsonNode error = format(r).get("error");
    List<String> names = new java.util.ArrayList<>();
    error.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("type", "stack_trace");
    assertThat(error.get("type").asText()).isEqualTo("java.lang.RuntimeException");
  }

  static Stream<Arguments> corpus() throws IOException {
    Path file = Path.of("..", "..", "telemetry-contract", "src", "test", "resources", "masking", "positives.tsv");
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("\t", -1))
        .map(p -> Arguments.of(p[0].replace("\\n", "\n"), p[1].replace("\\n", "\n")));
  }

  /** The masking corpus every runtime is held to, through this formatter. */
  @ParameterizedTest
  @MethodSource("corpus")
  void theSharedMaskingCorpusIsMasked(String input, String expected) throws Exception {
    ExtLogRecord r = new ExtLogRecord(Level.INFO, input, ExtLogRecord.FormatStyle.NO_FORMAT, "test");
    assertThat(format(r).get("message").asText()).isEqualTo(expected.replace("\n", "\\n"));
  }
}
