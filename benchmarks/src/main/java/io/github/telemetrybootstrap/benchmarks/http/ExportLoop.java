package io.github.telemetrybootstrap.benchmarks.http;

import com.sun.net.httpserver.HttpServer;
import io.github.telemetrybootstrap.benchmarks.SpanExportBenchmark;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one span costs to export through the OpenTelemetry SDK's OTLP exporter over HTTP, measured as
 * the CPU of a process that does nothing else: {@code export <port> <exports-per-round> <rounds>
 * [batches=1]} exports batches of {@value SpanExportBenchmark#BATCH} real server spans ({@link
 * SpanExportBenchmark#serverSpans}) again and again, each export waited for, to an OTLP sink in
 * another process ({@code sink <port>}, a JDK {@code HttpServer} with {@code TCP_NODELAY} that reads
 * each body and answers {@code 200}), and prints per round the wall time and the process's CPU time
 * per export and per span. Against {@code SpanExportBenchmark} (the marshalling alone, on a hot
 * core) the difference is the HTTP client and the export path's warm-up. With one batch its spans
 * stay in the CPU's caches; with {@code batches} of them taken in turn, each export reads spans the
 * caches have not held since {@code batches} exports ago, as a service's exporter reads spans other
 * threads made while the core served requests. {@code
 * benchmarks/http/export-loop.sh} runs both halves pinned to separate cores.
 */
public final class ExportLoop {
  private ExportLoop() {}

  /**
   * Runs the sink or the exporter.
   *
   * @param args {@code sink <port>} or {@code export <port> <exports-per-round> <rounds> [batches]}
   * @throws Exception when the sink cannot bind, or an export fails or times out
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("sink")) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
      HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 0);
      sink.createContext("/", exchange -> {
        try (InputStream body = exchange.getRequestBody()) {
          body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      sink.start();
      return;
    }
    if ((args.length != 4 && args.length != 5) || !args[0].equals("export")) {
      throw new IllegalArgumentException("usage: ExportLoop sink <port> | "
          + "ExportLoop export <port> <exports-per-round> <rounds> [batches]");
    }
    int exports = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    int batches = args.length == 5 ? Integer.parseInt(args[4]) : 1;
    List<SpanData> all = SpanExportBenchmark.serverSpans(SpanExportBenchmark.BATCH * batches);
    List<List<SpanData>> batchList = new java.util.ArrayList<>();
    for (int b = 0; b < batches; b++) {
      batchList.add(all.subList(b * SpanExportBenchmark.BATCH, (b + 1) * SpanExportBenchmark.BATCH));
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder().setEndpoint("http://127.0.0.1:" + args[1] + "/v1/traces").build();
    try {
      for (int round = 1; round <= rounds; round++) {
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < exports; i++) {
          CompletableResultCode result =
              exporter.export(batchList.get(i % batches)).join(10, TimeUnit.SECONDS);
          if (!result.isSuccess()) {
            throw new IllegalStateException("export " + i + " of round " + round + " failed");
          }
        }
        double wallUs = (System.nanoTime() - wall) / 1e3 / exports;
        double cpuUs = (os.getProcessCpuTime() - cpu) / 1e3 / exports;
        System.out.printf(java.util.Locale.ROOT,
            "round %d: %d exports of %d spans (%d batches in turn): wall %.0f µs, CPU %.0f µs per export"
                + " = %.2f µs per span%n",
            round, exports, SpanExportBenchmark.BATCH, batches, wallUs, cpuUs, cpuUs / SpanExportBenchmark.BATCH);
      }
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
