package io.github.telemetrybootstrap.examples.quickstart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Side-by-side benchmark of the quickstart against {@link BaselineQuickstart} (the same service with
 * {@code Telemetry.bootstrap()} removed): time from JVM launch to the first 200 on {@code /hello},
 * and request throughput on {@code /orders/{id}} (two hops) and {@code /hello} measured with {@code
 * wrk} (Debian package {@code wrk}). Runs alternate between the two so drift on a noisy machine hits
 * both alike. Not a test: run it with
 *
 * <pre>
 * ./mvnw -q -DskipTests package -pl examples/quickstart -am
 * ./mvnw -q -pl examples/quickstart exec:exec -Dbench   (or see docs/benchmarks.md)
 * </pre>
 *
 * <p>Both variants log to stdout, which is sent to /dev/null, and export spans to an OTLP receiver in
 * this process for the instrumented one (so export work is counted).
 */
public final class QuickstartBenchmark {
  private QuickstartBenchmark() {}

  public static void main(String[] args) throws Exception {
    int startRuns = Integer.parseInt(arg(args, "--start-runs", "10"));
    int seconds = Integer.parseInt(arg(args, "--seconds", "15"));
    int connections = Integer.parseInt(arg(args, "--connections", "16"));
    String classpath = System.getProperty("java.class.path");
    try (var receiver = io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver.start()) {
      Map<String, String> instrumentedEnv =
          Map.of(
              "OTEL_SERVICE_NAME", "quickstart",
              "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
      List<Long> startInstrumented = new ArrayList<>();
      List<Long> startBaseline = new ArrayList<>();
      for (int i = 0; i < startRuns; i++) {
        startInstrumented.add(timeToFirstResponse(classpath, QuickstartApplication.class, instrumentedEnv));
        startBaseline.add(timeToFirstResponse(classpath, BaselineQuickstart.class, Map.of()));
      }
      if (startRuns > 0) {
        System.out.printf(
            Locale.ROOT,
            "time to first response (ms, median of %d): bootstrap %d, baseline %d, ratio %.2f%n",
            startRuns,
            median(startInstrumented),
            median(startBaseline),
            (double) median(startInstrumented) / median(startBaseline));
        System.out.println("  bootstrap runs: " + startInstrumented + "\n  baseline runs:  " + startBaseline);
      }

      for (String path : List.of("/hello", "/orders/42")) {
        double[] inst = new double[2];
        double[] base = new double[2];
        for (int round = 0; round < 2; round++) {
          inst[round] = throughput(classpath, QuickstartApplication.class, instrumentedEnv, path, seconds, connections);
          base[round] = throughput(classpath, BaselineQuickstart.class, Map.of(), path, seconds, connections);
        }
        double i = (inst[0] + inst[1]) / 2;
        double b = (base[0] + base[1]) / 2;
        System.out.printf(
            Locale.ROOT,
            "throughput %s (req/s, wrk -c%d, %ds x2): bootstrap %.0f %s, baseline %.0f %s, ratio %.2f%n",
            path, connections, seconds, i, Arrays.toString(inst), b, Arrays.toString(base), i / b);
      }
      System.out.println("spans received during the benchmark: " + receiver.spans().size());
    }
  }

  /** Milliseconds from launching the JVM to the first 200 on /hello. */
  private static long timeToFirstResponse(String cp, Class<?> main, Map<String, String> env) throws Exception {
    long start = System.nanoTime();
    Running r = launch(cp, main, env);
    long millis = TimeUnit.NANOSECONDS.toMillis(r.upAtNanos - start);
    stop(r.process);
    return millis;
  }

  private static double throughput(
      String cp, Class<?> main, Map<String, String> env, String path, int seconds, int connections)
      throws Exception {
    Running r = launch(cp, main, env);
    Process p = r.process;
    try {
      String url = "http://127.0.0.1:" + r.port + path;
      // Warm up the JIT before measuring.
      wrk(url, 5, connections);
      return wrk(url, seconds, connections);
    } finally {
      stop(p);
    }
  }

  private static double wrk(String url, int seconds, int connections) throws Exception {
    Process w =
        new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", url)
            .redirectErrorStream(true)
            .start();
    String out = new String(w.getInputStream().readAllBytes());
    w.waitFor();
    Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("wrk output: " + out);
    }
    if (out.contains("Non-2xx")) {
      throw new IllegalStateException("errors during the run: " + out);
    }
    return Double.parseDouble(m.group(1));
  }

  private record Running(Process process, int port, long upAtNanos) {}

  /**
   * Launches {@code main} on a free port and waits for its first 200 on /hello. A port picked free
   * can be taken by a client socket before the server binds it; then it tries another.
   */
  private static Running launch(String cp, Class<?> main, Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = Ports.free();
      ProcessBuilder pb =
          new ProcessBuilder(java, "-Xmx256m", "-cp", cp, main.getName())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TELEMETRY_"));
      pb.environment().put("PORT", String.valueOf(port));
      pb.environment().put("TELEMETRY_METRICS_PORT", "0");
      pb.environment().putAll(env);
      Process p = pb.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (p.isAlive() && System.nanoTime() < deadline) {
        try {
          HttpResponse<Void> response =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
                  HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() == 200) {
            return new Running(p, port, System.nanoTime());
          }
        } catch (IOException notYet) {
          Thread.sleep(5);
        }
      }
      stop(p);
    }
    throw new IllegalStateException(main.getName() + " did not start in 3 attempts");
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static String arg(String[] args, String name, String def) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return def;
  }
}
