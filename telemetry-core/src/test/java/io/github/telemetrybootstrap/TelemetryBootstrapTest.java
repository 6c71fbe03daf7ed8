package io.github.telemetrybootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.micrometer.core.instrument.Timer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TelemetryBootstrapTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void closeTelemetry() {
    Telemetry.current().ifPresent(Telemetry::close);
    GlobalOpenTelemetry.resetForTest();
  }

  private static TelemetryBuilder quiet() {
    return Telemetry.builder()
        .serviceName("bootstrap-test")
        .registerShutdownHook(false)
        .setting(TelemetrySettings.METRICS_HOST, "127.0.0.1")
        .setting(TelemetrySettings.METRICS_PORT, "0")
        // Nothing listens there: export failures must stay invisible to the caller.
        .otelProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:1");
  }

  @Test
  void bootstrapIsIdempotentAndInstallsTheGlobalOpenTelemetry() {
    Telemetry first = quiet().build();
    Telemetry second = Telemetry.bootstrap();

    assertThat(second).isSameAs(first);
    assertThat(Telemetry.current()).containsSame(first);
    assertThat(first.adoptedExistingOpenTelemetry()).isFalse();
    assertThat(GlobalOpenTelemetry.isSet()).isTrue();
    assertThat(first.serviceInfo().name()).isEqualTo("bootstrap-test");
  }

  @Test
  void adoptsAnOpenTelemetryThatIsAlreadyInstalled() {
    OpenTelemetrySdk agentLike = OpenTelemetrySdk.builder().build();
    GlobalOpenTelemetry.set(agentLike);

    Telemetry telemetry = quiet().build();

    assertThat(telemetry.adoptedExistingOpenTelemetry()).isTrue();
    assertThat(telemetry.openTelemetry()).isSameAs(GlobalOpenTelemetry.get());
    assertThat(telemetry.resource()).isEmpty();
    agentLike.close();
  }

  @Test
  void resourceCarriesIdentityAndNeverTheCommandLine() {
    Telemetry telemetry =
        quiet()
            .setting(TelemetrySettings.SERVICE_VERSION, "1.2.3")
            .setting(TelemetrySettings.ENVIRONMENT, "staging")
            .build();

    Resource resource = telemetry.resource().orElseThrow();
    assertThat(resource.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("bootstrap-test");
    assertThat(resource.getAttribute(AttributeKey.stringKey("service.version"))).isEqualTo("1.2.3");
    assertThat(resource.getAttribute(AttributeKey.stringKey("deployment.environment.name")))
        .isEqualTo("staging");
    assertThat(resource.getAttribute(AttributeKey.stringKey("service.instance.id")))
        .matches("[0-9a-f-]{36}");
    assertThat(resource.getAttributes().asMap().keySet())
        .extracting(AttributeKey::getKey)
        .doesNotContain("process.command_line", "process.command_args");
    assertThat(telemetry.serviceInfo().version()).isEqualTo("1.2.3");
    assertThat(telemetry.serviceInfo().environment()).isEqualTo("staging");
  }

  @Test
  void anEmptyServiceNameFallsBackToTheSdkDefaultAndIsWarnedAbout() {
    Telemetry telemetry = quiet().otelProperty("otel.service.name", "").build();

    assertThat(telemetry.serviceInfo().name()).isEqualTo("unknown_service:java");
    assertThat(telemetry.resource().orElseThrow().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("unknown_service:java");
  }

  @Test
  void otelResourceAttributesWinOverTheLibrarysExtras() {
    Telemetry telemetry =
        quiet()
            .otelProperty("otel.resource.attributes", "service.version=9.9.9")
            .setting(TelemetrySettings.SERVICE_VERSION, "1.2.3")
            .build();

    assertThat(telemetry.serviceInfo().version()).isEqualTo("9.9.9");
  }

  @Test
  void servesPrometheusMetricsWithJvmBindersAndExemplarsOnTheConfiguredPath() throws Exception {
    Telemetry telemetry = quiet().setting(TelemetrySettings.METRICS_PATH, "/custom-metrics").build();
    Timer timer =
        Timer.builder("demo.requests").publishPercentileHistogram().register(telemetry.meterRegistry());
    Span span = telemetry.tracer().spanBuilder("work").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      timer.record(Duration.ofMillis(3));
    } finally {
      span.end();
    }
    int port = telemetry.metricsPort().orElseThrow();

    HttpResponse<String> text =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/custom-metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.body())
        .contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_")
        .contains("jvm_classes_loaded_classes", "process_uptime_seconds", "process_cpu_usage")
        .contains("demo_requests_seconds_bucket");

    HttpResponse<String> openMetrics =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/custom-metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(
        ct -> assertThat(ct).startsWith("application/openmetrics-text"));
    assertThat(openMetrics.body())
        .containsPattern(
            "demo_requests_seconds_bucket\\{le=\"[^\"]+\"} 1 # \\{span_id=\""
                + span.getSpanContext().getSpanId()
                + "\",trace_id=\""
                + span.getSpanContext().getTraceId()
                + "\"}");
  }

  @Test
  void closeStopsTheEndpointAndAllowsANewBootstrap() throws Exception {
    Telemetry first = quiet().build();
    int port = first.metricsPort().orElseThrow();
    first.close();
    first.close(); // idempotent

    assertThat(Telemetry.current()).isEmpty();
    assertThatThrownBy(
            () ->
                http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
    Telemetry second = quiet().build();
    assertThat(second).isNotSameAs(first);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "otel.exporter.otlp.endpoint, not a url",
    "otel.exporter.otlp.endpoint, ftp://collector:4318",
    "otel.exporter.otlp.traces.endpoint, http//collector",
    "otel.exporter.otlp.protocol, http/thrift",
    "otel.traces.exporter, jaeger-thrift",
    "otel.traces.sampler, sometimes",
    "otel.propagators, 'tracecontext,carrier-pigeon'",
  })
  void invalidOtelSettingsFailAtBootstrapNamingKeyAndValue(String key, String value) {
    assertThatThrownBy(() -> quiet().otelProperty(key, value).build())
        .isInstanceOf(TelemetryConfigurationException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(value)
        .satisfies(e -> assertThat(((TelemetryConfigurationException) e).key()).isEqualTo(key));
    assertThat(Telemetry.current()).isEmpty();
    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
  }

  @ParameterizedTest(name = "sampler arg {0}")
  @CsvSource({"2", "-0.1", "half"})
  void samplerRatioOutsideZeroToOneFails(String ratio) {
    assertThatThrownBy(
            () ->
                quiet()
                    .otelProperty("otel.traces.sampler", "parentbased_traceidratio")
                    .otelProperty("otel.traces.sampler.arg", ratio)
                    .build())
        .isInstanceOf(TelemetryConfigurationException.class)
        .hasMessageContaining("otel.traces.sampler.arg=" + ratio)
        .hasMessageContaining("0.0 and 1.0");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "telemetry.metrics.port, 70000",
    "telemetry.metrics.port, -1",
    "telemetry.metrics.port, http",
    "telemetry.metrics.path, metrics",
    "telemetry.metrics.enabled, yes",
    "telemetry.tenant.header, X Tenant",
    "telemetry.shutdown.timeout, forever",
    "telemetry.no.such.key, 1",
  })
  void invalidLibrarySettingsFailNamingKeyAndValue(String key, String value) {
    assertThatThrownBy(() -> quiet().setting(key, value).build())
        .isInstanceOf(TelemetryConfigurationException.class)
        .hasMessageStartingWith(key + "=" + value + " is invalid");
    assertThat(Telemetry.current()).isEmpty();
  }

  @Test
  void aPortInUseFailsNamingThePortAndLeavesNothingRunning() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String port = String.valueOf(taken.getLocalPort());
      assertThatThrownBy(() -> quiet().setting(TelemetrySettings.METRICS_PORT, port).build())
          .isInstanceOf(TelemetryConfigurationException.class)
          .hasMessageContaining("telemetry.metrics.port=" + port);
    }
    assertThat(Telemetry.current()).isEmpty();
    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "otel.traces.sampler, always_off, 'nowhere: sampler always_off records no span'",
    "otel.traces.exporter, none, 'nowhere: no span exporter'"})
  void theStartupLineNeverClaimsTracesThatCannotBeCreated(String key, String value, String expected) {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Telemetry.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      quiet().otelProperty(key, value).build();
    } finally {
      logger.detachAppender(lines);
    }
    assertThat(lines.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
        .startsWith("Telemetry started").contains("traces to " + expected));
  }

  @Test
  void spansGoOverHttpThroughTheJdkSenderNotOkHttp() throws Exception {
    java.util.concurrent.CountDownLatch received = new java.util.concurrent.CountDownLatch(1);
    com.sun.net.httpserver.HttpServer receiver =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/v1/traces", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      received.countDown();
    });
    receiver.start();
    java.util.Set<String> before = threadNames();
    try {
      Telemetry telemetry = quiet()
          .otelProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + receiver.getAddress().getPort())
          .otelProperty("otel.bsp.schedule.delay", "10ms")
          .build();
      telemetry.tracer().spanBuilder("work").startSpan().end();
      assertThat(received.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("an export arrived").isTrue();

      java.util.Set<String> started = threadNames();
      started.removeAll(before);
      // OkHttp's exports wait ~40 ms each for the receiver's delayed ACK (internal.PreferJdkHttpSender).
      assertThat(started).as("threads the export started").noneMatch(n -> n.toLowerCase().contains("okhttp"))
          .anyMatch(n -> n.startsWith("HttpClient-"));
    } finally {
      receiver.stop(0);
    }
  }

  private static java.util.Set<String> threadNames() {
    java.util.Set<String> names = new java.util.HashSet<>();
    Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
    return names;
  }
}
