package io.github.telemetrybootstrap.spring;

import io.github.telemetrybootstrap.Telemetry;
import io.github.telemetrybootstrap.TelemetryBuilder;
import io.github.telemetrybootstrap.TelemetrySettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.task.TaskDecorator;

/**
 * Runs the library's bootstrap inside a Spring Boot application and hands Spring the result, so
 * Spring's own observations (MVC, RestClient, {@code @Observed}, ...) become spans of the one
 * OpenTelemetry SDK and {@code /actuator/prometheus} serves the one Prometheus registry.
 *
 * <p>Beans, each backing off ({@link ConditionalOnMissingBean}) where the application defines its own:
 *
 * <ul>
 *   <li>{@link Telemetry}: {@code Telemetry.builder()} with the {@code telemetry.*} values of
 *       {@link TelemetryProperties}, every {@code otel.*} property of Spring's {@code Environment},
 *       and {@code spring.application.name} as {@code service.name} when neither
 *       {@code OTEL_SERVICE_NAME}/{@code otel.service.name} (blank counts as unset) nor a {@code service.name} in
 *       {@code OTEL_RESOURCE_ATTRIBUTES} is set; Spring Boot's
 *       {@code management.tracing.sampling.probability} (when the application sets it) and
 *       {@code management.opentelemetry.tracing.export.otlp.endpoint} are mapped to the SDK's
 *       {@code parentbased_traceidratio} sampler and traces endpoint unless {@code otel.*} says
 *       otherwise. Closed (spans and logs flushed) with the context.
 *       When the application defines its own {@link OpenTelemetry} bean, the bootstrap adopts it
 *       (installing it as the global one if nothing is) and builds no SDK.
 *   <li>{@link OpenTelemetry}, {@link SdkTracerProvider} and {@link ContextPropagators}: those of the
 *       bootstrap's SDK, so Spring Boot's {@code OpenTelemetrySdkAutoConfiguration} and the tracer
 *       provider of {@code OpenTelemetryTracingAutoConfiguration} back off and Micrometer Tracing's
 *       bridge uses this SDK (its {@code TenantSpanProcessor}, its W3C {@code tracecontext} +
 *       {@code baggage} propagators, its sampler: {@code parentbased_always_on} unless
 *       {@code otel.traces.sampler} or {@code management.tracing.sampling.probability} says otherwise).
 *   <li>{@link PrometheusMeterRegistry} and {@link PrometheusRegistry}: the bootstrap's registry
 *       (exemplars with the current {@code trace_id}), so Spring Boot's Prometheus export backs off.
 *   <li>A {@link TaskDecorator} that carries the OpenTelemetry context into Spring Boot's
 *       auto-configured executors ({@code @Async}).
 *   <li>In a servlet application, {@link TelemetryServletFilter} (order
 *       {@link TelemetryServletFilter#ORDER}, just inside Spring's observation filter).
 *   <li>In a reactive (WebFlux) application, {@link TelemetryWebFilter} (bean
 *       {@code telemetryWebFilter}, order {@link TelemetryWebFilter#ORDER}).
 *   <li>With {@code io.micrometer:context-propagation} on the class path,
 *       {@link OpenTelemetryContextAccessor} registered with Micrometer's {@code ContextRegistry}, so
 *       Reactor's automatic context propagation (defaulted to {@code spring.reactor.context-propagation=auto})
 *       makes the exchange's OpenTelemetry context current on every thread that runs its operators.
 * </ul>
 *
 * <p>Switched off with {@code telemetry.enabled=false}.
 */
@AutoConfiguration(
    beforeName = {
      "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnBooleanProperty(name = "telemetry.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TelemetryProperties.class)
public final class TelemetryAutoConfiguration {
  /** Name of the {@link OpenTelemetry} bean this configuration defines. */
  public static final String OPEN_TELEMETRY_BEAN = "telemetryOpenTelemetry";

  TelemetryAutoConfiguration() {}

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Telemetry telemetry(
      TelemetryProperties properties, Environment environment, ListableBeanFactory beanFactory) {
    for (String name : beanFactory.getBeanNamesForType(OpenTelemetry.class, true, false)) {
      if (!name.equals(OPEN_TELEMETRY_BEAN) && !GlobalOpenTelemetry.isSet()) {
        // The application brought its own OpenTelemetry: install it so the bootstrap adopts it.
        GlobalOpenTelemetry.set(beanFactory.getBean(name, OpenTelemetry.class));
      }
    }
    TelemetryBuilder builder = builder(properties, environment);
    if (properties.getService().getVersion() == null) {
      String version = applicationVersion(beanFactory);
      if (version != null) {
        // A fallback, as in the core: OTEL_RESOURCE_ATTRIBUTES' service.version still wins.
        builder.setting(TelemetrySettings.SERVICE_VERSION, version);
      }
    }
    Telemetry telemetry = builder.build();
    warnIfSpringCannotTrace();
    return telemetry;
  }

  /**
   * The {@code Implementation-Version} of the jar of the application's {@code @SpringBootConfiguration}
   * class (the one Spring Boot's start-up line names), as the core takes its caller's.
   */
  private static @Nullable String applicationVersion(ListableBeanFactory beanFactory) {
    for (String name : beanFactory.getBeanNamesForAnnotation(
        org.springframework.boot.SpringBootConfiguration.class)) {
      Class<?> type = beanFactory.getType(name, false);
      if (type != null) {
        Package p = org.springframework.util.ClassUtils.getUserClass(type).getPackage();
        if (p != null && p.getImplementationVersion() != null) {
          return p.getImplementationVersion();
        }
      }
    }
    return null;
  }

  /** Spring's observations become spans only through Micrometer Tracing's OpenTelemetry bridge. */
  private static void warnIfSpringCannotTrace() {
    for (String required : new String[] {
        "io.micrometer.tracing.otel.bridge.OtelTracer",
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration"}) {
      try {
        Class.forName(required, false, TelemetryAutoConfiguration.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        org.slf4j.LoggerFactory.getLogger(TelemetryAutoConfiguration.class).warn(
            "Spring's requests and clients produce NO spans and log lines carry no trace ids: {} is missing "
                + "(io.micrometer:micrometer-tracing-bridge-otel and "
                + "org.springframework.boot:spring-boot-micrometer-tracing-opentelemetry come with "
                + "telemetry-spring; they were excluded)", required);
        return;
      }
    }
  }

  /**
   * The builder the auto-configuration bootstraps with; public for tests and for applications that
   * bootstrap by hand.
   *
   * @param properties the bound {@code telemetry.*} values
   * @param environment Spring's environment ({@code otel.*}, {@code spring.application.name},
   *     {@code management.tracing.sampling.probability})
   * @return a builder with those values; never null
   */
  public static TelemetryBuilder builder(TelemetryProperties properties, Environment environment) {
    TelemetryBuilder builder = Telemetry.builder();
    for (Map.Entry<String, String> e : settings(properties).entrySet()) {
      builder.setting(e.getKey(), e.getValue());
    }
    Map<String, String> otel = otelProperties(environment);
    otel.forEach(builder::otelProperty);
    String appName = environment.getProperty("spring.application.name");
    String resourceAttributes = environment.getProperty("otel.resource.attributes", "");
    if (appName != null
        && !appName.isBlank()
        && isBlank(environment.getProperty("otel.service.name"))
        && !resourceAttributes.contains("service.name=")) {
      builder.serviceName(appName);
    }
    String probability = environment.getProperty("management.tracing.sampling.probability");
    if (probability != null
        && environment.getProperty("otel.traces.sampler") == null
        && !TelemetryEnvironmentPostProcessor.DEFAULT_SAMPLING_PROBABILITY.equals(probability)
        && isUserValue(environment, "management.tracing.sampling.probability")) {
      builder.otelProperty("otel.traces.sampler", "parentbased_traceidratio");
      builder.otelProperty("otel.traces.sampler.arg", probability);
    }
    String bootEndpoint = environment.getProperty("management.opentelemetry.tracing.export.otlp.endpoint");
    if (!isBlank(bootEndpoint)
        && isBlank(environment.getProperty("otel.exporter.otlp.traces.endpoint"))
        && isBlank(environment.getProperty("otel.exporter.otlp.endpoint"))) {
      // Spring Boot's own OTLP property: its exporter would feed a tracer provider nobody uses.
      builder.otelProperty("otel.exporter.otlp.traces.endpoint", bootEndpoint);
    }
    return builder;
  }

  private static boolean isBlank(@Nullable String value) {
    return value == null || value.isBlank();
  }

  private static boolean isUserValue(Environment environment, String key) {
    if (environment instanceof ConfigurableEnvironment ce) {
      for (PropertySource<?> source : ce.getPropertySources()) {
        if (source.containsProperty(key)) {
          return !TelemetryEnvironmentPostProcessor.PROPERTY_SOURCE.equals(source.getName());
        }
      }
    }
    return true;
  }

  /** The {@code telemetry.*} settings for the core, only those the application set. */
  static Map<String, String> settings(TelemetryProperties p) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(TelemetrySettings.METRICS_ENABLED, String.valueOf(p.getMetrics().isEnabled()));
    putIfSet(s, TelemetrySettings.METRICS_HOST, p.getMetrics().getHost());
    putIfSet(s, TelemetrySettings.METRICS_PORT, p.getMetrics().getPort());
    putIfSet(s, TelemetrySettings.METRICS_PATH, p.getMetrics().getPath());
    // Spring Boot owns logback; the console format is TelemetryStructuredLogFormatter's.
    s.put(TelemetrySettings.LOGGING_ENABLED, "false");
    putIfSet(s, TelemetrySettings.LOGGING_QUEUE_SIZE, p.getLogging().getQueueSize());
    putIfSet(s, TelemetrySettings.LOGGING_MASK_KEYS, p.getLogging().getMaskKeys());
    putIfSet(s, TelemetrySettings.TENANT_HEADER, p.getTenant().getHeader());
    putIfSet(s, TelemetrySettings.TENANT_MAX_LENGTH, p.getTenant().getMaxLength());
    putIfSet(s, TelemetrySettings.REQUEST_ID_HEADER, p.getRequestId().getHeader());
    putIfSet(s, TelemetrySettings.REQUEST_ID_PROPAGATE, p.getRequestId().getPropagate());
    putIfSet(s, TelemetrySettings.SERVICE_VERSION, p.getService().getVersion());
    putIfSet(s, TelemetrySettings.ENVIRONMENT, p.getEnvironment());
    if (p.getShutdown().getTimeout() != null) {
      s.put(TelemetrySettings.SHUTDOWN_TIMEOUT, p.getShutdown().getTimeout().toMillis() + "ms");
    }
    return s;
  }

  private static void putIfSet(Map<String, String> s, String key, @Nullable Object value) {
    if (value != null) {
      s.put(key, String.valueOf(value));
    }
  }

  /** Every {@code otel.*} key of an enumerable property source, with its resolved value. */
  static Map<String, String> otelProperties(Environment environment) {
    Map<String, String> result = new LinkedHashMap<>();
    if (environment instanceof ConfigurableEnvironment ce) {
      TreeSet<String> keys = new TreeSet<>();
      for (PropertySource<?> source : ce.getPropertySources()) {
        if (source instanceof EnumerablePropertySource<?> eps) {
          for (String name : eps.getPropertyNames()) {
            if (name.startsWith("otel.")) {
              keys.add(name);
            }
          }
        }
      }
      for (String key : keys) {
        String value = ce.getProperty(key);
        if (value != null) {
          result.put(key, value);
        }
      }
    }
    return result;
  }

  @Bean(name = OPEN_TELEMETRY_BEAN, destroyMethod = "")
  @ConditionalOnMissingBean(OpenTelemetry.class)
  OpenTelemetry telemetryOpenTelemetry(Telemetry telemetry) {
    return telemetry.openTelemetry();
  }

  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  SdkTracerProvider telemetrySdkTracerProvider(Telemetry telemetry) {
    if (telemetry.openTelemetry() instanceof OpenTelemetrySdk sdk) {
      return sdk.getSdkTracerProvider();
    }
    // An adopted OpenTelemetry that is not an SDK (the Java agent): Spring must not build a second
    // exporting tracer provider; this one has no processors, so it exports nothing.
    return SdkTracerProvider.builder().build();
  }

  @Bean
  @ConditionalOnMissingBean
  ContextPropagators telemetryContextPropagators(Telemetry telemetry) {
    return telemetry.openTelemetry().getPropagators();
  }

  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  PrometheusMeterRegistry telemetryPrometheusMeterRegistry(Telemetry telemetry) {
    return telemetry.prometheusMeterRegistry();
  }

  @Bean
  @ConditionalOnMissingBean
  PrometheusRegistry telemetryPrometheusRegistry(PrometheusMeterRegistry registry) {
    return registry.getPrometheusRegistry();
  }

  /**
   * Micrometer Tracing's bridge copies the ids into the MDC as {@code traceId}/{@code spanId}, which
   * would add a second, non-contract spelling to every line; the contract's {@code trace_id} and
   * {@code span_id} come from the OpenTelemetry context itself.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.tracing.otel.bridge.Slf4JEventListener")
  static class MicrometerTracingConfiguration {
    @Bean
    @ConditionalOnMissingBean
    io.micrometer.tracing.otel.bridge.Slf4JEventListener telemetryNoMdcSlf4JEventListener() {
      return new io.micrometer.tracing.otel.bridge.Slf4JEventListener() {
        @Override
        public void onEvent(Object event) {
          // The JSON encoder reads the OpenTelemetry context; no MDC copies.
        }
      };
    }
  }

  /**
   * Names Spring's HTTP spans and gives them the attributes of the OpenTelemetry HTTP semantic
   * conventions ({@code GET /orders/{id}}, {@code http.route}, {@code http.response.status_code}),
   * as telemetry-core and telemetry-quarkus do. Ordered last so it sees each stop before the tracing
   * handler ends the span.
   *
   * @return the handler
   */
  @Bean
  @org.springframework.core.annotation.Order(org.springframework.core.Ordered.LOWEST_PRECEDENCE)
  @ConditionalOnMissingBean(name = "telemetryHttpSemanticConventions")
  io.micrometer.observation.ObservationHandler<io.micrometer.observation.Observation.Context>
      telemetryHttpSemanticConventions() {
    return new HttpSemanticConventionsHandler();
  }

  /**
   * Leaves Micrometer's {@code error} tag off {@code http_server_requests_seconds} and
   * {@code http_client_requests_seconds}: it repeats {@code exception}, and the other runtimes' series
   * carry exactly {@code method}, {@code uri}, {@code status}, {@code outcome}, {@code exception}.
   *
   * @return the meter filter
   */
  @Bean
  @ConditionalOnMissingBean(name = "telemetryHttpTagsFilter")
  io.micrometer.core.instrument.config.MeterFilter telemetryHttpTagsFilter() {
    return new io.micrometer.core.instrument.config.MeterFilter() {
      @Override
      public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
        String name = id.getName();
        if ((name.equals("http.server.requests") || name.equals("http.client.requests"))
            && id.getTag("error") != null) {
          java.util.List<io.micrometer.core.instrument.Tag> kept = new java.util.ArrayList<>();
          for (io.micrometer.core.instrument.Tag t : id.getTagsAsIterable()) {
            if (!t.getKey().equals("error")) {
              kept.add(t);
            }
          }
          return id.replaceTags(kept);
        }
        return id;
      }
    };
  }

  /**
   * Carries the OpenTelemetry context (span, tenant baggage, request id) of the submitting thread into
   * tasks of Spring Boot's auto-configured executors ({@code @Async}, {@code applicationTaskExecutor}),
   * so their log lines keep {@code trace_id}/{@code tenant_id}/{@code request_id} and their spans
   * stay in the trace. Backs off when the application defines a {@link TaskDecorator}.
   *
   * @return the decorator: {@code Context.current().wrap(task)} at submission
   */
  @Bean
  @ConditionalOnMissingBean(TaskDecorator.class)
  TaskDecorator telemetryTaskDecorator() {
    return task -> io.opentelemetry.context.Context.current().wrap(task);
  }

  /**
   * With Micrometer's context-propagation on the class path, registers
   * {@link OpenTelemetryContextAccessor} so Reactor (automatic context propagation) and
   * {@code ContextSnapshot}s carry the whole OpenTelemetry context (span, tenant baggage, request id)
   * across threads.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.context.ContextRegistry")
  static class ContextPropagationConfiguration {
    @Bean
    @ConditionalOnMissingBean
    OpenTelemetryContextAccessor telemetryOpenTelemetryContextAccessor() {
      OpenTelemetryContextAccessor accessor = new OpenTelemetryContextAccessor();
      io.micrometer.context.ContextRegistry.getInstance().registerThreadLocalAccessor(accessor);
      return accessor;
    }
  }

  /** The tenant and request-id filter of reactive (WebFlux) applications. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(
      name = {"org.springframework.web.server.WebFilter", "io.micrometer.context.ContextRegistry"})
  static class ReactiveConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "telemetryWebFilter")
    TelemetryWebFilter telemetryWebFilter(Telemetry telemetry) {
      return new TelemetryWebFilter(telemetry.settings());
    }

    @Bean
    static org.springframework.beans.factory.config.BeanPostProcessor telemetryWebExceptionHandlerContext() {
      return new org.springframework.beans.factory.config.BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
          return bean instanceof org.springframework.web.server.WebExceptionHandler handler
                  && !(bean instanceof ContextualWebExceptionHandler)
              ? ContextualWebExceptionHandler.wrap(handler)
              : bean;
        }
      };
    }
  }

  /** The tenant and request-id filter of servlet applications. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "jakarta.servlet.Filter")
  static class ServletConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "telemetryServletFilter")
    FilterRegistrationBean<TelemetryServletFilter> telemetryServletFilter(Telemetry telemetry) {
      FilterRegistrationBean<TelemetryServletFilter> registration =
          new FilterRegistrationBean<>(new TelemetryServletFilter(telemetry.settings()));
      registration.setOrder(TelemetryServletFilter.ORDER);
      return registration;
    }

    @Bean
    @ConditionalOnMissingBean
    org.springframework.boot.web.servlet.ServletListenerRegistrationBean<TelemetryRequestListener>
        telemetryRequestListener() {
      return new org.springframework.boot.web.servlet.ServletListenerRegistrationBean<>(
          new TelemetryRequestListener());
    }
  }

  /** The request id on outgoing WebClient calls. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.springframework.boot.webclient.WebClientCustomizer", "reactor.core.publisher.Mono"})
  static class WebClientConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "telemetryRequestIdWebClientCustomizer")
    org.springframework.boot.webclient.WebClientCustomizer telemetryRequestIdWebClientCustomizer(
        Telemetry telemetry) {
      RequestIdExchangeFilter filter = new RequestIdExchangeFilter(telemetry.settings().requestIdHeader());
      boolean propagate = telemetry.settings().requestIdPropagate();
      return builder -> {
        if (propagate) {
          builder.filter(filter);
        }
      };
    }
  }

  /** The request id on outgoing RestClient and RestTemplate calls. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.restclient.RestClientCustomizer")
  static class RestClientConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "telemetryRequestIdRestClientCustomizer")
    org.springframework.boot.restclient.RestClientCustomizer telemetryRequestIdRestClientCustomizer(
        Telemetry telemetry) {
      RequestIdClientInterceptor interceptor =
          new RequestIdClientInterceptor(telemetry.settings().requestIdHeader());
      boolean propagate = telemetry.settings().requestIdPropagate();
      return builder -> {
        if (propagate) {
          builder.requestInterceptor(interceptor);
        }
      };
    }

    @Bean
    @ConditionalOnMissingBean(name = "telemetryRequestIdRestTemplateCustomizer")
    org.springframework.boot.restclient.RestTemplateCustomizer telemetryRequestIdRestTemplateCustomizer(
        Telemetry telemetry) {
      RequestIdClientInterceptor interceptor =
          new RequestIdClientInterceptor(telemetry.settings().requestIdHeader());
      boolean propagate = telemetry.settings().requestIdPropagate();
      return restTemplate -> {
        if (propagate) {
          restTemplate.getInterceptors().add(interceptor);
        }
      };
    }
  }
}
