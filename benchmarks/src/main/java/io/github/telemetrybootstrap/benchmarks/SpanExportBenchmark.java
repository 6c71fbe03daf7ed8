package io.github.telemetrybootstrap.benchmarks;

import io.github.telemetrybootstrap.context.TenantSpanProcessor;
import io.github.telemetrybootstrap.http.HttpServerTelemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.internal.otlp.traces.LowAllocationTraceRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What exporting one span costs inside the OpenTelemetry SDK's OTLP exporter, on a hot core: a batch
 * of {@value #BATCH} server spans, each made by {@link HttpServerTelemetry}'s filter for a real
 * {@code GET /hello} on a loopback JDK {@code HttpServer} (so they carry the attributes a service's
 * spans carry), sized and written as an OTLP {@code ExportTraceServiceRequest} in protobuf to a null
 * stream. {@code reusable} is the path of the exporter's default memory mode ({@code
 * reusable_data}: sized on the batch span processor's thread, written on the sender's), {@code
 * immutable} that of {@code immutable_data}. Results are per span. Run with {@code java -jar
 * benchmarks/target/benchmarks.jar SpanExportBenchmark -prof gc}.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpanExportBenchmark {
  /** Spans per export: the batch span processor's default {@code otel.bsp.max.export.batch.size}. */
  public static final int BATCH = 512;

  private final LowAllocationTraceRequestMarshaler reusable = new LowAllocationTraceRequestMarshaler();
  private final OutputStream sink = OutputStream.nullOutputStream();
  private List<SpanData> spans;

  /**
   * Makes the batch of spans.
   *
   * @throws IOException if the loopback server fails
   */
  @Setup(org.openjdk.jmh.annotations.Level.Trial)
  public void setUp() throws IOException {
    spans = serverSpans(BATCH);
    System.out.println("span attributes (" + spans.get(0).getAttributes().size() + "): "
        + spans.get(0).getAttributes().asMap().keySet());
  }

  /**
   * The spans of {@code count} {@code GET /hello} requests served through the telemetry filter on a
   * loopback server, in the order they ended.
   *
   * @param count how many requests, at least 1
   * @return the ended spans, immutable
   * @throws IOException if the loopback server or its client fails
   */
  public static List<SpanData> serverSpans(int count) throws IOException {
    List<SpanData> ended = new ArrayList<>(count);
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), "hello"))))
            .addSpanProcessor(new TenantSpanProcessor())
            .addSpanProcessor(new Collector(ended))
            .build();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    HttpServerTelemetry telemetry = HttpServerTelemetry.builder(sdk, new SimpleMeterRegistry()).build();
    try {
      HelloRequests.serve(count, List.of(telemetry.filter()), exchange -> {});
    } finally {
      sdk.close();
    }
    synchronized (ended) {
      if (ended.size() != count) {
        throw new IllegalStateException("expected " + count + " spans, got " + ended.size());
      }
      return List.copyOf(ended);
    }
  }

  /** Keeps the data of every ended span. */
  private record Collector(List<SpanData> ended) implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      synchronized (ended) {
        ended.add(span.toSpanData());
      }
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

  /** Sizing only, as the batch span processor's thread does in the default memory mode. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int reusableSize() {
    reusable.initialize(spans);
    try {
      return reusable.getBinarySerializedSize();
    } finally {
      reusable.reset();
    }
  }

  /** Sizing and writing, the whole export body in the default memory mode. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int reusableSizeAndWrite() throws IOException {
    reusable.initialize(spans);
    try {
      int size = reusable.getBinarySerializedSize();
      reusable.writeBinaryTo(sink);
      return size;
    } finally {
      reusable.reset();
    }
  }

  /** Sizing and writing with {@code immutable_data}: a marshaler tree per export. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int immutableSizeAndWrite() throws IOException {
    TraceRequestMarshaler marshaler = TraceRequestMarshaler.create(spans);
    int size = marshaler.getBinarySerializedSize();
    marshaler.writeBinaryTo(sink);
    return size;
  }
}
