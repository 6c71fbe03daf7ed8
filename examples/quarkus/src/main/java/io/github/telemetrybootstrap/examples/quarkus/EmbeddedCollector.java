package io.github.telemetrybootstrap.examples.quarkus;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo's OTLP/HTTP receiver (protobuf on {@code /v1/traces}, loopback only): one line per trace
 * on stderr once the trace has been quiet for half a second, in the quickstart's format, e.g.
 * {@code trace 4bf92f35… 3 spans 12.3 ms: GET /orders/{id} ← GET /inventory/{id} [tenant acme]}.
 * Services send to a real collector instead (see the README's Kubernetes section).
 */
final class EmbeddedCollector implements AutoCloseable {
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final HttpServer server;
  private final ScheduledExecutorService flusher =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "embedded-otlp-receiver");
        t.setDaemon(true);
        return t;
      });
  private final Map<String, List<Span>> pending = new LinkedHashMap<>();
  private final Map<String, Long> lastSeen = new LinkedHashMap<>();
  private final PrintStream err = System.err;

  private EmbeddedCollector(HttpServer server) {
    this.server = server;
  }

  /** @return the running receiver, or {@code null} when an OTLP endpoint is configured */
  static EmbeddedCollector startIfNoEndpointConfigured() {
    for (String key : new String[] {"otel.exporter.otlp.endpoint", "otel.exporter.otlp.traces.endpoint",
        "quarkus.otel.exporter.otlp.endpoint", "quarkus.otel.exporter.otlp.traces.endpoint"}) {
      String env = key.toUpperCase(Locale.ROOT).replace('.', '_');
      if (System.getProperty(key) != null || System.getenv(env) != null) {
        return null;
      }
    }
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      EmbeddedCollector collector = new EmbeddedCollector(server);
      server.createContext("/v1/traces", collector::receive);
      server.start();
      collector.flusher.scheduleWithFixedDelay(collector::flushQuiet, 100, 100, TimeUnit.MILLISECONDS);
      String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
      System.setProperty("quarkus.otel.exporter.otlp.endpoint", endpoint);
      if (System.getProperty("quarkus.otel.bsp.schedule.delay") == null) {
        System.setProperty("quarkus.otel.bsp.schedule.delay", "500ms");
      }
      System.err.println("Embedded OTLP receiver on " + endpoint + ": one line per trace below.");
      return collector;
    } catch (IOException e) {
      System.err.println("Embedded OTLP receiver not started: " + e.getMessage());
      return null;
    }
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in);
      long now = System.nanoTime();
      synchronized (this) {
        for (ResourceSpans rs : request.getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            for (Span span : ss.getSpansList()) {
              String traceId = HexFormat.of().formatHex(span.getTraceId().toByteArray());
              pending.computeIfAbsent(traceId, k -> new ArrayList<>()).add(span);
              lastSeen.put(traceId, now);
            }
          }
        }
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    } catch (InvalidProtocolBufferException e) {
      exchange.sendResponseHeaders(400, -1);
    } catch (RuntimeException | LinkageError e) {
      err.println("Embedded OTLP receiver could not read an export: " + e);
      exchange.sendResponseHeaders(500, -1);
    } finally {
      exchange.close();
    }
  }

  private synchronized void flushQuiet() {
    long now = System.nanoTime();
    var it = lastSeen.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (now - e.getValue() >= QUIET_NANOS) {
        err.println(summary(e.getKey(), pending.remove(e.getKey())));
        it.remove();
      }
    }
  }

  static String summary(String traceId, List<Span> spans) {
    List<Span> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingLong(Span::getStartTimeUnixNano));
    long start = sorted.stream().mapToLong(Span::getStartTimeUnixNano).min().orElse(0);
    long end = sorted.stream().mapToLong(Span::getEndTimeUnixNano).max().orElse(0);
    List<String> names = new ArrayList<>();
    String tenant = null;
    boolean error = false;
    for (Span s : sorted) {
      if (s.getParentSpanId().isEmpty() || s.getKind() == Span.SpanKind.SPAN_KIND_SERVER) {
        names.add(s.getName());
      }
      for (KeyValue kv : s.getAttributesList()) {
        if (tenant == null && kv.getKey().equals("saas.tenant")) {
          tenant = kv.getValue().getStringValue();
        }
      }
      error |= s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
    }
    if (names.isEmpty()) {
      names.add(sorted.get(0).getName());
    }
    StringBuilder sb = new StringBuilder(128).append("trace ").append(traceId, 0, 8).append('…');
    sb.append(' ').append(sorted.size()).append(sorted.size() == 1 ? " span " : " spans ");
    sb.append(String.format(Locale.ROOT, "%.1f ms: ", Math.max(0, end - start) / 1e6));
    sb.append(String.join(" ← ", names));
    if (tenant != null) {
      sb.append(" [tenant ").append(tenant).append(']');
    }
    return error ? sb.append(" ERROR").toString() : sb.toString();
  }

  @Override
  public void close() {
    flushQuiet();
    flusher.shutdownNow();
    server.stop(0);
  }
}
