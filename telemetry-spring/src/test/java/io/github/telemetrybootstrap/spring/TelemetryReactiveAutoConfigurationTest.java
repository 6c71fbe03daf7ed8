package io.github.telemetrybootstrap.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.Telemetry;
import io.github.telemetrybootstrap.context.RequestId;
import io.github.telemetrybootstrap.context.Tenant;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebFilter;

/** The reactive side of the auto-configuration: the WebFilter's conditions and the context accessor. */
class TelemetryReactiveAutoConfigurationTest {
  private final ReactiveWebApplicationContextRunner reactive =
      new ReactiveWebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class))
          .withPropertyValues("otel.traces.exporter=none");

  @AfterEach
  void reset() {
    Telemetry.current().ifPresent(Telemetry::close);
    GlobalOpenTelemetry.resetForTest();
  }

  @Test
  void reactiveApplicationsGetTheWebFilterWithTheConfiguredHeaders() {
    reactive
        .withPropertyValues("telemetry.tenant.header=X-Org", "telemetry.request-id.header=X-Correlation-Id")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(TelemetryWebFilter.class);
              assertThat(context).doesNotHaveBean("telemetryServletFilter");
              assertThat(context.getBean(TelemetryWebFilter.class).getOrder())
                  .isEqualTo(TelemetryWebFilter.ORDER);
              assertThat(context.getBean(Telemetry.class).settings().tenantHeader()).isEqualTo("X-Org");
              assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
                  .anyMatch(a -> OpenTelemetryContextAccessor.KEY.equals(a.key()));
            });
  }

  @Test
  void aWebFilterBeanOfTheApplicationNamedTelemetryWebFilterWins() {
    reactive
        .withUserConfiguration(UserWebFilter.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(TelemetryWebFilter.class);
              assertThat(context.getBean("telemetryWebFilter")).isSameAs(UserWebFilter.FILTER);
            });
  }

  @Test
  void servletApplicationsGetNoWebFilter() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class))
        .withPropertyValues("otel.traces.exporter=none")
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(TelemetryWebFilter.class);
              assertThat(context).hasBean("telemetryServletFilter");
            });
  }

  @Test
  void switchedOffMeansNoWebFilter() {
    reactive
        .withPropertyValues("telemetry.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(TelemetryWebFilter.class));
  }

  @Test
  void aSnapshotCarriesTheWholeContextToAnotherThreadAndRestoresItsPreviousContext() throws Exception {
    OpenTelemetryContextAccessor.register();
    ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();
    Span span =
        Span.wrap(
            io.opentelemetry.api.trace.SpanContext.create(
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7",
                io.opentelemetry.api.trace.TraceFlags.getSampled(),
                io.opentelemetry.api.trace.TraceState.getDefault()));
    Context request = RequestId.with(Tenant.with(Context.root().with(span), "acme"), "req-1");
    ContextSnapshot snapshot;
    try (Scope ignored = request.makeCurrent()) {
      snapshot = snapshots.captureAll();
    }
    ExecutorService worker = Executors.newSingleThreadExecutor();
    try {
      Context workerOwn = Tenant.with(Context.root(), "other");
      String seen =
          worker
              .submit(
                  () -> {
                    try (Scope own = workerOwn.makeCurrent()) {
                      String inside;
                      try (ContextSnapshot.Scope restored = snapshot.setThreadLocals()) {
                        inside =
                            Span.current().getSpanContext().getTraceId()
                                + "/" + Tenant.current().orElse("-")
                                + "/" + RequestId.current().orElse("-");
                      }
                      return inside + " then " + Tenant.current().orElse("-");
                    }
                  })
              .get(5, TimeUnit.SECONDS);
      assertThat(seen).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736/acme/req-1 then other");
      assertThat(worker.submit(() -> Context.current() == Context.root()).get(5, TimeUnit.SECONDS))
          .as("nothing left on the worker thread")
          .isTrue();
    } finally {
      worker.shutdownNow();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class UserWebFilter {
    static final WebFilter FILTER = (exchange, chain) -> chain.filter(exchange);

    @Bean
    WebFilter telemetryWebFilter() {
      return FILTER;
    }
  }
}
