package io.github.telemetrybootstrap.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.Telemetry;
import io.github.telemetrybootstrap.TelemetryConfigurationException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The auto-configuration with Spring Boot's own OpenTelemetry, tracing and Prometheus
 * auto-configurations present, as in an application: one SDK, one registry, back-off, binding.
 */
class TelemetryAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  TelemetryAutoConfiguration.class,
                  OpenTelemetrySdkAutoConfiguration.class,
                  OpenTelemetryTracingAutoConfiguration.class,
                  MetricsAutoConfiguration.class,
                  PrometheusMetricsExportAutoConfiguration.class))
          .withPropertyValues("otel.traces.exporter=none");

  @AfterEach
  void reset() {
    Telemetry.current().ifPresent(Telemetry::close);
    GlobalOpenTelemetry.resetForTest();
  }

  @Test
  void springGetsTheBootstrapsSdkAndRegistryAndBootBacksOff() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed().hasSingleBean(Telemetry.class);
          Telemetry telemetry = context.getBean(Telemetry.class);
          assertThat(context).hasSingleBean(OpenTelemetry.class).doesNotHaveBean("openTelemetrySdk");
          assertThat(context.getBean(OpenTelemetry.class)).isSameAs(telemetry.openTelemetry());
          OpenTelemetrySdk sdk = (OpenTelemetrySdk) telemetry.openTelemetry();
          assertThat(context.getBean(SdkTracerProvider.class)).isSameAs(sdk.getSdkTracerProvider());
          assertThat(context.getBean(PrometheusMeterRegistry.class))
              .isSameAs(telemetry.prometheusMeterRegistry());
          assertThat(context.getBean(MeterRegistry.class)).isSameAs(telemetry.meterRegistry());
          assertThat(telemetry.adoptedExistingOpenTelemetry()).isFalse();
          // The contract's sampler, not Spring Boot's 10 % default.
          assertThat(sdk.getSdkTracerProvider().getSampler().getDescription())
              .isEqualTo("ParentBased{root:AlwaysOnSampler,remoteParentSampled:AlwaysOnSampler,"
                  + "remoteParentNotSampled:AlwaysOffSampler,localParentSampled:AlwaysOnSampler,"
                  + "localParentNotSampled:AlwaysOffSampler}");
          // The core's own endpoint is off: the actuator serves the same registry.
          assertThat(telemetry.metricsPort()).isEmpty();
        });
    assertThat(Telemetry.current()).as("closed with the context").isEmpty();
  }

  @Test
  void samplingProbabilityOfSpringBootIsHonouredWhenTheUserSetsIt() {
    runner
        .withPropertyValues("management.tracing.sampling.probability=0.25")
        .run(
            context -> {
              OpenTelemetrySdk sdk =
                  (OpenTelemetrySdk) context.getBean(Telemetry.class).openTelemetry();
              assertThat(sdk.getSdkTracerProvider().getSampler().getDescription())
                  .startsWith("ParentBased{root:TraceIdRatioBased{0.250000}");
            });
  }

  @Test
  void springBootsOtlpEndpointPropertyFeedsTheOneSdk() {
    org.springframework.mock.env.MockEnvironment environment =
        new org.springframework.mock.env.MockEnvironment()
            .withProperty("management.opentelemetry.tracing.export.otlp.endpoint", "http://127.0.0.1:1/v1/traces");
    assertThat(TelemetryAutoConfiguration.builder(new TelemetryProperties(), environment))
        .extracting("otelProperties")
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:1/v1/traces");
  }

  @Test
  void propertiesBindToTheCoreSettingsAndTheResource() {
    runner
        .withPropertyValues(
            "spring.application.name=orders",
            "telemetry.tenant.header=X-Org",
            "telemetry.request-id.header=X-Correlation-Id",
            "telemetry.environment=staging",
            "telemetry.service.version=1.4.2")
        .run(
            context -> {
              Telemetry telemetry = context.getBean(Telemetry.class);
              assertThat(telemetry.settings().tenantHeader()).isEqualTo("X-Org");
              assertThat(telemetry.settings().requestIdHeader()).isEqualTo("X-Correlation-Id");
              assertThat(telemetry.serviceInfo().name()).isEqualTo("orders");
              assertThat(telemetry.resource().orElseThrow().getAttribute(
                      AttributeKey.stringKey("deployment.environment.name")))
                  .isEqualTo("staging");
              assertThat(telemetry.serviceInfo().version()).isEqualTo("1.4.2");
            });
  }

  @Test
  void otelServiceNameWinsOverTheApplicationName() {
    runner
        .withPropertyValues("spring.application.name=orders", "otel.service.name=billing")
        .run(context -> assertThat(context.getBean(Telemetry.class).serviceInfo().name()).isEqualTo("billing"));
  }

  @Test
  void invalidConfigurationFailsTheContextNamingKeyAndValue() {
    runner
        .withPropertyValues("otel.traces.sampler=traceidratio", "otel.traces.sampler.arg=2")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(TelemetryConfigurationException.class)
                    .hasMessageContaining("otel.traces.sampler.arg")
                    .hasMessageContaining("2"));
  }

  @Test
  void userOpenTelemetryIsAdoptedAndNoSdkIsBuilt() {
    runner
        .withUserConfiguration(UserOpenTelemetry.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(OpenTelemetry.class);
              assertThat(context).doesNotHaveBean(TelemetryAutoConfiguration.OPEN_TELEMETRY_BEAN);
              assertThat(context.getBean(Telemetry.class).adoptedExistingOpenTelemetry()).isTrue();
            });
  }

  @Test
  void userRegistryWins() {
    runner
        .withUserConfiguration(UserRegistry.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(PrometheusMeterRegistry.class);
              assertThat(context.getBean(PrometheusMeterRegistry.class))
                  .isSameAs(context.getBean("userRegistry"))
                  .isNotSameAs(context.getBean(Telemetry.class).meterRegistry());
            });
  }

  @Test
  void asyncTasksOfSpringBootsExecutorKeepTraceTenantAndRequestId() {
    runner
        .withConfiguration(
            AutoConfigurations.of(
                org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration.class))
        .run(
            context -> {
              org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor executor =
                  context.getBean(
                      "applicationTaskExecutor",
                      org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor.class);
              io.opentelemetry.api.trace.Span span =
                  context.getBean(Telemetry.class).tracer().spanBuilder("parent").startSpan();
              io.opentelemetry.context.Context parent =
                  io.github.telemetrybootstrap.context.RequestId.with(
                      io.github.telemetrybootstrap.context.Tenant.with(
                          io.opentelemetry.context.Context.root().with(span), "acme"),
                      "req-9");
              java.util.concurrent.Future<String> seen;
              try (io.opentelemetry.context.Scope ignored = parent.makeCurrent()) {
                seen =
                    executor.submit(
                        () ->
                            io.opentelemetry.api.trace.Span.current().getSpanContext().getTraceId()
                                + "/" + io.github.telemetrybootstrap.context.Tenant.current().orElse("-")
                                + "/" + io.github.telemetrybootstrap.context.RequestId.current().orElse("-"));
              }
              span.end();
              assertThat(seen.get(5, java.util.concurrent.TimeUnit.SECONDS))
                  .isEqualTo(span.getSpanContext().getTraceId() + "/acme/req-9");
            });
  }

  @Test
  void switchedOff() {
    runner
        .withPropertyValues("telemetry.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(Telemetry.class));
    assertThat(Telemetry.current()).isEmpty();
  }

  @Test
  void servletApplicationsGetTheFilterAfterSpringsObservationFilter() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class))
        .withPropertyValues("otel.traces.exporter=none")
        .run(
            context -> {
              FilterRegistrationBean<?> registration =
                  context.getBean("telemetryServletFilter", FilterRegistrationBean.class);
              assertThat(registration.getFilter()).isInstanceOf(TelemetryServletFilter.class);
              assertThat(registration.getOrder()).isEqualTo(Integer.MIN_VALUE + 2);
            });
  }

  @Test
  void nonWebApplicationsGetNoFilter() {
    runner.run(context -> assertThat(context).doesNotHaveBean("telemetryServletFilter"));
  }

  @Configuration(proxyBeanMethods = false)
  static class UserOpenTelemetry {
    @Bean
    OpenTelemetry userOpenTelemetry() {
      return OpenTelemetrySdk.builder().build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserRegistry {
    @Bean
    PrometheusMeterRegistry userRegistry() {
      return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
  }
}
