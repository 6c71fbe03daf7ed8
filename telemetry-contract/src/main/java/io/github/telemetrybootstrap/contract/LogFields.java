package io.github.telemetrybootstrap.contract;

/**
 * The field names of the telemetry log contract: one JSON object per line, UTF-8, written to stdout.
 *
 * <p>These constants are the single source of truth in code. The testkit's
 * {@code telemetry-log.schema.json}, the Alloy pipeline and the Grafana derived fields use the same
 * names; a test in {@code stack-manifests} proves it.
 *
 * <table>
 *   <caption>Fields</caption>
 *   <tr><th>field</th><th>when</th><th>format</th></tr>
 *   <tr><td>{@value #TIMESTAMP}</td><td>always</td><td>RFC 3339 UTC with milliseconds,
 *       {@code 2026-11-21T16:08:00.123Z}</td></tr>
 *   <tr><td>{@value #LEVEL}</td><td>always</td><td>{@code TRACE DEBUG INFO WARN ERROR}</td></tr>
 *   <tr><td>{@value #LOGGER}, {@value #THREAD}, {@value #MESSAGE}</td><td>always</td><td>strings</td></tr>
 *   <tr><td>{@value #SERVICE}</td><td>always</td><td>OTel {@code service.name}</td></tr>
 *   <tr><td>{@value #SERVICE_VERSION}, {@value #ENV}</td><td>when known</td>
 *       <td>{@code service.version}, {@code deployment.environment.name}</td></tr>
 *   <tr><td>{@value #TRACE_ID}, {@value #SPAN_ID}, {@value #TRACE_FLAGS}</td><td>a valid span is current</td>
 *       <td>32 / 16 lowercase hex, never all zeros; {@code 01} or {@code 00} (W3C Trace Context)</td></tr>
 *   <tr><td>{@value #TENANT_ID}</td><td>a tenant is in the current context</td>
 *       <td>string, length-capped, no control characters</td></tr>
 *   <tr><td>{@value #REQUEST_ID}</td><td>inside an inbound request</td><td>string</td></tr>
 *   <tr><td>{@value #ERROR}</td><td>a throwable is attached</td>
 *       <td>object: {@value #ERROR_TYPE}, {@value #ERROR_MESSAGE}, {@value #ERROR_STACK_TRACE}</td></tr>
 * </table>
 */
public final class LogFields {
  /** Event time, RFC 3339 in UTC with milliseconds. */
  public static final String TIMESTAMP = "@timestamp";
  /** Log level name. */
  public static final String LEVEL = "level";
  /** Logger name. */
  public static final String LOGGER = "logger";
  /** Name of the thread that logged. */
  public static final String THREAD = "thread";
  /** The formatted message, secrets masked. */
  public static final String MESSAGE = "message";
  /** OpenTelemetry {@code service.name}. */
  public static final String SERVICE = "service";
  /** OpenTelemetry {@code service.version}. */
  public static final String SERVICE_VERSION = "service_version";
  /** OpenTelemetry {@code deployment.environment.name}. */
  public static final String ENV = "env";
  /** W3C trace id: 32 lowercase hex characters. */
  public static final String TRACE_ID = "trace_id";
  /** W3C parent/span id: 16 lowercase hex characters. */
  public static final String SPAN_ID = "span_id";
  /** W3C trace flags: {@code 01} (sampled) or {@code 00}. */
  public static final String TRACE_FLAGS = "trace_flags";
  /** The tenant of the current context (W3C baggage entry {@code tenant_id}). */
  public static final String TENANT_ID = "tenant_id";
  /** The inbound request's id, from {@code X-Request-Id} or generated. */
  public static final String REQUEST_ID = "request_id";
  /** Object describing an attached throwable. */
  public static final String ERROR = "error";
  /** Fully qualified class name of the throwable, inside {@link #ERROR}. */
  public static final String ERROR_TYPE = "type";
  /** The throwable's message, inside {@link #ERROR}. */
  public static final String ERROR_MESSAGE = "message";
  /** The throwable's stack trace as one string, inside {@link #ERROR}. */
  public static final String ERROR_STACK_TRACE = "stack_trace";

  /** Version of the log contract these names belong to; the schema resource carries the same. */
  public static final String CONTRACT_VERSION = "1.0.0";

  private LogFields() {}
}
