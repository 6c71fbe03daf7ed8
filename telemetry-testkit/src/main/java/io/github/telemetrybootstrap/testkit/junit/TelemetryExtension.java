package io.github.telemetrybootstrap.testkit.junit;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.github.telemetrybootstrap.Telemetry;
import io.github.telemetrybootstrap.TelemetryBuilder;
import io.github.telemetrybootstrap.TelemetrySettings;
import io.github.telemetrybootstrap.logging.TelemetryAsyncAppender;
import io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * JUnit Jupiter extension that bootstraps telemetry for a test class and captures what it produces:
 * the JSON log lines exactly as the encoder wrote them, the finished spans received over real OTLP,
 * and the meters. Use {@link TelemetryTest @TelemetryTest}, or register it with a builder:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TelemetryExtension TELEMETRY = TelemetryExtension.builder()
 *     .serviceName("orders")
 *     .property("telemetry.tenant.max-length", "32")
 *     .build();
 * }</pre>
 *
 * The field must be {@code static}: the telemetry starts before the class's first test.
 *
 * <p><b>Before all tests of the class</b>: starts an {@link OtlpReceiver} on 127.0.0.1 (ephemeral
 * port), registers a tee on the JSON appender ({@link TelemetryAsyncAppender#addTee}) and calls
 * {@code Telemetry.builder()} with: {@code service.name} (default {@value #DEFAULT_SERVICE_NAME}),
 * OTLP {@code http/protobuf} to the receiver (generic and trace-specific endpoint keys, so an
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} of the host does not win), a batch span processor delay
 * of 50 ms, no OTLP metrics or logs, the metrics endpoint on {@code 127.0.0.1} port 0, and no shutdown
 * hook; then the {@code otel.*}/{@code telemetry.*} properties given. <b>Before each test</b>:
 * {@link CapturedTelemetry#reset()}. <b>After all tests</b>: closes the telemetry (flushing spans and
 * logs) and the receiver, and removes the tee. {@code @Nested} classes share their enclosing class's
 * telemetry.
 *
 * <p><b>One telemetry per JVM</b>: {@code Telemetry} is a JVM-wide singleton. The extension does not
 * adopt one it did not start (its spans would not reach the receiver, and its configuration is not the
 * test's): when {@code Telemetry.current()} is present, or an OpenTelemetry is installed globally (the
 * Java agent, another test), {@code beforeAll} fails with an {@link ExtensionConfigurationException}
 * saying so. Close such telemetry in that test's {@code @AfterAll}, or run the class in its own fork.
 * Run telemetry tests sequentially (JUnit's default); {@link TelemetryTest} takes the resource lock
 * {@value #RESOURCE_LOCK} for parallel runs.
 *
 * <p><b>Logging</b>: the capture needs the library's JSON appender. Without a logback configuration
 * file it is installed automatically; with a {@code logback-test.xml}, include
 * {@code io/github/telemetrybootstrap/logback/json-console-appender.xml} and reference
 * {@code TELEMETRY_JSON}. If no {@link TelemetryAsyncAppender} is running after the bootstrap,
 * {@code beforeAll} fails saying so. The appender also keeps writing to stdout.
 *
 * <p><b>Parameters</b>: test and lifecycle methods (including {@code @BeforeAll}) may declare a
 * {@link CapturedTelemetry}.
 */
public final class TelemetryExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {
  /** The {@code service.name} used unless one is configured. */
  public static final String DEFAULT_SERVICE_NAME = "telemetry-test";
  /** The JUnit resource lock key that {@link TelemetryTest} takes (telemetry is JVM-wide state). */
  public static final String RESOURCE_LOCK = "io.github.telemetrybootstrap.Telemetry";
  /** The default for {@link Builder#awaitTimeout(Duration)}. */
  public static final Duration DEFAULT_AWAIT_TIMEOUT = Duration.ofSeconds(5);

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TelemetryExtension.class);
  private static final String STATE = "state";

  private final @Nullable Config config;

  /**
   * The extension as {@code @ExtendWith} / {@link TelemetryTest} creates it: configured by the test
   * class's {@link TelemetryTest} annotation, or with the defaults when it has none.
   */
  public TelemetryExtension() {
    this.config = null;
  }

  private TelemetryExtension(Config config) {
    this.config = config;
  }

  /**
   * A builder for {@code @RegisterExtension}.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (find(context) != null) {
      return; // a @Nested class, or registered twice: the enclosing class's telemetry serves it
    }
    Config c = config != null ? config : Config.from(context.getRequiredTestClass());
    State state = State.start(c, context.getUniqueId());
    context.getStore(NAMESPACE).put(STATE, state);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    State state = context.getStore(NAMESPACE).get(STATE, State.class);
    if (state != null && state.owner.equals(context.getUniqueId())) {
      context.getStore(NAMESPACE).remove(STATE);
      state.close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    required(context).captured.reset();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == CapturedTelemetry.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    State state = find(extensionContext);
    if (state == null) {
      throw new ParameterResolutionException(notStartedMessage());
    }
    return state.captured;
  }

  private static @Nullable State find(ExtensionContext context) {
    return context.getStore(NAMESPACE).get(STATE, State.class);
  }

  private static State required(ExtensionContext context) {
    State state = find(context);
    if (state == null) {
      throw new ExtensionConfigurationException(notStartedMessage());
    }
    return state;
  }

  private static String notStartedMessage() {
    return "TelemetryExtension has not started telemetry for this class: register it on a static field "
        + "(@RegisterExtension static final TelemetryExtension ...), or use @TelemetryTest / "
        + "@ExtendWith(TelemetryExtension.class), so it can start before the class's tests";
  }

  /** The resolved configuration. */
  private record Config(String serviceName, Map<String, String> properties, Duration awaitTimeout) {
    static Config from(Class<?> testClass) {
      Optional<TelemetryTest> annotation = AnnotationSupport.findAnnotation(testClass, TelemetryTest.class);
      Builder b = builder();
      annotation.ifPresent(a -> {
        b.serviceName(a.serviceName());
        for (String entry : a.properties()) {
          int eq = entry.indexOf('=');
          if (eq <= 0) {
            throw new ExtensionConfigurationException(
                "@TelemetryTest(properties) entry '" + entry + "' on " + testClass.getName()
                    + " is not key=value");
          }
          b.property(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        if (a.awaitTimeoutMillis() < 1) {
          throw new ExtensionConfigurationException(
              "@TelemetryTest(awaitTimeoutMillis) on " + testClass.getName() + " must be at least 1, was "
                  + a.awaitTimeoutMillis());
        }
        b.awaitTimeout(Duration.ofMillis(a.awaitTimeoutMillis()));
      });
      return b.config();
    }
  }

  /** What runs for one test class. */
  private static final class State {
    final String owner;
    final OtlpReceiver receiver;
    final LogCapture logs;
    final Telemetry telemetry;
    final CapturedTelemetry captured;
    private boolean closed;

    private State(String owner, OtlpReceiver receiver, LogCapture logs, Telemetry telemetry, Duration timeout) {
      this.owner = owner;
      this.receiver = receiver;
      this.logs = logs;
      this.telemetry = telemetry;
      this.captured = new CapturedTelemetry(telemetry, receiver, logs, timeout);
    }

    static State start(Config c, String owner) {
      Optional<Telemetry> running = Telemetry.current();
      if (running.isPresent()) {
        throw new ExtensionConfigurationException(
            "Telemetry is already running in this JVM (service '" + running.get().serviceInfo().name()
                + "') and was not started by TelemetryExtension; it does not adopt it, because its spans "
                + "would not reach the test's OTLP receiver. Close it first (Telemetry.current()"
                + ".ifPresent(Telemetry::close) in the @AfterAll of the test that started it) or run "
                + "this class in its own fork.");
      }
      if (GlobalOpenTelemetry.isSet()) {
        throw new ExtensionConfigurationException(
            "An OpenTelemetry is already installed globally (the OpenTelemetry Java agent, or a test that "
                + "called GlobalOpenTelemetry.set); Telemetry would adopt it and its spans would not reach "
                + "the test's OTLP receiver. Run without the agent, or reset it "
                + "(GlobalOpenTelemetry.resetForTest()) in that test's @AfterAll.");
      }
      OtlpReceiver receiver = OtlpReceiver.start();
      LogCapture logs = new LogCapture();
      TelemetryAsyncAppender.addTee(logs);
      Telemetry telemetry;
      try {
        TelemetryBuilder b =
            Telemetry.builder()
                .serviceName(c.serviceName())
                .registerShutdownHook(false)
                .otelProperty("otel.traces.exporter", "otlp")
                .otelProperty("otel.exporter.otlp.protocol", "http/protobuf")
                .otelProperty("otel.exporter.otlp.endpoint", receiver.endpoint())
                .otelProperty("otel.exporter.otlp.traces.protocol", "http/protobuf")
                .otelProperty("otel.exporter.otlp.traces.endpoint", receiver.endpoint() + "/v1/traces")
                .otelProperty("otel.bsp.schedule.delay", "50")
                .otelProperty("otel.metrics.exporter", "none")
                .otelProperty("otel.logs.exporter", "none")
                .setting(TelemetrySettings.METRICS_HOST, "127.0.0.1")
                .setting(TelemetrySettings.METRICS_PORT, "0");
        c.properties().forEach((k, v) -> {
          if (k.startsWith("otel.")) {
            b.otelProperty(k, v);
          } else {
            b.setting(k, v);
          }
        });
        telemetry = b.build();
      } catch (RuntimeException | Error e) {
        TelemetryAsyncAppender.removeTee(logs);
        receiver.close();
        throw e;
      }
      State state = new State(owner, receiver, logs, telemetry, c.awaitTimeout());
      if (telemetry.adoptedExistingOpenTelemetry() || !jsonAppenderRunning()) {
        String why = telemetry.adoptedExistingOpenTelemetry()
            ? "the bootstrap adopted an OpenTelemetry installed meanwhile, so spans would not reach the "
                + "test's OTLP receiver"
            : "no " + TelemetryAsyncAppender.class.getSimpleName() + " is running, so no JSON log line can "
                + "be captured. The application's logback configuration replaced the library's JSON "
                + "appender (or telemetry.logging.enabled is false): in logback-test.xml add <include "
                + "resource=\"io/github/telemetrybootstrap/logback/json-console-appender.xml\"/> and "
                + "<appender-ref ref=\"TELEMETRY_JSON\"/> on the root logger";
        state.close();
        throw new ExtensionConfigurationException("TelemetryExtension cannot capture telemetry: " + why);
      }
      return state;
    }

    synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        telemetry.close();
      } finally {
        TelemetryAsyncAppender.removeTee(logs);
        receiver.close();
      }
    }

    private static boolean jsonAppenderRunning() {
      ILoggerFactory factory = LoggerFactory.getILoggerFactory();
      if (!(factory instanceof LoggerContext context)) {
        return false;
      }
      for (ch.qos.logback.classic.Logger logger : context.getLoggerList()) {
        for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
          if (it.next() instanceof TelemetryAsyncAppender a && a.isStarted()) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** Configures a {@link TelemetryExtension} for {@code @RegisterExtension}. Not thread-safe. */
  public static final class Builder {
    private String serviceName = DEFAULT_SERVICE_NAME;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Duration awaitTimeout = DEFAULT_AWAIT_TIMEOUT;

    private Builder() {}

    /**
     * Sets {@code service.name}.
     *
     * @param serviceName not blank; default {@value TelemetryExtension#DEFAULT_SERVICE_NAME}
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public Builder serviceName(String serviceName) {
      if (Objects.requireNonNull(serviceName, "serviceName").isBlank()) {
        throw new IllegalArgumentException("serviceName must not be blank");
      }
      this.serviceName = serviceName;
      return this;
    }

    /**
     * Adds one configuration override, applied after the extension's defaults (so it can change
     * them) with priority over the environment and system properties.
     *
     * @param key an {@code otel.*} key (OpenTelemetry SDK autoconfigure, e.g.
     *     {@code otel.traces.sampler}) or a {@code telemetry.*} key of
     *     {@link TelemetrySettings#KEYS}
     * @param value its value; checked at bootstrap, which fails naming key and value
     * @return this builder
     * @throws IllegalArgumentException when the key starts with neither {@code otel.} nor
     *     {@code telemetry.}
     */
    public Builder property(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (!key.startsWith("otel.") && !key.startsWith("telemetry.")) {
        throw new IllegalArgumentException(
            "property key '" + key + "' (value '" + value + "') must start with otel. or telemetry.");
      }
      properties.put(key, value);
      return this;
    }

    /**
     * How long span waits, span assertions and log flushes take at most.
     *
     * @param timeout positive; default 5 s
     * @return this builder
     * @throws IllegalArgumentException when zero or negative
     */
    public Builder awaitTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("awaitTimeout must be positive, was " + timeout);
      }
      this.awaitTimeout = timeout;
      return this;
    }

    /**
     * Builds the extension; nothing starts until JUnit calls it.
     *
     * @return the extension
     */
    public TelemetryExtension build() {
      return new TelemetryExtension(config());
    }

    private Config config() {
      return new Config(serviceName, Map.copyOf(properties), awaitTimeout);
    }
  }
}
