package io.github.telemetrybootstrap;

import com.sun.net.httpserver.Filter;
import io.github.telemetrybootstrap.context.TenantSpanProcessor;
import io.github.telemetrybootstrap.http.HttpClientTelemetry;
import io.github.telemetrybootstrap.http.HttpServerTelemetry;
import io.github.telemetrybootstrap.internal.Compatibility;
import io.github.telemetrybootstrap.internal.DropCountingSpanExporter;
import io.github.telemetrybootstrap.internal.Endpoints;
import io.github.telemetrybootstrap.internal.SpanLoss;
import io.github.telemetrybootstrap.internal.ExporterLogging;
import io.github.telemetrybootstrap.internal.KubernetesResource;
import io.github.telemetrybootstrap.internal.OtelConfig;
import io.github.telemetrybootstrap.internal.PreferJdkHttpSender;
import io.github.telemetrybootstrap.internal.ServiceInfo;
import io.github.telemetrybootstrap.logging.JsonLogging;
import io.github.telemetrybootstrap.metrics.OpenTelemetryExemplars;
import io.github.telemetrybootstrap.metrics.PrometheusEndpoint;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry of this JVM: one call first thing in {@code main} and the service writes JSON log
 * lines carrying {@code trace_id}, {@code span_id}, {@code tenant_id} and {@code request_id} to
 * stdout, exports traces over OTLP and serves Prometheus metrics.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   Telemetry telemetry = Telemetry.bootstrap();
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Tracing</b> is built by the OpenTelemetry SDK autoconfigure, so every standard
 * {@code OTEL_*} environment variable and {@code otel.*} system property applies and wins over the
 * library's defaults: OTLP {@code http/protobuf} to {@code http://localhost:4318},
 * {@code parentbased_always_on} sampling (the collector tail-samples), W3C {@code tracecontext} and
 * {@code baggage} propagation, batch span processor, no OTLP logs (stdout JSON is the log path), no
 * OTLP metrics (Prometheus scrapes them). If an OpenTelemetry is already installed globally (the
 * Java agent, a framework), it is adopted instead of building a second SDK.
 *
 * <p><b>Metrics</b> go to a Micrometer {@link PrometheusMeterRegistry} (also added to
 * {@link Metrics#globalRegistry}) with JVM, GC, memory, thread, class-loading and process binders,
 * served on {@code 0.0.0.0:9464/metrics} (see {@link TelemetrySettings}); histogram buckets carry
 * exemplars with the current {@code trace_id}.
 *
 * <p><b>Lifecycle</b>: {@link #bootstrap()} is idempotent and thread-safe; a second call returns the
 * same instance. Invalid configuration throws {@link TelemetryConfigurationException} naming the key
 * and the value, and leaves nothing running. After a successful bootstrap nothing here throws into
 * application code. A shutdown hook (and {@link #close()}) flushes buffered spans and logs within
 * {@link TelemetrySettings#SHUTDOWN_TIMEOUT}.
 */
public final class Telemetry implements AutoCloseable {
  /** Instrumentation scope name of the library's own spans. */
  public static final String INSTRUMENTATION_NAME = "io.github.telemetrybootstrap";

  private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);
  private static final Object LOCK = new Object();
  private static volatile @Nullable Telemetry instance;

  private final OpenTelemetry openTelemetry;
  private final @Nullable OpenTelemetrySdk sdk;
  private final boolean adopted;
  private final Tracer tracer;
  private final PrometheusMeterRegistry meterRegistry;
  private final @Nullable PrometheusEndpoint metricsEndpoint;
  private final TelemetrySettings settings;
  private final ServiceInfo serviceInfo;
  private final @Nullable Resource resource;
  private final @Nullable SpanLoss spanLoss;
  private final @Nullable Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable HttpServerTelemetry httpServerTelemetry;
  private volatile @Nullable HttpClientTelemetry httpClientTelemetry;
  private final java.util.concurrent.CountDownLatch shutdownDone = new java.util.concurrent.CountDownLatch(1);
  private final java.util.Deque<Runnable> beforeShutdown = new java.util.concurrent.ConcurrentLinkedDeque<>();

  private Telemetry(
      OpenTelemetry openTelemetry,
      @Nullable OpenTelemetrySdk sdk,
      boolean adopted,
      PrometheusMeterRegistry meterRegistry,
      @Nullable PrometheusEndpoint metricsEndpoint,
      TelemetrySettings settings,
      ServiceInfo serviceInfo,
      @Nullable Resource resource,
      @Nullable SpanLoss spanLoss,
      boolean registerShutdownHook) {
    this.openTelemetry = openTelemetry;
    this.sdk = sdk;
    this.adopted = adopted;
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION_NAME);
    this.meterRegistry = meterRegistry;
    this.metricsEndpoint = metricsEndpoint;
    this.settings = settings;
    this.serviceInfo = serviceInfo;
    this.resource = resource;
    this.spanLoss = spanLoss;
    this.shutdownHook =
        registerShutdownHook ? new Thread(this::closeFromHook, "telemetry-shutdown") : null;
  }

  /**
   * Bootstraps telemetry from the environment ({@code OTEL_*}, {@code TELEMETRY_*}, system
   * properties), or returns the instance already running.
   *
   * @return the running telemetry
   * @throws TelemetryConfigurationException if a setting is invalid; nothing is left running
   */
  public static Telemetry bootstrap() {
    return builder().build();
  }

  /**
   * A builder whose values override the environment; see {@link TelemetryBuilder}.
   *
   * @return a new builder
   */
  public static TelemetryBuilder builder() {
    return new TelemetryBuilder();
  }

  /**
   * The running telemetry, if {@link #bootstrap()} has run and it was not closed.
   *
   * @return the instance, or empty
   */
  public static Optional<Telemetry> current() {
    return Optional.ofNullable(instance);
  }

  static Telemetry start(TelemetryBuilder builder) {
    Telemetry existing = instance;
    if (existing != null) {
      warnIfIgnored(builder);
      return existing;
    }
    synchronized (LOCK) {
      existing = instance;
      if (existing != null) {
        warnIfIgnored(builder);
        return existing;
      }
      Telemetry created = create(builder, callerImplementationVersion(), System::getProperty, System::getenv);
      instance = created;
      try {
        Map<String, String> props = new HashMap<>();
        System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
        for (String unknown : TelemetrySettings.unknownKeys(props, System.getenv())) {
          LOG.warn("Unknown telemetry setting: {}", unknown);
        }
      } catch (RuntimeException | LinkageError e) {
        // Reporting misspellings must never fail a bootstrap that succeeded.
      }
      return created;
    }
  }

  private static void warnIfIgnored(TelemetryBuilder builder) {
    if (!builder.otelProperties.isEmpty() || !builder.settings.isEmpty()) {
      LOG.warn(
          "Telemetry is already bootstrapped; the values of this builder are ignored: {} {}",
          builder.otelProperties.keySet(),
          builder.settings.keySet());
    }
  }

  private static Telemetry create(
      TelemetryBuilder builder,
      @Nullable String callerVersion,
      Function<String, @Nullable String> sys,
      Function<String, @Nullable String> env) {
    long startNanos = System.nanoTime();
    // Setups the library cannot serve fail here, saying what was found and what to change.
    Compatibility.checkLogging();
    if (!GlobalOpenTelemetry.isSet()) {
      Compatibility.checkOpenTelemetry();
    }
    TelemetrySettings settings = TelemetrySettings.resolve(builder.settings, sys, env);
    io.github.telemetrybootstrap.context.Tenant.setMaxLength(settings.tenantMaxLength());
    boolean jsonLogs = settings.loggingEnabled() && JsonLogging.installIfUnconfigured(settings);
    String logs =
        jsonLogs
            ? "logs as JSON on stdout"
            : settings.loggingEnabled()
                ? JsonLogging.describeApplicationOutput()
                : "logs through the application's logging configuration (telemetry.logging.enabled=false)";

    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(
            PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM, new OpenTelemetryExemplars());
    // The metrics side (JMX-backed JVM binders, the HTTP endpoint) shares nothing with the SDK build
    // but the registry: run it on a second thread meanwhile, and join before returning, so the
    // bootstrap still returns with everything serving and still fails fast on a taken port.
    CompletableFuture<@Nullable PrometheusEndpoint> metrics =
        CompletableFuture.supplyAsync(
            () -> {
              bindMeters(registry);
              return settings.metricsEnabled() ? startEndpoint(registry, settings, env) : null;
            },
            task -> {
              Thread t = new Thread(task, "telemetry-bootstrap-metrics");
              t.setDaemon(true);
              t.start();
            });
    PrometheusEndpoint endpoint = null;
    try {
      OpenTelemetry openTelemetry;
      OpenTelemetrySdk sdk = null;
      boolean adopted = GlobalOpenTelemetry.isSet();
      ServiceInfo info;
      Resource resource = null;
      SpanLoss spanLoss = null;
      String tracesDestination;
      if (adopted) {
        openTelemetry = GlobalOpenTelemetry.get();
        info = ServiceInfo.fromEnvironment(sys, env);
        tracesDestination = "the already installed " + openTelemetry.getClass().getName();
        endpoint = join(metrics, null);
      } else {
        spanLoss = new SpanLoss(registry, TimeUnit.MINUTES.toNanos(5), System::nanoTime);
        ExporterLogging.quiet(spanLoss);
        Map<String, String> resolved = new HashMap<>();
        AtomicReference<Resource> resourceRef = new AtomicReference<>(Resource.getDefault());
        AutoConfiguredOpenTelemetrySdk auto;
        try {
          auto = buildSdk(builder, settings, callerVersion, registry, sys, env, resolved, resourceRef, spanLoss);
        } catch (RuntimeException e) {
          closeQuietly(metrics);
          throw e;
        }
        endpoint = join(metrics, auto.getOpenTelemetrySdk());
        sdk = auto.getOpenTelemetrySdk();
        openTelemetry = sdk;
        resource = resourceRef.get();
        info =
            new ServiceInfo(
                Optional.ofNullable(resource.getAttribute(AttributeKey.stringKey("service.name")))
                    .filter(name -> !name.isBlank())
                    .orElse(ServiceInfo.UNKNOWN_SERVICE),
                resource.getAttribute(AttributeKey.stringKey("service.version")),
                resource.getAttribute(AttributeKey.stringKey("deployment.environment.name")));
        tracesDestination = resolved.getOrDefault("destination", "?");
      }
      ServiceInfo.set(info);
      Metrics.globalRegistry.add(registry);

      Telemetry telemetry =
          new Telemetry(
              openTelemetry, sdk, adopted, registry, endpoint, settings, info, resource, spanLoss,
              builder.shutdownHook);
      if (telemetry.shutdownHook != null) {
        Runtime.getRuntime().addShutdownHook(telemetry.shutdownHook);
      }
      if (ServiceInfo.UNKNOWN_SERVICE.equals(info.name())) {
        LOG.warn(
            "service.name is not set; telemetry reports '{}'. Set OTEL_SERVICE_NAME (or "
                + "-Dotel.service.name) so logs, traces and metrics can be found by service.",
            info.name());
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      if (adopted) {
        LOG.info(
            "Telemetry started in {} ms: adopted the OpenTelemetry already installed ({}), "
                + "metrics at {}, {}",
            millis,
            openTelemetry.getClass().getName(),
            endpoint == null ? "disabled" : endpoint.url(),
            logs);
      } else {
        LOG.info(
            "Telemetry started in {} ms: service {}, traces to {}, metrics at {}, {}",
            millis,
            info.name(),
            tracesDestination,
            endpoint == null ? "disabled" : endpoint.url(),
            logs);
      }
      return telemetry;
    } catch (RuntimeException e) {
      if (endpoint != null) {
        endpoint.close();
      }
      registry.close();
      throw e;
    }
  }

  /** Waits for the metrics side; on failure shuts the SDK down (when built) and rethrows. */
  private static @Nullable PrometheusEndpoint join(
      CompletableFuture<@Nullable PrometheusEndpoint> metrics, @Nullable OpenTelemetrySdk sdk) {
    try {
      return metrics.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (sdk != null) {
        sdk.shutdown().join(1, TimeUnit.SECONDS);
        GlobalOpenTelemetry.resetForTest();
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private static void closeQuietly(CompletableFuture<@Nullable PrometheusEndpoint> metrics) {
    try {
      PrometheusEndpoint endpoint = metrics.join();
      if (endpoint != null) {
        endpoint.close();
      }
    } catch (RuntimeException ignored) {
      // The metrics side failed too; the SDK's error is the one to report.
    }
  }

  private static PrometheusEndpoint startEndpoint(
      PrometheusMeterRegistry registry, TelemetrySettings settings, Function<String, @Nullable String> env) {
    try {
      return PrometheusEndpoint.start(
          registry.getPrometheusRegistry(),
          settings.metricsHost(),
          settings.metricsPort(),
          settings.metricsPath());
    } catch (IOException | RuntimeException e) {
      // A host that does not resolve or is not this machine's is the host's fault; a taken port the
      // port's.
      boolean hostFault = e instanceof java.net.UnknownHostException
          || e.getCause() instanceof java.net.UnknownHostException
          || String.valueOf(e.getMessage()).contains("Cannot assign requested address")
          || !resolves(settings.metricsHost());
      String setting = hostFault ? TelemetrySettings.METRICS_HOST : TelemetrySettings.METRICS_PORT;
      String key =
          env.apply(TelemetrySettings.envName(setting)) != null
              ? TelemetrySettings.envName(setting)
              : System.getProperty(setting) != null ? "-D" + setting : setting;
      throw new TelemetryConfigurationException(
          key,
          hostFault ? settings.metricsHost() : String.valueOf(settings.metricsPort()),
          "cannot serve metrics on "
              + settings.metricsHost()
              + ":"
              + settings.metricsPort()
              + " ("
              + e
              + "); choose a free port or set "
              + TelemetrySettings.envName(TelemetrySettings.METRICS_ENABLED)
              + "=false",
          e);
    }
  }

  private static boolean resolves(String host) {
    try {
      java.net.InetAddress.getByName(host);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static AutoConfiguredOpenTelemetrySdk buildSdk(
      TelemetryBuilder builder,
      TelemetrySettings settings,
      @Nullable String callerVersion,
      MeterRegistry registry,
      Function<String, @Nullable String> sys,
      Function<String, @Nullable String> env,
      Map<String, String> resolved,
      AtomicReference<Resource> resourceRef,
      SpanLoss loss) {
    Map<String, String> overrides = Map.copyOf(builder.otelProperties);
    try {
      return AutoConfiguredOpenTelemetrySdk.builder()
          .setComponentLoader(new PreferJdkHttpSender(
              ComponentLoader.forClassLoader(AutoConfiguredOpenTelemetrySdk.class.getClassLoader()), sys, env))
          .addPropertiesSupplier(OtelConfig::defaults)
          .addPropertiesCustomizer(config -> overrides)
          .addPropertiesCustomizer(
              config -> {
                OtelConfig.validate(config, sys, env);
                resolved.put("destination", Endpoints.mask(describeDestination(config)));
                return Map.of();
              })
          .addResourceCustomizer(
              (resource, config) -> {
                Resource customized = customizeResource(resource, settings, callerVersion, env);
                resourceRef.set(customized);
                return customized;
              })
          .addMeterProviderCustomizer(
              (meterProvider, config) -> meterProvider.registerMetricReader(loss.sdkMetricReader()))
          .addTracerProviderCustomizer(
              (tracerProvider, config) ->
                  tracerProvider
                      .addSpanProcessor(new TenantSpanProcessor())
                      .addSpanProcessor(loss.endedSpanCounter()))
          .addSpanExporterCustomizer(
              (exporter, config) -> {
                loss.setDestination(describeDestination(config));
                return new DropCountingSpanExporter(exporter, loss);
              })
          .disableShutdownHook()
          .setResultAsGlobal()
          .build();
    } catch (ConfigurationException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof TelemetryConfigurationException tce) {
          throw tce;
        }
      }
      throw sdkRejected(e, builder, sys, env);
    }
  }

  private static final java.util.regex.Pattern OTEL_KEY =
      java.util.regex.Pattern.compile("otel\\.[a-z0-9_.\\-]*[a-z0-9]");

  /**
   * An error the SDK raised, as a configuration error naming the key as the user wrote it and its
   * value: the key is the first {@code otel.*} key the SDK's messages name that the user set.
   */
  private static TelemetryConfigurationException sdkRejected(
      ConfigurationException e,
      TelemetryBuilder builder,
      Function<String, @Nullable String> sys,
      Function<String, @Nullable String> env) {
    OtelConfig.KeyNamer names = new OtelConfig.KeyNamer(sys, env);
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t.getMessage() != null) {
        messages.append(messages.length() == 0 ? "" : ": ").append(t.getMessage());
      }
    }
    String text = messages.toString();
    java.util.regex.Matcher m = OTEL_KEY.matcher(text);
    while (m.find()) {
      String key = m.group();
      String value = builder.otelProperties.get(key);
      if (value == null) {
        value = sys.apply(key);
      }
      if (value == null) {
        value = env.apply(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
      }
      if (value != null) {
        String name = builder.otelProperties.containsKey(key) ? key : names.name(key);
        return new TelemetryConfigurationException(
            name, value, "rejected by the OpenTelemetry SDK: " + Endpoints.maskInText(text), e);
      }
    }
    return new TelemetryConfigurationException(
        "OTEL_* (the OpenTelemetry SDK configuration)",
        null,
        "the SDK rejected it: " + Endpoints.maskInText(text)
            + "; check the OTEL_* variables and -Dotel.* properties set for this process",
        e);
  }

  private static String describeDestination(ConfigProperties config) {
    String sampler = config.getString("otel.traces.sampler", "parentbased_always_on");
    if (sampler.equals("always_off") || sampler.equals("parentbased_always_off")) {
      return "nowhere: sampler " + sampler + " records no span (OTEL_TRACES_SAMPLER)";
    }
    String exporters = String.join(",", config.getList("otel.traces.exporter"));
    if (exporters.isEmpty() || exporters.equals("none")) {
      return "nowhere: no span exporter (OTEL_TRACES_EXPORTER=none)";
    }
    if (!exporters.equals("otlp")) {
      return "exporter(s) " + exporters;
    }
    String protocol =
        config.getString(
            "otel.exporter.otlp.traces.protocol", config.getString("otel.exporter.otlp.protocol"));
    String endpoint = config.getString("otel.exporter.otlp.traces.endpoint");
    if (endpoint == null) {
      endpoint = config.getString("otel.exporter.otlp.endpoint", "http://localhost:4318");
      if ("http/protobuf".equals(protocol) || "http/json".equals(protocol)) {
        endpoint = endpoint.endsWith("/") ? endpoint + "v1/traces" : endpoint + "/v1/traces";
      }
    }
    return endpoint + " (" + protocol + ")";
  }

  private static Resource customizeResource(
      Resource resource,
      TelemetrySettings settings,
      @Nullable String callerVersion,
      Function<String, @Nullable String> env) {
    ResourceBuilder b = resource.toBuilder();
    // Never leak system properties (passwords passed as -D...) through the command line.
    b.removeIf(
        k ->
            k.getKey().equals("process.command_line")
                || k.getKey().equals("process.command_args")
                || k.getKey().equals("process.command"));
    String serviceName = resource.getAttribute(AttributeKey.stringKey("service.name"));
    if (serviceName == null || serviceName.isBlank()) {
      // OTEL_SERVICE_NAME set but empty: the SDK's default, not a blank name on every line.
      b.put("service.name", ServiceInfo.UNKNOWN_SERVICE);
    }
    if (resource.getAttribute(AttributeKey.stringKey("service.instance.id")) == null) {
      b.put("service.instance.id", UUID.randomUUID().toString());
    }
    if (resource.getAttribute(AttributeKey.stringKey("service.version")) == null) {
      String version = settings.serviceVersion() != null ? settings.serviceVersion() : callerVersion;
      if (version != null) {
        b.put("service.version", version);
      }
    }
    if (resource.getAttribute(AttributeKey.stringKey("deployment.environment.name")) == null
        && settings.environment() != null) {
      b.put("deployment.environment.name", settings.environment());
    }
    KubernetesResource.detect(env, Path.of(KubernetesResource.NAMESPACE_FILE))
        .forEach(
            (key, value) -> {
              @SuppressWarnings("unchecked")
              AttributeKey<String> k = (AttributeKey<String>) key;
              if (resource.getAttribute(k) == null) {
                b.put(k, (String) value);
              }
            });
    return b.build();
  }

  /**
   * The Implementation-Version of the jar of the class that called the bootstrap (the application's
   * main class, typically), if its manifest has one.
   */
  private static @Nullable String callerImplementationVersion() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(
            frames ->
                frames
                    .map(StackWalker.StackFrame::getDeclaringClass)
                    .filter(c -> c != Telemetry.class && c != TelemetryBuilder.class)
                    .findFirst()
                    .map(c -> c.getPackage() == null ? null : c.getPackage().getImplementationVersion())
                    .orElse(null));
  }

  private static void bindMeters(MeterRegistry registry) {
    JsonLogging.bindMetrics(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /**
   * The OpenTelemetry in use: the SDK the bootstrap built, or the one it adopted.
   *
   * @return never null
   */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /**
   * A tracer of the library's instrumentation scope, for application spans.
   *
   * @return never null
   */
  public Tracer tracer() {
    return tracer;
  }

  /**
   * The Micrometer registry scraped at the metrics endpoint. Register application meters here (or
   * on {@link Metrics#globalRegistry}, which includes it).
   *
   * @return never null
   */
  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /**
   * The same registry with its Prometheus-specific API ({@code scrape()}).
   *
   * @return never null
   */
  public PrometheusMeterRegistry prometheusMeterRegistry() {
    return meterRegistry;
  }

  /**
   * The port the metrics endpoint is bound to (the real one when 0 was configured).
   *
   * @return the port, or empty when metrics serving is disabled
   */
  public Optional<Integer> metricsPort() {
    return Optional.ofNullable(metricsEndpoint).map(PrometheusEndpoint::port);
  }

  /**
   * The settings in force.
   *
   * @return never null
   */
  public TelemetrySettings settings() {
    return settings;
  }

  /**
   * The service metadata written on every log line.
   *
   * @return never null
   */
  public ServiceInfo serviceInfo() {
    return serviceInfo;
  }

  /**
   * The resource describing this service on every span: {@code service.name},
   * {@code service.version}, {@code deployment.environment.name}, {@code service.instance.id}, the
   * Kubernetes attributes, and whatever {@code OTEL_RESOURCE_ATTRIBUTES} adds. Never contains
   * {@code process.command_line}.
   *
   * @return the resource, or empty when an existing OpenTelemetry was adopted
   */
  public Optional<Resource> resource() {
    return Optional.ofNullable(resource);
  }

  /**
   * Whether an OpenTelemetry installed before the bootstrap (the Java agent, a framework) was
   * adopted instead of building an SDK.
   *
   * @return true when adopted
   */
  public boolean adoptedExistingOpenTelemetry() {
    return adopted;
  }

  /**
   * The filter that instruments a {@code com.sun.net.httpserver} context: a SERVER span per request
   * (HTTP semantic conventions, {@code http.route} from {@link io.github.telemetrybootstrap.http.HttpRoute}
   * or {@link io.github.telemetrybootstrap.http.HttpRouter}), {@code traceparent}/{@code baggage}
   * extraction, the tenant header into baggage, the request id taken or generated and echoed, and the
   * {@code http_server_requests_seconds} histogram. One shared instance per telemetry.
   *
   * <pre>{@code
   * server.createContext("/", router).getFilters().add(telemetry.httpServerFilter());
   * }</pre>
   *
   * @return the filter; never null
   */
  public Filter httpServerFilter() {
    HttpServerTelemetry t = httpServerTelemetry;
    if (t == null) {
      synchronized (this) {
        t = httpServerTelemetry;
        if (t == null) {
          t = HttpServerTelemetry.builder(openTelemetry, meterRegistry).setSettings(settings).build();
          httpServerTelemetry = t;
        }
      }
    }
    return t.filter();
  }

  /**
   * Wraps a JDK {@link HttpClient} so each request is a CLIENT span whose context ({@code
   * traceparent}, {@code baggage} with the tenant) is injected into the outgoing request, and is
   * timed in {@code http_client_requests_seconds}.
   *
   * @param client the client to wrap
   * @return the instrumented client (the same object if it is already instrumented)
   */
  public HttpClient instrument(HttpClient client) {
    HttpClientTelemetry t = httpClientTelemetry;
    if (t == null) {
      synchronized (this) {
        t = httpClientTelemetry;
        if (t == null) {
          t = HttpClientTelemetry.builder(openTelemetry, meterRegistry)
              .setRequestIdHeader(settings.requestIdPropagate() ? settings.requestIdHeader() : null)
              .build();
          httpClientTelemetry = t;
        }
      }
    }
    return t.wrap(client);
  }

  /**
   * Registers a task the shutdown runs first, before it flushes anything: typically stopping the
   * service's server, so requests still being served finish (and their spans end) before the spans
   * are flushed, instead of racing the flush in a shutdown hook of the application's own.
   *
   * <pre>{@code
   * telemetry.beforeShutdown(() -> server.stop(1));
   * }</pre>
   *
   * <p>Tasks run in the reverse order of registration, on the thread that closes (the shutdown hook
   * on SIGTERM), within {@link TelemetrySettings#SHUTDOWN_TIMEOUT} (a task still running then is left
   * behind); one that throws is reported and the next runs. After the tasks, the shutdown waits for
   * requests still inside {@link #httpServerFilter()} to finish (at most half the remaining time),
   * then flushes spans and logs.
   *
   * @param task the task; registering after the shutdown began has no effect
   */
  public void beforeShutdown(Runnable task) {
    beforeShutdown.addFirst(java.util.Objects.requireNonNull(task, "task"));
  }

  /**
   * Exports the spans buffered so far, waiting at most {@code timeout}. For tests and for batch jobs
   * that want their spans out before a phase ends; services rely on the shutdown hook instead.
   * Never throws.
   *
   * @param timeout the longest time to wait
   * @return true when everything buffered was exported in time (false on timeout, export failure, or
   *     when an adopted OpenTelemetry is not an SDK this library can flush)
   */
  public boolean forceFlush(Duration timeout) {
    if (sdk == null) {
      return false;
    }
    try {
      return sdk.getSdkTracerProvider()
          .forceFlush()
          .join(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .isSuccess();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Flushes buffered spans and logs and stops the metrics endpoint, within
   * {@link TelemetrySettings#SHUTDOWN_TIMEOUT}. Idempotent; a call made while another thread is closing waits for that close to finish (within the same bound); never throws. Afterwards
   * {@link #bootstrap()} builds a new instance (useful in tests).
   */
  @Override
  public void close() {
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // The hook is running or will run; closing here is still safe (idempotent).
      }
    }
    shutdown();
  }

  private void closeFromHook() {
    shutdown();
  }

  private void shutdown() {
    Duration timeout = settings.shutdownTimeout();
    if (!closed.compareAndSet(false, true)) {
      // Another thread (the shutdown hook, say) is flushing: wait for it, within the same bound, so
      // that a caller who closes and then stops its collector does not cut the flush short.
      try {
        shutdownDone.await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      doShutdown(timeout);
    } finally {
      shutdownDone.countDown();
    }
  }

  private void doShutdown(Duration timeout) {
    long start = System.nanoTime();
    // The logs get the last part of the budget (at most 500 ms, a fifth of it), so the final lines,
    // the shutdown report among them, are written even when spans use up their share.
    long logReserve = Math.min(TimeUnit.MILLISECONDS.toNanos(500), timeout.toNanos() / 5);
    long deadline = start + timeout.toNanos() - logReserve;
    runBeforeShutdownTasks(deadline);
    HttpServerTelemetry server = httpServerTelemetry;
    if (server != null) {
      long left = Math.max(0, deadline - System.nanoTime());
      server.awaitIdle(Duration.ofNanos(left / 2));
    }
    timeout = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    long pendingSpans = spanLoss == null ? 0 : spanLoss.pending();
    long timedOut = 0;
    try {
      if (sdk != null) {
        io.opentelemetry.sdk.common.CompletableResultCode result = sdk.shutdown();
        result.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!result.isDone() && spanLoss != null) {
          timedOut = spanLoss.shutdownTimedOut();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Flushing spans at shutdown failed", e);
    }
    if (spanLoss != null) {
      LOG.info(
          "Telemetry stopped in {} ms: {} buffered span(s) at shutdown, {} of them lost to the {} ms "
              + "shutdown timeout; since start {}; {} log line(s) dropped",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          pendingSpans,
          timedOut,
          settings.shutdownTimeout().toMillis(),
          spanLoss.summary(),
          JsonLogging.droppedCount());
    }
    try {
      if (metricsEndpoint != null) {
        metricsEndpoint.close();
      }
      Metrics.globalRegistry.remove(meterRegistry);
      meterRegistry.close();
    } catch (RuntimeException e) {
      LOG.warn("Stopping the metrics endpoint failed", e);
    }
    long remainingMillis =
        Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline + logReserve - System.nanoTime()));
    flushLogs(Duration.ofMillis(remainingMillis));
    synchronized (LOCK) {
      if (instance == this) {
        instance = null;
      }
      if (sdk != null) {
        GlobalOpenTelemetry.resetForTest();
      }
    }
  }

  private void runBeforeShutdownTasks(long deadline) {
    Runnable task;
    while ((task = beforeShutdown.pollFirst()) != null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        LOG.warn("Shutdown timeout reached before all beforeShutdown tasks ran; the rest are skipped");
        return;
      }
      Runnable t = task;
      Thread runner = new Thread(() -> {
        try {
          t.run();
        } catch (RuntimeException | Error e) {
          LOG.warn("A beforeShutdown task failed", e);
        }
      }, "telemetry-before-shutdown");
      runner.setDaemon(true);
      runner.start();
      try {
        runner.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void flushLogs(Duration timeout) {
    try {
      // Flush, not stop: other shutdown hooks may still log after this one.
      JsonLogging.flush(timeout);
    } catch (RuntimeException e) {
      // Never throw from close(); the JVM is going down anyway.
    }
  }
}
