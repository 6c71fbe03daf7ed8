package io.github.telemetrybootstrap.examples.quickstart;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The quickstart as a real separate JVM, the way a user runs it, with its stdout captured. */
final class QuickstartProcess implements AutoCloseable {
  final int port;
  final int metricsPort;
  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private QuickstartProcess(Process process, int port, int metricsPort, boolean readStdout) {
    this.process = process;
    this.port = port;
    this.metricsPort = metricsPort;
    if (readStdout) {
      OutputPump.start(process.getInputStream(), stdout, "quickstart-stdout");
    }
    OutputPump.start(process.getErrorStream(), stderr, "quickstart-stderr");
  }

  /**
   * Starts the quickstart with {@code env} added to this JVM's environment.
   *
   * @param readStdout false to leave stdout unread, like a stalled log pipe
   */
  static QuickstartProcess start(Map<String, String> env, boolean readStdout) throws Exception {
    int port = Ports.free();
    int metricsPort = Ports.free();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            QuickstartApplication.class.getName());
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TELEMETRY_"));
    pb.environment().put("PORT", String.valueOf(port));
    pb.environment().put("TELEMETRY_METRICS_PORT", String.valueOf(metricsPort));
    pb.environment().put("TELEMETRY_METRICS_HOST", "127.0.0.1");
    pb.environment().putAll(env);
    QuickstartProcess qp = new QuickstartProcess(pb.start(), port, metricsPort, readStdout);
    qp.awaitUp();
    return qp;
  }

  private void awaitUp() throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "quickstart exited " + process.exitValue() + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      try {
        if (get("/hello", Map.of()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("quickstart did not answer in 30 s\nstderr:\n" + stderr);
  }

  HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String scrape() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The stdout lines read so far. */
  List<String> stdout() {
    return new ArrayList<>(stdout);
  }

  /** The stderr lines read so far. */
  List<String> stderr() {
    return new ArrayList<>(stderr);
  }

  /** The unread stdout stream, for tests that stall it and then drain it. */
  InputStream rawStdout() {
    return process.getInputStream();
  }

  /** Sends SIGTERM (a graceful stop, as Kubernetes does) and waits for the exit code. */
  int terminate(Duration timeout) throws Exception {
    // kill -TERM, not Process.destroy(): destroy() also closes our ends of stdout and stderr, so the
    // lines written during shutdown would never be read.
    new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("quickstart did not stop within " + timeout);
    }
    Thread.sleep(200); // let the pump threads read the last lines
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
