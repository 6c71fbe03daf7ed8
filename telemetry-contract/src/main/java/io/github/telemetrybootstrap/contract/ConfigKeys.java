package io.github.telemetrybootstrap.contract;

/**
 * The {@code telemetry.*} configuration keys that mean the same in every runtime: a system property or
 * {@code application.properties} entry under the key, or the environment variable named by upper-casing
 * it and replacing {@code .} and {@code -} with {@code _} (MicroProfile Config and Spring Boot relaxed
 * binding use the same mapping), e.g. {@code TELEMETRY_TENANT_HEADER}.
 *
 * <p>Runtime-specific keys (the core's metrics endpoint and log queue, for example) are documented
 * with their runtime.
 */
public final class ConfigKeys {
  /** Inbound header carrying the tenant; an RFC 9110 token; default {@value Propagation#TENANT_HEADER}. */
  public static final String TENANT_HEADER = "telemetry.tenant.header";

  /** Cap on a tenant's length in characters, 1 to 1024; default {@value ContextRules#TENANT_MAX_LENGTH}. */
  public static final String TENANT_MAX_LENGTH = "telemetry.tenant.max-length";

  /** Header carrying the request id; an RFC 9110 token; default {@value Propagation#REQUEST_ID_HEADER}. */
  public static final String REQUEST_ID_HEADER = "telemetry.request-id.header";

  /** Whether outgoing calls carry the current request id ({@code true} or {@code false}); default true. */
  public static final String REQUEST_ID_PROPAGATE = "telemetry.request-id.propagate";

  /** Extra secret keys, comma-separated, masked in addition to {@link SecretMasker#DEFAULT_KEYS}. */
  public static final String LOGGING_MASK_KEYS = "telemetry.logging.mask-keys";

  /** Whether e-mail addresses are masked ({@code true} or {@code false}); default false. */
  public static final String LOGGING_MASK_EMAILS = "telemetry.logging.mask-emails";

  /** One extra regular expression (java.util.regex) whose matches, or first group, are masked. */
  public static final String LOGGING_MASK_PATTERN = "telemetry.logging.mask-pattern";

  /** Cap on a log line's message in characters; default 65536. */
  public static final String LOGGING_MAX_LINE_LENGTH = "telemetry.logging.max-line-length";

  /** {@code service.version} when the environment and the jar manifest give none. */
  public static final String SERVICE_VERSION = "telemetry.service.version";

  /** {@code deployment.environment.name}, written as the {@code env} log field. */
  public static final String ENVIRONMENT = "telemetry.environment";

  private ConfigKeys() {}
}
