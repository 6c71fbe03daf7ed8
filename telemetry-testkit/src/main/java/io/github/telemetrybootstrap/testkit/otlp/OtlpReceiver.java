package io.github.telemetrybootstrap.testkit.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An in-process OTLP/HTTP receiver for tests and local runs: it accepts what an OpenTelemetry SDK
 * exports and keeps the spans in memory.
 *
 * <p>Protocol (OTLP specification 1.x, "OTLP/HTTP"):
 * <ul>
 *   <li>{@code POST /v1/traces}, {@code /v1/metrics}, {@code /v1/logs};
 *   <li>{@code Content-Type: application/x-protobuf} (binary protobuf) or {@code application/json}
 *       (OTLP/JSON: trace and span ids as hex, enums as names or integers, unknown fields ignored);
 *   <li>{@code Content-Encoding: gzip} or none;
 *   <li>the answer is an empty {@code Export*ServiceResponse} in the request's content type;
 *   <li>{@code 400} with a plain-text message for an undecodable body, {@code 405} for another
 *       method, {@code 413} for a body over {@value #MAX_BODY_BYTES} bytes (after decompression),
 *       {@code 415} for another content type or encoding.
 * </ul>
 *
 * <p>Bodies are decoded with the official {@code opentelemetry-proto} classes. Spans are kept in a
 * bounded buffer ({@link Builder#maxSpans(int)}, default {@value #DEFAULT_MAX_SPANS}); when it is
 * full the oldest span is dropped and {@link #droppedSpans()} counts it. Metrics and logs are
 * decoded and counted, not stored. The server binds to the loopback address only and runs on two
 * daemon threads. All methods are thread-safe.
 *
 * <pre>{@code
 * try (OtlpReceiver receiver = OtlpReceiver.start()) {
 *   // OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint()
 *   List<ReceivedSpan> spans = receiver.awaitSpans(s -> s.name().equals("GET /hello"), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class OtlpReceiver implements AutoCloseable {
  /** Default capacity of the span buffer. */
  public static final int DEFAULT_MAX_SPANS = 10_000;
  /** Largest accepted request body, after decompression: 32 MiB. */
  public static final int MAX_BODY_BYTES = 32 << 20;

  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final System.Logger LOG = System.getLogger(OtlpReceiver.class.getName());

  private final HttpServer server;
  private final ExecutorService executor;
  private final int maxSpans;
  private final ArrayDeque<ReceivedSpan> buffer = new ArrayDeque<>();
  /** The buffer's spans by trace id (guarded by {@code buffer}), so a trace is found without a scan. */
  private final Map<String, List<ReceivedSpan>> byTrace = new java.util.HashMap<>();
  private final List<Consumer<List<ReceivedSpan>>> listeners = new CopyOnWriteArrayList<>();
  private final List<TraceListener> traceListeners = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.ScheduledExecutorService timer;
  private long dropped;
  private final AtomicLong traceRequests = new AtomicLong();
  private final AtomicLong metricsRequests = new AtomicLong();
  private final AtomicLong logsRequests = new AtomicLong();
  private final AtomicLong rejectedRequests = new AtomicLong();
  private final AtomicLong metricDataPoints = new AtomicLong();
  private final AtomicLong logRecords = new AtomicLong();

  private OtlpReceiver(int port, int maxSpans) throws IOException {
    this.maxSpans = maxSpans;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "otlp-receiver-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "otlp-receiver-traces");
      t.setDaemon(true);
      return t;
    });
    server.createContext("/v1/traces", ex -> handle(ex, Signal.TRACES));
    server.createContext("/v1/metrics", ex -> handle(ex, Signal.METRICS));
    server.createContext("/v1/logs", ex -> handle(ex, Signal.LOGS));
    server.start();
  }

  /**
   * Starts a receiver on an ephemeral port of 127.0.0.1 with the default buffer.
   *
   * @return the running receiver
   * @throws UncheckedIOException when the socket can't be bound
   */
  public static OtlpReceiver start() {
    return builder().start();
  }

  /**
   * Starts a receiver on a given port of 127.0.0.1 with the default buffer.
   *
   * @param port TCP port, 0 for an ephemeral one (4318 is the OTLP/HTTP default)
   * @return the running receiver
   * @throws IllegalArgumentException when the port is outside 0..65535
   * @throws UncheckedIOException when the port is taken
   */
  public static OtlpReceiver start(int port) {
    return builder().port(port).start();
  }

  /**
   * A builder for a receiver with non-default settings.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The base URL to use as {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the SDK appends {@code /v1/traces}).
   *
   * @return {@code http://127.0.0.1:PORT}
   */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * The bound port.
   *
   * @return TCP port on 127.0.0.1
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * A snapshot of the spans held, oldest first.
   *
   * @return an immutable list
   */
  public List<ReceivedSpan> spans() {
    synchronized (buffer) {
      return List.copyOf(buffer);
    }
  }

  /**
   * The spans held, grouped by trace id.
   *
   * @return immutable map from trace id (32 hex) to its spans in arrival order, traces in order of
   *     first arrival
   */
  public Map<String, List<ReceivedSpan>> traces() {
    Map<String, List<ReceivedSpan>> byTrace = new LinkedHashMap<>();
    for (ReceivedSpan s : spans()) {
      byTrace.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
    }
    Map<String, List<ReceivedSpan>> out = new LinkedHashMap<>();
    byTrace.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * Waits until at least one held span matches.
   *
   * @param condition the span to wait for
   * @param timeout how long to wait at most
   * @return all held spans that match, at least one, oldest first
   * @throws AssertionError on timeout, listing the spans that did arrive
   */
  public List<ReceivedSpan> awaitSpans(Predicate<ReceivedSpan> condition, Duration timeout) {
    return await(timeout, () -> {
      List<ReceivedSpan> m = new ArrayList<>();
      for (ReceivedSpan s : buffer) {
        if (condition.test(s)) {
          m.add(s);
        }
      }
      return m.isEmpty() ? null : List.copyOf(m);
    }, "a span matching the condition");
  }

  /**
   * Waits until a trace has at least {@code minSpans} spans.
   *
   * @param traceId 32 lowercase hex characters
   * @param minSpans spans to wait for, at least 1
   * @param timeout how long to wait at most
   * @return the trace's spans held, oldest first
   * @throws AssertionError on timeout, listing the spans that did arrive
   */
  public List<ReceivedSpan> awaitTrace(String traceId, int minSpans, Duration timeout) {
    return await(timeout, () -> {
      List<ReceivedSpan> m = new ArrayList<>();
      for (ReceivedSpan s : buffer) {
        if (s.traceId().equals(traceId)) {
          m.add(s);
        }
      }
      return m.size() >= Math.max(1, minSpans) ? List.copyOf(m) : null;
    }, minSpans + " span(s) of trace " + traceId);
  }

  private List<ReceivedSpan> await(Duration timeout, java.util.function.Supplier<List<ReceivedSpan>> probe, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (buffer) {
      while (true) {
        List<ReceivedSpan> r = probe.get();
        if (r != null) {
          return r;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          String got = buffer.isEmpty() ? "none" : "\n" + TraceSummary.format(List.copyOf(buffer));
          throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
              + " at " + endpoint() + "; spans received: " + got);
        }
        try {
          buffer.wait(Math.max(1, left / 1_000_000), 0);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for " + what, e);
        }
      }
    }
  }

  /** Forgets all held spans and zeroes every counter. */
  public void reset() {
    synchronized (buffer) {
      buffer.clear();
      byTrace.clear();
      dropped = 0;
    }
    traceRequests.set(0);
    metricsRequests.set(0);
    logsRequests.set(0);
    rejectedRequests.set(0);
    metricDataPoints.set(0);
    logRecords.set(0);
  }

  /**
   * Registers a listener called once per accepted trace export request that carried spans, with
   * that request's spans, on the receiver's thread after they were stored. A listener that throws
   * is logged and does not affect the exporter's answer.
   *
   * @param listener receives an immutable list of at least one span
   */
  public void addListener(Consumer<List<ReceivedSpan>> listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Registers a listener called once per trace, when no span of that trace has arrived for
   * {@code quietPeriod}, with all the trace's spans held at that moment. Unlike
   * {@link #addListener(Consumer)} this gives one call per trace even when the SDK exported the
   * trace's spans in several requests; spans arriving after the call start a new settling period
   * and a new call. Called on the receiver's timer thread; a listener that throws is logged.
   *
   * @param quietPeriod how long a trace must be silent before the call, positive, for example
   *     500 ms; a trace whose spans arrive further apart than this is reported more than once
   * @param listener receives an immutable list of at least one span, all of one trace
   * @throws IllegalArgumentException when {@code quietPeriod} is not positive
   */
  public void addTraceListener(Duration quietPeriod, Consumer<List<ReceivedSpan>> listener) {
    if (quietPeriod.isNegative() || quietPeriod.isZero()) {
      throw new IllegalArgumentException("quietPeriod must be positive, got " + quietPeriod);
    }
    traceListeners.add(new TraceListener(quietPeriod, java.util.Objects.requireNonNull(listener, "listener")));
  }

  /** A trace listener and the traces it is waiting on (trace id to the pending call). */
  private static final class TraceListener {
    final Duration quietPeriod;
    final Consumer<List<ReceivedSpan>> listener;
    final Map<String, java.util.concurrent.ScheduledFuture<?>> pending = new java.util.HashMap<>();

    TraceListener(Duration quietPeriod, Consumer<List<ReceivedSpan>> listener) {
      this.quietPeriod = quietPeriod;
      this.listener = listener;
    }
  }

  /**
   * Spans dropped because the buffer was full.
   *
   * @return count since start or the last {@link #reset()}
   */
  public long droppedSpans() {
    synchronized (buffer) {
      return dropped;
    }
  }

  /**
   * Accepted {@code /v1/traces} requests.
   *
   * @return count since start or the last {@link #reset()}
   */
  public long traceRequests() {
    return traceRequests.get();
  }

  /**
   * Accepted {@code /v1/metrics} requests.
   *
   * @return count since start or the last {@link #reset()}
   */
  public long metricsRequests() {
    return metricsRequests.get();
  }

  /**
   * Accepted {@code /v1/logs} requests.
   *
   * @return count since start or the last {@link #reset()}
   */
  public long logsRequests() {
    return logsRequests.get();
  }

  /**
   * Metric data points in accepted {@code /v1/metrics} requests.
   *
   * @return count since start or the last {@link #reset()}
   */
  public long metricDataPoints() {
    return metricDataPoints.get();
  }

  /**
   * Log records in accepted {@code /v1/logs} requests.
   *
   * @return count since start or the last {@link #reset()}
   */
  public long logRecords() {
    return logRecords.get();
  }

  /**
   * Requests answered with a 4xx status.
   *
   * @return count since start or the last {@link #reset()}
   */
  public long rejectedRequests() {
    return rejectedRequests.get();
  }

  /** Stops the server at once and releases its threads. Idempotent. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    timer.shutdownNow();
  }

  @Override
  public String toString() {
    return "OtlpReceiver[" + endpoint() + ", spans=" + spans().size() + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private enum Signal { TRACES, METRICS, LOGS }

  private void handle(HttpExchange ex, Signal signal) {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "POST");
        reject(ex, 405, "method " + ex.getRequestMethod() + " not allowed; OTLP/HTTP uses POST");
        return;
      }
      String type = mediaType(ex.getRequestHeaders().getFirst("Content-Type"));
      boolean json;
      if (type.equals(PROTOBUF) || type.equals("application/protobuf")) {
        json = false;
      } else if (type.equals(JSON)) {
        json = true;
      } else {
        reject(ex, 415, "unsupported Content-Type '" + type + "'; use " + PROTOBUF + " or " + JSON);
        return;
      }
      String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
      InputStream in = ex.getRequestBody();
      if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
        if (!encoding.trim().equalsIgnoreCase("gzip")) {
          reject(ex, 415, "unsupported Content-Encoding '" + encoding + "'; use gzip or none");
          return;
        }
        try {
          in = new GZIPInputStream(in);
        } catch (IOException e) {
          reject(ex, 400, "body is not valid gzip: " + e.getMessage());
          return;
        }
      }
      byte[] body;
      try {
        body = readBounded(in);
      } catch (BodyTooLarge e) {
        reject(ex, 413, "body is over " + MAX_BODY_BYTES + " bytes");
        return;
      } catch (IOException e) {
        reject(ex, 400, "body could not be read" + (encoding != null ? " (" + encoding + ")" : "") + ": " + e.getMessage());
        return;
      }
      Message response;
      try {
        response = accept(signal, body, json);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        reject(ex, 400, "body is not a valid OTLP " + (json ? "JSON" : "protobuf") + " "
            + requestName(signal) + ": " + e.getMessage());
        return;
      }
      byte[] out = json ? JsonFormat.printer().print(response).getBytes(StandardCharsets.UTF_8) : response.toByteArray();
      ex.getResponseHeaders().set("Content-Type", json ? JSON : PROTOBUF);
      ex.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(out);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The client went away or the response could not be written: nothing to answer.
      LOG.log(System.Logger.Level.DEBUG, "OTLP request failed", e);
    }
  }

  private static String requestName(Signal signal) {
    switch (signal) {
      case TRACES:
        return "ExportTraceServiceRequest";
      case METRICS:
        return "ExportMetricsServiceRequest";
      default:
        return "ExportLogsServiceRequest";
    }
  }

  private Message accept(Signal signal, byte[] body, boolean json) throws InvalidProtocolBufferException {
    switch (signal) {
      case TRACES: {
        ExportTraceServiceRequest req;
        if (json) {
          ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
          OtlpJson.merge(body, b);
          req = b.build();
        } else {
          req = ExportTraceServiceRequest.parseFrom(body);
        }
        traceRequests.incrementAndGet();
        store(convert(req));
        return ExportTraceServiceResponse.getDefaultInstance();
      }
      case METRICS: {
        ExportMetricsServiceRequest req;
        if (json) {
          ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
          OtlpJson.merge(body, b);
          req = b.build();
        } else {
          req = ExportMetricsServiceRequest.parseFrom(body);
        }
        metricsRequests.incrementAndGet();
        metricDataPoints.addAndGet(countPoints(req));
        return ExportMetricsServiceResponse.getDefaultInstance();
      }
      default: {
        ExportLogsServiceRequest req;
        if (json) {
          ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
          OtlpJson.merge(body, b);
          req = b.build();
        } else {
          req = ExportLogsServiceRequest.parseFrom(body);
        }
        logsRequests.incrementAndGet();
        long n = 0;
        for (ResourceLogs rl : req.getResourceLogsList()) {
          for (ScopeLogs sl : rl.getScopeLogsList()) {
            n += sl.getLogRecordsCount();
          }
        }
        logRecords.addAndGet(n);
        return ExportLogsServiceResponse.getDefaultInstance();
      }
    }
  }

  private static long countPoints(ExportMetricsServiceRequest req) {
    long n = 0;
    for (ResourceMetrics rm : req.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          n += m.getGauge().getDataPointsCount() + m.getSum().getDataPointsCount()
              + m.getHistogram().getDataPointsCount() + m.getExponentialHistogram().getDataPointsCount()
              + m.getSummary().getDataPointsCount();
        }
      }
    }
    return n;
  }

  private void store(List<ReceivedSpan> spans) {
    if (spans.isEmpty()) {
      return;
    }
    synchronized (buffer) {
      for (ReceivedSpan s : spans) {
        if (buffer.size() >= maxSpans) {
          ReceivedSpan evicted = buffer.pollFirst();
          List<ReceivedSpan> same = byTrace.get(evicted.traceId());
          if (same != null) {
            same.remove(0); // spans of a trace are evicted in arrival order
            if (same.isEmpty()) {
              byTrace.remove(evicted.traceId());
            }
          }
          dropped++;
        }
        buffer.addLast(s);
        byTrace.computeIfAbsent(s.traceId(), k -> new ArrayList<>(4)).add(s);
      }
      buffer.notifyAll();
    }
    for (Consumer<List<ReceivedSpan>> l : listeners) {
      try {
        l.accept(spans);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "OTLP receiver listener failed", e);
      }
    }
    for (TraceListener tl : traceListeners) {
      java.util.Set<String> ids = new java.util.LinkedHashSet<>();
      for (ReceivedSpan s : spans) {
        ids.add(s.traceId());
      }
      synchronized (tl.pending) {
        for (String id : ids) {
          java.util.concurrent.ScheduledFuture<?> previous = tl.pending.remove(id);
          if (previous != null) {
            previous.cancel(false);
          }
          try {
            tl.pending.put(id, timer.schedule(() -> settled(tl, id), tl.quietPeriod.toNanos(),
                java.util.concurrent.TimeUnit.NANOSECONDS));
          } catch (java.util.concurrent.RejectedExecutionException closed) {
            return;
          }
        }
      }
    }
  }

  private void settled(TraceListener tl, String traceId) {
    synchronized (tl.pending) {
      tl.pending.remove(traceId);
    }
    List<ReceivedSpan> trace;
    synchronized (buffer) {
      List<ReceivedSpan> held = byTrace.get(traceId);
      trace = held == null ? List.of() : List.copyOf(held);
    }
    if (trace.isEmpty()) {
      return;
    }
    try {
      tl.listener.accept(trace);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "OTLP receiver trace listener failed", e);
    }
  }

  static List<ReceivedSpan> convert(ExportTraceServiceRequest req) {
    List<ReceivedSpan> out = new ArrayList<>();
    for (ResourceSpans rs : req.getResourceSpansList()) {
      Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        String scope = ss.getScope().getName();
        for (Span s : ss.getSpansList()) {
          out.add(new ReceivedSpan(
              hex(s.getTraceId()), hex(s.getSpanId()), hex(s.getParentSpanId()), s.getName(),
              enumName(s.getKind().toString(), "SPAN_KIND_", "UNSPECIFIED"),
              s.getStartTimeUnixNano(), s.getEndTimeUnixNano(),
              enumName(s.getStatus().getCode().toString(), "STATUS_CODE_", "UNSET"),
              attributes(s.getAttributesList()), resource, scope));
        }
      }
    }
    return List.copyOf(out);
  }

  private static String enumName(String name, String prefix, String fallback) {
    return name.startsWith(prefix) ? name.substring(prefix.length()) : fallback;
  }

  private static String hex(ByteString b) {
    return b.isEmpty() ? "" : HexFormat.of().formatHex(b.toByteArray());
  }

  private static Map<String, Object> attributes(List<KeyValue> kvs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      Object v = value(kv.getValue());
      if (v != null) {
        m.put(kv.getKey(), v);
      }
    }
    return m;
  }

  private static Object value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case BYTES_VALUE:
        return v.getBytesValue().toByteArray();
      case ARRAY_VALUE: {
        List<Object> l = new ArrayList<>();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          Object o = value(e);
          if (o != null) {
            l.add(o);
          }
        }
        return List.copyOf(l);
      }
      case KVLIST_VALUE:
        return Map.copyOf(attributes(v.getKvlistValue().getValuesList()));
      default:
        return null;
    }
  }

  private void reject(HttpExchange ex, int status, String message) throws IOException {
    rejectedRequests.incrementAndGet();
    byte[] b = (message + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  private static String mediaType(String header) {
    if (header == null) {
      return "";
    }
    int semi = header.indexOf(';');
    return (semi >= 0 ? header.substring(0, semi) : header).trim().toLowerCase(Locale.ROOT);
  }

  private static final class BodyTooLarge extends IOException {
    BodyTooLarge() {
      super("body too large");
    }
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[16384];
    int n;
    while ((n = in.read(buf)) > 0) {
      if (out.size() + n > MAX_BODY_BYTES) {
        throw new BodyTooLarge();
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /** Settings of an {@link OtlpReceiver}. */
  public static final class Builder {
    private int port;
    private int maxSpans = DEFAULT_MAX_SPANS;

    private Builder() {}

    /**
     * The port to bind on 127.0.0.1.
     *
     * @param port 0..65535; default 0 (ephemeral)
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Capacity of the span buffer; the oldest span is dropped beyond it.
     *
     * @param maxSpans at least 1; default {@value OtlpReceiver#DEFAULT_MAX_SPANS}
     * @return this builder
     * @throws IllegalArgumentException when less than 1
     */
    public Builder maxSpans(int maxSpans) {
      if (maxSpans < 1) {
        throw new IllegalArgumentException("maxSpans must be at least 1, got " + maxSpans);
      }
      this.maxSpans = maxSpans;
      return this;
    }

    /**
     * Binds and starts the receiver.
     *
     * @return the running receiver
     * @throws UncheckedIOException when the port can't be bound, naming it
     */
    public OtlpReceiver start() {
      try {
        return new OtlpReceiver(port, maxSpans);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind the OTLP receiver to 127.0.0.1:" + port + ": " + e.getMessage(), e);
      }
    }
  }
}
