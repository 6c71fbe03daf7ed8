package io.github.telemetrybootstrap.testkit.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpReceiverTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private OtlpReceiver receiver;
  private SdkTracerProvider provider;

  @BeforeEach
  void start() {
    receiver = OtlpReceiver.start();
  }

  @AfterEach
  void stop() {
    if (provider != null) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
    receiver.close();
  }

  private Tracer tracer(String compression, SpanProcessor... extra) {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(receiver.endpoint() + "/v1/traces")
        .setCompression(compression)
        .build();
    var b = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), "orders"))))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter));
    for (SpanProcessor p : extra) {
      b.addSpanProcessor(p);
    }
    provider = b.build();
    return provider.get("io.github.telemetrybootstrap.test");
  }

  /** Makes a two-span trace like the quickstart's: a server span with a client child. */
  private static Span[] twoHopTrace(Tracer tracer) {
    Span server = tracer.spanBuilder("GET /orders/{id}").setSpanKind(SpanKind.SERVER).startSpan();
    server.setAttribute("saas.tenant", "acme");
    server.setAttribute("http.response.status_code", 200L);
    Span client;
    try (Scope ignored = server.makeCurrent()) {
      client = tracer.spanBuilder("GET").setSpanKind(SpanKind.CLIENT).startSpan();
      client.setStatus(StatusCode.ERROR);
      client.end();
    }
    server.end();
    return new Span[] {server, client};
  }

  @Test
  void receivesTheRealExportersProtobufSpansWithIdsAttributesAndResource() {
    List<List<ReceivedSpan>> batches = new CopyOnWriteArrayList<>();
    receiver.addListener(batches::add);
    Span[] spans = twoHopTrace(tracer("none"));
    String traceId = spans[0].getSpanContext().getTraceId();

    List<ReceivedSpan> trace = receiver.awaitTrace(traceId, 2, WAIT);

    ReceivedSpan server = trace.stream().filter(s -> s.kind().equals("SERVER")).findFirst().orElseThrow();
    ReceivedSpan client = trace.stream().filter(s -> s.kind().equals("CLIENT")).findFirst().orElseThrow();
    assertThat(server.traceId()).isEqualTo(traceId);
    assertThat(server.spanId()).isEqualTo(spans[0].getSpanContext().getSpanId());
    assertThat(server.isRoot()).isTrue();
    assertThat(server.name()).isEqualTo("GET /orders/{id}");
    assertThat(server.attributes()).containsEntry("saas.tenant", "acme").containsEntry("http.response.status_code", 200L);
    assertThat(server.resourceAttributes()).containsEntry("service.name", "orders");
    assertThat(server.serviceName()).isEqualTo("orders");
    assertThat(server.scopeName()).isEqualTo("io.github.telemetrybootstrap.test");
    assertThat(server.statusCode()).isEqualTo("UNSET");
    assertThat(server.endEpochNanos()).isGreaterThanOrEqualTo(server.startEpochNanos());
    assertThat(client.parentSpanId()).isEqualTo(server.spanId());
    assertThat(client.spanId()).isEqualTo(spans[1].getSpanContext().getSpanId());
    assertThat(client.statusCode()).isEqualTo("ERROR");
    assertThat(receiver.traces()).containsOnlyKeys(traceId);
    assertThat(receiver.traceRequests()).isEqualTo(2); // simple processor: one request per span
    // listeners run after the spans are stored (and waiters woken), so the second call may lag a little
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (batches.size() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(batches).hasSize(2).allSatisfy(b -> assertThat(b).hasSize(1));

    String summary = TraceSummary.format(receiver.spans());
    assertThat(summary).startsWith("trace " + traceId.substring(0, 8) + "… 2 spans ")
        .contains(" ms: GET /orders/{id}").contains("[tenant acme]").endsWith("ERROR")
        .doesNotContain("\n");
  }

  @Test
  void acceptsGzipFromTheRealExporter() {
    Span[] spans = twoHopTrace(tracer("gzip"));
    List<ReceivedSpan> trace = receiver.awaitTrace(spans[0].getSpanContext().getTraceId(), 2, WAIT);
    assertThat(trace).extracting(ReceivedSpan::name).containsExactlyInAnyOrder("GET", "GET /orders/{id}");
  }

  @Test
  void acceptsOtlpJsonAsTheSdkWritesItWithHexIds() throws Exception {
    List<SpanData> captured = new CopyOnWriteArrayList<>();
    Tracer tracer = tracer("none", new CapturingProcessor(captured));
    Span[] spans = twoHopTrace(tracer);
    receiver.awaitTrace(spans[0].getSpanContext().getTraceId(), 2, WAIT);
    receiver.reset();

    ByteArrayOutputStream json = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(captured).writeJsonTo(json);
    assertThat(json.toString(StandardCharsets.UTF_8)).contains(spans[0].getSpanContext().getTraceId());

    HttpResponse<String> r = post("/v1/traces", "application/json", json.toByteArray(), null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.body().trim()).isEqualTo("{\n}");
    assertThat(receiver.spans()).extracting(ReceivedSpan::spanId).containsExactlyInAnyOrder(
        spans[0].getSpanContext().getSpanId(), spans[1].getSpanContext().getSpanId());
    assertThat(receiver.spans()).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(spans[0].getSpanContext().getTraceId()));
  }

  @Test
  void acceptsHandWrittenOtlpJsonWithIntegerEnumsAndUnknownFieldsGzipped() throws Exception {
    String json = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"inventory"}}]},
          "futureField":{"x":1},
          "scopeSpans":[{"scope":{"name":"manual"},"spans":[
            {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","parentSpanId":"",
             "name":"GET /inventory/{id}","kind":2,"startTimeUnixNano":"1700000000000000000",
             "endTimeUnixNano":1700000000012300000,"status":{"code":"STATUS_CODE_OK"},
             "attributes":[{"key":"retries","value":{"intValue":"3"}},{"key":"ok","value":{"boolValue":true}},
                           {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"doubleValue":1.5}]}}}],
             "someNewField":"ignored"}]}]}]}
        """;
    HttpResponse<String> r = post("/v1/traces", "application/json; charset=utf-8", gzip(json.getBytes(StandardCharsets.UTF_8)), "gzip");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    ReceivedSpan s = receiver.awaitSpans(x -> x.name().equals("GET /inventory/{id}"), WAIT).get(0);
    assertThat(s.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(s.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(s.parentSpanId()).isEmpty();
    assertThat(s.kind()).isEqualTo("SERVER");
    assertThat(s.statusCode()).isEqualTo("OK");
    assertThat(s.durationNanos()).isEqualTo(12_300_000L);
    assertThat(s.attributes()).containsEntry("retries", 3L).containsEntry("ok", true)
        .containsEntry("tags", List.of("a", 1.5));
    assertThat(s.serviceName()).isEqualTo("inventory");
    assertThat(TraceSummary.format(List.of(s))).isEqualTo("trace 4bf92f35… 1 span 12.3 ms: GET /inventory/{id}");
  }

  @Test
  void rejectsUndecodableBodiesWith400AndKeepsWorking() throws Exception {
    HttpResponse<String> badProto = post("/v1/traces", "application/x-protobuf", new byte[] {(byte) 0xff, 0x01, 0x02}, null);
    HttpResponse<String> badJson = post("/v1/traces", "application/json", "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), null);
    HttpResponse<String> wrongJson = post("/v1/traces", "application/json", "{\"resourceSpans\": 7}".getBytes(StandardCharsets.UTF_8), null);
    HttpResponse<String> badGzip = post("/v1/traces", "application/x-protobuf", "not gzip".getBytes(StandardCharsets.UTF_8), "gzip");

    assertThat(badProto.statusCode()).isEqualTo(400);
    assertThat(badProto.body()).contains("not a valid OTLP protobuf ExportTraceServiceRequest");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(badJson.body()).contains("not a valid OTLP JSON");
    assertThat(wrongJson.statusCode()).isEqualTo(400);
    assertThat(badGzip.statusCode()).isEqualTo(400);
    assertThat(badGzip.body()).contains("gzip");
    assertThat(receiver.rejectedRequests()).isEqualTo(4);
    assertThat(receiver.spans()).isEmpty();

    Span[] spans = twoHopTrace(tracer("none"));
    assertThat(receiver.awaitTrace(spans[0].getSpanContext().getTraceId(), 2, WAIT)).hasSize(2);
  }

  @Test
  void rejectsUnknownContentTypeWith415AndOtherMethodsWith405() throws Exception {
    HttpResponse<String> text = post("/v1/traces", "text/plain", "hello".getBytes(StandardCharsets.UTF_8), null);
    HttpResponse<String> noType = HTTP.send(HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> brotli = post("/v1/traces", "application/x-protobuf", new byte[0], "br");
    HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces")).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(text.body()).contains("text/plain").contains("application/x-protobuf");
    assertThat(noType.statusCode()).isEqualTo(415);
    assertThat(brotli.statusCode()).isEqualTo(415);
    assertThat(brotli.body()).contains("Content-Encoding 'br'");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void emptyProtobufRequestIsAnsweredWithAnEmptyResponse() throws Exception {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
    assertThat(ExportTraceServiceResponse.parseFrom(r.body())).isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
  }

  @Test
  void boundedBufferDropsTheOldestAndCountsThem() {
    receiver.close();
    receiver = OtlpReceiver.builder().maxSpans(3).start();
    // One export request carrying five spans, in the order they ended.
    provider = SdkTracerProvider.builder()
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
            .setEndpoint(receiver.endpoint() + "/v1/traces").build()).build())
        .build();
    Tracer tracer = provider.get("batch");
    for (int i = 0; i < 5; i++) {
      tracer.spanBuilder("span-" + i).startSpan().end();
    }
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    receiver.awaitSpans(s -> s.name().equals("span-4"), WAIT);

    assertThat(receiver.spans()).extracting(ReceivedSpan::name).containsExactly("span-2", "span-3", "span-4");
    assertThat(receiver.droppedSpans()).isEqualTo(2);
    receiver.reset();
    assertThat(receiver.spans()).isEmpty();
    assertThat(receiver.droppedSpans()).isZero();
  }

  @Test
  void countsMetricsAndLogsRequests() throws Exception {
    ExportMetricsServiceRequest metrics = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("queue.size").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(4))
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(5))))))
        .build();
    HttpResponse<String> m = post("/v1/metrics", "application/x-protobuf", metrics.toByteArray(), null);
    String logsJson = """
        {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":9,"body":{"stringValue":"hi"},
          "traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"}]}]}]}
        """;
    HttpResponse<String> l = post("/v1/logs", "application/json", logsJson.getBytes(StandardCharsets.UTF_8), null);

    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(l.statusCode()).as(l.body()).isEqualTo(200);
    assertThat(receiver.metricsRequests()).isEqualTo(1);
    assertThat(receiver.metricDataPoints()).isEqualTo(2);
    assertThat(receiver.logsRequests()).isEqualTo(1);
    assertThat(receiver.logRecords()).isEqualTo(1);
    assertThat(receiver.spans()).isEmpty();
  }

  @Test
  void awaitFailsWithWhatArrived() {
    tracer("none").spanBuilder("something else").startSpan().end();
    receiver.awaitSpans(s -> true, WAIT);
    assertThatThrownBy(() -> receiver.awaitSpans(s -> s.name().equals("never"), Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("timed out")
        .hasMessageContaining("something else");
  }

  @Test
  void traceListenerGetsOneCallPerTraceEvenWhenItsSpansArriveInSeveralRequests() throws Exception {
    List<List<ReceivedSpan>> traces = new CopyOnWriteArrayList<>();
    List<List<ReceivedSpan>> batches = new CopyOnWriteArrayList<>();
    receiver.addTraceListener(Duration.ofMillis(300), traces::add);
    receiver.addListener(batches::add);
    Span[] first = twoHopTrace(tracer("none")); // simple processor: one request per span
    Span[] second = twoHopTrace(provider.get("io.github.telemetrybootstrap.test"));

    long deadline = System.nanoTime() + WAIT.toNanos();
    while (traces.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(400); // nothing more may come

    assertThat(batches).hasSize(4);
    assertThat(traces).hasSize(2);
    assertThat(traces).allSatisfy(t -> assertThat(t).hasSize(2));
    assertThat(traces).extracting(t -> t.get(0).traceId()).containsExactlyInAnyOrder(
        first[0].getSpanContext().getTraceId(), second[0].getSpanContext().getTraceId());
    assertThat(TraceSummary.lines(traces.get(0))).singleElement().asString().contains("2 spans");
    assertThatThrownBy(() -> receiver.addTraceListener(Duration.ZERO, t -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listenerFailureDoesNotBreakTheExport() {
    receiver.addListener(spans -> {
      throw new IllegalStateException("boom");
    });
    tracer("none").spanBuilder("still stored").startSpan().end();
    assertThat(receiver.awaitSpans(s -> s.name().equals("still stored"), WAIT)).hasSize(1);
  }

  private HttpResponse<String> post(String path, String type, byte[] body, String encoding) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(receiver.endpoint() + path))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  private static final class CapturingProcessor implements SpanProcessor {
    private final List<SpanData> spans;

    CapturingProcessor(List<SpanData> spans) {
      this.spans = spans;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      spans.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
