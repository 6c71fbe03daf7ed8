package io.github.telemetrybootstrap.spring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The library's own settings ({@code telemetry.*}) bound from Spring's {@code Environment}, so they can
 * come from {@code application.properties}/YAML, profiles, {@code TELEMETRY_*} environment variables
 * (Spring's relaxed binding) or the command line. Values left unset fall back to the core's defaults
 * (see {@link io.github.telemetrybootstrap.TelemetrySettings}); invalid values fail at startup with a
 * {@link io.github.telemetrybootstrap.TelemetryConfigurationException} naming the key and the value.
 *
 * <p>The standard OpenTelemetry settings are not here: {@code OTEL_*} environment variables and
 * {@code otel.*} properties (also in {@code application.properties}) apply unchanged.
 */
@ConfigurationProperties(prefix = "telemetry")
public class TelemetryProperties {
  /** Whether the auto-configuration runs at all. Default {@code true}. */
  private boolean enabled = true;

  private final Metrics metrics = new Metrics();
  private final Logging logging = new Logging();
  private final Tenant tenant = new Tenant();
  private final RequestId requestId = new RequestId();
  private final Service service = new Service();
  private final Shutdown shutdown = new Shutdown();

  /** Value of {@code deployment.environment.name} unless {@code OTEL_RESOURCE_ATTRIBUTES} sets it. */
  private @Nullable String environment;

  /** @return whether the auto-configuration runs; default true */
  public boolean isEnabled() {
    return enabled;
  }

  /** @param enabled false to switch the auto-configuration off */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** @return the metrics settings; never null */
  public Metrics getMetrics() {
    return metrics;
  }

  /** @return the logging settings; never null */
  public Logging getLogging() {
    return logging;
  }

  /** @return the tenant settings; never null */
  public Tenant getTenant() {
    return tenant;
  }

  /** @return the request-id settings; never null */
  public RequestId getRequestId() {
    return requestId;
  }

  /** @return the service settings; never null */
  public Service getService() {
    return service;
  }

  /** @return the shutdown settings; never null */
  public Shutdown getShutdown() {
    return shutdown;
  }

  /** @return {@code deployment.environment.name}, or null when unset */
  public @Nullable String getEnvironment() {
    return environment;
  }

  /** @param environment e.g. {@code prod} */
  public void setEnvironment(@Nullable String environment) {
    this.environment = environment;
  }

  /** The core's own metrics endpoint; in Spring the actuator serves the same registry. */
  public static class Metrics {
    /**
     * Whether the core serves its own Prometheus endpoint (port 9464 by default). Default
     * {@code false} in Spring: {@code /actuator/prometheus} serves the same registry.
     */
    private boolean enabled = false;
    /** Address the core's endpoint binds. Default {@code 0.0.0.0}. */
    private @Nullable String host;
    /** Port of the core's endpoint, 0..65535 (0 picks a free port). Default {@code 9464}. */
    private @Nullable Integer port;
    /** Path of the core's endpoint. Default {@code /metrics}. */
    private @Nullable String path;

    /** @return whether the core's own endpoint runs; default false */
    public boolean isEnabled() {
      return enabled;
    }

    /** @param enabled true to also serve the core's endpoint */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** @return the bind address, or null for the default */
    public @Nullable String getHost() {
      return host;
    }

    /** @param host the bind address */
    public void setHost(@Nullable String host) {
      this.host = host;
    }

    /** @return the port, or null for the default */
    public @Nullable Integer getPort() {
      return port;
    }

    /** @param port 0..65535 */
    public void setPort(@Nullable Integer port) {
      this.port = port;
    }

    /** @return the path, or null for the default */
    public @Nullable String getPath() {
      return path;
    }

    /** @param path e.g. {@code /metrics} */
    public void setPath(@Nullable String path) {
      this.path = path;
    }
  }

  /** Console logs in the contract's JSON format. */
  public static class Logging {
    /**
     * Whether console lines use the contract's JSON format (through Spring Boot's structured logging,
     * {@code logging.structured.format.console}). Default {@code true}.
     */
    private boolean enabled = true;
    /** Events held while stdout is slow (core appender only). Default {@code 8192}. */
    private @Nullable Integer queueSize;
    /** Extra keys whose values are masked, comma separated, e.g. {@code iban,ssn}. */
    private @Nullable String maskKeys;

    /** @return whether console lines are the contract's JSON; default true */
    public boolean isEnabled() {
      return enabled;
    }

    /** @param enabled false to keep Spring Boot's own console format */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** @return the queue size, or null for the default */
    public @Nullable Integer getQueueSize() {
      return queueSize;
    }

    /** @param queueSize events, at least 1 */
    public void setQueueSize(@Nullable Integer queueSize) {
      this.queueSize = queueSize;
    }

    /** @return the extra mask keys, or null */
    public @Nullable String getMaskKeys() {
      return maskKeys;
    }

    /** @param maskKeys comma separated keys */
    public void setMaskKeys(@Nullable String maskKeys) {
      this.maskKeys = maskKeys;
    }
  }

  /** The tenant taken from inbound requests. */
  public static class Tenant {
    /** Inbound header carrying the tenant. Default {@code X-Tenant-Id}. */
    private @Nullable String header;
    /** Tenant values are capped to this many characters. Default {@code 64}. */
    private @Nullable Integer maxLength;

    /** @return the header name, or null for the default */
    public @Nullable String getHeader() {
      return header;
    }

    /** @param header e.g. {@code X-Tenant-Id} */
    public void setHeader(@Nullable String header) {
      this.header = header;
    }

    /** @return the cap, or null for the default */
    public @Nullable Integer getMaxLength() {
      return maxLength;
    }

    /** @param maxLength characters */
    public void setMaxLength(@Nullable Integer maxLength) {
      this.maxLength = maxLength;
    }
  }

  /** The request id taken from (or generated for) inbound requests and echoed back. */
  public static class RequestId {
    /** Inbound header carrying the request id. Default {@code X-Request-Id}. */
    private @Nullable String header;

    /** @return the header name, or null for the default */
    public @Nullable String getHeader() {
      return header;
    }

    /** @param header e.g. {@code X-Request-Id} */
    public void setHeader(@Nullable String header) {
      this.header = header;
    }

    /**
     * Send the current request id on outgoing {@code RestClient}, {@code RestTemplate} and JDK
     * {@code HttpClient} calls. Default {@code true}.
     */
    private @Nullable Boolean propagate;

    /** @return whether the request id is sent downstream, or null for the default */
    public @Nullable Boolean getPropagate() {
      return propagate;
    }

    /** @param propagate false to keep the request id to this service */
    public void setPropagate(@Nullable Boolean propagate) {
      this.propagate = propagate;
    }
  }

  /** Service metadata. */
  public static class Service {
    /** {@code service.version} unless {@code OTEL_RESOURCE_ATTRIBUTES} sets it. */
    private @Nullable String version;

    /** @return the version, or null */
    public @Nullable String getVersion() {
      return version;
    }

    /** @param version e.g. {@code 1.4.2} */
    public void setVersion(@Nullable String version) {
      this.version = version;
    }
  }

  /** Shutdown behaviour. */
  public static class Shutdown {
    /** Bound on flushing spans and logs when the context closes. Default {@code 5s}. */
    private @Nullable Duration timeout;

    /** @return the bound, or null for the default */
    public @Nullable Duration getTimeout() {
      return timeout;
    }

    /** @param timeout e.g. {@code 5s} */
    public void setTimeout(@Nullable Duration timeout) {
      this.timeout = timeout;
    }
  }
}
