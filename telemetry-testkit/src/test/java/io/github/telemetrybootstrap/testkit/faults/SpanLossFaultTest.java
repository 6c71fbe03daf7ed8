package io.github.telemetrybootstrap.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.telemetrybootstrap.Telemetry;
import io.github.telemetrybootstrap.TelemetrySettings;
import io.github.telemetrybootstrap.logging.TelemetryAsyncAppender;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every span that never reaches the collector is counted, by reason, against what was really sent:
 * the real OTLP exporter talks to a real HTTP collector on loopback that is down, answers 503 or 429,
 * or answers too late. Accepted + dropped must equal the spans ended (exactly: the count comes from
 * the SDK's own queue counter and the export outcomes).
 */
class SpanLossFaultTest {
  private static final int SPANS = 20_000;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Consumer<byte[]> tee = b -> lines.addAll(new String(b, StandardCharsets.UTF_8).lines().toList());
  private HttpServer collector;

  @AfterEach
  void tearDown() {
    TelemetryAsyncAppender.removeTee(tee);
    Telemetry.current().ifPresent(Telemetry::close);
    GlobalOpenTelemetry.resetForTest();
    if (collector != null) {
      collector.stop(0);
    }
  }

  /** A collector answering every trace export with {@code status} after {@code delayMillis}. */
  private String startCollector(int status, long delayMillis, AtomicLong accepted) throws IOException {
    collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "fault-collector");
      t.setDaemon(true);
      return t;
    }));
    collector.createContext("/v1/traces", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
        long n = 0;
        for (ResourceSpans rs : request.getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            n += ss.getSpansCount();
          }
        }
        if (status == 200 && delayMillis == 0) {
          accepted.addAndGet(n); // before answering: the exporter's flush returns on the answer
        }
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
        byte[] body = status == 200 ? ExportTraceServiceResponse.getDefaultInstance().toByteArray() : new byte[0];
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
        if (status == 200 && delayMillis > 0) {
          accepted.addAndGet(n); // answered late: accepted only if the answer could still be written
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // the client gave up (timeout): nothing was accepted
      } finally {
        exchange.close();
      }
    });
    collector.start();
    return "http://127.0.0.1:" + collector.getAddress().getPort();
  }

  private static String closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  private Telemetry bootstrap(String endpoint) {
    return bootstrap(endpoint, "500");
  }

  private Telemetry bootstrap(String endpoint, String exportTimeoutMillis) {
    TelemetryAsyncAppender.addTee(tee);
    return Telemetry.builder()
        .serviceName("span-loss")
        .registerShutdownHook(false)
        .setting(TelemetrySettings.METRICS_HOST, "127.0.0.1")
        .setting(TelemetrySettings.METRICS_PORT, "0")
        .setting(TelemetrySettings.SHUTDOWN_TIMEOUT, "2s")
        .otelProperty("otel.exporter.otlp.endpoint", endpoint)
        .otelProperty("otel.exporter.otlp.timeout", exportTimeoutMillis)
        .otelProperty("otel.java.exporter.otlp.retry.disabled", "true")
        .otelProperty("otel.bsp.max.queue.size", "512")
        .otelProperty("otel.bsp.schedule.delay", "20")
        .build();
  }

  private static void endSpans(Telemetry telemetry, int n) {
    Tracer tracer = telemetry.tracer();
    for (int i = 0; i < n; i++) {
      tracer.spanBuilder("work").startSpan().end();
      if (i % 1000 == 999) {
        try {
          Thread.sleep(5); // let a few batches go out, as a service would
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static Map<String, Double> dropped(MeterRegistry registry) {
    Map<String, Double> byReason = new TreeMap<>();
    registry.find("telemetry.spans.dropped").meters().forEach(m -> {
      String key = m.getId().getTag("reason") + "/" + m.getId().getTag("error_type");
      double v = m instanceof FunctionCounter fc ? fc.count() : ((io.micrometer.core.instrument.Counter) m).count();
      if (v > 0) {
        byReason.merge(key, v, Double::sum);
      }
    });
    return byReason;
  }

  private Map<String, Double> run(String endpoint, AtomicLong accepted) {
    Telemetry telemetry = bootstrap(endpoint);
    MeterRegistry registry = telemetry.meterRegistry();
    endSpans(telemetry, SPANS);
    telemetry.forceFlush(java.time.Duration.ofSeconds(5));
    Map<String, Double> byReason = dropped(registry);
    double exported = registry.get("telemetry.spans.exported").counter().count();
    double lost = byReason.values().stream().mapToDouble(Double::doubleValue).sum();
    assertThat(exported).as("exported counter vs what the collector accepted").isEqualTo((double) accepted.get());
    assertThat(exported + lost).as("accepted %s + dropped %s", exported, byReason).isEqualTo((double) SPANS);
    assertThat(lines).noneMatch(l -> l.contains("BatchSpanProcessor dropped"));
    assertThat(lines.stream().filter(l -> l.contains("are being lost"))).hasSizeLessThanOrEqualTo(1);
    System.err.println("span loss " + endpoint + ": accepted " + accepted.get() + ", dropped " + byReason);
    return byReason;
  }

  @Test
  void collectorDownEverySpanIsCounted() throws IOException {
    Map<String, Double> byReason = run(closedPort(), new AtomicLong());
    assertThat(byReason).containsKey("export_failed/java.net.ConnectException");
    assertThat(byReason).containsKey("queue_full/queue_full");
  }

  @Test
  void serviceUnavailableIsCountedWithItsStatus() throws IOException {
    AtomicLong accepted = new AtomicLong();
    Map<String, Double> byReason = run(startCollector(503, 0, accepted), accepted);
    assertThat(byReason).containsKey("export_failed/503");
    assertThat(lines).anyMatch(l -> l.contains("are being lost"));
  }

  @Test
  void theWarningNamesTheHttpStatus() throws IOException {
    AtomicLong accepted = new AtomicLong();
    Telemetry telemetry = bootstrap(startCollector(503, 0, accepted));
    endSpans(telemetry, 10);
    telemetry.forceFlush(java.time.Duration.ofSeconds(5));
    telemetry.close();
    assertThat(lines).anyMatch(l -> l.contains("are being lost: 10 span(s)") && l.contains("HTTP 503"));
  }

  @Test
  void tooManyRequestsIsCountedWithItsStatus() throws IOException {
    AtomicLong accepted = new AtomicLong();
    Map<String, Double> byReason = run(startCollector(429, 0, accepted), accepted);
    assertThat(byReason).containsKey("export_failed/429");
  }

  @Test
  void aCollectorAnsweringTooLateLosesSpansAtTheQueueAndToTimeouts() throws IOException {
    AtomicLong accepted = new AtomicLong();
    Map<String, Double> byReason = run(startCollector(200, 2_000, accepted), accepted);
    assertThat(byReason).containsKey("queue_full/queue_full");
    assertThat(byReason.keySet()).anyMatch(k -> k.startsWith("export_failed/"));
  }

  @Test
  void spansStillBufferedWhenTheShutdownTimeoutRunsOutAreCounted() throws IOException {
    AtomicLong accepted = new AtomicLong();
    Telemetry telemetry = bootstrap(startCollector(200, 8_000, accepted), "20000");
    MeterRegistry registry = telemetry.meterRegistry();
    endSpans(telemetry, 300);
    telemetry.close(); // 2 s timeout, the collector needs 8 s
    Map<String, Double> byReason = dropped(registry);
    assertThat(byReason).containsKey("shutdown_timeout/timeout");
    assertThat(byReason.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(300.0);
    assertThat(lines).anyMatch(l -> l.contains("Telemetry stopped") && l.contains("lost to the 2000 ms shutdown timeout"));
  }

  @Test
  void aHealthyCollectorLosesNothing() throws IOException {
    AtomicLong accepted = new AtomicLong();
    Telemetry telemetry = bootstrap(startCollector(200, 0, accepted));
    telemetry.tracer().spanBuilder("one").startSpan().end();
    telemetry.forceFlush(java.time.Duration.ofSeconds(5));
    assertThat(accepted.get()).isEqualTo(1);
    assertThat(dropped(telemetry.meterRegistry())).isEmpty();
  }
}
