package io.github.telemetrybootstrap.testkit.logs;

import static tools.jackson.core.JsonToken.PROPERTY_NAME;
import static tools.jackson.core.JsonToken.START_ARRAY;
import static tools.jackson.core.JsonToken.START_OBJECT;
import static tools.jackson.core.JsonToken.VALUE_NULL;
import static tools.jackson.core.JsonToken.VALUE_NUMBER_INT;
import static tools.jackson.core.JsonToken.VALUE_STRING;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import io.github.telemetrybootstrap.contract.LogFields;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks log lines against the telemetry contract: {@link LogSchema the JSON Schema} plus the rules
 * a schema can't express (see {@link Rule}).
 *
 * <p>How a line is checked:
 * <ol>
 *   <li>longer than {@link Builder#maxLineBytes(int)} (default {@value #DEFAULT_MAX_LINE_BYTES}
 *       bytes): {@link Rule#LINE_TOO_LONG}, nothing else;
 *   <li>bytes decoded strictly as UTF-8 (RFC 3629): {@link Rule#INVALID_UTF8} on failure;
 *   <li>one pass of a Jackson streaming parser (duplicate keys and trailing content are
 *       {@link Rule#INVALID_JSON}) that checks the contract fields by hand, scans every key and
 *       value for secrets and collects the ids;
 *   <li>only when that hand check finds the line non-conforming, the line is validated with the
 *       JSON Schema library so the reported errors are exactly the schema's. The hand check is
 *       proven equivalent to the schema on the test corpus ({@code FastPathEquivalenceTest}).
 * </ol>
 *
 * <p>Never throws on input: any byte sequence yields a (possibly empty) list of violations.
 * Instances are immutable and thread-safe.
 */
public final class LogLineValidator {
  /** Default cap on a line's length: 1 MiB. */
  public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;
  /** Characters of the offending line shown in a {@link Violation}. */
  public static final int DISPLAY_CHARS = 300;

  private static final int MAX_SECRET_FINDINGS = 10;
  private static final int TENANT_MAX = 1024;
  private static final int REQUEST_ID_MAX = 128;

  private static final int B_TIMESTAMP = 1;
  private static final int B_LEVEL = 1 << 1;
  private static final int B_LOGGER = 1 << 2;
  private static final int B_THREAD = 1 << 3;
  private static final int B_MESSAGE = 1 << 4;
  private static final int B_SERVICE = 1 << 5;
  private static final int REQUIRED = (1 << 6) - 1;
  private static final int B_TRACE_ID = 1 << 6;
  private static final int B_SPAN_ID = 1 << 7;
  private static final int B_TRACE_FLAGS = 1 << 8;
  private static final int TRACE_CONTEXT = B_TRACE_ID | B_SPAN_ID | B_TRACE_FLAGS;

  private final JsonFactory factory;
  private final JsonMapper mapper;
  private final LogSchema schema;
  private final Secrets secrets;
  private final int maxLineBytes;
  private final boolean requireTraceContextOnRequests;

  private LogLineValidator(Builder b) {
    factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    mapper = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    schema = LogSchema.get();
    secrets = new Secrets(b.secretKeys);
    maxLineBytes = b.maxLineBytes;
    requireTraceContextOnRequests = b.requireTraceContextOnRequests;
  }

  /**
   * A validator with the defaults: 1 MiB line cap, the default secret key names, no request rule.
   *
   * @return a new validator
   */
  public static LogLineValidator create() {
    return builder().build();
  }

  /**
   * A builder for a validator with non-default settings.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The line cap in bytes.
   *
   * @return bytes, at least 1
   */
  public int maxLineBytes() {
    return maxLineBytes;
  }

  /**
   * Validates one line without expectations about its context.
   *
   * @param lineNumber 1-based line number to put in violations
   * @param line the line without its line terminator
   * @return violations, empty when the line conforms; never {@code null}
   */
  public List<Violation> validate(long lineNumber, String line) {
    return validate(lineNumber, line, ExpectedContext.NONE);
  }

  /**
   * Validates one line logged in a known context.
   *
   * @param lineNumber 1-based line number to put in violations
   * @param line the line without its line terminator
   * @param expected the span and tenant the line was logged under
   * @return violations, empty when the line conforms; never {@code null}
   */
  public List<Violation> validate(long lineNumber, String line, ExpectedContext expected) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return validate(lineNumber, b, 0, b.length, expected);
  }

  /**
   * Validates captured lines, numbering them from 1, without expectations about their context.
   *
   * @param lines the lines without line terminators, in output order
   * @return all violations in line order, empty when every line conforms
   */
  public List<Violation> validateAll(List<String> lines) {
    List<Violation> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      out.addAll(validate(i + 1, lines.get(i)));
    }
    return out;
  }

  /**
   * Validates one line given as UTF-8 bytes.
   *
   * @param lineNumber 1-based line number to put in violations
   * @param buf buffer holding the line
   * @param off offset of the line in {@code buf}
   * @param len length of the line in bytes, without its line terminator
   * @return violations, empty when the line conforms; never {@code null}
   */
  public List<Violation> validate(long lineNumber, byte[] buf, int off, int len) {
    return validate(lineNumber, buf, off, len, ExpectedContext.NONE);
  }

  /**
   * Validates one line given as UTF-8 bytes, logged in a known context.
   *
   * @param lineNumber 1-based line number to put in violations
   * @param buf buffer holding the line
   * @param off offset of the line in {@code buf}
   * @param len length of the line in bytes, without its line terminator
   * @param expected the span and tenant the line was logged under
   * @return violations, empty when the line conforms; never {@code null}
   */
  public List<Violation> validate(long lineNumber, byte[] buf, int off, int len, ExpectedContext expected) {
    Objects.requireNonNull(expected, "expected");
    Objects.checkFromIndexSize(off, len, buf.length);
    Line line = new Line(lineNumber, buf, off, len);
    try {
      return check(line, expected);
    } catch (RuntimeException | StackOverflowError e) {
      // Not expected; the lint must still go on with the next line.
      return List.of(line.violation("", Rule.INVALID_JSON, "the line could not be checked: " + e));
    }
  }

  /**
   * The violation for a line longer than the cap, for readers that stop buffering at the cap.
   *
   * @param lineNumber 1-based line number
   * @param prefix the first bytes of the line (only shown, at most {@value #DISPLAY_CHARS} chars)
   * @param prefixLen number of valid bytes in {@code prefix}
   * @param totalBytes the line's full length in bytes
   * @return a {@link Rule#LINE_TOO_LONG} violation
   */
  public Violation lineTooLong(long lineNumber, byte[] prefix, int prefixLen, long totalBytes) {
    return new Line(lineNumber, prefix, 0, prefixLen).violation("", Rule.LINE_TOO_LONG,
        "line is " + totalBytes + " bytes, over the cap of " + maxLineBytes + " bytes");
  }

  private List<Violation> check(Line line, ExpectedContext expected) {
    if (line.len > maxLineBytes) {
      return List.of(lineTooLong(line.number, line.buf, Math.min(line.len, 4 * DISPLAY_CHARS), line.len));
    }
    int bad = firstInvalidUtf8(line.buf, line.off, line.len);
    if (bad >= 0) {
      return List.of(line.violation("", Rule.INVALID_UTF8,
          "not valid UTF-8 (RFC 3629) at byte offset " + bad));
    }
    Scan scan = new Scan();
    try (JsonParser p = factory.createParser(ObjectReadContext.empty(), line.buf, line.off, line.len)) {
      scanRoot(p, scan);
    } catch (JacksonException e) {
      return List.of(line.violation("", Rule.INVALID_JSON, describe(e)));
    }
    // The line parsed, so the scan saw every key: the display needs key masking only if one was a secret.
    line.maskKeys = scan.secretKeySeen;
    List<Violation> out = new ArrayList<>(0);
    if (scan.schemaIssue != null) {
      schemaViolations(line, scan, out);
    }
    for (Finding f : scan.secretFindings) {
      out.add(line.violation(f.field(), f.rule(), f.message()));
    }
    contextViolations(line, scan, expected, out);
    return out.isEmpty() ? List.of() : out;
  }

  /** Whether the hand-written check alone finds the line conforming to the schema (for tests). */
  boolean fastSchemaCheck(byte[] b) {
    Scan scan = new Scan();
    try (JsonParser p = factory.createParser(ObjectReadContext.empty(), b, 0, b.length)) {
      scanRoot(p, scan);
    }
    return scan.schemaIssue == null;
  }

  /** Parses the line into a tree (for tests and the schema fallback). */
  JsonNode tree(byte[] b, int off, int len) {
    return mapper.readTree(b, off, len);
  }

  private static String describe(JacksonException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      m = e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl);
    }
    int marker = m.indexOf(" (start marker at");
    if (marker >= 0) {
      m = m.substring(0, marker);
    }
    if (m.length() > 200) {
      m = m.substring(0, 200) + "…";
    }
    var loc = e.getLocation();
    return loc != null && loc.getColumnNr() > 0 ? m + " (column " + loc.getColumnNr() + ")" : m;
  }

  // ---------------------------------------------------------------------------------------------
  // Schema fallback

  private void schemaViolations(Line line, Scan scan, List<Violation> out) {
    List<Error> errors;
    try {
      errors = schema.validate(tree(line.buf, line.off, line.len));
    } catch (JacksonException e) {
      out.add(line.violation("", Rule.INVALID_JSON, describe(e)));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (Error e : errors) {
      String pointer = pointer(e.getInstanceLocation());
      String keyword = e.getKeyword() == null ? "" : e.getKeyword();
      if ("required".equals(keyword) || "dependentRequired".equals(keyword)) {
        if (e.getProperty() != null) {
          pointer = pointer + "/" + escape(e.getProperty());
        }
      }
      Rule rule = ruleFor(pointer, keyword);
      if (!seen.add(pointer + ' ' + rule.id())) {
        continue;
      }
      String message = messageFor(rule, pointer, e.getMessage());
      if ("not".equals(keyword) && rule == Rule.SCHEMA) {
        message = pointer.substring(1) + " contains a control character (U+0000..U+001F or U+007F..U+009F)";
      }
      out.add(line.violation(pointer, rule, message));
    }
    if (errors.isEmpty()) {
      // The hand check and the schema disagree: report, never drop (the equivalence test guards this).
      out.add(line.violation("", Rule.SCHEMA, scan.schemaIssue + " (fast check; schema accepted the line)"));
    }
  }

  private static Rule ruleFor(String pointer, String keyword) {
    if ("required".equals(keyword) || "dependentRequired".equals(keyword)) {
      return Rule.SCHEMA;
    }
    switch (pointer) {
      case "/" + LogFields.TRACE_ID:
        return "not".equals(keyword) ? Rule.IDS_ALL_ZERO : Rule.TRACE_ID_FORMAT;
      case "/" + LogFields.SPAN_ID:
        return "not".equals(keyword) ? Rule.IDS_ALL_ZERO : Rule.SPAN_ID_FORMAT;
      case "/" + LogFields.TRACE_FLAGS:
        return Rule.TRACE_FLAGS_FORMAT;
      case "/" + LogFields.MESSAGE:
        return "not".equals(keyword) ? Rule.MULTI_LINE_MESSAGE : Rule.SCHEMA;
      default:
        return Rule.SCHEMA;
    }
  }

  private static String messageFor(Rule rule, String pointer, String schemaMessage) {
    switch (rule) {
      case TRACE_ID_FORMAT:
        return "trace_id must be 32 lowercase hex characters (W3C Trace Context trace-id): " + schemaMessage;
      case SPAN_ID_FORMAT:
        return "span_id must be 16 lowercase hex characters (W3C Trace Context parent-id): " + schemaMessage;
      case TRACE_FLAGS_FORMAT:
        return "trace_flags must be \"00\" or \"01\": " + schemaMessage;
      case IDS_ALL_ZERO:
        return pointer.substring(1) + " is all zeros, an invalid id in W3C Trace Context";
      case MULTI_LINE_MESSAGE:
        return "message contains CR or LF; one event must stay on one line (escape or drop the line break)";
      default:
        return schemaMessage;
    }
  }

  private static String pointer(@Nullable NodePath path) {
    if (path == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object el = path.getElement(i);
      sb.append('/').append(el instanceof String s ? escape(s) : String.valueOf(el));
    }
    return sb.toString();
  }

  /** RFC 6901 escaping of one reference token. */
  static String escape(String token) {
    if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
      return token;
    }
    return token.replace("~", "~0").replace("/", "~1");
  }

  // ---------------------------------------------------------------------------------------------
  // Context rules

  private void contextViolations(Line line, Scan s, ExpectedContext expected, List<Violation> out) {
    if (expected.traceId() != null) {
      if (s.traceId == null) {
        out.add(line.violation("/" + LogFields.TRACE_ID, Rule.MISSING_TRACE_CONTEXT,
            "logged inside span " + expected.traceId() + "/" + expected.spanId()
                + " but the line has no trace_id"));
      } else if (!s.traceId.equals(expected.traceId())) {
        out.add(line.violation("/" + LogFields.TRACE_ID, Rule.TRACE_CONTEXT_MISMATCH,
            "trace_id " + s.traceId + " differs from the current span's trace id " + expected.traceId()));
      }
    }
    if (expected.spanId() != null) {
      if (s.spanId == null) {
        if (s.traceId != null || expected.traceId() == null) {
          out.add(line.violation("/" + LogFields.SPAN_ID, Rule.MISSING_TRACE_CONTEXT,
              "logged inside span " + expected.spanId() + " but the line has no span_id"));
        }
      } else if (!s.spanId.equals(expected.spanId())) {
        out.add(line.violation("/" + LogFields.SPAN_ID, Rule.TRACE_CONTEXT_MISMATCH,
            "span_id " + s.spanId + " differs from the current span's id " + expected.spanId()));
      }
    }
    if (expected.tenantId() != null) {
      if (s.tenantId == null) {
        out.add(line.violation("/" + LogFields.TENANT_ID, Rule.MISSING_TENANT,
            "logged under tenant '" + shorten(expected.tenantId()) + "' but the line has no tenant_id"));
      } else if (!s.tenantId.equals(expected.tenantId())) {
        out.add(line.violation("/" + LogFields.TENANT_ID, Rule.TENANT_MISMATCH,
            "tenant_id '" + shorten(s.tenantId) + "' differs from the tenant the line was logged under, '"
                + shorten(expected.tenantId()) + "'"));
      }
    }
    if (requireTraceContextOnRequests && s.requestId != null && s.traceId == null && expected.traceId() == null) {
      out.add(line.violation("/" + LogFields.TRACE_ID, Rule.MISSING_TRACE_CONTEXT,
          "the line carries request_id (logged inside an inbound request, which always has a server span)"
              + " but no trace_id/span_id"));
    }
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  // ---------------------------------------------------------------------------------------------
  // Fast path: one streaming pass

  private void scanRoot(JsonParser p, Scan s) {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw new tools.jackson.core.exc.StreamReadException(p, "empty line: no JSON value");
    }
    if (t == START_OBJECT) {
      scanTop(p, s);
    } else {
      s.issue("the line is a JSON " + t.name().toLowerCase(java.util.Locale.ROOT) + ", not an object");
      scanValue(p, t, s);
    }
    if (p.nextToken() != null) {
      throw new tools.jackson.core.exc.StreamReadException(p, "trailing content after the JSON value");
    }
  }

  private void scanTop(JsonParser p, Scan s) {
    JsonToken t;
    int seen = 0;
    while ((t = p.nextToken()) == PROPERTY_NAME) {
      String name = p.currentName();
      t = p.nextToken();
      s.push(name);
      switch (name) {
        case LogFields.TIMESTAMP:
          seen |= B_TIMESTAMP;
          if (t != VALUE_STRING || !isTimestamp(p.getString())) {
            s.issue(name);
            scanValue(p, t, s);
          }
          break;
        case LogFields.LEVEL:
          seen |= B_LEVEL;
          if (t != VALUE_STRING || !isLevel(p.getString())) {
            s.issue(name);
            scanValue(p, t, s);
          }
          break;
        case LogFields.LOGGER:
        case LogFields.THREAD:
        case LogFields.SERVICE_VERSION:
        case LogFields.ENV:
          seen |= name.equals(LogFields.LOGGER) ? B_LOGGER : name.equals(LogFields.THREAD) ? B_THREAD : 0;
          if (t != VALUE_STRING) {
            s.issue(name);
          }
          scanValue(p, t, s);
          break;
        case LogFields.SERVICE:
          seen |= B_SERVICE;
          if (t != VALUE_STRING || p.getString().isEmpty()) {
            s.issue(name);
          }
          scanValue(p, t, s);
          break;
        case LogFields.MESSAGE:
          seen |= B_MESSAGE;
          if (t != VALUE_STRING) {
            s.issue(name);
            scanValue(p, t, s);
          } else {
            String m = p.getString();
            if (m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
              s.issue(name);
            }
            scanString(m, s);
          }
          break;
        case LogFields.TRACE_ID:
          seen |= B_TRACE_ID;
          if (t == VALUE_STRING) {
            s.traceId = p.getString();
            if (!isId(s.traceId, 32)) {
              s.issue(name);
            }
          } else {
            s.issue(name);
            scanValue(p, t, s);
          }
          break;
        case LogFields.SPAN_ID:
          seen |= B_SPAN_ID;
          if (t == VALUE_STRING) {
            s.spanId = p.getString();
            if (!isId(s.spanId, 16)) {
              s.issue(name);
            }
          } else {
            s.issue(name);
            scanValue(p, t, s);
          }
          break;
        case LogFields.TRACE_FLAGS:
          seen |= B_TRACE_FLAGS;
          if (t != VALUE_STRING || !isFlags(p.getString())) {
            s.issue(name);
            scanValue(p, t, s);
          }
          break;
        case LogFields.TENANT_ID:
          if (t == VALUE_STRING) {
            s.tenantId = p.getString();
            if (!isCleanBounded(s.tenantId, TENANT_MAX)) {
              s.issue(name);
            }
          } else {
            s.issue(name);
          }
          scanValue(p, t, s);
          break;
        case LogFields.REQUEST_ID:
          if (t == VALUE_STRING) {
            s.requestId = p.getString();
            if (!isCleanBounded(s.requestId, REQUEST_ID_MAX)) {
              s.issue(name);
            }
          } else {
            s.issue(name);
          }
          scanValue(p, t, s);
          break;
        case LogFields.ERROR:
          if (t == START_OBJECT) {
            scanError(p, s);
          } else {
            s.issue(name);
            scanValue(p, t, s);
          }
          break;
        default:
          scanProperty(p, name, t, s);
      }
      s.pop();
    }
    if ((seen & REQUIRED) != REQUIRED) {
      s.issue("required");
    }
    int ctx = seen & TRACE_CONTEXT;
    if (ctx != 0 && ctx != TRACE_CONTEXT) {
      s.issue("dependentRequired");
    }
  }

  private void scanError(JsonParser p, Scan s) {
    JsonToken t;
    boolean hasType = false;
    while ((t = p.nextToken()) == PROPERTY_NAME) {
      String name = p.currentName();
      t = p.nextToken();
      s.push(name);
      switch (name) {
        case LogFields.ERROR_TYPE:
          hasType = true;
          if (t != VALUE_STRING) {
            s.issue("error/type");
          }
          scanValue(p, t, s);
          break;
        case LogFields.ERROR_MESSAGE:
        case LogFields.ERROR_STACK_TRACE:
          if (t != VALUE_STRING) {
            s.issue("error/" + name);
          }
          scanValue(p, t, s);
          break;
        default:
          scanProperty(p, name, t, s);
      }
      s.pop();
    }
    if (!hasType) {
      s.issue("error/type required");
    }
  }

  /** A property outside the contract's own names: secret keys, then the value. */
  private void scanProperty(JsonParser p, String name, JsonToken t, Scan s) {
    if (secrets.isSecretKey(name)) {
      boolean masked = t == VALUE_NULL || (t == VALUE_STRING && isMasked(p.getString()));
      if (!masked) {
        s.secret(Rule.SECRET_KEY, "key '" + shorten(name) + "' names a secret but its value is not masked ("
            + Secrets.MASK + ")");
        if (t == START_OBJECT || t == START_ARRAY) {
          p.skipChildren();
        }
        return;
      }
    }
    scanValue(p, t, s);
  }

  /** {@code ****}, empty, or an auth scheme followed by the mask ({@code Bearer ****}). */
  private static boolean isMasked(String v) {
    if (v.isEmpty() || v.equals(Secrets.MASK)) {
      return true;
    }
    int n = v.length();
    if (n > 21 || !v.endsWith(" " + Secrets.MASK)) {
      return false;
    }
    for (int i = 0; i < n - 5; i++) {
      char c = v.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return n > 5;
  }

  private void scanValue(JsonParser p, JsonToken t, Scan s) {
    if (t == VALUE_STRING) {
      scanString(p.getString(), s);
    } else if (t == START_OBJECT) {
      JsonToken u;
      while ((u = p.nextToken()) == PROPERTY_NAME) {
        String name = p.currentName();
        u = p.nextToken();
        s.push(name);
        scanProperty(p, name, u, s);
        s.pop();
      }
    } else if (t == START_ARRAY) {
      int i = 0;
      JsonToken u;
      while ((u = p.nextToken()) != JsonToken.END_ARRAY && u != null) {
        s.push(Integer.toString(i++));
        scanValue(p, u, s);
        s.pop();
      }
    } else if (t == VALUE_NUMBER_INT) {
      String text = p.getString();
      if (Secrets.isCardNumberLiteral(text)) {
        s.secret(Rule.SECRET_VALUE, "value looks like a card number (passes the Luhn check); mask it");
      }
    }
  }

  private static void scanString(String v, Scan s) {
    String kind = Secrets.secretKind(v);
    if (kind != null) {
      s.secret(Rule.SECRET_VALUE, "value looks like a " + kind + "; mask it (" + Secrets.MASK + ") before it is written");
    }
  }

  // Hand-written equivalents of the schema's keywords -------------------------------------------

  /** {@code ^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)\.[0-9]{3}Z$}. */
  static boolean isTimestamp(String s) {
    if (s.length() != 24) {
      return false;
    }
    for (int i : new int[] {0, 1, 2, 3, 20, 21, 22}) {
      if (!digit(s.charAt(i))) {
        return false;
      }
    }
    if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(23) != 'Z') {
      return false;
    }
    char m1 = s.charAt(5);
    char m2 = s.charAt(6);
    boolean month = (m1 == '0' && m2 >= '1' && m2 <= '9') || (m1 == '1' && m2 >= '0' && m2 <= '2');
    char d1 = s.charAt(8);
    char d2 = s.charAt(9);
    boolean day = (d1 == '0' && d2 >= '1' && d2 <= '9') || ((d1 == '1' || d1 == '2') && digit(d2))
        || (d1 == '3' && (d2 == '0' || d2 == '1'));
    char h1 = s.charAt(11);
    char h2 = s.charAt(12);
    boolean hour = ((h1 == '0' || h1 == '1') && digit(h2)) || (h1 == '2' && h2 >= '0' && h2 <= '3');
    boolean minute = s.charAt(14) >= '0' && s.charAt(14) <= '5' && digit(s.charAt(15));
    char s1 = s.charAt(17);
    char s2 = s.charAt(18);
    boolean second = (s1 >= '0' && s1 <= '5' && digit(s2)) || (s1 == '6' && s2 == '0');
    return month && day && hour && minute && second;
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isLevel(String s) {
    switch (s) {
      case "TRACE":
      case "DEBUG":
      case "INFO":
      case "WARN":
      case "ERROR":
        return true;
      default:
        return false;
    }
  }

  static boolean isFlags(String s) {
    return s.equals("00") || s.equals("01");
  }

  /** Lowercase hex of exactly {@code n} characters, not all zeros. */
  static boolean isId(String s, int n) {
    if (s.length() != n) {
      return false;
    }
    boolean nonZero = false;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!(digit(c) || (c >= 'a' && c <= 'f'))) {
        return false;
      }
      nonZero |= c != '0';
    }
    return nonZero;
  }

  /** 1..max code points, none in U+0000..U+001F or U+007F..U+009F. */
  static boolean isCleanBounded(String s, int max) {
    int len = s.length();
    if (len == 0 || (len > max && s.codePointCount(0, len) > max)) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c <= 0x1F || (c >= 0x7F && c <= 0x9F)) {
        return false;
      }
    }
    return true;
  }

  /** Byte offset of the first byte that is not valid UTF-8, or -1. */
  static int firstInvalidUtf8(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end && b[i] >= 0) {
      i++;
    }
    if (i == end) {
      return -1;
    }
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder();
    ByteBuffer in = ByteBuffer.wrap(b, off, len);
    CharBuffer out = CharBuffer.allocate(Math.min(len, 8192));
    while (true) {
      CoderResult r = dec.decode(in, out, true);
      if (r.isError()) {
        return in.position() - off;
      }
      if (r.isOverflow()) {
        out.clear();
        continue;
      }
      r = dec.flush(out);
      if (r.isOverflow()) {
        out.clear();
        continue;
      }
      return -1;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** One line being checked; renders the masked display form once, on the first violation. */
  private final class Line {
    final long number;
    final byte[] buf;
    final int off;
    final int len;
    private @Nullable String display;
    /** Whether the display must mask values of secret keys; unknown (true) until the line parsed. */
    boolean maskKeys = true;

    Line(long number, byte[] buf, int off, int len) {
      this.number = number;
      this.buf = buf;
      this.off = off;
      this.len = len;
    }

    Violation violation(String field, Rule rule, String message) {
      if (display == null) {
        display = display();
      }
      return new Violation(number, field, rule, message, display);
    }

    private String display() {
      int n = Math.min(len, 16 * DISPLAY_CHARS);
      String raw = new String(buf, off, n, StandardCharsets.UTF_8);
      String masked = secrets.mask(raw, maskKeys);
      StringBuilder sb = new StringBuilder(Math.min(masked.length(), DISPLAY_CHARS + 8));
      for (int i = 0; i < masked.length() && sb.length() < DISPLAY_CHARS; i++) {
        char c = masked.charAt(i);
        if (c == '\n') {
          sb.append("\\n");
        } else if (c == '\r') {
          sb.append("\\r");
        } else if (c == '\t') {
          sb.append("\\t");
        } else if (Character.isISOControl(c)) {
          sb.append(String.format("\\u%04x", (int) c));
        } else {
          sb.append(c);
        }
      }
      if (sb.length() >= DISPLAY_CHARS || n < len) {
        sb.append("…");
      }
      return sb.toString();
    }
  }

  /** A secret found during the scan, turned into a {@link Violation} once the line is known good JSON. */
  private record Finding(String field, Rule rule, String message) {}

  /** State of one streaming pass. */
  private static final class Scan {
    final ArrayList<String> path = new ArrayList<>(8);
    @Nullable String schemaIssue;
    @Nullable String traceId;
    @Nullable String spanId;
    @Nullable String tenantId;
    @Nullable String requestId;
    List<Finding> secretFindings = List.of();
    boolean secretKeySeen;

    void push(String name) {
      path.add(name);
    }

    void pop() {
      path.remove(path.size() - 1);
    }

    void issue(String what) {
      if (schemaIssue == null) {
        schemaIssue = what;
      }
    }

    void secret(Rule rule, String message) {
      if (secretFindings.isEmpty()) {
        secretFindings = new ArrayList<>(2);
      }
      if (secretFindings.size() < MAX_SECRET_FINDINGS) {
        StringBuilder sb = new StringBuilder();
        for (String seg : path) {
          sb.append('/').append(escape(seg));
        }
        secretFindings.add(new Finding(sb.toString(), rule, message));
      }
      if (rule == Rule.SECRET_KEY) {
        secretKeySeen = true;
      }
    }
  }

  /** Settings of a {@link LogLineValidator}. */
  public static final class Builder {
    private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
    private final Set<String> secretKeys = new HashSet<>();
    private boolean requireTraceContextOnRequests;

    private Builder() {}

    /**
     * Lines longer than this are reported as {@link Rule#LINE_TOO_LONG} without parsing.
     *
     * @param bytes the cap in bytes, at least 1; default {@value #DEFAULT_MAX_LINE_BYTES}
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes < 1}
     */
    public Builder maxLineBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxLineBytes must be at least 1, got " + bytes);
      }
      this.maxLineBytes = bytes;
      return this;
    }

    /**
     * Extra key names whose values must be masked, as configured in the core with
     * {@code telemetry.logging.mask-keys}. Matching ignores case and {@code _ - .}, and a key
     * matches when it ends with one of the names.
     *
     * @param keys key names
     * @return this builder
     */
    public Builder secretKeys(Collection<String> keys) {
      secretKeys.addAll(keys);
      return this;
    }

    /**
     * Require trace context on lines carrying {@code request_id}: such a line was logged inside an
     * inbound request, and the core's server instrumentation always makes a span for it.
     * Default off.
     *
     * @param require whether to apply {@link Rule#MISSING_TRACE_CONTEXT} to request lines
     * @return this builder
     */
    public Builder requireTraceContextOnRequests(boolean require) {
      this.requireTraceContextOnRequests = require;
      return this;
    }

    /**
     * Builds the validator (loads the schema on first use).
     *
     * @return a new, immutable validator
     */
    public LogLineValidator build() {
      return new LogLineValidator(this);
    }
  }
}
