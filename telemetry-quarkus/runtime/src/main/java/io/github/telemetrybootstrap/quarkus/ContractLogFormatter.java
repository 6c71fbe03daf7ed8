package io.github.telemetrybootstrap.quarkus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import io.github.telemetrybootstrap.contract.ContextRules;
import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.contract.LogText;
import io.github.telemetrybootstrap.contract.Rfc3339Millis;
import io.github.telemetrybootstrap.contract.Propagation;
import io.github.telemetrybootstrap.contract.SecretMasker;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Formats JBoss LogManager records as lines of the telemetry log contract: one JSON object per line
 * with the fields of {@link LogFields}, in the order telemetry-core writes them, then the record's
 * MDC entries as further fields.
 *
 * <ul>
 *   <li>{@code level}: JBoss and JUL levels as the contract's names (FATAL, SEVERE, ERROR →
 *       {@code ERROR}; WARN, WARNING → {@code WARN}; INFO, CONFIG → {@code INFO}; DEBUG, FINE →
 *       {@code DEBUG}; TRACE, FINER, FINEST → {@code TRACE}).
 *   <li>{@code message}: the formatted message with secrets masked ({@link SecretMasker#global()}),
 *       cut to the line cap ({@link LogText#cut}), on one line ({@link LogText#oneLine}).
 *   <li>{@code trace_id}, {@code span_id}, {@code trace_flags}: from the OpenTelemetry context of the
 *       thread that logged (on Vert.x threads, the request's duplicated context, so also after hops
 *       to worker threads and Mutiny continuations); for records formatted later (an async handler),
 *       from the {@code traceId}/{@code spanId}/{@code sampled} MDC entries Quarkus OpenTelemetry
 *       keeps.
 *   <li>{@code tenant_id}: the W3C baggage entry {@value Propagation#TENANT_BAGGAGE_KEY}, sanitised;
 *       {@code request_id}: the request id of the context ({@link RequestContext}).
 *   <li>{@code error}: {@code type}, {@code message} and {@code stack_trace} (at most 16384
 *       characters), masked.
 * </ul>
 *
 * <p>Never throws: a record that cannot be formatted becomes a line with its level, logger and the
 * reason.
 */
public final class ContractLogFormatter extends ExtFormatter {
  /** Cap on the stack trace string, in characters, as in telemetry-core. */
  public static final int STACK_TRACE_MAX_LENGTH = 16384;

  /** MDC keys Quarkus OpenTelemetry writes; the contract carries them under its own names. */
  private static final Set<String> TRACING_MDC_KEYS = Set.of("traceId", "spanId", "sampled", "parentId");
  private static final Set<String> RESERVED =
      Set.of(
          LogFields.TIMESTAMP, LogFields.LEVEL, LogFields.LOGGER, LogFields.THREAD, LogFields.MESSAGE,
          LogFields.SERVICE, LogFields.SERVICE_VERSION, LogFields.ENV, LogFields.TRACE_ID,
          LogFields.SPAN_ID, LogFields.TRACE_FLAGS, LogFields.TENANT_ID, LogFields.REQUEST_ID,
          LogFields.ERROR);

  private final JsonFactory json = JsonFactory.builder().build();
  private final String service;
  private final String serviceVersion;
  private final String environment;
  private final int maxLineLength;
  private final int tenantMaxLength;

  /**
   * @param service the {@code service} field ({@code service.name}); never empty
   * @param serviceVersion the {@code service_version} field, or {@code null} to leave it out
   * @param environment the {@code env} field, or {@code null} to leave it out
   * @param maxLineLength the message cap in characters
   * @param tenantMaxLength the tenant cap in characters
   */
  public ContractLogFormatter(
      String service, String serviceVersion, String environment, int maxLineLength, int tenantMaxLength) {
    this.service = service;
    this.serviceVersion = serviceVersion;
    this.environment = environment;
    this.maxLineLength = maxLineLength;
    this.tenantMaxLength = tenantMaxLength;
  }

  @Override
  public String format(ExtLogRecord record) {
    try {
      return line(record);
    } catch (RuntimeException | IOException | StackOverflowError e) {
      return fallback(record, e);
    }
  }

  private String line(ExtLogRecord record) throws IOException {
    SecretMasker masker = SecretMasker.global();
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.setCharacterEscapes(LineSeparatorEscapes.INSTANCE);
      g.writeStartObject();
      g.writeStringField(LogFields.TIMESTAMP, Rfc3339Millis.format(record.getInstant()));
      g.writeStringField(LogFields.LEVEL, level(record.getLevel()));
      g.writeStringField(LogFields.LOGGER, nonNull(record.getLoggerName()));
      g.writeStringField(LogFields.THREAD, nonNull(record.getThreadName()));
      String message = formatMessage(record);
      g.writeStringField(
          LogFields.MESSAGE, LogText.oneLine(LogText.cut(masker.mask(nonNull(message)), maxLineLength)));
      g.writeStringField(LogFields.SERVICE, service);
      if (serviceVersion != null) {
        g.writeStringField(LogFields.SERVICE_VERSION, serviceVersion);
      }
      if (environment != null) {
        g.writeStringField(LogFields.ENV, environment);
      }
      Context context = Context.current();
      writeTraceContext(g, context, record);
      String tenant = ContextRules.sanitizeTenant(
          Baggage.fromContext(context).getEntryValue(Propagation.TENANT_BAGGAGE_KEY), tenantMaxLength, masker);
      if (tenant != null) {
        g.writeStringField(LogFields.TENANT_ID, tenant);
      }
      String requestId = RequestContext.requestId(context);
      if (requestId != null) {
        g.writeStringField(LogFields.REQUEST_ID, requestId);
      }
      Throwable thrown = record.getThrown();
      if (thrown != null) {
        g.writeObjectFieldStart(LogFields.ERROR);
        g.writeStringField(LogFields.ERROR_TYPE, thrown.getClass().getName());
        if (thrown.getMessage() != null) {
          g.writeStringField(LogFields.ERROR_MESSAGE, masker.mask(thrown.getMessage()));
        }
        g.writeStringField(LogFields.ERROR_STACK_TRACE, masker.mask(stackTrace(thrown)));
        g.writeEndObject();
      }
      for (Map.Entry<String, String> e : record.getMdcCopy().entrySet()) {
        String key = e.getKey();
        if (key == null || TRACING_MDC_KEYS.contains(key) || RESERVED.contains(key) || e.getValue() == null) {
          continue;
        }
        g.writeStringField(key, masker.isSecretKey(key) ? SecretMasker.MASK : masker.mask(e.getValue()));
      }
      g.writeEndObject();
    }
    return out.append('\n').toString();
  }

  private static void writeTraceContext(JsonGenerator g, Context context, ExtLogRecord record)
      throws IOException {
    SpanContext span = Span.fromContext(context).getSpanContext();
    if (span.isValid()) {
      g.writeStringField(LogFields.TRACE_ID, span.getTraceId());
      g.writeStringField(LogFields.SPAN_ID, span.getSpanId());
      g.writeStringField(LogFields.TRACE_FLAGS, span.getTraceFlags().asHex());
      return;
    }
    String traceId = record.getMdc("traceId");
    String spanId = record.getMdc("spanId");
    if (isHex(traceId, 32) && isHex(spanId, 16)) {
      g.writeStringField(LogFields.TRACE_ID, traceId);
      g.writeStringField(LogFields.SPAN_ID, spanId);
      g.writeStringField(LogFields.TRACE_FLAGS, "true".equals(record.getMdc("sampled")) ? "01" : "00");
    }
  }

  private static boolean isHex(String s, int length) {
    if (s == null || s.length() != length) {
      return false;
    }
    boolean nonZero = false;
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
      nonZero |= c != '0';
    }
    return nonZero;
  }

  static String level(Level level) {
    int v = level == null ? Level.INFO.intValue() : level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (v >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (v >= Level.CONFIG.intValue()) {
      return "INFO";
    }
    if (v >= Level.FINE.intValue()) {
      return "DEBUG";
    }
    return "TRACE";
  }

  private static String stackTrace(Throwable thrown) {
    StringWriter w = new StringWriter(1024);
    try (PrintWriter p = new PrintWriter(w)) {
      thrown.printStackTrace(p);
    }
    String s = w.toString().replace("\r\n", "\n");
    return s.length() <= STACK_TRACE_MAX_LENGTH ? s : LogText.cut(s, STACK_TRACE_MAX_LENGTH);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private String fallback(ExtLogRecord record, Throwable failure) {
    StringWriter out = new StringWriter(160);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField(LogFields.TIMESTAMP, Rfc3339Millis.format(record.getInstant()));
      g.writeStringField(LogFields.LEVEL, level(record.getLevel()));
      g.writeStringField(LogFields.LOGGER, nonNull(record.getLoggerName()));
      g.writeStringField(LogFields.THREAD, nonNull(record.getThreadName()));
      g.writeStringField(
          LogFields.MESSAGE, "log record could not be formatted: " + failure.getClass().getName());
      g.writeStringField(LogFields.SERVICE, service);
      g.writeEndObject();
    } catch (IOException | RuntimeException impossible) {
      return "{\"message\":\"log record could not be formatted\"}\n";
    }
    return out.append('\n').toString();
  }

  /**
   * Escapes U+2028 and U+2029 as JSON does not require but JavaScript-based readers and some line
   * splitters need, as telemetry-core does.
   */
  private static final class LineSeparatorEscapes extends CharacterEscapes {
    static final LineSeparatorEscapes INSTANCE = new LineSeparatorEscapes();
    private static final SerializedString LS = new SerializedString("\\u2028");
    private static final SerializedString PS = new SerializedString("\\u2029");
    private final int[] ascii = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializedString getEscapeSequence(int ch) {
      return ch == 0x2028 ? LS : ch == 0x2029 ? PS : null;
    }
  }
}
