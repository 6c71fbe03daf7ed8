package io.github.telemetrybootstrap.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.context.RequestId;
import io.github.telemetrybootstrap.context.TelemetryContext;
import io.github.telemetrybootstrap.context.Tenant;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

class TelemetryAsyncAppenderTest {
  private final LoggerContext context = new LoggerContext();
  private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
      .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
          io.opentelemetry.sdk.trace.export.SpanExporter.composite())).build(); // without a processor the SDK makes no spans (1.68+)
  private final Tracer tracer = tracerProvider.get("test");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Logger logger = context.getLogger("com.example.Async");
  private TelemetryAsyncAppender appender;

  @BeforeEach
  void setUp() {
    context.setMDCAdapter(MDC.getMDCAdapter());
  }

  @AfterEach
  void tearDown() {
    if (appender != null) {
      appender.stop();
    }
    context.stop();
    tracerProvider.close();
  }

  private TelemetryAsyncAppender start(OutputStream target, int queueSize, int maxFlushTimeMs) {
    appender = new TelemetryAsyncAppender();
    appender.setContext(context);
    appender.setOutputStream(target);
    appender.setQueueSize(queueSize);
    appender.setMaxFlushTime(maxFlushTimeMs);
    appender.start();
    logger.addAppender(appender);
    return appender;
  }

  private static JsonNode byMessage(List<JsonNode> lines, String message) {
    return lines.stream()
        .filter(l -> l.get(LogFields.MESSAGE).asString().equals(message))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line with message " + message + " in " + lines));
  }

  @Test
  void teesReceiveExactlyTheWrittenBytesEvenWhenTheStreamFails() throws Exception {
    java.util.List<byte[]> chunks = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.function.Consumer<byte[]> tee = chunks::add;
    java.util.function.Consumer<byte[]> failing = b -> {
      throw new IllegalStateException("tee failure must not affect output");
    };
    TelemetryAsyncAppender.addTee(tee);
    TelemetryAsyncAppender.addTee(tee); // registered once
    TelemetryAsyncAppender.addTee(failing);
    try {
      start(out, 1024, 5000);
      logger.info("first");
      logger.info("second with \"quotes\" and a line\nbreak");
      assertThat(appender.flush(Duration.ofSeconds(5))).isTrue();
      ByteArrayOutputStream teed = new ByteArrayOutputStream();
      for (byte[] c : chunks) {
        teed.write(c);
        assertThat(c[c.length - 1]).as("a chunk ends with a complete line").isEqualTo((byte) '\n');
      }
      assertThat(teed.toByteArray()).isEqualTo(out.toByteArray());
      assertThat(JsonLines.parse(teed.toByteArray())).hasSize(2);

      // A stream that fails still tees what the appender tried to write.
      appender.stop();
      chunks.clear();
      start(new OutputStream() {
        @Override
        public void write(int b) throws java.io.IOException {
          throw new java.io.IOException("stdout closed");
        }
      }, 1024, 5000);
      logger.info("lost on stdout");
      appender.flush(Duration.ofSeconds(5));
      assertThat(new String(chunks.get(0), java.nio.charset.StandardCharsets.UTF_8)).contains("lost on stdout");
    } finally {
      TelemetryAsyncAppender.removeTee(tee);
      TelemetryAsyncAppender.removeTee(failing);
    }
    chunks.clear();
    logger.info("after removal");
    appender.flush(Duration.ofSeconds(5));
    assertThat(chunks).isEmpty();
  }

  @Test
  void idsComeFromTheLoggingThreadAcrossExecutorHops() throws Exception {
    start(out, 1024, 5000);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ExecutorService wrapped = Context.taskWrapping(pool);
    Span span = tracer.spanBuilder("request").startSpan();
    try {
      try (Scope s = span.makeCurrent();
          Scope t = Tenant.makeCurrent("acme");
          Scope r = RequestId.makeCurrent("req-1")) {
        logger.info("caller");
        wrapped.submit(() -> logger.info("hop")).get(5, TimeUnit.SECONDS);
        CompletableFuture.supplyAsync(
                () -> {
                  logger.info("future");
                  return 1;
                },
                TelemetryContext.wrap((java.util.concurrent.Executor) pool))
            .get(5, TimeUnit.SECONDS);
        pool.submit(() -> logger.info("unwrapped")).get(5, TimeUnit.SECONDS);
      } finally {
        span.end();
      }
      logger.info("after");
    } finally {
      pool.shutdownNow();
    }
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    List<JsonNode> lines = JsonLines.parse(out.toByteArray());
    assertThat(lines).hasSize(5);
    String traceId = span.getSpanContext().getTraceId();
    String spanId = span.getSpanContext().getSpanId();
    for (String message : List.of("caller", "hop", "future")) {
      JsonNode line = byMessage(lines, message);
      assertThat(line.get(LogFields.TRACE_ID).asString()).as(message).isEqualTo(traceId);
      assertThat(line.get(LogFields.SPAN_ID).asString()).as(message).isEqualTo(spanId);
      assertThat(line.get(LogFields.TENANT_ID).asString()).as(message).isEqualTo("acme");
      assertThat(line.get(LogFields.REQUEST_ID).asString()).as(message).isEqualTo("req-1");
    }
    assertThat(byMessage(lines, "hop").get(LogFields.THREAD).asString())
        .isNotEqualTo(Thread.currentThread().getName())
        .startsWith("pool-");
    for (String message : List.of("unwrapped", "after")) {
      JsonNode line = byMessage(lines, message);
      assertThat(line.has(LogFields.TRACE_ID)).as(message).isFalse();
      assertThat(line.has(LogFields.TENANT_ID)).as(message).isFalse();
      assertThat(line.has(LogFields.REQUEST_ID)).as(message).isFalse();
    }
    assertThat(byMessage(lines, "caller").get(LogFields.THREAD).asString())
        .isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void mdcAndThreadAreCapturedWhenLoggingNotWhenWriting() {
    start(out, 64, 5000);
    MDC.put("step", "one");
    logger.info("first");
    MDC.put("step", "two");
    logger.info("second");
    MDC.remove("step");
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    List<JsonNode> lines = JsonLines.parse(out.toByteArray());
    assertThat(byMessage(lines, "first").get("step").asString()).isEqualTo("one");
    assertThat(byMessage(lines, "second").get("step").asString()).isEqualTo("two");
  }

  @Test
  void stalledOutputNeverBlocksLoggingAndDropsAreCountedAndReported() throws Exception {
    BlockingStream stream = new BlockingStream();
    start(stream, 16, 5000);
    int calls = 10_000;
    for (int i = 0; i < calls; i++) {
      logger.info("event {}", i);
    }
    // Every call returned while the output was still blocked.
    assertThat(stream.release.getCount()).isEqualTo(1);
    assertThat(stream.entered.await(10, TimeUnit.SECONDS)).isTrue();
    long dropped = appender.droppedCount();
    assertThat(dropped).isPositive().isLessThan(calls);
    assertThat(TelemetryAsyncAppender.totalDroppedCount()).isGreaterThanOrEqualTo(dropped);

    stream.release.countDown();
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    JsonNode report =
        awaitLine(stream::snapshot, l -> l.get(LogFields.LEVEL).asString().equals("WARN"), Duration.ofSeconds(10));
    assertThat(report.get(LogFields.LOGGER).asString()).isEqualTo(TelemetryAsyncAppender.SELF_LOGGER);
    assertThat(report.get(TelemetryAsyncAppender.DROPPED_FIELD).asLong()).isEqualTo(dropped);
    assertThat(report.get(LogFields.MESSAGE).asString())
        .startsWith("Dropped " + dropped + " log events since the last report: " + dropped
            + " because the log queue (capacity 16 events, 16777216 bytes) was full");
    List<JsonNode> lines = JsonLines.parse(stream.snapshot());
    long written = lines.stream().filter(l -> l.get(LogFields.MESSAGE).asString().startsWith("event ")).count();
    // Nothing is lost silently: every call was either written or counted as dropped.
    assertThat(written + dropped).isEqualTo(calls);
    assertThat(appender.droppedCount()).isEqualTo(dropped);
    assertThat(lines.stream().filter(l -> l.get(LogFields.LEVEL).asString().equals("WARN"))).hasSize(1);
  }

  @Test
  void stopReturnsWithinItsBoundWhenOutputStaysBlocked() throws Exception {
    BlockingStream stream = new BlockingStream();
    try {
      start(stream, 64, 200);
      for (int i = 0; i < 100; i++) {
        logger.info("event {}", i);
      }
      assertThat(stream.entered.await(10, TimeUnit.SECONDS)).isTrue();
      assertTimeoutPreemptively(Duration.ofSeconds(5), appender::stop);
      assertThat(appender.isStarted()).isFalse();
      logger.info("after stop"); // ignored, never blocks
    } finally {
      stream.release.countDown();
    }
  }

  @Test
  void jsonLoggingStopKeepsItsTotalBoundOverTheAppendersOwn() throws Exception {
    BlockingStream stream = new BlockingStream();
    try {
      start(stream, 64, 5000);
      logger.info("stuck");
      assertThat(stream.entered.await(10, TimeUnit.SECONDS)).isTrue();
      assertTimeoutPreemptively(
          Duration.ofSeconds(4), () -> JsonLogging.stop(List.of(appender), Duration.ofMillis(300)));
      assertThat(appender.isStarted()).isFalse();
    } finally {
      stream.release.countDown();
    }
  }

  @Test
  void stopWritesWhatIsQueued() {
    start(out, 2048, 5000);
    for (int i = 0; i < 1000; i++) {
      logger.info("event {}", i);
    }
    appender.stop();
    List<JsonNode> lines = JsonLines.parse(out.toByteArray());
    assertThat(lines).hasSize(1000);
    assertThat(lines.get(999).get(LogFields.MESSAGE).asString()).isEqualTo("event 999");
    assertThat(appender.droppedCount()).isZero();
  }

  @Test
  void anEventThatFailsToEncodeIsDroppedWithoutAPartialLine() {
    start(out, 64, 5000);
    logger.info("before");
    logger.info("bad {}", kv("payload", new Exploding()));
    logger.info("after");
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    JsonNode report = awaitLine(out::toByteArray, l -> l.get(LogFields.LEVEL).asString().equals("WARN"),
        Duration.ofSeconds(10));
    assertThat(report.get(TelemetryAsyncAppender.DROPPED_FIELD).asLong()).isEqualTo(1);
    assertThat(report.get(LogFields.MESSAGE).asString()).endsWith(", 1 because encoding or writing failed");
    List<JsonNode> lines = JsonLines.parse(out.toByteArray());
    assertThat(lines)
        .filteredOn(l -> l.get(LogFields.LEVEL).asString().equals("INFO"))
        .extracting(l -> l.get(LogFields.MESSAGE).asString())
        .containsExactly("before", "after");
    assertThat(appender.droppedCount()).isEqualTo(1);
  }

  @Test
  void defaultTargetIsTheRealStdoutNotSystemOut() throws Exception {
    java.io.PrintStream original = System.out;
    ByteArrayOutputStream replaced = new ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(replaced, true));
    try {
      appender = new TelemetryAsyncAppender();
      appender.setContext(context);
      appender.start();
      logger.addAppender(appender);
      logger.info("to the real stdout");
      assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    } finally {
      System.setOut(original);
    }
    assertThat(replaced.size()).isZero();
  }

  /** A bean whose serialisation fails. */
  public static final class Exploding {
    public String getValue() {
      throw new IllegalStateException("cannot serialise");
    }

    @Override
    public String toString() {
      return "exploding";
    }
  }

  private static JsonNode awaitLine(
      java.util.function.Supplier<byte[]> output, Predicate<JsonNode> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      byte[] bytes = output.get();
      String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      if (end >= 0) {
        for (JsonNode line : JsonLines.parse(text.substring(0, end + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
          if (match.test(line)) {
            return line;
          }
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
    }
    throw new AssertionError("no matching line within " + timeout);
  }

  /** An output that blocks every write until released, like a pipe nobody reads. */
  @Test
  void theQueueIsBoundedInBytesUnderAStalledOutputWhateverTheMessageSize() throws Exception {
    BlockingStream stream = new BlockingStream();
    appender = new TelemetryAsyncAppender();
    appender.setContext(context);
    appender.setOutputStream(stream);
    appender.setQueueSize(8192);
    appender.setMaxQueueBytes(4L << 20);
    appender.setMaxFlushTime(5000);
    appender.start();
    logger.addAppender(appender);
    String big = "x".repeat(64 * 1024 - 1) + " ";
    int calls = 2_000; // 128 MiB of messages
    for (int i = 0; i < calls; i++) {
      logger.info(big + i);
      assertThat(appender.queuedBytes()).isLessThanOrEqualTo(4L << 20);
    }
    long dropped = appender.droppedCount();
    // 4 MiB hold about 30 of these events (2 bytes a character): the rest was dropped and counted.
    assertThat(dropped).isGreaterThan(calls - 64L);
    stream.release.countDown();
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    List<JsonNode> lines = JsonLines.parse(stream.snapshot());
    long written = lines.stream().filter(l -> l.get(LogFields.MESSAGE).asString().startsWith("xxx")).count();
    assertThat(written + dropped).isEqualTo(calls);
    assertThat(appender.queuedBytes()).isZero();
    JsonNode report =
        awaitLine(stream::snapshot, l -> l.get(LogFields.LEVEL).asString().equals("WARN"), Duration.ofSeconds(10));
    assertThat(report.get(TelemetryAsyncAppender.DROPPED_FIELD).asLong()).isEqualTo(dropped);
  }

  @Test
  void aLongMessageIsCutToTheLineCapWithAVisibleMarkerAndItsSecretsStillMasked() throws Exception {
    start(out, 64, 5000);
    String message = "token=" + "abc123".repeat(10) + " " + "y".repeat(1_000_000) + " password=hunter2";
    logger.info(message);
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    String raw = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(TelemetryAsyncAppender.DEFAULT_MAX_LINE_LENGTH);
    JsonNode line = JsonLines.parse(out.toByteArray()).get(0);
    assertThat(line.get(LogFields.MESSAGE).asString())
        .startsWith("token=****")
        .endsWith(" <truncated: " + message.length() + " chars in all>");
    assertThat(raw).doesNotContain("abc123").doesNotContain("hunter2");
    assertThat(appender.truncatedCount()).isEqualTo(1);
  }

  @Test
  void aLineOverTheCapBecauseOfItsFieldsIsWrittenWithoutThem() throws Exception {
    start(out, 64, 5000);
    appender.stop();
    appender = new TelemetryAsyncAppender();
    appender.setContext(context);
    appender.setOutputStream(out);
    appender.setMaxLineLength(4096);
    appender.start();
    logger.detachAndStopAllAppenders();
    logger.addAppender(appender);
    MDC.put("a", "1".repeat(3000));
    MDC.put("b", "2".repeat(3000));
    try {
      logger.info("short message");
    } finally {
      MDC.clear();
    }
    assertThat(appender.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(out.size()).isLessThanOrEqualTo(4096);
    JsonNode line = JsonLines.parse(out.toByteArray()).get(0);
    assertThat(line.get(LogFields.MESSAGE).asString()).startsWith("short message");
    assertThat(line.has("a")).isFalse();
    assertThat(appender.droppedCount()).isZero();
  }

  static final class BlockingStream extends OutputStream {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(1);
    final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    synchronized byte[] snapshot() {
      return captured.toByteArray();
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      synchronized (this) {
        captured.write(b, off, len);
      }
    }
  }
}
