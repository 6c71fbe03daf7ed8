package io.github.telemetrybootstrap.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bad configuration, every key, in both modes of the quickstart (its embedded receiver, and an OTLP
 * endpoint of its own): the JVM exits promptly with a non-zero status, stderr names the key as it was
 * written and the value (secrets masked), and stdout holds JSON lines only.
 */
class QuickstartBadConfigurationTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static Stream<Arguments> badSettings() {
    return Stream.of(
        row("TELEMETRY_METRICS_PORT", "70000", "TELEMETRY_METRICS_PORT=70000 is invalid"),
        row("TELEMETRY_METRICS_HOST", "no-such-host.invalid", "TELEMETRY_METRICS_HOST=no-such-host.invalid is invalid"),
        row("TELEMETRY_METRICS_PATH", "metrics", "TELEMETRY_METRICS_PATH=metrics is invalid"),
        row("TELEMETRY_METRICS_ENABLED", "yes", "TELEMETRY_METRICS_ENABLED=yes is invalid"),
        row("TELEMETRY_LOGGING_QUEUE_SIZE", "lots", "TELEMETRY_LOGGING_QUEUE_SIZE=lots is invalid"),
        row("TELEMETRY_LOGGING_QUEUE_BYTES", "1KiB", "TELEMETRY_LOGGING_QUEUE_BYTES=1KiB is invalid"),
        row("TELEMETRY_LOGGING_MAX_LINE_LENGTH", "huge", "TELEMETRY_LOGGING_MAX_LINE_LENGTH=huge is invalid"),
        row("TELEMETRY_LOGGING_MASK_PATTERN", "(unclosed", "TELEMETRY_LOGGING_MASK_PATTERN=(unclosed is invalid"),
        row("TELEMETRY_LOGGING_MASK_EMAILS", "maybe", "TELEMETRY_LOGGING_MASK_EMAILS=maybe is invalid"),
        row("TELEMETRY_TENANT_HEADER", "X Tenant", "TELEMETRY_TENANT_HEADER=X Tenant is invalid"),
        row("TELEMETRY_TENANT_MAX_LENGTH", "0", "TELEMETRY_TENANT_MAX_LENGTH=0 is invalid"),
        row("TELEMETRY_SHUTDOWN_TIMEOUT", "forever", "TELEMETRY_SHUTDOWN_TIMEOUT=forever is invalid"),
        row("OTEL_EXPORTER_OTLP_PROTOCOL", "udp", "OTEL_EXPORTER_OTLP_PROTOCOL=udp is invalid"),
        row("OTEL_TRACES_SAMPLER", "sometimes", "OTEL_TRACES_SAMPLER=sometimes is invalid"),
        row("OTEL_RESOURCE_ATTRIBUTES", "team", "OTEL_RESOURCE_ATTRIBUTES=team is invalid"),
        row("OTEL_BSP_MAX_QUEUE_SIZE", "big", "OTEL_BSP_MAX_QUEUE_SIZE=big is invalid"),
        row("OTEL_BSP_SCHEDULE_DELAY", "soon", "OTEL_BSP_SCHEDULE_DELAY=soon is invalid"),
        row("OTEL_EXPORTER_OTLP_COMPRESSION", "zip", "OTEL_EXPORTER_OTLP_COMPRESSION=zip is invalid"),
        row("OTEL_EXPORTER_OTLP_TIMEOUT", "later", "OTEL_EXPORTER_OTLP_TIMEOUT=later is invalid"),
        row("OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cr3t-value,broken",
            "OTEL_EXPORTER_OTLP_HEADERS=api-key=****,**** is invalid"));
  }

  private static Arguments row(String key, String value, String message) {
    return Arguments.of(key, value, message);
  }

  @ParameterizedTest(name = "{0}={1}, embedded receiver")
  @MethodSource("badSettings")
  void failsFastInTheEmbeddedReceiverMode(String key, String value, String message) throws Exception {
    assertFailsFast(Map.of(key, value), message, value);
  }

  @ParameterizedTest(name = "{0}={1}, own endpoint")
  @MethodSource("badSettings")
  void failsFastWithAnEndpointSet(String key, String value, String message) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + Ports.free());
    env.put(key, value);
    assertFailsFast(env, message, value);
  }

  @Test
  void anEndpointWithCredentialsIsNeverPrinted() throws Exception {
    assertFailsFast(
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector-user:hunter2pw@collector:4318"),
        "OTEL_EXPORTER_OTLP_ENDPOINT=ftp://****@collector:4318 is invalid",
        "hunter2pw");
  }

  @Test
  void aMisspelledKeyIsReportedWithTheNearestValidOne() throws Exception {
    try (QuickstartProcess qs = QuickstartProcess.start(Map.of("TELEMETRY_METRIC_PORT", "9999"), true)) {
      Thread.sleep(300);
      assertThat(qs.stdout())
          .anyMatch(l -> l.contains("\"level\":\"WARN\"")
              && l.contains("TELEMETRY_METRIC_PORT is not a setting (did you mean TELEMETRY_METRICS_PORT?)"));
    }
  }

  private static void assertFailsFast(Map<String, String> env, String message, String secretOrValue)
      throws Exception {
    Path out = Files.createTempFile("quickstart-bad-config", ".out");
    Path err = Files.createTempFile("quickstart-bad-config", ".err");
    try {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(
          java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), QuickstartApplication.class.getName());
      pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TELEMETRY_"));
      pb.environment().put("PORT", String.valueOf(Ports.free()));
      if (!env.containsKey("TELEMETRY_METRICS_PORT")) {
        pb.environment().put("TELEMETRY_METRICS_PORT", String.valueOf(Ports.free()));
      }
      if (!env.containsKey("TELEMETRY_METRICS_HOST")) {
        pb.environment().put("TELEMETRY_METRICS_HOST", "127.0.0.1");
      }
      pb.environment().putAll(env);
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      boolean exited = p.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        p.destroyForcibly();
      }
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      List<String> stdout = Files.readAllLines(out, StandardCharsets.UTF_8);
      assertThat(exited).as("exited within 20 s; stderr:\n" + stderr).isTrue();
      assertThat(p.exitValue()).as("exit status").isNotZero();
      assertThat(stderr).contains(message);
      for (String line : stdout) {
        assertThat(isJsonObject(line)).as("stdout line is JSON: " + line).isTrue();
      }
      if (secretOrValue.contains("s3cr3t") || secretOrValue.contains("hunter2")) {
        assertThat(stderr).doesNotContain(secretOrValue.contains("s3cr3t") ? "s3cr3t" : "hunter2");
        assertThat(String.join("\n", stdout)).doesNotContain("s3cr3t").doesNotContain("hunter2");
      }
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static boolean isJsonObject(String line) {
    try {
      return JSON.readTree(line).isObject();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
