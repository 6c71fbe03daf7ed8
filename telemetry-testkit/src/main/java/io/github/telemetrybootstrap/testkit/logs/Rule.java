package io.github.telemetrybootstrap.testkit.logs;

/**
 * The rules a log line is checked against. Each has a stable kebab-case {@link #id()} that CI
 * output, suppressions and dashboards may rely on; ids are never renamed within a major version of
 * the log contract.
 */
public enum Rule {
  /** The line is not one well-formed JSON value (includes duplicate keys and trailing content). */
  INVALID_JSON("invalid-json"),
  /** The line's bytes are not valid UTF-8 (RFC 3629), decoded strictly. */
  INVALID_UTF8("invalid-utf8"),
  /** The line is longer than the configured cap (default 1 MiB); its content is not inspected. */
  LINE_TOO_LONG("line-too-long"),
  /** A violation of {@code telemetry-log.schema.json} not covered by a more specific rule. */
  SCHEMA("schema"),
  /** {@code trace_id} is not 32 lowercase hex characters (W3C Trace Context, trace-id). */
  TRACE_ID_FORMAT("trace-id-format"),
  /** {@code span_id} is not 16 lowercase hex characters (W3C Trace Context, parent-id). */
  SPAN_ID_FORMAT("span-id-format"),
  /** {@code trace_flags} is not {@code 00} or {@code 01}. */
  TRACE_FLAGS_FORMAT("trace-flags-format"),
  /** {@code trace_id} or {@code span_id} is all zeros, which W3C Trace Context defines as invalid. */
  IDS_ALL_ZERO("ids-all-zero"),
  /** {@code message} contains CR or LF: one event must stay on one line. */
  MULTI_LINE_MESSAGE("multi-line-message"),
  /** A value looks like a secret: a bearer token, a JWT or a card number passing the Luhn check. */
  SECRET_VALUE("secret-value"),
  /**
   * A key named like a secret ({@code password}, {@code token}, ...) has a value other than
   * {@code ****}, empty, {@code null} or an auth scheme and the mask ({@code Bearer ****}).
   */
  SECRET_KEY("secret-key"),
  /** The line was logged inside a span but lacks {@code trace_id}/{@code span_id}. */
  MISSING_TRACE_CONTEXT("missing-trace-context"),
  /** {@code trace_id}/{@code span_id} differ from the span the line was logged in. */
  TRACE_CONTEXT_MISMATCH("trace-context-mismatch"),
  /** The line was logged under a tenant but lacks {@code tenant_id}. */
  MISSING_TENANT("missing-tenant"),
  /** {@code tenant_id} differs from the tenant the line was logged under. */
  TENANT_MISMATCH("tenant-mismatch"),
  /**
   * A line logged on a thread while it was serving a request lacks that request's
   * {@code request_id}/{@code trace_id}: it lies between two lines of one request on the same
   * thread, or it is an ERROR or WARN line that follows a line of a request on the same thread within
   * {@value io.github.telemetrybootstrap.testkit.cli.RequestContextCheck#ERROR_WINDOW_MILLIS} ms
   * (the container's or framework's own line about a failing request). Checked by
   * {@code lint-logs --require-request-context}.
   */
  MISSING_REQUEST_CONTEXT("missing-request-context");

  private final String id;

  Rule(String id) {
    this.id = id;
  }

  /**
   * The stable identifier.
   *
   * @return kebab-case id, for example {@code secret-value}
   */
  public String id() {
    return id;
  }

  /**
   * Looks a rule up by its id.
   *
   * @param id a kebab-case id as returned by {@link #id()}
   * @return the rule
   * @throws IllegalArgumentException when no rule has that id
   */
  public static Rule byId(String id) {
    for (Rule r : values()) {
      if (r.id.equals(id)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown rule id '" + id + "'");
  }

  @Override
  public String toString() {
    return id;
  }
}
