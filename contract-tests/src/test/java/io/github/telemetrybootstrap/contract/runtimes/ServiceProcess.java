package io.github.telemetrybootstrap.contract.runtimes;

import io.github.telemetrybootstrap.examples.quickstart.OutputPump;
import io.github.telemetrybootstrap.examples.quickstart.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One example service as a user runs it: {@code java -jar} on its packaged jar in a separate JVM, no
 * {@code OTEL_*} or {@code TELEMETRY_*} from the host, stdout and stderr read line by line from the
 * pipes, stopped with SIGTERM as Kubernetes stops a pod.
 */
final class ServiceProcess implements AutoCloseable {
  /** The three runtimes, each with its example's jar, port setting and metrics path. */
  enum Runtime {
    CORE("examples/quickstart/target/quickstart.jar", "/metrics"),
    SPRING("examples/spring-boot/target/spring-boot-example.jar", "/actuator/prometheus"),
    QUARKUS("examples/quarkus/target/quarkus-app/quarkus-run.jar", "/q/metrics");

    final String jar;
    final String metricsPath;

    Runtime(String jar, String metricsPath) {
      this.jar = jar;
      this.metricsPath = metricsPath;
    }
  }

  final Runtime runtime;
  final int port;
  /** Where the metrics are served: the application port, or the core's own metrics port. */
  final int metricsPort;
  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Thread outPump;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ServiceProcess(Runtime runtime, int port, int metricsPort, Process process) {
    this.runtime = runtime;
    this.port = port;
    this.metricsPort = metricsPort;
    this.process = process;
    this.outPump = OutputPump.start(process.getInputStream(), stdout, runtime + "-stdout");
    OutputPump.start(process.getErrorStream(), stderr, runtime + "-stderr");
  }

  /**
   * Starts the runtime's example and waits until {@code /hello} answers.
   *
   * @param runtime which example
   * @param env extra environment (OTLP endpoint, batch delay)
   * @return the running service
   * @throws Exception when it exits or does not answer in 90 s
   */
  static ServiceProcess start(Runtime runtime, Map<String, String> env) throws Exception {
    Path root = repositoryRoot();
    Path jar = root.resolve(runtime.jar);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the examples first (./mvnw install)");
    }
    int port = Ports.free();
    int metricsPort = runtime == Runtime.CORE ? Ports.free() : port;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
    if (runtime == Runtime.SPRING) {
      command.add("--server.port=" + port);
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TELEMETRY_")
        || k.startsWith("QUARKUS_") || k.equals("PORT"));
    pb.environment().put("PORT", Integer.toString(port));
    if (runtime == Runtime.CORE) {
      pb.environment().put("TELEMETRY_METRICS_PORT", Integer.toString(metricsPort));
    }
    pb.environment().putAll(env);
    ServiceProcess service = new ServiceProcess(runtime, port, metricsPort, pb.start());
    service.awaitUp();
    return service;
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("contract-tests"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("not inside the repository: " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private void awaitUp() throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(runtime + " exited " + process.exitValue() + "\nstdout:\n"
            + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr));
      }
      try {
        if (get("/hello").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(runtime + " did not answer in 90 s\nstderr:\n" + String.join("\n", stderr));
  }

  /**
   * @param path the request path
   * @param headers name, value, name, value...
   * @return the response
   * @throws Exception on I/O failure
   */
  HttpResponse<String> get(String path, String... headers) throws Exception {
    return send(port, path, headers);
  }

  /**
   * @return the Prometheus text exposition of the service
   * @throws Exception on I/O failure
   */
  String scrape() throws Exception {
    return send(metricsPort, runtime.metricsPath).body();
  }

  private HttpResponse<String> send(int toPort, String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + toPort + path)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** @return the stdout lines so far */
  List<String> stdout() {
    return List.copyOf(stdout);
  }

  /** @return the stderr lines so far */
  List<String> stderr() {
    return List.copyOf(stderr);
  }

  /**
   * Sends SIGTERM and waits for the exit and the end of stdout.
   *
   * @return the exit status
   * @throws Exception when interrupted
   */
  int terminate() throws Exception {
    // Through the handle: Process.destroy() also closes the pipes, losing the shutdown lines.
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    outPump.join(5_000);
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      terminate();
    }
  }
}
