package io.github.telemetrybootstrap.quarkus;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * The {@code telemetry.*} keys of the Quarkus extension: the same names and meanings as in
 * telemetry-core and telemetry-spring ({@code io.github.telemetrybootstrap.contract.ConfigKeys}),
 * read through MicroProfile Config, so {@code application.properties}, system properties and
 * environment variables ({@code TELEMETRY_TENANT_HEADER}) all work. Invalid values fail start-up with
 * a message naming the key and the value.
 */
@ConfigMapping(prefix = "telemetry")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface TelemetryConfig {

  /**
   * Tenant settings.
   *
   * @return tenant settings
   */
  Tenant tenant();

  /**
   * Request-id settings.
   *
   * @return request-id settings
   */
  RequestId requestId();

  /**
   * Log line settings.
   *
   * @return log line settings
   */
  Logging logging();

  /**
   * {@code deployment.environment.name}, written as the {@code env} log field; when unset, the
   * {@code deployment.environment.name} (or {@code deployment.environment}) resource attribute.
   *
   * @return the environment name
   */
  Optional<String> environment();

  /** Tenant settings. */
  interface Tenant {
    /**
     * Inbound header carrying the tenant (an RFC 9110 token).
     *
     * @return the header name; default {@code X-Tenant-Id}
     */
    @WithDefault("X-Tenant-Id")
    String header();

    /**
     * Cap on a tenant's length in characters, 1 to 1024.
     *
     * @return the cap; default 64
     */
    @WithDefault("64")
    int maxLength();
  }

  /** Request-id settings. */
  interface RequestId {
    /**
     * Header carrying the request id (an RFC 9110 token): read on inbound requests, echoed on the
     * response, sent on REST client calls.
     *
     * @return the header name; default {@code X-Request-Id}
     */
    @WithDefault("X-Request-Id")
    String header();

    /**
     * Whether REST client calls carry the current request id.
     *
     * @return default true
     */
    @WithDefault("true")
    boolean propagate();
  }

  /** Log line settings. */
  interface Logging {
    /**
     * Whether the console handler writes the contract's JSON lines. When false, Quarkus's own
     * console format applies.
     *
     * @return default true
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * Extra secret keys, masked in addition to the built-in ones.
     *
     * @return the keys; default none
     */
    Optional<List<String>> maskKeys();

    /**
     * Whether e-mail addresses are masked.
     *
     * @return default false
     */
    @WithDefault("false")
    boolean maskEmails();

    /**
     * One extra regular expression (java.util.regex) whose matches, or first capturing group, are
     * masked.
     *
     * @return the pattern; default none
     */
    Optional<String> maskPattern();

    /**
     * Cap on a line's message in characters, 1024 to 16777216; a longer message is cut and ends with
     * {@code  <truncated: N chars in all>}.
     *
     * @return the cap; default 65536
     */
    @WithDefault("65536")
    int maxLineLength();
  }
}
