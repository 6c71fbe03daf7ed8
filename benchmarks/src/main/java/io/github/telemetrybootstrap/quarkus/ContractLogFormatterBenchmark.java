package io.github.telemetrybootstrap.quarkus;

import io.github.telemetrybootstrap.contract.Propagation;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.JsonFormatter;
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
 * The Quarkus extension's log line: one request line (a {@code printf}-style message with two
 * parameters, trace, tenant and request id current, the MDC entries Quarkus OpenTelemetry adds)
 * formatted by the extension's {@link ContractLogFormatter} and by JBoss LogManager's
 * {@link JsonFormatter}, the formatter behind Quarkus's {@code quarkus-logging-json}, with its
 * defaults. Both return the line as a {@code String}, as JBoss LogManager formatters do. In this
 * package because the request id enters the context only through the extension's inbound rule. Run
 * with {@code java -jar benchmarks/target/benchmarks.jar ContractLogFormatterBenchmark -prof gc}.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ContractLogFormatterBenchmark {
  private final ContractLogFormatter contract = new ContractLogFormatter("orders", "1.4.2", "prod", 65_536, 64);
  private final JsonFormatter quarkusJson = new JsonFormatter();
  private ExtLogRecord record;
  private Scope scope;

  @Setup(org.openjdk.jmh.annotations.Level.Trial)
  public void setUp() {
    record = new ExtLogRecord(Level.INFO, "Fetching order %s for customer %s",
        ExtLogRecord.FormatStyle.PRINTF, ContractLogFormatterBenchmark.class.getName());
    record.setParameters(new Object[] {42, "alice"});
    record.setLoggerName("com.example.orders.OrderService");
    record.setThreadName("vert.x-eventloop-thread-0");
    record.setMdc(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736", "spanId", "00f067aa0ba902b7",
        "sampled", "true", "parentId", "0000000000000000"));
    Span span = Span.wrap(SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
        TraceFlags.getSampled(), TraceState.getDefault()));
    Context context = Context.root().with(span)
        .with(Baggage.builder().put(Propagation.TENANT_BAGGAGE_KEY, "acme").build());
    scope = RequestContext.inbound(context, null, "3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b", 64).makeCurrent();
  }

  @TearDown(org.openjdk.jmh.annotations.Level.Trial)
  public void tearDown() {
    scope.close();
  }

  /** @return the contract line */
  @Benchmark
  public String contractLogFormatter() {
    return contract.format(record);
  }

  /** @return JBoss LogManager's JSON line */
  @Benchmark
  public String jbossJsonFormatter() {
    return quarkusJson.format(record);
  }
}
