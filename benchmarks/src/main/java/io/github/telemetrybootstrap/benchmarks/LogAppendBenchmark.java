package io.github.telemetrybootstrap.benchmarks;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.github.telemetrybootstrap.internal.ServiceInfo;
import io.github.telemetrybootstrap.logging.TelemetryAsyncAppender;
import io.github.telemetrybootstrap.logging.TelemetryJsonEncoder;
import java.io.OutputStream;
import java.time.Duration;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * One request's log call, {@code log.info("Saying hello to {}", port)}, through logback end to
 * end, to a null stream: the request-path harness's bare service's setup (a synchronous appender
 * with {@code LogstashEncoder}, encoding on the logging thread) against the contract's ({@link
 * TelemetryAsyncAppender}: capture and hand-off on the logging thread; encoding with {@link
 * TelemetryJsonEncoder}, masking and the batched write on its writer thread), inside a request's
 * context (span, tenant, request id).
 *
 * <p>Each call stands for a request: {@value #REQUEST_WORK_TOKENS} tokens of {@link
 * Blackhole#consumeCPU} (a few microseconds), then the log call; {@code requestWorkOnly} is that work
 * alone, so a variant's figure minus it is what its line costs. Run pinned to one core ({@code
 * taskset -c 0 java -jar benchmarks/target/benchmarks.jar LogAppendBenchmark -prof gc}): the writer
 * thread then takes its CPU from the same core as the logging thread, so the time per call includes
 * it, as in a service whose core is saturated (the request work keeps the lines at a rate a service
 * logs at; without it the caller would outrun the writer and lines would be dropped). A run in which
 * the writer fell behind and dropped lines, or logback reported a failure, fails at tear-down.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LogAppendBenchmark {
  /** The stand-in for a request's own work, in {@link Blackhole#consumeCPU} tokens. */
  static final long REQUEST_WORK_TOKENS = 4_000;

  private final LoggerContext bareContext = new LoggerContext();
  private final LoggerContext contractContext = new LoggerContext();
  private final TelemetryAsyncAppender async = new TelemetryAsyncAppender();
  private Logger bare;
  private Logger contract;
  private io.opentelemetry.context.Scope scope;
  private final Integer port = 50_000;

  /** Sets up both logger contexts and makes a request's context current. */
  @Setup(org.openjdk.jmh.annotations.Level.Trial)
  public void setUp() {
    ServiceInfo.set(new ServiceInfo("hello", "1.0.0", "bench"));
    bareContext.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    contractContext.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    LogstashEncoder logstash = new LogstashEncoder();
    logstash.setContext(bareContext);
    logstash.start();
    OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
    console.setContext(bareContext);
    console.setEncoder(logstash);
    console.setOutputStream(OutputStream.nullOutputStream());
    console.start();
    bare = bareContext.getLogger("bench.Hello");
    bare.addAppender(console);
    bare.setAdditive(false);

    TelemetryJsonEncoder encoder = new TelemetryJsonEncoder();
    encoder.setContext(contractContext);
    async.setContext(contractContext);
    async.setEncoder(encoder);
    async.setOutputStream(OutputStream.nullOutputStream());
    async.start();
    contract = contractContext.getLogger("bench.Hello");
    contract.addAppender(async);
    contract.setAdditive(false);

    scope = HelloRequests.requestContext().makeCurrent();
  }

  /**
   * Flushes and stops both; fails when lines were dropped or logback reported a failure.
   *
   * @throws IllegalStateException when the run's figure would not be valid
   */
  @TearDown(org.openjdk.jmh.annotations.Level.Trial)
  public void tearDown() {
    scope.close();
    async.flush(Duration.ofSeconds(10));
    long dropped = async.droppedCount();
    java.util.List<ch.qos.logback.core.status.Status> errors = new java.util.ArrayList<>();
    for (LoggerContext c : new LoggerContext[] {bareContext, contractContext}) {
      for (ch.qos.logback.core.status.Status s : c.getStatusManager().getCopyOfStatusList()) {
        if (s.getLevel() >= ch.qos.logback.core.status.Status.WARN) {
          errors.add(s);
        }
      }
    }
    async.stop();
    bareContext.stop();
    contractContext.stop();
    if (dropped > 0) {
      throw new IllegalStateException("the log writer dropped " + dropped + " lines: the figure is not valid");
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException("logback reported failures, the figure is not valid: " + errors);
    }
  }

  /** The request's own work, without a line. */
  @Benchmark
  public void requestWorkOnly() {
    Blackhole.consumeCPU(REQUEST_WORK_TOKENS);
  }

  /** The bare service's line: encoded and written on the logging thread. */
  @Benchmark
  public void bareLogstashAppender() {
    Blackhole.consumeCPU(REQUEST_WORK_TOKENS);
    bare.info("Saying hello to {}", port);
  }

  /** The contract's line: handed off, then encoded, masked and written by the writer thread. */
  @Benchmark
  public void contractAsyncAppender() {
    Blackhole.consumeCPU(REQUEST_WORK_TOKENS);
    contract.info("Saying hello to {}", port);
  }
}
