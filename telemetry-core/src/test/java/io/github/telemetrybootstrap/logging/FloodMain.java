package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.Telemetry;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service that floods a stdout nobody reads with large messages, for {@link StalledStdoutFloodTest}:
 * prints {@code heap-after-gc=<bytes> logged=<n> dropped=<n> truncated=<n>} on stderr and halts.
 */
public final class FloodMain {
  private FloodMain() {}

  public static void main(String[] args) throws Exception {
    Telemetry.builder()
        .serviceName("flood")
        .setting("telemetry.metrics.enabled", "false")
        .otelProperty("otel.traces.exporter", "none")
        .build();
    Logger log = LoggerFactory.getLogger("flood");
    String kb64 = "m".repeat(64 * 1024);
    String mb1 = "M".repeat(1024 * 1024);
    AtomicLong logged = new AtomicLong();
    long until = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int n = t;
      Thread th = new Thread(() -> {
        long i = 0;
        while (System.nanoTime() < until) {
          log.info("{} {}", i++ % 50 == 0 ? mb1 : kb64, n);
          logged.incrementAndGet();
        }
      });
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) {
      th.join();
    }
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.err.println("heap-after-gc=" + used + " logged=" + logged.get() + " dropped="
        + JsonLogging.droppedCount() + " truncated=" + TelemetryAsyncAppender.totalTruncatedCount());
    System.err.flush();
    Runtime.getRuntime().halt(0);
  }
}
