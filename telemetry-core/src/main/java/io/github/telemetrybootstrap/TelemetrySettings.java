package io.github.telemetrybootstrap;

import io.github.telemetrybootstrap.contract.ConfigKeys;
import io.github.telemetrybootstrap.contract.ContextRules;
import io.github.telemetrybootstrap.contract.Propagation;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The library's own settings (everything that is not an {@code OTEL_*} setting), resolved once at
 * bootstrap and immutable afterwards.
 *
 * <p>Each key {@code telemetry.a.b-c} is read, highest priority first, from: the builder
 * ({@link TelemetryBuilder#setting(String, String)}), the system property {@code telemetry.a.b-c},
 * the environment variable {@code TELEMETRY_A_B_C} (upper case, dots and hyphens as underscores, as
 * the OpenTelemetry SDK maps its keys), then the default. An invalid value makes
 * {@link #resolve(Map, Function, Function)} throw a {@link TelemetryConfigurationException} naming the
 * key as the user wrote it and the value.
 */
public final class TelemetrySettings {
  /** Serve Prometheus metrics over HTTP. Default {@code true}. */
  public static final String METRICS_ENABLED = "telemetry.metrics.enabled";
  /** Address the metrics server binds. Default {@code 0.0.0.0} (all interfaces). */
  public static final String METRICS_HOST = "telemetry.metrics.host";
  /** Port of the metrics server, 0..65535 (0 picks a free port). Default {@code 9464}. */
  public static final String METRICS_PORT = "telemetry.metrics.port";
  /** Path of the metrics endpoint, starting with {@code /}. Default {@code /metrics}. */
  public static final String METRICS_PATH = "telemetry.metrics.path";
  /**
   * Install the JSON console appender when the application has no logback configuration of its own.
   * Default {@code true}.
   */
  public static final String LOGGING_ENABLED = "telemetry.logging.enabled";
  /** Capacity of the asynchronous log queue, in events, 16..1048576. Default {@code 8192}. */
  public static final String LOGGING_QUEUE_SIZE = "telemetry.logging.queue-size";
  /** Extra keys whose values are masked in log lines, comma separated. Default empty. */
  public static final String LOGGING_MASK_KEYS = ConfigKeys.LOGGING_MASK_KEYS;
  /** Mask e-mail addresses (PII) in log lines and span attributes: {@code true} or {@code false}. Default {@code false}. */
  public static final String LOGGING_MASK_EMAILS = ConfigKeys.LOGGING_MASK_EMAILS;
  /**
   * One more Java regular expression ({@link java.util.regex.Pattern} syntax) whose matches are
   * masked, only its first capturing group when it has one; use alternation for several. Default unset.
   */
  public static final String LOGGING_MASK_PATTERN = ConfigKeys.LOGGING_MASK_PATTERN;
  /**
   * Bound on the memory the asynchronous log queue holds, in bytes (estimated), 65536..4294967296;
   * a number of bytes or with a {@code KiB}, {@code MiB} or {@code GiB} suffix. Default {@code 16MiB}.
   */
  public static final String LOGGING_QUEUE_BYTES = "telemetry.logging.queue-bytes";
  /**
   * Cap on one log line, in bytes, 1024..16777216 (same suffixes). Longer messages are cut and end
   * with {@code  <truncated: N chars in all>}. Default {@code 64KiB}.
   */
  public static final String LOGGING_MAX_LINE_LENGTH = ConfigKeys.LOGGING_MAX_LINE_LENGTH;
  /** Inbound HTTP header carrying the tenant. Default {@code X-Tenant-Id}. */
  public static final String TENANT_HEADER = ConfigKeys.TENANT_HEADER;
  /** Cap on tenant length, characters, 1..1024. Default {@code 64}. */
  public static final String TENANT_MAX_LENGTH = ConfigKeys.TENANT_MAX_LENGTH;
  /** Inbound HTTP header carrying the request id. Default {@code X-Request-Id}. */
  public static final String REQUEST_ID_HEADER = ConfigKeys.REQUEST_ID_HEADER;
  /**
   * Send the current request id, in the {@link #REQUEST_ID_HEADER} header, on outgoing calls of the
   * instrumented HTTP clients, so the called service logs the same {@code request_id}. Default
   * {@code true}.
   */
  public static final String REQUEST_ID_PROPAGATE = ConfigKeys.REQUEST_ID_PROPAGATE;
  /**
   * {@code service.version} when {@code OTEL_RESOURCE_ATTRIBUTES} does not set it. Default: the
   * {@code Implementation-Version} of the main class's jar, if any.
   */
  public static final String SERVICE_VERSION = ConfigKeys.SERVICE_VERSION;
  /**
   * {@code deployment.environment.name} when {@code OTEL_RESOURCE_ATTRIBUTES} does not set it.
   * Default unset.
   */
  public static final String ENVIRONMENT = ConfigKeys.ENVIRONMENT;
  /**
   * Longest time shutdown may take to flush spans and logs: {@code 500ms}, {@code 5s}, {@code 1m}
   * or a number of milliseconds; 0 to 10 minutes. Default {@code 5s}.
   */
  public static final String SHUTDOWN_TIMEOUT = "telemetry.shutdown.timeout";

  /** Every key this class reads, for documentation and for rejecting unknown builder keys. */
  public static final Set<String> KEYS =
      Set.of(
          METRICS_ENABLED, METRICS_HOST, METRICS_PORT, METRICS_PATH, LOGGING_ENABLED,
          LOGGING_QUEUE_SIZE, LOGGING_MASK_KEYS, LOGGING_MASK_EMAILS, LOGGING_MASK_PATTERN,
          LOGGING_QUEUE_BYTES, LOGGING_MAX_LINE_LENGTH, TENANT_HEADER, TENANT_MAX_LENGTH,
          REQUEST_ID_HEADER, REQUEST_ID_PROPAGATE, SERVICE_VERSION, ENVIRONMENT, SHUTDOWN_TIMEOUT);

  private final boolean metricsEnabled;
  private final String metricsHost;
  private final int metricsPort;
  private final String metricsPath;
  private final boolean loggingEnabled;
  private final int loggingQueueSize;
  private final List<String> loggingMaskKeys;
  private final boolean loggingMaskEmails;
  private final @Nullable Pattern loggingMaskPattern;
  private final long loggingQueueBytes;
  private final int loggingMaxLineLength;
  private final String tenantHeader;
  private final int tenantMaxLength;
  private final String requestIdHeader;
  private final boolean requestIdPropagate;
  private final @Nullable String serviceVersion;
  private final @Nullable String environment;
  private final Duration shutdownTimeout;

  private TelemetrySettings(Reader r) {
    metricsEnabled = r.bool(METRICS_ENABLED, true);
    metricsHost = r.host(METRICS_HOST, "0.0.0.0");
    metricsPort = r.integer(METRICS_PORT, 9464, 0, 65535, "a port number 0..65535");
    metricsPath = r.path(METRICS_PATH, "/metrics");
    loggingEnabled = r.bool(LOGGING_ENABLED, true);
    loggingQueueSize =
        r.integer(LOGGING_QUEUE_SIZE, 8192, 16, 1 << 20, "an integer 16..1048576 (events)");
    loggingMaskKeys = r.list(LOGGING_MASK_KEYS);
    loggingMaskEmails = r.bool(LOGGING_MASK_EMAILS, false);
    loggingMaskPattern = r.pattern(LOGGING_MASK_PATTERN);
    loggingQueueBytes = r.bytes(LOGGING_QUEUE_BYTES, 16L << 20, 65_536, 4L << 30);
    loggingMaxLineLength = (int) r.bytes(LOGGING_MAX_LINE_LENGTH, 65_536, 1024, 16L << 20);
    tenantHeader = r.header(TENANT_HEADER, Propagation.TENANT_HEADER);
    tenantMaxLength = r.integer(TENANT_MAX_LENGTH, ContextRules.TENANT_MAX_LENGTH, 1, ContextRules.TENANT_MAX_LENGTH_LIMIT, "an integer 1..1024 (characters)");
    requestIdHeader = r.header(REQUEST_ID_HEADER, Propagation.REQUEST_ID_HEADER);
    requestIdPropagate = r.bool(REQUEST_ID_PROPAGATE, true);
    serviceVersion = r.string(SERVICE_VERSION);
    environment = r.string(ENVIRONMENT);
    shutdownTimeout = r.duration(SHUTDOWN_TIMEOUT, Duration.ofSeconds(5));
  }

  /**
   * Resolves the settings.
   *
   * @param overrides builder values by key ({@code telemetry.*}), highest priority
   * @param systemProperties lookup of system properties, e.g. {@code System::getProperty}
   * @param environment lookup of environment variables, e.g. {@code System::getenv}
   * @return the resolved settings
   * @throws TelemetryConfigurationException when a value is invalid or a builder key is unknown
   */
  public static TelemetrySettings resolve(
      Map<String, String> overrides,
      Function<String, @Nullable String> systemProperties,
      Function<String, @Nullable String> environment) {
    for (String key : overrides.keySet()) {
      if (!KEYS.contains(key)) {
        throw new TelemetryConfigurationException(
            key, overrides.get(key), "unknown setting; known settings are " + KEYS.stream().sorted().toList(), null);
      }
    }
    return new TelemetrySettings(new Reader(overrides, systemProperties, environment));
  }

  /**
   * Resolves the settings from system properties and the environment only.
   *
   * @return the resolved settings
   * @throws TelemetryConfigurationException when a value is invalid
   */
  public static TelemetrySettings fromEnvironment() {
    return resolve(Map.of(), System::getProperty, System::getenv);
  }

  /**
   * The environment variable that carries {@code key}: upper case, dots and hyphens as underscores.
   *
   * @param key a {@code telemetry.*} key
   * @return e.g. {@code TELEMETRY_METRICS_PORT}
   */
  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** @return whether the metrics endpoint is served; default {@code true} */
  public boolean metricsEnabled() {
    return metricsEnabled;
  }

  /** @return the address the metrics server binds; default {@code 0.0.0.0} */
  public String metricsHost() {
    return metricsHost;
  }

  /** @return the configured metrics port, 0..65535 (0: any free port); default 9464 */
  public int metricsPort() {
    return metricsPort;
  }

  /** @return the metrics path, starting with {@code /}; default {@code /metrics} */
  public String metricsPath() {
    return metricsPath;
  }

  /** @return whether the JSON console appender is installed when logback is unconfigured */
  public boolean loggingEnabled() {
    return loggingEnabled;
  }

  /** @return the capacity of the asynchronous log queue, in events; default 8192 */
  public int loggingQueueSize() {
    return loggingQueueSize;
  }

  /** @return extra keys to mask, lower case; default empty */
  public List<String> loggingMaskKeys() {
    return loggingMaskKeys;
  }

  /** @return whether e-mail addresses are masked ({@link #LOGGING_MASK_EMAILS}) */
  public boolean loggingMaskEmails() {
    return loggingMaskEmails;
  }

  /** @return the extra masking pattern ({@link #LOGGING_MASK_PATTERN}), or {@code null} */
  public @Nullable Pattern loggingMaskPattern() {
    return loggingMaskPattern;
  }

  /** @return the bound on queued log memory, in bytes ({@link #LOGGING_QUEUE_BYTES}) */
  public long loggingQueueBytes() {
    return loggingQueueBytes;
  }

  /** @return the cap on one log line, in bytes ({@link #LOGGING_MAX_LINE_LENGTH}) */
  public int loggingMaxLineLength() {
    return loggingMaxLineLength;
  }

  /**
   * Finds {@code telemetry.*} system properties and {@code TELEMETRY_*} environment variables that
   * name no setting (a misspelling such as {@code TELEMETRY_METRIC_PORT}), each with the nearest
   * valid key in the same spelling.
   *
   * @param systemProperties the system properties to check
   * @param environment the environment to check
   * @return one message per unknown key, e.g. {@code TELEMETRY_METRIC_PORT is not a setting (did you
   *     mean TELEMETRY_METRICS_PORT?); it is ignored}; empty when all are known
   */
  public static List<String> unknownKeys(Map<String, String> systemProperties, Map<String, String> environment) {
    List<String> out = new java.util.ArrayList<>();
    for (String name : new java.util.TreeSet<>(systemProperties.keySet())) {
      if (name.startsWith("telemetry.") && !KEYS.contains(name)) {
        out.add("-D" + name + " is not a setting (did you mean -D" + nearest(name, KEYS) + "?); it is ignored");
      }
    }
    Set<String> envKeys = KEYS.stream().map(TelemetrySettings::envName).collect(Collectors.toSet());
    for (String name : new java.util.TreeSet<>(environment.keySet())) {
      if (name.startsWith("TELEMETRY_") && !envKeys.contains(name)) {
        out.add(name + " is not a setting (did you mean " + nearest(name, envKeys) + "?); it is ignored");
      }
    }
    return out;
  }

  /** The candidate with the smallest Levenshtein distance to {@code key} (ties: alphabetical). */
  static String nearest(String key, Set<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : new java.util.TreeSet<>(candidates)) {
      int d = levenshtein(key, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }

  private static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** @return the inbound tenant header name; default {@code X-Tenant-Id} */
  public String tenantHeader() {
    return tenantHeader;
  }

  /** @return the cap on tenant length in characters; default 64 */
  public int tenantMaxLength() {
    return tenantMaxLength;
  }

  /** @return the inbound request-id header name; default {@code X-Request-Id} */
  public String requestIdHeader() {
    return requestIdHeader;
  }

  /** @return whether instrumented clients send the request id ({@link #REQUEST_ID_PROPAGATE}) */
  public boolean requestIdPropagate() {
    return requestIdPropagate;
  }

  /** @return the configured {@code service.version}, or {@code null} */
  public @Nullable String serviceVersion() {
    return serviceVersion;
  }

  /** @return the configured {@code deployment.environment.name}, or {@code null} */
  public @Nullable String environment() {
    return environment;
  }

  /** @return the bound on flushing at shutdown; default 5 seconds */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** Looks a key up in priority order and remembers under which name the value was found. */
  private static final class Reader {
    private final Map<String, String> overrides;
    private final Function<String, @Nullable String> sys;
    private final Function<String, @Nullable String> env;

    Reader(
        Map<String, String> overrides,
        Function<String, @Nullable String> sys,
        Function<String, @Nullable String> env) {
      this.overrides = overrides;
      this.sys = sys;
      this.env = env;
    }

    /** Returns {name-as-given, value} or null. */
    private String @Nullable [] lookup(String key) {
      String v = overrides.get(key);
      if (v != null) {
        return new String[] {key, v};
      }
      v = sys.apply(key);
      if (v != null) {
        return new String[] {"-D" + key, v};
      }
      String envName = envName(key);
      v = env.apply(envName);
      if (v != null) {
        return new String[] {envName, v};
      }
      return null;
    }

    @Nullable
    String string(String key) {
      String[] found = lookup(key);
      if (found == null || found[1].isBlank()) {
        return null;
      }
      return found[1].strip();
    }

    boolean bool(String key, boolean def) {
      String[] found = lookup(key);
      if (found == null || found[1].isBlank()) {
        return def;
      }
      String v = found[1].strip().toLowerCase(Locale.ROOT);
      if (v.equals("true")) {
        return true;
      }
      if (v.equals("false")) {
        return false;
      }
      throw new TelemetryConfigurationException(found[0], found[1], "expected true or false", null);
    }

    int integer(String key, int def, int min, int max, String expected) {
      String[] found = lookup(key);
      if (found == null || found[1].isBlank()) {
        return def;
      }
      try {
        int v = Integer.parseInt(found[1].strip());
        if (v < min || v > max) {
          throw new TelemetryConfigurationException(found[0], found[1], "expected " + expected, null);
        }
        return v;
      } catch (NumberFormatException e) {
        throw new TelemetryConfigurationException(found[0], found[1], "expected " + expected, e);
      }
    }

    String host(String key, String def) {
      String[] found = lookup(key);
      if (found == null || found[1].isBlank()) {
        return def;
      }
      String v = found[1].strip();
      // Only literal addresses and names made of host characters; no lookup here (no DNS at startup).
      if (!v.matches("[A-Za-z0-9.:\\-\\[\\]%]+")) {
        throw new TelemetryConfigurationException(
            found[0], found[1], "expected a host name or IP address to bind, e.g. 0.0.0.0", null);
      }
      return v;
    }

    String path(String key, String def) {
      String[] found = lookup(key);
      if (found == null || found[1].isBlank()) {
        return def;
      }
      String v = found[1].strip();
      if (!v.startsWith("/") || !v.matches("/[A-Za-z0-9._~/\\-]*")) {
        throw new TelemetryConfigurationException(
            found[0], found[1], "expected a URL path starting with '/', e.g. /metrics", null);
      }
      return v;
    }

    String header(String key, String def) {
      String[] found = lookup(key);
      if (found == null || found[1].isBlank()) {
        return def;
      }
      String v = found[1].strip();
      if (!ContextRules.isHeaderName(v)) {
        throw new TelemetryConfigurationException(
            found[0], found[1], "expected an HTTP header name (RFC 9110 token)", null);
      }
      return v;
    }

    List<String> list(String key) {
      String[] found = lookup(key);
      if (found == null || found[1].isBlank()) {
        return List.of();
      }
      return Arrays.stream(found[1].split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .map(s -> s.toLowerCase(Locale.ROOT))
          .collect(Collectors.toUnmodifiableList());
    }

    @Nullable
    Pattern pattern(String key) {
      String[] found = lookup(key);
      if (found == null || found[1].isBlank()) {
        return null;
      }
      try {
        return Pattern.compile(found[1].strip());
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new TelemetryConfigurationException(
            found[0], found[1], "expected a Java regular expression: " + e.getDescription(), e);
      }
    }

    long bytes(String key, long def, long min, long max) {
      String[] found = lookup(key);
      if (found == null || found[1].isBlank()) {
        return def;
      }
      String v = found[1].strip();
      String expected = "expected a size " + min + ".." + max + " bytes, as a number of bytes or with a KiB, MiB or GiB suffix";
      long unit = 1;
      String digits = v;
      String lower = v.toLowerCase(Locale.ROOT);
      if (lower.endsWith("kib")) {
        unit = 1L << 10;
      } else if (lower.endsWith("mib")) {
        unit = 1L << 20;
      } else if (lower.endsWith("gib")) {
        unit = 1L << 30;
      }
      if (unit > 1) {
        digits = v.substring(0, v.length() - 3).strip();
      }
      try {
        long n = Math.multiplyExact(Long.parseLong(digits), unit);
        if (n < min || n > max) {
          throw new TelemetryConfigurationException(found[0], found[1], expected, null);
        }
        return n;
      } catch (NumberFormatException | ArithmeticException e) {
        throw new TelemetryConfigurationException(found[0], found[1], expected, e);
      }
    }

    Duration duration(String key, Duration def) {
      String[] found = lookup(key);
      if (found == null || found[1].isBlank()) {
        return def;
      }
      String v = found[1].strip().toLowerCase(Locale.ROOT);
      String expected = "expected a duration 0..10m such as 500ms, 5s, 1m or a number of milliseconds";
      try {
        Duration d;
        if (v.endsWith("ms")) {
          d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        } else if (v.endsWith("s")) {
          d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        } else if (v.endsWith("m")) {
          d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        } else {
          d = Duration.ofMillis(Long.parseLong(v));
        }
        if (d.isNegative() || d.compareTo(Duration.ofMinutes(10)) > 0) {
          throw new TelemetryConfigurationException(found[0], found[1], expected, null);
        }
        return d;
      } catch (NumberFormatException e) {
        throw new TelemetryConfigurationException(found[0], found[1], expected, e);
      }
    }
  }

}
