package io.github.telemetrybootstrap.contract;

/**
 * The names under which request context travels between services and onto spans. Every runtime
 * integration (telemetry-core's JDK server filter and HTTP client, telemetry-spring, telemetry-quarkus)
 * reads and writes exactly these; the header names are the defaults, configurable with
 * {@link ConfigKeys#TENANT_HEADER} and {@link ConfigKeys#REQUEST_ID_HEADER}.
 */
public final class Propagation {
  /** Default inbound header carrying the tenant: {@value}. Wins over the baggage entry when present. */
  public static final String TENANT_HEADER = "X-Tenant-Id";

  /**
   * Default header carrying the request id: {@value}. Read on inbound requests (or generated), echoed
   * on the response and sent on outgoing calls made while handling the request.
   */
  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  /**
   * W3C Baggage entry carrying the tenant downstream: {@value} (W3C Baggage, section 3.3.1: a
   * baggage key is an RFC 7230 token). The log field of the same name holds the same value.
   */
  public static final String TENANT_BAGGAGE_KEY = "tenant_id";

  /**
   * Span attribute the tenant is copied to, on every span started in a context that carries the
   * tenant: {@value}.
   */
  public static final String TENANT_SPAN_ATTRIBUTE = "saas.tenant";

  private Propagation() {}
}
