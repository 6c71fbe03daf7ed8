package io.github.telemetrybootstrap.quarkus;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>The line is composed in a {@code StringBuilder}: field names, level, service fields and, per name,
 * the logger and thread fields are pre-encoded; every value is escaped by Jackson's
 * {@link JsonStringEncoder} (RFC 8259), and U+2028 and U+2029 are escaped too, as telemetry-core does.
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

  /** Bound of each per-name cache: logger and thread names are the application's. */
  static final int MAX_CACHED_NAMES = 4096;

  private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

  /** {@code ,"service":"...","service_version":"...","env":"..."}, escaped. */
  private final String serviceFields;
  private final int maxLineLength;
  private final int tenantMaxLength;
  /** The masker the name caches were made with, and the caches; replaced when the global one changes. */
  private volatile Names names = new Names(SecretMasker.global());
  /** The tenant read for the last line, for lines of the same request: baggage value, field, masker. */
  private volatile TenantField lastTenant = new TenantField("", "", SecretMasker.global());

  /** {@code ,"logger":"..."} and {@code ,"thread":"..."} per name, masked and escaped. */
  private static final class Names {
    final SecretMasker masker;
    final ConcurrentHashMap<String, String> loggers = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, String> threads = new ConcurrentHashMap<>();

    Names(SecretMasker masker) {
      this.masker = masker;
    }
  }

  private record TenantField(String baggageValue, String field, SecretMasker masker) {}

  /**
   * @param service the {@code service} field ({@code service.name}); never empty
   * @param serviceVersion the {@code service_version} field, or {@code null} to leave it out
   * @param environment the {@code env} field, or {@code null} to leave it out
   * @param maxLineLength the message cap in characters
   * @param tenantMaxLength the tenant cap in characters
   */
  public ContractLogFormatter(
      String service, String serviceVersion, String environment, int maxLineLength, int tenantMaxLength) {
    this.maxLineLength = maxLineLength;
    this.tenantMaxLength = tenantMaxLength;
    StringBuilder b = new StringBuilder(96);
    field(b, LogFields.SERVICE, service);
    if (serviceVersion != null) {
      field(b, LogFields.SERVICE_VERSION, serviceVersion);
    }
    if (environment != null) {
      field(b, LogFields.ENV, environment);
    }
    this.serviceFields = b.toString();
  }

  @Override
  public String format(ExtLogRecord record) {
    try {
      return line(record);
    } catch (RuntimeException | StackOverflowError e) {
      return fallback(record, e);
    }
  }

  private String line(ExtLogRecord record) {
    SecretMasker masker = SecretMasker.global();
    StringBuilder b = new StringBuilder(512);
    b.append("{\"").append(LogFields.TIMESTAMP).append("\":\"").append(Rfc3339Millis.format(record.getInstant()))
        .append("\",\"").append(LogFields.LEVEL).append("\":\"").append(level(record.getLevel())).append('"');
    Names n = names(masker);
    b.append(nameField(n.loggers, LogFields.LOGGER, nonNull(record.getLoggerName()), masker));
    b.append(nameField(n.threads, LogFields.THREAD, nonNull(record.getThreadName()), masker));
    String message = formatMessage(record);
    field(b, LogFields.MESSAGE, LogText.oneLine(LogText.cut(masker.mask(nonNull(message)), maxLineLength)));
    b.append(serviceFields);
    Context context = Context.current();
    writeTraceContext(b, context, record);
    String tenant = Baggage.fromContext(context).getEntryValue(Propagation.TENANT_BAGGAGE_KEY);
    if (tenant != null) {
      b.append(tenantField(tenant, masker));
    }
    String requestId = RequestContext.requestId(context);
    if (requestId != null) {
      field(b, LogFields.REQUEST_ID, requestId);
    }
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      b.append(",\"").append(LogFields.ERROR).append("\":{");
      int start = b.length();
      field(b, LogFields.ERROR_TYPE, thrown.getClass().getName());
      b.deleteCharAt(start); // the object's first field has no comma
      if (thrown.getMessage() != null) {
        field(b, LogFields.ERROR_MESSAGE, masker.mask(thrown.getMessage()));
      }
      field(b, LogFields.ERROR_STACK_TRACE, masker.mask(stackTrace(thrown)));
      b.append('}');
    }
    for (Map.Entry<String, String> e : record.getMdcCopy().entrySet()) {
      String key = e.getKey();
      if (key == null || TRACING_MDC_KEYS.contains(key) || RESERVED.contains(key) || e.getValue() == null) {
        continue;
      }
      field(b, key, masker.isSecretKey(key) ? SecretMasker.MASK : masker.mask(e.getValue()));
    }
    return b.append("}\n").toString();
  }

  private Names names(SecretMasker masker) {
    Names n = names;
    if (n.masker != masker) {
      n = new Names(masker);
      names = n;
    }
    return n;
  }

  /** {@code ,"field":"name"} with the name masked like a message, remembered per name. */
  private static String nameField(
      ConcurrentHashMap<String, String> cache, String field, String name, SecretMasker masker) {
    String encoded = cache.get(name);
    if (encoded == null) {
      StringBuilder b = new StringBuilder(field.length() + name.length() + 8);
      field(b, field, masker.mask(name));
      encoded = b.toString();
      if (cache.size() < MAX_CACHED_NAMES) {
        cache.put(name, encoded);
      }
    }
    return encoded;
  }

  /** {@code ,"tenant_id":"..."} for a baggage value, sanitised; the last one is remembered. */
  private String tenantField(String baggageValue, SecretMasker masker) {
    TenantField last = lastTenant;
    if (last.masker == masker && last.baggageValue.equals(baggageValue)) {
      return last.field;
    }
    String tenant = ContextRules.sanitizeTenant(baggageValue, tenantMaxLength, masker);
    String encoded = "";
    if (tenant != null) {
      StringBuilder b = new StringBuilder(tenant.length() + 16);
      field(b, LogFields.TENANT_ID, tenant);
      encoded = b.toString();
    }
    lastTenant = new TenantField(baggageValue, encoded, masker);
    return encoded;
  }

  /**
   * Appends {@code ,"name":"value"}: both escaped as JSON strings (RFC 8259, by Jackson), and U+2028
   * and U+2029 escaped too, which JSON allows raw but JavaScript-based readers and line splitters do not.
   */
  private static void field(StringBuilder b, String name, String value) {
    b.append(",\"");
    string(b, name);
    b.append("\":\"");
    string(b, value);
    b.append('"');
  }

  private static void string(StringBuilder b, String value) {
    if (LogText.isJsonVerbatim(value)) {
      b.append(value); // what Jackson would write, in one copy
      return;
    }
    int from = 0;
    int at;
    while ((at = separator(value, from)) >= 0) {
      QUOTE.quoteAsString(value.substring(from, at), b);
      b.append(value.charAt(at) == '\u2028' ? "\\u2028" : "\\u2029");
      from = at + 1;
    }
    QUOTE.quoteAsString(from == 0 ? value : value.substring(from), b);
  }

  private static int separator(String value, int from) {
    int ls = value.indexOf('\u2028', from);
    int ps = value.indexOf('\u2029', from);
    return ls < 0 ? ps : ps < 0 ? ls : Math.min(ls, ps);
  }

  private static void writeTraceContext(StringBuilder b, Context context, ExtLogRecord record) {
    SpanContext span = Span.fromContext(context).getSpanContext();
    if (span.isValid()) {
      // Lowercase hex (the SDK checks valid ids): nothing to escape. Only the sampled bit, as in
      // telemetry-core: the contract allows 01 and 00.
      traceFields(b, span.getTraceId(), span.getSpanId(), span.isSampled());
      return;
    }
    String traceId = record.getMdc("traceId");
    String spanId = record.getMdc("spanId");
    if (isHex(traceId, 32) && isHex(spanId, 16)) {
      traceFields(b, traceId, spanId, "true".equals(record.getMdc("sampled")));
    }
  }

  private static void traceFields(StringBuilder b, String traceId, String spanId, boolean sampled) {
    b.append(",\"").append(LogFields.TRACE_ID).append("\":\"").append(traceId)
        .append("\",\"").append(LogFields.SPAN_ID).append("\":\"").append(spanId)
        .append("\",\"").append(LogFields.TRACE_FLAGS).append("\":\"").append(sampled ? "01" : "00").append('"');
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
    try {
      StringBuilder b = new StringBuilder(256);
      b.append("{\"").append(LogFields.TIMESTAMP).append("\":\"").append(Rfc3339Millis.format(record.getInstant()))
          .append('"');
      field(b, LogFields.LEVEL, level(record.getLevel()));
      field(b, LogFields.LOGGER, nonNull(record.getLoggerName()));
      field(b, LogFields.THREAD, nonNull(record.getThreadName()));
      field(b, LogFields.MESSAGE, "log record could not be formatted: " + failure.getClass().getName());
      b.append(serviceFields);
      return b.append("}\n").toString();
    } catch (RuntimeException impossible) {
      return "{\"message\":\"log record could not be formatted\"}\n";
    }
  }
}
