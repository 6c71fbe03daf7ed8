package io.github.telemetrybootstrap.testkit.bench;

import io.github.telemetrybootstrap.testkit.cli.LintLogs;
import io.github.telemetrybootstrap.testkit.cli.LintReport;
import io.github.telemetrybootstrap.testkit.cli.LogFormat;
import io.github.telemetrybootstrap.testkit.logs.LogLineValidator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Load test of the {@code lint-logs} code path (not part of the test run): generates a file of
 * contract lines as the core writes them and measures lines per second, single-threaded, through
 * {@link LintLogs#lint}, the method the command runs per input.
 *
 * <pre>
 * ./mvnw -B -q -pl telemetry-testkit -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * cd telemetry-testkit
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) \
 *     io.github.telemetrybootstrap.testkit.bench.LintLogsThroughput [lines] [iterations]
 * </pre>
 */
public final class LintLogsThroughput {
  private static final java.time.format.DateTimeFormatter TIME =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

  private LintLogsThroughput() {}

  /**
   * Generates the file (if missing) and measures.
   *
   * @param args optional line count (default 1,000,000) and iteration count (default 7)
   * @throws IOException when the file can't be written or read
   */
  public static void main(String[] args) throws IOException {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    Path file = Path.of("target", "lint-logs-bench-" + lines + ".log");
    if (!Files.exists(file)) {
      generate(file, lines);
    }
    long bytes = Files.size(file);
    System.out.printf(Locale.ROOT, "file %s: %,d lines, %,d bytes (%.0f bytes/line)%n", file, lines, bytes,
        (double) bytes / lines);
    LogLineValidator validator = LogLineValidator.create();
    double[] rates = new double[iterations];
    double[] cpuRates = new double[iterations];
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < iterations; i++) {
      LintReport report = new LintReport(20);
      long t0 = System.nanoTime();
      long c0 = threads.getCurrentThreadCpuTime();
      try (InputStream in = Files.newInputStream(file)) {
        LintLogs.lint(in, file.toString(), LogFormat.AUTO, validator, report);
      }
      long ns = System.nanoTime() - t0;
      long cpu = threads.getCurrentThreadCpuTime() - c0;
      if (report.lines() != lines || report.violations() != 0) {
        report.printText(System.out);
        throw new IllegalStateException("generated lines must all be valid");
      }
      rates[i] = lines / (ns / 1e9);
      cpuRates[i] = lines / (cpu / 1e9);
      System.out.printf(Locale.ROOT, "iteration %d: %.2f s wall, %.2f s CPU; %,.0f lines/s wall, %,.0f lines per CPU-second,"
          + " %.1f MB/s%n", i + 1, ns / 1e9, cpu / 1e9, rates[i], cpuRates[i], bytes / (ns / 1e9) / 1e6);
    }
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    double[] cpuSorted = cpuRates.clone();
    Arrays.sort(cpuSorted);
    System.out.printf(Locale.ROOT, "wall: median %,.0f lines/s, best %,.0f lines/s; CPU: median %,.0f lines per"
        + " CPU-second (first iteration includes JIT warm-up)%n", sorted[iterations / 2], sorted[iterations - 1],
        cpuSorted[iterations / 2]);
  }

  /** Lines shaped like the core's output: a mix of plain, in-span, tenant, request and error lines. */
  static void generate(Path file, int lines) throws IOException {
    Files.createDirectories(file.getParent());
    Random r = new Random(1);
    String[] loggers = {"com.acme.orders.OrderController", "com.acme.orders.InventoryClient",
        "io.github.telemetrybootstrap.http.ServerInstrumentation", "org.hibernate.SQL"};
    String[] messages = {"order %d created for customer %d", "GET /orders/{id} answered 200 in %d ms (%d bytes)",
        "cache miss for key inventory:%d, loading from database (attempt %d)", "retrying payment %d after timeout of %d ms"};
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder sb = new StringBuilder(512);
      for (int i = 0; i < lines; i++) {
        sb.setLength(0);
        long ms = 1_763_740_800_000L + i * 3L;
        sb.append("{\"@timestamp\":\"").append(TIME.format(java.time.Instant.ofEpochMilli(ms))).append('"');
        boolean error = r.nextInt(100) == 0;
        sb.append(",\"level\":\"").append(error ? "ERROR" : r.nextInt(10) == 0 ? "DEBUG" : "INFO").append('"');
        sb.append(",\"logger\":\"").append(loggers[r.nextInt(loggers.length)]).append('"');
        sb.append(",\"thread\":\"http-worker-").append(r.nextInt(64)).append('"');
        sb.append(",\"message\":\"").append(String.format(Locale.ROOT, messages[r.nextInt(messages.length)],
            r.nextInt(100_000), r.nextInt(5000))).append('"');
        sb.append(",\"service\":\"orders\",\"service_version\":\"1.4.2\",\"env\":\"prod\"");
        if (r.nextInt(10) < 7) {
          sb.append(",\"trace_id\":\"").append(hex(r, 32)).append("\",\"span_id\":\"").append(hex(r, 16))
              .append("\",\"trace_flags\":\"01\"");
          sb.append(",\"tenant_id\":\"tenant-").append(r.nextInt(500)).append('"');
          sb.append(",\"request_id\":\"").append(hex(r, 16)).append('"');
        }
        if (error) {
          sb.append(",\"error\":{\"type\":\"java.lang.IllegalStateException\",\"message\":\"payment declined\","
              + "\"stack_trace\":\"java.lang.IllegalStateException: payment declined\\n\\tat com.acme.Pay.run(Pay.java:42)"
              + "\\n\\tat com.acme.OrderController.handle(OrderController.java:17)\\n\"}");
        }
        sb.append("}\n");
        w.append(sb);
      }
    }
  }

  private static String hex(Random r, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = "0123456789abcdef".charAt(r.nextInt(16));
    }
    c[0] = 'a';
    return new String(c);
  }
}
