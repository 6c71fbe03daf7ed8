package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.context.RequestLogContext;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.event.KeyValuePair;

/**
 * Writes log events to stdout (or another stream) from a single background thread, so logging never
 * waits for output.
 *
 * <p>{@link #append} runs on the thread that logs: it captures the event's deferred data (formatted
 * message, thread name, MDC) and the OpenTelemetry {@link Context#current()} into a small snapshot
 * and offers it to a bounded queue ({@link #setQueueSize(int) queueSize}, default
 * {@value #DEFAULT_QUEUE_SIZE} events). It never blocks: when the queue is full the event is dropped
 * and counted ({@link #droppedCount()}). A daemon worker thread takes events in batches, encodes each
 * with the {@link #setEncoder encoder} (default {@link TelemetryJsonEncoder}) while the captured
 * context is current (so trace, tenant and request fields are those of the logging thread), and
 * writes each batch with one write and flush. An event that fails to encode is dropped and counted;
 * it never leaves a partial line.
 *
 * <p>When events were dropped, the worker writes one {@code WARN} line from logger
 * {@value #SELF_LOGGER} once output has caught up (the queue is empty), or at most every
 * {@value #REPORT_INTERVAL_SECONDS} seconds while it has not, stating how many events were dropped
 * since the last report and why (queue full, or encoding or output failed); the count is also in the
 * field {@value #DROPPED_FIELD}.
 *
 * <p>The target defaults to the process's real standard output ({@link FileDescriptor#out}), not
 * {@code System.out}, which an application or test may have replaced. A stalled stdout (a pipe nobody
 * reads) stalls only the worker: logging threads go on and events are dropped and counted.
 *
 * <p>{@link #stop()} lets the worker write what is queued, waiting at most
 * {@link #setMaxFlushTime(int) maxFlushTime} (default {@value #DEFAULT_MAX_FLUSH_TIME_MS} ms); it
 * never hangs on a stalled stream (the daemon worker is left behind). In logback XML:
 * <pre>{@code <appender name="TELEMETRY_JSON" class="io.github.telemetrybootstrap.logging.TelemetryAsyncAppender">
 *   <queueSize>8192</queueSize>
 *   <maxFlushTime>5000</maxFlushTime>
 *   <encoder class="io.github.telemetrybootstrap.logging.TelemetryJsonEncoder"/>
 * </appender>}</pre>
 */
public class TelemetryAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  /** Default queue capacity, in events. */
  public static final int DEFAULT_QUEUE_SIZE = 8192;
  /** Default bound on {@link #stop()}, in milliseconds. */
  public static final int DEFAULT_MAX_FLUSH_TIME_MS = 5000;
  /** Logger name of the lines the appender writes about itself. */
  public static final String SELF_LOGGER = "io.github.telemetrybootstrap.logging";
  /** Field of the drop report carrying the number of dropped events. */
  public static final String DROPPED_FIELD = "dropped_events";
  /** Longest time between drop reports while output keeps falling behind, in seconds. */
  public static final int REPORT_INTERVAL_SECONDS = 10;
  /** Default bound on the memory the queued events hold, in bytes (estimated): 16 MiB. */
  public static final long DEFAULT_QUEUE_BYTES = 16L << 20;
  /** Default cap on one encoded line, in bytes (UTF-8, with the newline): 64 KiB. */
  public static final int DEFAULT_MAX_LINE_LENGTH = 65_536;
  /** Fixed per-event overhead of the estimate (event, snapshot, fixed fields), in bytes. */
  static final int EVENT_OVERHEAD_BYTES = 512;

  private static final int MAX_BATCH = 512;
  /** How long the writer waits after a batch that did not fill up, in nanoseconds: 1 ms. */
  static final long LINGER_NANOS = 1_000_000;
  private static final int MAX_RETAINED_BUFFER = 1 << 20;
  /**
   * A batch is written out once its encoded bytes reach this, so the bytes taken off the queue but not
   * yet written stay near 1 MiB plus one line, however large the lines (the queue bound counts only what
   * is still queued).
   */
  private static final int MAX_BATCH_BYTES = 1 << 20;
  private static final LongAdder TOTAL_DROPPED = new LongAdder();
  private static final LongAdder TOTAL_TRUNCATED = new LongAdder();
  private static final Set<TelemetryAsyncAppender> RUNNING = new CopyOnWriteArraySet<>();
  private static final CopyOnWriteArrayList<Consumer<byte[]>> TEES = new CopyOnWriteArrayList<>();

  private int queueSize = DEFAULT_QUEUE_SIZE;
  private long maxQueueBytes = LogLimits.queueBytes();
  private int maxLineLength = LogLimits.maxLineLength();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final LongAdder truncated = new LongAdder();
  private int maxFlushTime = DEFAULT_MAX_FLUSH_TIME_MS;
  private @Nullable Encoder<ILoggingEvent> encoder;
  private @Nullable OutputStream target;

  private @Nullable ArrayBlockingQueue<Object> queue;
  private @Nullable Thread worker;
  private @Nullable Worker writer;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder droppedSinceReport = new LongAdder();
  private final LongAdder failedSinceReport = new LongAdder();
  private final AtomicLong enqueued = new AtomicLong();
  private volatile long processed;
  private final Object progress = new Object();
  private static final Object STOP = new Object();

  /** The immutable snapshot taken on the logging thread, with its estimated size in bytes. */
  private record Captured(ILoggingEvent event, Context context, long bytes) {}

  /** Creates an appender with the defaults; configure it, set a context, then {@link #start()}. */
  public TelemetryAsyncAppender() {
    setName("TELEMETRY_JSON");
  }

  /**
   * Sets the queue capacity. Takes effect at {@link #start()}.
   *
   * @param events 16..1048576; default {@value #DEFAULT_QUEUE_SIZE}
   * @throws IllegalArgumentException when out of range
   */
  public void setQueueSize(int events) {
    if (events < 16 || events > (1 << 20)) {
      throw new IllegalArgumentException("queueSize must be 16..1048576 events, was " + events);
    }
    this.queueSize = events;
  }

  /** @return the queue capacity, in events */
  public int getQueueSize() {
    return queueSize;
  }

  /**
   * Bounds the memory held by queued events, so a stalled stdout and large messages cannot exhaust
   * the heap. The size of an event is estimated on the logging thread (its message, MDC, key/value
   * pairs, arguments and throwable, two bytes per character, plus {@value #EVENT_OVERHEAD_BYTES});
   * an event that does not fit is dropped and counted, like one that finds the queue full.
   *
   * @param bytes 65536..4294967296; default {@value #DEFAULT_QUEUE_BYTES} (16 MiB), or
   *     {@code telemetry.logging.queue-bytes}
   * @throws IllegalArgumentException when out of range
   */
  public void setMaxQueueBytes(long bytes) {
    if (bytes < 65_536 || bytes > (4L << 30)) {
      throw new IllegalArgumentException("maxQueueBytes must be 65536..4294967296 bytes, was " + bytes);
    }
    this.maxQueueBytes = bytes;
  }

  /** @return the bound on queued memory, in bytes */
  public long getMaxQueueBytes() {
    return maxQueueBytes;
  }

  /**
   * Caps one line. A message longer than the cap is cut on the logging thread (so the queue never
   * holds it whole) and ends with {@code  <truncated: N chars in all>}; a line still longer than the cap
   * once encoded is written again with its message cut further and without its MDC, key/value,
   * argument and marker fields; one that still does not fit is dropped and counted.
   *
   * @param bytes 1024..16777216; default {@value #DEFAULT_MAX_LINE_LENGTH}, or
   *     {@code telemetry.logging.max-line-length}
   * @throws IllegalArgumentException when out of range
   */
  public void setMaxLineLength(int bytes) {
    if (bytes < 1024 || bytes > (16 << 20)) {
      throw new IllegalArgumentException("maxLineLength must be 1024..16777216 bytes, was " + bytes);
    }
    this.maxLineLength = bytes;
  }

  /** @return the cap on one line, in bytes */
  public int getMaxLineLength() {
    return maxLineLength;
  }

  /** @return the estimated bytes the queued events hold now */
  long queuedBytes() {
    return queuedBytes.get();
  }

  /**
   * Lines this appender shortened to fit {@link #getMaxLineLength()}. Monotonically increasing.
   *
   * @return the count, in lines
   */
  public long truncatedCount() {
    return truncated.sum();
  }

  /**
   * Sets how long {@link #stop()} may wait for queued events to be written.
   *
   * @param millis 0..600000; default {@value #DEFAULT_MAX_FLUSH_TIME_MS}
   * @throws IllegalArgumentException when out of range
   */
  public void setMaxFlushTime(int millis) {
    if (millis < 0 || millis > 600_000) {
      throw new IllegalArgumentException("maxFlushTime must be 0..600000 ms, was " + millis);
    }
    this.maxFlushTime = millis;
  }

  /** @return the bound on {@link #stop()}, in milliseconds */
  public int getMaxFlushTime() {
    return maxFlushTime;
  }

  /**
   * Sets the encoder; default a {@link TelemetryJsonEncoder} created at {@link #start()}. Started at
   * {@link #start()} if it is not yet.
   *
   * @param encoder the encoder
   */
  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  /** @return the encoder, or {@code null} before {@link #start()} when none was set */
  public @Nullable Encoder<ILoggingEvent> getEncoder() {
    return encoder;
  }

  /**
   * Sets the stream written to; default the process's standard output ({@link FileDescriptor#out}).
   * Takes effect at {@link #start()}. The appender does not close it.
   *
   * @param target the stream
   */
  public void setOutputStream(OutputStream target) {
    this.target = target;
  }

  /**
   * Events this appender dropped since it was created: the queue was full, the event failed to encode
   * or the output failed. Monotonically increasing.
   *
   * @return the count, in events
   */
  public long droppedCount() {
    return dropped.sum();
  }

  /**
   * Events dropped by all appenders of this class in this class loader since it was loaded.
   * Monotonically increasing; backs the metric {@code telemetry.logs.dropped}.
   *
   * @return the count, in events
   */
  public static long totalDroppedCount() {
    return TOTAL_DROPPED.sum();
  }

  /**
   * Lines shortened to the line cap by all appenders of this class in this class loader.
   * Monotonically increasing; backs the metric {@code telemetry.logs.truncated}.
   *
   * @return the count, in lines
   */
  public static long totalTruncatedCount() {
    return TOTAL_TRUNCATED.sum();
  }

  /**
   * Registers a tee: a test hook that receives a copy of exactly the bytes every appender of this
   * class (in this class loader) hands to its output stream. Each call receives one write: one or more
   * complete encoded lines, each terminated by {@code \n}, UTF-8, in output order; never a partial
   * line. The tee is called on the appender's writer thread just before the stream write (so it also
   * sees lines whose write to stdout then fails); calls for one appender are sequential, calls for
   * different appenders may be concurrent. Everything appended before {@link #flush(Duration)}
   * returns {@code true} has been passed to the tees. A tee must be fast and must not log; one that
   * throws is reported as a logback status warning and does not affect the output. The array is a
   * copy the tee may keep. Thread-safe; registering the same tee twice has no further effect.
   *
   * <p>Meant for tests (the testkit's JUnit extension captures the log lines this way); a service
   * does not need it.
   *
   * @param tee receives each written chunk
   */
  public static void addTee(Consumer<byte[]> tee) {
    TEES.addIfAbsent(Objects.requireNonNull(tee, "tee"));
  }

  /**
   * Removes a tee registered with {@link #addTee(Consumer)}; a write in progress on another thread
   * may still reach it. Thread-safe; removing an unknown tee does nothing.
   *
   * @param tee the tee to remove
   */
  public static void removeTee(Consumer<byte[]> tee) {
    TEES.remove(tee);
  }

  /** @return the started appenders of this class, for flushing at shutdown */
  static Set<TelemetryAsyncAppender> running() {
    return RUNNING;
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    if (encoder == null) {
      encoder = new TelemetryJsonEncoder();
    }
    if (encoder.getContext() == null) {
      encoder.setContext(getContext());
    }
    if (!encoder.isStarted()) {
      encoder.start();
    }
    OutputStream out = target != null ? target : new FileOutputStream(FileDescriptor.out);
    queue = new ArrayBlockingQueue<>(queueSize);
    Worker w = new Worker(queue, encoder, out);
    writer = w;
    Thread t = new Thread(w, "telemetry-log-writer");
    t.setDaemon(true);
    worker = t;
    super.start();
    RUNNING.add(this);
    t.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    ArrayBlockingQueue<Object> q = queue;
    if (q == null) {
      return;
    }
    if (q.remainingCapacity() == 0) {
      drop(1);
      return;
    }
    event.prepareForDeferredProcessing();
    ILoggingEvent kept = event;
    String formatted = event.getFormattedMessage();
    int messageCap = Math.max(maxLineLength / 2, maxLineLength - 2048); // room for the other fields
    if (formatted != null && formatted.length() > messageCap) {
      kept = TruncatedEvent.cut(event, SingleLineMessageJsonProvider.formatted(event, SecretMasking.GLOBAL), messageCap, false);
      truncated.increment();
      TOTAL_TRUNCATED.increment();
    }
    long bytes = estimateBytes(kept);
    if (queuedBytes.addAndGet(bytes) > maxQueueBytes) {
      queuedBytes.addAndGet(-bytes);
      drop(1);
      return;
    }
    if (q.offer(new Captured(kept, RequestLogContext.current(), bytes))) {
      enqueued.incrementAndGet();
    } else {
      queuedBytes.addAndGet(-bytes);
      drop(1);
    }
  }

  /** The estimated heap an event holds until it is written, in bytes. */
  static long estimateBytes(ILoggingEvent event) {
    long chars = 0;
    String message = event.getFormattedMessage();
    if (message != null) {
      chars += message.length();
    }
    if (event instanceof TruncatedEvent t) {
      // The original event still holds its whole formatted message until the line is written.
      String whole = t.original().getFormattedMessage();
      chars += whole == null ? 0 : whole.length();
    }
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null && !mdc.isEmpty()) {
      for (Map.Entry<String, String> e : mdc.entrySet()) {
        chars += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length()) + 16;
      }
    }
    List<KeyValuePair> kvs = event.getKeyValuePairs();
    if (kvs != null) {
      for (KeyValuePair kv : kvs) {
        chars += kv.key.length() + 32 + (kv.value instanceof CharSequence cs ? cs.length() : 32);
      }
    }
    Object[] args = event.getArgumentArray();
    if (args != null) {
      chars += 32L * args.length;
    }
    ch.qos.logback.classic.spi.IThrowableProxy t = event.getThrowableProxy();
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      chars += (t.getMessage() == null ? 0 : t.getMessage().length()) + t.getClassName().length();
      ch.qos.logback.classic.spi.StackTraceElementProxy[] frames = t.getStackTraceElementProxyArray();
      chars += frames == null ? 0 : 48L * frames.length;
    }
    return EVENT_OVERHEAD_BYTES + 2 * chars;
  }

  private void drop(long n) {
    dropped.add(n);
    droppedSinceReport.add(n);
    TOTAL_DROPPED.add(n);
  }

  /**
   * Waits until every event appended before this call has been written (or dropped), at most
   * {@code timeout}. Never throws; returns early when interrupted (keeping the interrupt status).
   *
   * @param timeout the longest wait
   * @return whether everything was written in time
   */
  public boolean flush(Duration timeout) {
    long target = enqueued.get();
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    synchronized (progress) {
      while (processed < target) {
        Thread w = worker;
        if (w == null || !w.isAlive()) {
          return false;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Stops accepting events, lets the worker write what is queued within
   * {@link #getMaxFlushTime() maxFlushTime}, then stops the encoder if the worker finished. Returns
   * within that bound even when the output is stalled.
   */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    Worker current = writer;
    if (current != null) {
      current.stopping = true;
    }
    super.stop();
    RUNNING.remove(this);
    Thread w = worker;
    ArrayBlockingQueue<Object> q = queue;
    if (q != null) {
      q.offer(STOP); // wakes an idle worker; a busy one sees the flag after its batch
    }
    if (w != null) {
      try {
        w.join(Math.max(1, maxFlushTime));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (w.isAlive()) {
        addWarn("Log writer did not finish within " + maxFlushTime + " ms (output stalled?); "
            + (q == null ? 0 : q.size()) + " queued events may be lost");
        return;
      }
    }
    if (encoder != null && encoder.isStarted()) {
      encoder.stop();
    }
  }

  /** The background writer. */
  private final class Worker implements Runnable {
    private final ArrayBlockingQueue<Object> queue;
    private final Encoder<ILoggingEvent> encoder;
    private final OutputStream out;
    private final Batch batch = new Batch();
    private final List<Object> items = new ArrayList<>(MAX_BATCH);
    private long lastReportNanos = System.nanoTime();
    /** Set by {@link #stop()}: write what is queued, then end. */
    volatile boolean stopping;

    Worker(ArrayBlockingQueue<Object> queue, Encoder<ILoggingEvent> encoder, OutputStream out) {
      this.queue = queue;
      this.encoder = encoder;
      this.out = out;
    }

    @Override
    public void run() {
      try {
        while (true) {
          Object first;
          try {
            first = stopping ? queue.poll() : queue.take();
          } catch (InterruptedException e) {
            if (stopping) {
              first = queue.poll();
            } else {
              continue;
            }
          }
          if (first == null) {
            return; // stopping and drained
          }
          items.add(first);
          queue.drainTo(items, MAX_BATCH - 1);
          boolean full = items.size() >= MAX_BATCH;
          writeBatch();
          maybeReportDrops();
          if (!full && !stopping) {
            // Linger before the next take: lines that arrive meanwhile are written together, so a busy
            // service pays one writer wake-up (a context switch on its core) per LINGER, not per line.
            // An idle writer still blocks in take(); a line waits at most LINGER longer.
            LockSupport.parkNanos(LINGER_NANOS);
          }
        }
      } finally {
        signalProgress();
      }
    }

    private void writeBatch() {
      int events = 0;
      int failed = 0;
      batch.reset();
      for (Object item : items) {
        if (!(item instanceof Captured c)) {
          continue;
        }
        if (batch.size() >= MAX_BATCH_BYTES) {
          flushBatch(events, failed);
          events = 0;
          failed = 0;
        }
        events++;
        queuedBytes.addAndGet(-c.bytes());
        int mark = batch.size();
        try (Scope ignored = c.context().makeCurrent()) {
          encodeInto(c.event());
          if (batch.size() - mark > maxLineLength) {
            // Over the cap once encoded (large MDC or arguments): the message cut further, no user fields.
            batch.truncate(mark);
            ILoggingEvent original =
                c.event() instanceof TruncatedEvent t ? t.original() : c.event();
            encodeInto(TruncatedEvent.cut(
                original, SingleLineMessageJsonProvider.formatted(original, SecretMasking.GLOBAL), maxLineLength / 4, true));
            truncated.increment();
            TOTAL_TRUNCATED.increment();
            if (batch.size() - mark > maxLineLength) {
              batch.truncate(mark);
              failed++;
              addWarnLimited("Dropped a log line longer than " + maxLineLength + " bytes even when shortened");
            }
          }
        } catch (RuntimeException | IOException | LinkageError e) {
          batch.truncate(mark);
          failed++;
          addWarnLimited("Dropped a log event that failed to encode: " + e);
        }
      }
      items.clear();
      flushBatch(events, failed);
      signalProgress();
    }

    /** Writes the batch holding {@code events} events, {@code failed} of which failed to encode. */
    private void flushBatch(int events, int failed) {
      if (failed > 0) {
        drop(failed);
        failedSinceReport.add(failed);
      }
      if (batch.size() > 0 && !writeOut()) {
        drop(events - failed);
        failedSinceReport.add(events - failed);
      }
      processed += events;
      batch.reset();
    }

    private void encodeInto(ILoggingEvent event) throws IOException {
      if (encoder instanceof net.logstash.logback.encoder.StreamingEncoder<?>) {
        @SuppressWarnings("unchecked")
        net.logstash.logback.encoder.StreamingEncoder<ILoggingEvent> streaming =
            (net.logstash.logback.encoder.StreamingEncoder<ILoggingEvent>) encoder;
        streaming.encode(event, batch);
      } else {
        byte[] bytes = encoder.encode(event);
        if (bytes != null) {
          batch.write(bytes);
        }
      }
    }

    private boolean writeOut() {
      if (!TEES.isEmpty()) {
        byte[] copy = batch.toByteArray();
        for (Consumer<byte[]> tee : TEES) {
          try {
            tee.accept(copy);
          } catch (RuntimeException e) {
            addWarnLimited("A log tee failed: " + e);
          }
        }
      }
      try {
        batch.writeTo(out);
        out.flush();
        return true;
      } catch (IOException | RuntimeException e) {
        addWarnLimited("Failed to write log events: " + e);
        return false;
      } finally {
        batch.shrink();
      }
    }

    private void maybeReportDrops() {
      if (droppedSinceReport.sum() == 0) {
        return;
      }
      long now = System.nanoTime();
      if (!queue.isEmpty() && now - lastReportNanos < TimeUnit.SECONDS.toNanos(REPORT_INTERVAL_SECONDS)) {
        return;
      }
      long n = droppedSinceReport.sumThenReset();
      long failed = Math.min(n, failedSinceReport.sumThenReset());
      if (n == 0) {
        return;
      }
      lastReportNanos = now;
      LoggingEvent report = new LoggingEvent();
      report.setLoggerName(SELF_LOGGER);
      report.setLevel(Level.WARN);
      report.setThreadName(Thread.currentThread().getName());
      report.setInstant(Instant.now());
      report.setMessage(
          "Dropped " + n + " log events since the last report: " + (n - failed)
              + " because the log queue (capacity " + queueSize + " events, " + maxQueueBytes
              + " bytes) was full as output was slower than logging, " + failed
              + " because encoding or writing failed");
      report.setMDCPropertyMap(Map.of());
      report.setKeyValuePairs(new ArrayList<>(List.of(new KeyValuePair(DROPPED_FIELD, n))));
      batch.reset();
      try (Scope ignored = Context.root().makeCurrent()) {
        encodeInto(report);
      } catch (RuntimeException | IOException e) {
        addWarnLimited("Failed to encode the drop report: " + e);
        return;
      }
      if (!writeOut()) {
        droppedSinceReport.add(n); // report again once output works
        failedSinceReport.add(failed);
      }
    }

    private void signalProgress() {
      synchronized (progress) {
        progress.notifyAll();
      }
    }
  }

  private final AtomicLong warnings = new AtomicLong();

  private void addWarnLimited(String message) {
    long n = warnings.incrementAndGet();
    if (n <= 10 || Long.bitCount(n) == 1) {
      addWarn(message + " (occurrence " + n + ")");
    }
  }

  /** A reusable byte buffer that can drop a partly written event. */
  private static final class Batch extends OutputStream {
    private byte[] buf = new byte[8192];
    private int count;

    @Override
    public void write(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    private void ensure(int extra) {
      if (count + extra > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + extra));
      }
    }

    int size() {
      return count;
    }

    void truncate(int size) {
      count = size;
    }

    void reset() {
      count = 0;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, count);
    }

    void writeTo(OutputStream out) throws IOException {
      out.write(buf, 0, count);
    }

    void shrink() {
      count = 0;
      if (buf.length > MAX_RETAINED_BUFFER) {
        buf = new byte[8192];
      }
    }
  }
}
