package io.github.telemetrybootstrap.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.github.telemetrybootstrap.internal.ServiceInfo;
import io.github.telemetrybootstrap.logging.TelemetryJsonEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The log-line path: one request line encoded to a null stream, by a plain logstash-logback-encoder
 * {@code LogstashEncoder} (no masking, no trace fields) and by the contract's
 * {@link TelemetryJsonEncoder} (contract fields, trace/tenant/request ids from the current context,
 * masking of every string), and by a plain {@code LogstashEncoder} given the same fields (service
 * fields as custom fields, ids in the MDC, no masking). Run with
 * {@code java -jar benchmarks/target/benchmarks.jar LogLineBenchmark -prof gc}.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LogLineBenchmark {
  private final LoggerContext context = new LoggerContext();
  private final LogstashEncoder plain = new LogstashEncoder();
  private final LogstashEncoder plainSameFields = new LogstashEncoder();
  private final TelemetryJsonEncoder contract = new TelemetryJsonEncoder();
  private final OutputStream sink = OutputStream.nullOutputStream();
  private LoggingEvent event;
  private LoggingEvent eventWithMdc;
  private io.opentelemetry.context.Scope scope;

  @Setup(org.openjdk.jmh.annotations.Level.Trial)
  public void setUp() {
    plain.setContext(context);
    plain.start();
    plainSameFields.setContext(context);
    plainSameFields.setCustomFields("{\"service\":\"orders\",\"service_version\":\"1.4.2\",\"env\":\"prod\"}");
    plainSameFields.start();
    contract.setContext(context);
    contract.start();
    ServiceInfo.set(new ServiceInfo("orders", "1.4.2", "prod"));
    event = new LoggingEvent();
    event.setLoggerName("com.example.orders.OrderService");
    event.setLevel(ch.qos.logback.classic.Level.INFO);
    event.setThreadName("http-worker-3");
    event.setInstant(Instant.parse("2026-12-01T10:00:00.123Z"));
    event.setMessage("Fetching order {} for customer {}");
    event.setArgumentArray(new Object[] {42, "alice"});
    event.setMDCPropertyMap(Map.of());
    event.prepareForDeferredProcessing();
    eventWithMdc = new LoggingEvent();
    eventWithMdc.setLoggerName(event.getLoggerName());
    eventWithMdc.setLevel(event.getLevel());
    eventWithMdc.setThreadName(event.getThreadName());
    eventWithMdc.setInstant(event.getInstant());
    eventWithMdc.setMessage(event.getMessage());
    eventWithMdc.setArgumentArray(event.getArgumentArray());
    // What an MDC-based correlation (the Java agent's logback MDC instrumentation) puts there.
    java.util.Map<String, String> mdc = new java.util.LinkedHashMap<>();
    mdc.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
    mdc.put("span_id", "00f067aa0ba902b7");
    mdc.put("trace_flags", "01");
    mdc.put("tenant_id", "acme");
    mdc.put("request_id", "3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b");
    eventWithMdc.setMDCPropertyMap(mdc);
    eventWithMdc.prepareForDeferredProcessing();
    scope = HelloRequests.requestContext().makeCurrent();
  }

  @TearDown(org.openjdk.jmh.annotations.Level.Trial)
  public void tearDown() {
    scope.close();
  }

  /** @throws IOException never, the sink discards */
  @Benchmark
  public void plainLogstashEncoder() throws IOException {
    plain.encode(event, sink);
  }

  /**
   * A plain {@code LogstashEncoder} writing the contract line's fields without masking: service
   * fields as custom fields, trace, tenant and request ids from the MDC.
   *
   * @throws IOException never, the sink discards
   */
  @Benchmark
  public void plainLogstashEncoderSameFields() throws IOException {
    plainSameFields.encode(eventWithMdc, sink);
  }

  /** @throws IOException never, the sink discards */
  @Benchmark
  public void telemetryJsonEncoder() throws IOException {
    contract.encode(event, sink);
  }
}
