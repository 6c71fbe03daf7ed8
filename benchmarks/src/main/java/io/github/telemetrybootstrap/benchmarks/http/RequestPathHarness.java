package io.github.telemetrybootstrap.benchmarks.http;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-path benchmark: the same {@code /hello} service (a JDK {@code HttpServer} whose handler
 * logs one line) run bare, with {@code Telemetry.bootstrap()} and its server filter, and bare under the
 * OpenTelemetry Java agent, side by side in one run, variants interleaved round by round.
 *
 * <p>Run it through {@code benchmarks/http/run.sh}, which builds the two services and pins this
 * harness (load generator, OTLP sink, stdout reader) to one core with {@code taskset}; each service is
 * started on the other core. Per variant and round: time from process start to the first answered
 * request and the service's resident set size (VmRSS) at that moment, then a warm-up and a measured
 * closed loop of keep-alive connections: requests per second, p50 and p99 latency, and the service's
 * CPU time (user + system, all threads, from {@code /proc/<pid>/stat}) per request, which does not
 * depend on whether the service's core or the load generator's is the bottleneck.
 *
 * <p>Arguments: {@code <bare-classpath> <bootstrap-classpath> <agent-jar> [rounds=2] [connections=4]
 * [warmup-s=30] [measure-s=15] [service-cpu=0]}, or {@code --quarkus <plain-quarkus-run.jar>
 * <telemetry-quarkus-run.jar> [rounds] ...} for the Quarkus example with Quarkus's own observability
 * against the same application with telemetry-quarkus ({@code benchmarks/quarkus/run.sh}), or
 * {@code --ab <bootstrap-classpath-A> <bootstrap-classpath-B> [rounds] ...} for two builds of the
 * bootstrap service with the same settings (the effect of one change; {@code -Dharness.envA=K=V,...}
 * and {@code -Dharness.envB=K=V,...} add environment variables to one variant, for the effect of a
 * setting with one build), or {@code --spring
 * <plain-classpath> <telemetry-spring-classpath> [rounds] ...} for the Spring Boot example with Spring
 * Boot's own observability against the same application with telemetry-spring
 * ({@code benchmarks/spring/run.sh});
 * {@code -Dharness.jfr=<dir>} records a JFR profile of every service run into that directory;
 * {@code -Dharness.threads=true} prints, per service run, each thread's CPU, run-queue wait and mean
 * time on the CPU per slice over the measured window ({@code /proc/<pid>/task/<tid>/schedstat}). Prints
 * one Markdown table per run, ratios first.
 */
public final class RequestPathHarness {
  private static final String SPRING_MAIN =
      "io.github.telemetrybootstrap.examples.springboot.SpringBootExampleApplication";

  /** Tomcat closes a keep-alive connection after 100 requests by default; the load loop keeps its four. */
  private static final String SPRING_KEEP_ALIVE = "--server.tomcat.max-keep-alive-requests=-1";

  private RequestPathHarness() {}

  /** Spans the OTLP sink received, all variants. */
  private static final AtomicLong SPANS = new AtomicLong();

  /** One variant's measurement in one round. */
  record Result(String variant, double firstResponseSeconds, long rssKiB, double requestsPerSecond,
      double p50Micros, double p99Micros, double cpuMicrosPerRequest, long logLines, long tracedLogLines,
      long exportRequests, double spansPerRequest, double jitMicrosPerRequest) {}

  /**
   * Runs every variant {@code rounds} times, interleaved, and prints the table.
   *
   * @param args see the class comment; the three paths are required
   * @throws IllegalStateException if a service exits early, answers no request within 60 s, or answers
   *     anything but {@code 200}
   * @throws Exception if a service cannot be started or measured
   */
  public static void main(String[] args) throws Exception {
    boolean quarkus = args[0].equals("--quarkus");
    boolean ab = args[0].equals("--ab");
    boolean spring = args[0].equals("--spring");
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int connections = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 30;
    int measure = args.length > 6 ? Integer.parseInt(args[6]) : 15;
    String serviceCpu = args.length > 7 ? args[7] : "0";

    // The sink is a JDK HttpServer too: without TCP_NODELAY each export's response waits for the
    // exporter's delayed ACK (40 ms), which caps a batch span processor at 25 exports per second and
    // makes it drop spans under load. Read once, when the first HttpServer of this JVM starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    AtomicLong exports = new AtomicLong();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      exports.incrementAndGet();
      if (exchange.getRequestURI().getPath().endsWith("/v1/traces")) {
        try {
          for (var resource : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
            for (var scope : resource.getScopeSpansList()) {
              SPANS.addAndGet(scope.getSpansCount());
            }
          }
        } catch (IOException notProtobuf) {
          // counted as an export, not as spans
        }
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1); // an empty Export*ServiceResponse
      exchange.close();
    });
    sink.start();
    String otlp = "http://127.0.0.1:" + sink.getAddress().getPort();
    List<String> names = quarkus ? List.of("quarkus", "telemetry-quarkus")
        : spring ? List.of("spring", "telemetry-spring")
        : ab ? List.of("A", "B") : List.of("bare", "bootstrap", "agent");

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, List<Result>> results = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (String variant : names) {
        int port = freePort();
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed
        // ACK: 40 ms per request, whatever the variant.
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", serviceCpu, java,
            "-Dsun.net.httpserver.nodelay=true"));
        String jfrDir = System.getProperty("harness.jfr"); // profile each service: -Dharness.jfr=<dir>
        if (jfrDir != null) {
          cmd.add("-XX:StartFlightRecording=settings=profile,jdk.ExecutionSample#period=1ms,filename="
              + Path.of(jfrDir, variant + "-round" + round + ".jfr").toAbsolutePath());
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OTEL_SERVICE_NAME", "hello");
        switch (variant) {
          case "bare" -> cmd.addAll(List.of("-cp", args[0], "bench.Hello", Integer.toString(port)));
          case "bootstrap" -> {
            cmd.addAll(List.of("-cp", args[1], "bench.Hello", Integer.toString(port)));
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp);
            env.put("TELEMETRY_METRICS_PORT", Integer.toString(freePort()));
          }
          case "agent" -> {
            cmd.addAll(List.of("-javaagent:" + args[2], "-cp", args[0], "bench.Hello", Integer.toString(port)));
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp);
            env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
            env.put("OTEL_METRICS_EXPORTER", "none");
            env.put("OTEL_LOGS_EXPORTER", "none");
          }
          case "A", "B" -> {
            // Two builds of the bootstrap service, same settings: the effect of one change.
            cmd.addAll(List.of("-cp", variant.equals("A") ? args[1] : args[2], "bench.Hello", Integer.toString(port)));
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp);
            env.put("TELEMETRY_METRICS_PORT", Integer.toString(freePort()));
            // The effect of a setting: -Dharness.envB=OTEL_TRACES_EXPORTER=none,... (same for envA).
            String extra = System.getProperty("harness.env" + variant, "");
            for (String pair : extra.split(",")) {
              int eq = pair.indexOf('=');
              if (eq > 0) {
                env.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
              }
            }
          }
          case "spring" -> {
            // The Spring Boot example's classpath minus telemetry-*, with Spring Boot's own observability
            // (ECS JSON logs, Micrometer Tracing on Boot's SDK at sampling 1.0, request histograms),
            // exporting over OTLP http/protobuf to the sink.
            cmd.addAll(List.of("-cp", args[1], SPRING_MAIN, "--server.port=" + port, SPRING_KEEP_ALIVE,
                "--logging.structured.format.console=ecs", "--spring.main.banner-mode=off",
                "--management.tracing.sampling.probability=1.0",
                "--management.metrics.distribution.percentiles-histogram.http.server.requests=true",
                "--management.opentelemetry.tracing.export.otlp.endpoint=" + otlp + "/v1/traces"));
          }
          case "telemetry-spring" -> {
            cmd.addAll(List.of("-cp", args[2], SPRING_MAIN, "--server.port=" + port, SPRING_KEEP_ALIVE));
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp);
          }
          case "quarkus", "telemetry-quarkus" -> {
            // The same application, java -jar quarkus-run.jar; both export spans over OTLP http/protobuf
            // to the sink (Quarkus's own keys, which both variants read).
            cmd.addAll(List.of("-jar", variant.equals("quarkus") ? args[1] : args[2]));
            env.put("PORT", Integer.toString(port));
            env.put("QUARKUS_OTEL_SERVICE_NAME", "hello");
            env.put("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", otlp);
            env.put("QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
          }
          default -> throw new IllegalStateException(variant);
        }
        long exportsBefore = exports.get();
        Result r = runVariant(variant, cmd, env, port, connections, warmup, measure);
        r = new Result(r.variant(), r.firstResponseSeconds(), r.rssKiB(), r.requestsPerSecond(),
            r.p50Micros(), r.p99Micros(), r.cpuMicrosPerRequest(), r.logLines(), r.tracedLogLines(),
            exports.get() - exportsBefore, r.spansPerRequest(), r.jitMicrosPerRequest());
        System.err.printf("round %d %-17s %,.0f req/s p50 %.0f µs p99 %.0f µs service CPU %.1f µs/request"
                + " first response %.2f s RSS %d MiB (log lines %,d, with trace_id %,d, OTLP export requests %,d,"
                + " spans received per request %.3f, JIT compiler threads %.1f µs/request)%n",
            round, variant, r.requestsPerSecond(), r.p50Micros(), r.p99Micros(), r.cpuMicrosPerRequest(),
            r.firstResponseSeconds(), r.rssKiB() / 1024, r.logLines(), r.tracedLogLines(), r.exportRequests(),
            r.spansPerRequest(), r.jitMicrosPerRequest());
        results.computeIfAbsent(variant, k -> new ArrayList<>()).add(r);
      }
    }
    sink.stop(0);
    if (ab) {
      Result a = mean(results.get("A"));
      Result b = mean(results.get("B"));
      System.out.printf("A/B, %s, %d rounds interleaved: B / A throughput %.2fx, p99 %.2fx, service CPU per request"
              + " %.1f vs %.1f µs%n", LocalDate.now(), rounds, b.requestsPerSecond() / a.requestsPerSecond(),
          b.p99Micros() / a.p99Micros(), b.cpuMicrosPerRequest(), a.cpuMicrosPerRequest());
      printJit(List.of(a, b));
      System.out.println();
      printRows(List.of(a, b));
    } else if (quarkus || spring) {
      printFrameworkTable(results, names.get(0), names.get(1), rounds, connections, warmup, measure);
    } else {
      printTable(results, rounds, connections, warmup, measure);
    }
  }

  private static Result runVariant(String variant, List<String> cmd, Map<String, String> env, int port,
      int connections, int warmup, int measure) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TELEMETRY_"));
    pb.environment().putAll(env);
    long start = System.nanoTime();
    long spansBefore = SPANS.get();
    Process p = pb.start();
    AtomicLong lines = new AtomicLong();
    AtomicLong traced = new AtomicLong();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.incrementAndGet();
          if (line.contains("\"trace_id\"")) {
            traced.incrementAndGet();
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "stdout-" + variant);
    reader.setDaemon(true);
    reader.start();
    Result measured;
    long requests;
    try {
      double first = waitForFirstResponse(port, start, p);
      long rss = rssKiB(p.pid());
      long[] warm = runLoad(port, connections, TimeUnit.SECONDS.toNanos(warmup));
      long linesBefore = lines.get();
      long tracedBefore = traced.get();
      long cpuBefore = cpuTicks(p.pid());
      Map<Long, ThreadSched> schedBefore = threadSched(p.pid());
      long[] latencies = runLoad(port, connections, TimeUnit.SECONDS.toNanos(measure));
      long cpuTicks = cpuTicks(p.pid()) - cpuBefore;
      Map<String, long[]> sched = byThreadName(schedBefore, threadSched(p.pid()));
      if (THREADS) {
        printThreadSched(variant, sched, latencies.length);
      }
      long jitNanos = sched.entrySet().stream()
          .filter(e -> e.getKey().endsWith("CompilerThre")) // "C1 CompilerThread0" as comm cuts it
          .mapToLong(e -> e.getValue()[0]).sum();
      Arrays.sort(latencies);
      double rps = latencies.length / (double) measure;
      requests = 1 + warm.length + latencies.length;
      measured = new Result(variant, first, rss, rps, latencies[latencies.length / 2] / 1e3,
          latencies[(int) (latencies.length * 0.99)] / 1e3, cpuTicks * 1e6 / CLOCK_TICKS / latencies.length,
          lines.get() - linesBefore, traced.get() - tracedBefore, 0, 0, jitNanos / 1e3 / latencies.length);
    } finally {
      p.destroy(); // SIGTERM: the bootstrap flushes its spans
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    // Spans of the whole run (start-up probe, warm-up, measurement, flushed at SIGTERM) per request
    // answered: 1.0 when every request's server span reached the sink, less when spans were dropped.
    double spansPerRequest = (SPANS.get() - spansBefore) / (double) requests;
    return new Result(measured.variant(), measured.firstResponseSeconds(), measured.rssKiB(),
        measured.requestsPerSecond(), measured.p50Micros(), measured.p99Micros(),
        measured.cpuMicrosPerRequest(), measured.logLines(), measured.tracedLogLines(), 0, spansPerRequest,
        measured.jitMicrosPerRequest());
  }

  private static double waitForFirstResponse(int port, long start, Process p) throws Exception {
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException("service exited with status " + p.exitValue());
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        if (get(s.getOutputStream(), new BufferedInputStream(s.getInputStream())) == 200) {
          return (System.nanoTime() - start) / 1e9;
        }
      } catch (IOException notYet) {
        Thread.sleep(2);
      }
      if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(60)) {
        throw new IllegalStateException("no response within 60 s");
      }
    }
  }

  /** A closed loop of keep-alive connections for {@code nanos}; returns every request's latency in ns. */
  private static long[] runLoad(int port, int connections, long nanos) throws Exception {
    long until = System.nanoTime() + nanos;
    long[][] perThread = new long[connections][];
    int[] counts = new int[connections];
    Thread[] threads = new Thread[connections];
    for (int c = 0; c < connections; c++) {
      int n = c;
      threads[c] = new Thread(() -> {
        long[] lat = new long[1 << 16];
        int count = 0;
        try (Socket s = new Socket("127.0.0.1", port)) {
          s.setTcpNoDelay(true);
          OutputStream out = s.getOutputStream();
          InputStream in = new BufferedInputStream(s.getInputStream());
          long now;
          while ((now = System.nanoTime()) < until) {
            if (get(out, in) != 200) {
              throw new IllegalStateException("non-200 answer");
            }
            if (count == lat.length) {
              lat = Arrays.copyOf(lat, count * 2);
            }
            lat[count++] = System.nanoTime() - now;
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        perThread[n] = lat;
        counts[n] = count;
      });
      threads[c].start();
    }
    int total = 0;
    for (int c = 0; c < connections; c++) {
      threads[c].join();
      total += counts[c];
    }
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < connections; c++) {
      System.arraycopy(perThread[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    return all;
  }

  private static final byte[] REQUEST =
      "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Sends one GET /hello and reads the whole answer; returns its status. */
  private static int get(OutputStream out, InputStream in) throws IOException {
    out.write(REQUEST);
    out.flush();
    StringBuilder head = new StringBuilder(128);
    int b;
    while ((b = in.read()) >= 0) {
      head.append((char) b);
      int n = head.length();
      if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r' && head.charAt(n - 3) == '\n') {
        break;
      }
    }
    if (b < 0) {
      throw new IOException("connection closed");
    }
    String h = head.toString();
    int status = Integer.parseInt(h.substring(9, 12));
    int i = h.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
    int length = 0;
    if (i >= 0) {
      int end = h.indexOf('\r', i);
      length = Integer.parseInt(h.substring(i + 15, end).trim());
    }
    for (int read = 0; read < length; read++) {
      if (in.read() < 0) {
        throw new IOException("connection closed");
      }
    }
    return status;
  }

  private static long rssKiB(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** Kernel clock ticks per second, the unit of {@code /proc/<pid>/stat} CPU times (USER_HZ, 100 on Linux). */
  private static final int CLOCK_TICKS = 100;

  /** User plus system CPU time of a process (all its threads), in clock ticks, from {@code /proc/<pid>/stat}. */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15 of proc(5)
  }

  /** {@code -Dharness.threads=true}: print where the service's core went, per thread, per run. */
  private static final boolean THREADS = Boolean.getBoolean("harness.threads");

  /** One thread's scheduler counters, from {@code /proc/<pid>/task/<tid>/schedstat}. */
  record ThreadSched(String name, long cpuNanos, long waitNanos, long slices) {}

  /**
   * Every thread of a process: its name ({@code comm}, digits replaced by {@code #} so a pool's
   * threads add up) and {@code schedstat}: time on the CPU, time runnable but waiting for it, and the
   * number of times it was given the CPU (sched-stats.rst in the kernel's documentation).
   */
  private static Map<Long, ThreadSched> threadSched(long pid) throws IOException {
    Map<Long, ThreadSched> out = new LinkedHashMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "#");
          String[] f = Files.readString(task.resolve("schedstat")).strip().split(" ");
          out.put(Long.parseLong(task.getFileName().toString()),
              new ThreadSched(name, Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
        } catch (IOException | RuntimeException e) {
          // the thread ended between the listing and the read
        }
      }
    }
    return out;
  }

  /**
   * Per thread name, what changed between two readings: CPU ns, run-queue wait ns, slices, threads.
   */
  private static Map<String, long[]> byThreadName(Map<Long, ThreadSched> before,
      Map<Long, ThreadSched> after) {
    Map<String, long[]> byName = new java.util.TreeMap<>();
    for (Map.Entry<Long, ThreadSched> e : after.entrySet()) {
      ThreadSched a = e.getValue();
      ThreadSched b = before.getOrDefault(e.getKey(), new ThreadSched(a.name(), 0, 0, 0));
      long[] sum = byName.computeIfAbsent(a.name(), k -> new long[4]);
      sum[0] += a.cpuNanos() - b.cpuNanos();
      sum[1] += a.waitNanos() - b.waitNanos();
      sum[2] += a.slices() - b.slices();
      sum[3]++;
    }
    return byName;
  }

  /**
   * Prints, per thread name, CPU and run-queue wait per request over the measured window and the
   * mean time a thread held the CPU each time it got it: a background thread that holds the service's
   * only core for milliseconds at a time delays every request in flight by as much.
   */
  private static void printThreadSched(String variant, Map<String, long[]> byName, long requests) {
    System.out.printf("threads of %s (measured window, %,d requests): name, threads, CPU µs/request,"
        + " wait µs/request, slices/request, mean slice µs%n", variant, requests);
    byName.entrySet().stream()
        .filter(e -> e.getValue()[0] > 0)
        .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
        .forEach(e -> {
          long[] v = e.getValue();
          System.out.printf("  %-32s %3d %8.2f %8.2f %8.3f %9.1f%n", e.getKey(), v[3],
              v[0] / 1e3 / requests, v[1] / 1e3 / requests, v[2] / (double) requests,
              v[2] == 0 ? 0 : v[0] / 1e3 / v[2]);
        });
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void printTable(Map<String, List<Result>> results, int rounds, int connections,
      int warmup, int measure) {
    Result bare = mean(results.get("bare"));
    Result boot = mean(results.get("bootstrap"));
    Result agent = mean(results.get("agent"));
    System.out.printf("Request-path benchmark, %s, %d rounds interleaved, %d keep-alive connections,"
            + " %d s warm-up, %d s measured, Java %s%n%n",
        LocalDate.now(), rounds, connections, warmup, measure, System.getProperty("java.version"));
    System.out.printf("bootstrap / bare throughput %.2fx (target >= 0.85x); bootstrap / agent %.2fx (target >= 1.5x);"
            + " bootstrap p99 / bare p99 %.1fx (target <= 2x)%n",
        boot.requestsPerSecond() / bare.requestsPerSecond(), boot.requestsPerSecond() / agent.requestsPerSecond(),
        boot.p99Micros() / bare.p99Micros());
    System.out.printf("service CPU per request: bare %.1f µs, bootstrap %.1f µs (+%.1f µs), agent %.1f µs (+%.1f µs)%n",
        bare.cpuMicrosPerRequest(), boot.cpuMicrosPerRequest(), boot.cpuMicrosPerRequest() - bare.cpuMicrosPerRequest(),
        agent.cpuMicrosPerRequest(), agent.cpuMicrosPerRequest() - bare.cpuMicrosPerRequest());
    System.out.printf("bootstrap / bare time to first response %.1fx (target <= 2.5x); RSS bare + %d MiB"
            + " (target <= +40 MiB)%n%n",
        boot.firstResponseSeconds() / bare.firstResponseSeconds(), (boot.rssKiB() - bare.rssKiB()) / 1024);
    // A variant that drops spans does less work per request: per span delivered is the fair figure.
    System.out.printf("spans received per request: bootstrap %.3f, agent %.3f; service CPU per span received:"
            + " bootstrap %.1f µs, agent %.1f µs (agent / bootstrap %.2fx)%n",
        boot.spansPerRequest(), agent.spansPerRequest(),
        boot.cpuMicrosPerRequest() / boot.spansPerRequest(), agent.cpuMicrosPerRequest() / agent.spansPerRequest(),
        (agent.cpuMicrosPerRequest() / agent.spansPerRequest())
            / (boot.cpuMicrosPerRequest() / boot.spansPerRequest()));
    printJit(List.of(bare, boot, agent));
    System.out.println();
    printRows(List.of(bare, boot, agent));
  }

  private static void printFrameworkTable(Map<String, List<Result>> results, String plainName,
      String telemetryName, int rounds, int connections, int warmup, int measure) {
    Result plain = mean(results.get(plainName));
    Result telemetry = mean(results.get(telemetryName));
    System.out.printf("%s request-path benchmark, %s, %d rounds interleaved, %d keep-alive connections,"
            + " %d s warm-up, %d s measured, Java %s%n%n",
        plainName, LocalDate.now(), rounds, connections, warmup, measure, System.getProperty("java.version"));
    System.out.printf(telemetryName + " / plain " + plainName + " observability: throughput %.2fx, p99 %.2fx,"
            + " service CPU per request %.2fx, time to first response %.2fx, RSS %+d MiB%n",
        telemetry.requestsPerSecond() / plain.requestsPerSecond(), telemetry.p99Micros() / plain.p99Micros(),
        telemetry.cpuMicrosPerRequest() / plain.cpuMicrosPerRequest(),
        telemetry.firstResponseSeconds() / plain.firstResponseSeconds(), (telemetry.rssKiB() - plain.rssKiB()) / 1024);
    printJit(List.of(plain, telemetry));
    System.out.println();
    printRows(List.of(plain, telemetry));
  }

  private static void printRows(List<Result> rows) {
    System.out.println("| variant | /hello req/s | p50 | p99 | service CPU per request | time to first response"
        + " | RSS at first response |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Result r : rows) {
      System.out.printf("| %s | %,.0f | %.0f µs | %.2f ms | %.1f µs | %.2f s | %d MiB |%n", r.variant(),
          r.requestsPerSecond(), r.p50Micros(), r.p99Micros() / 1e3, r.cpuMicrosPerRequest(),
          r.firstResponseSeconds(), r.rssKiB() / 1024);
    }
  }

  /**
   * The JIT compilers' share of each variant's CPU in the measured window: a warm-up too short for
   * the variant with more code shows here first (after 5 s, the bootstrap's compiler threads still
   * took 17–19 µs per request; after 30 s, 2–3.5 µs).
   */
  private static void printJit(List<Result> rows) {
    StringBuilder line = new StringBuilder("JIT compiler threads' CPU per request in the measured window:");
    String sep = " ";
    boolean warm = true;
    for (Result r : rows) {
      line.append(sep).append(String.format("%s %.1f µs", r.variant(), r.jitMicrosPerRequest()));
      sep = ", ";
      warm &= r.jitMicrosPerRequest() <= 0.1 * r.cpuMicrosPerRequest();
    }
    System.out.println(line.append(warm ? "" : " (over 10 % of a variant's CPU: lengthen the warm-up)"));
  }

  private static Result mean(List<Result> rs) {
    double n = rs.size();
    return new Result(rs.get(0).variant(),
        rs.stream().mapToDouble(Result::firstResponseSeconds).sum() / n,
        (long) (rs.stream().mapToLong(Result::rssKiB).sum() / n),
        rs.stream().mapToDouble(Result::requestsPerSecond).sum() / n,
        rs.stream().mapToDouble(Result::p50Micros).sum() / n,
        rs.stream().mapToDouble(Result::p99Micros).sum() / n,
        rs.stream().mapToDouble(Result::cpuMicrosPerRequest).sum() / n,
        0, 0, 0, rs.stream().mapToDouble(Result::spansPerRequest).sum() / n,
        rs.stream().mapToDouble(Result::jitMicrosPerRequest).sum() / n);
  }
}
