package io.github.telemetrybootstrap.testkit.logs;

import org.jspecify.annotations.Nullable;

/**
 * What the caller knows about the context a line was logged in, for the rules a schema can't
 * express: a line logged inside a span carries that span's ids, a line logged under a tenant carries
 * the tenant.
 *
 * @param traceId the trace id of the span the line was logged in (32 lowercase hex), or {@code null}
 *     when the line was logged outside any span or the caller does not know
 * @param spanId the span id (16 lowercase hex), or {@code null} to check the trace id only
 * @param tenantId the tenant the line was logged under, or {@code null} for none / unknown
 */
public record ExpectedContext(@Nullable String traceId, @Nullable String spanId, @Nullable String tenantId) {
  /** Nothing known: only the schema and the context-free rules apply. */
  public static final ExpectedContext NONE = new ExpectedContext(null, null, null);

  /**
   * A line logged inside a span.
   *
   * @param traceId 32 lowercase hex
   * @param spanId 16 lowercase hex
   * @return the expectation
   */
  public static ExpectedContext inSpan(String traceId, String spanId) {
    return new ExpectedContext(traceId, spanId, null);
  }

  /**
   * The same expectation, also logged under a tenant.
   *
   * @param tenant the tenant id as the core writes it (sanitised)
   * @return a new expectation
   */
  public ExpectedContext withTenant(String tenant) {
    return new ExpectedContext(traceId, spanId, tenant);
  }
}
