package io.github.telemetrybootstrap.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What happens to the service when its telemetry's destinations fail. */
class QuickstartFaultTest {

  /** Requests must never wait on telemetry: a generous bound that no network timeout fits under. */
  private static final Duration REQUEST_BOUND = Duration.ofSeconds(2);

  @Test
  void withTheOtlpEndpointDownRequestsStillAnswerPromptlyAndDroppedSpansAreCountedAndReportedOnce()
      throws Exception {
    int nobodyListens = Ports.free();
    try (QuickstartProcess qs =
        QuickstartProcess.start(
            Map.of(
                "OTEL_SERVICE_NAME", "quickstart",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + nobodyListens,
                "OTEL_BSP_SCHEDULE_DELAY", "100"),
            true)) {
      for (int i = 0; i < 100; i++) {
        Instant start = Instant.now();
        HttpResponse<String> r = qs.get("/orders/" + i, Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Duration.between(start, Instant.now())).isLessThan(REQUEST_BOUND);
      }

      double dropped = awaitMetric(
          qs, "telemetry_spans_dropped_total\\{error_type=\"java.net.ConnectException\",reason=\"export_failed\"} (\\S+)", 1);
      assertThat(dropped).isGreaterThanOrEqualTo(1);
      List<String> warnings =
          qs.stdout().stream().filter(l -> l.contains("are being lost")).toList();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).contains("\"level\":\"WARN\"", "127.0.0.1:" + nobodyListens);
      assertThat(qs.stdout()).noneMatch(l -> l.contains("Failed to export spans"));
    }
  }

  @Test
  void withStdoutStalledRequestsStillAnswerAndDroppedLinesAreCountedThenReported() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        QuickstartProcess qs =
            QuickstartProcess.start(
                Map.of(
                    "OTEL_SERVICE_NAME", "quickstart",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                    "TELEMETRY_LOGGING_QUEUE_SIZE", "64"),
                false)) {
      // Nobody reads stdout: the pipe (64 KiB) fills after a few hundred lines.
      for (int i = 0; i < 600; i++) {
        Instant start = Instant.now();
        assertThat(qs.get("/hello", Map.of()).statusCode()).isEqualTo(200);
        assertThat(Duration.between(start, Instant.now())).isLessThan(REQUEST_BOUND);
      }
      double dropped = awaitMetric(qs, "telemetry_logs_dropped_total (\\S+)", 1);
      assertThat(dropped).isGreaterThan(0);

      // Output recovers: the service says how much it lost.
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(qs.rawStdout(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (Exception ignored) {
                  // process ended
                }
              });
      reader.setDaemon(true);
      reader.start();
      qs.get("/hello", Map.of());
      Instant deadline = Instant.now().plusSeconds(10);
      while (Instant.now().isBefore(deadline)
          && lines.stream().noneMatch(l -> l.contains("dropped") && l.contains("\"level\":\"WARN\""))) {
        Thread.sleep(100);
        qs.get("/hello", Map.of());
      }
      assertThat(lines).anyMatch(l -> l.contains("dropped") && l.contains("\"level\":\"WARN\""));
    }
  }

  @Test
  void gracefulShutdownDeliversTheSpansStillBuffered() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      List<String> traceIds = new ArrayList<>();
      try (QuickstartProcess qs =
          QuickstartProcess.start(
              Map.of(
                  "OTEL_SERVICE_NAME", "quickstart",
                  "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                  // Nothing is exported on schedule during the test: only shutdown flushes.
                  "OTEL_BSP_SCHEDULE_DELAY", "600000"),
              true)) {
        for (int i = 0; i < 5; i++) {
          String traceId = String.format("%032x", 0xabc00L + i);
          traceIds.add(traceId);
          qs.get("/hello", Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
        }
        assertThat(receiver.spans()).noneMatch(s -> traceIds.contains(s.traceId()));

        assertThat(qs.terminate(Duration.ofSeconds(15))).isIn(0, 143);
      }
      assertThat(receiver.spans().stream().map(ReceivedSpan::traceId).distinct())
          .containsAll(traceIds);
    }
  }

  @Test
  void sigtermUnderLoadDeliversTheSpansOfEveryAnsweredRequest() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.builder().maxSpans(200_000).start()) {
      List<String> answered = new CopyOnWriteArrayList<>();
      java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
      QuickstartProcess qs =
          QuickstartProcess.start(
              Map.of(
                  "OTEL_SERVICE_NAME", "quickstart",
                  "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                  "TELEMETRY_SHUTDOWN_TIMEOUT", "10s"),
              true);
      try {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> load = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
          int client = c;
          Thread t = new Thread(() -> {
            long i = 0;
            while (!stop.get()) {
              String traceId = String.format("%08x%024x", 0xfeed0000 + client, i++);
              sent.incrementAndGet();
              try {
                if (qs.get("/hello", Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"))
                    .statusCode() == 200) {
                  answered.add(traceId);
                }
              } catch (Exception refusedAfterStop) {
                // the server stopped accepting: expected after SIGTERM
              }
            }
          });
          t.setDaemon(true);
          t.start();
          load.add(t);
        }
        Thread.sleep(1500);
        int exit = qs.terminate(Duration.ofSeconds(20));
        stop.set(true);
        for (Thread t : load) {
          t.join(5000);
        }
        assertThat(exit).isIn(0, 143);
        assertThat(answered).hasSizeGreaterThan(100);
        java.util.Set<String> received =
            receiver.spans().stream().map(ReceivedSpan::traceId).collect(java.util.stream.Collectors.toSet());
        List<String> lost = answered.stream().filter(id -> !received.contains(id)).toList();
        System.err.println("SIGTERM under load: " + answered.size() + " answered of " + sent.get()
            + " sent, " + lost.size() + " answered without a delivered span");
        assertThat(lost).as("answered requests whose span never arrived").isEmpty();
        Instant until = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(until) && qs.stdout().stream().noneMatch(l -> l.contains("Telemetry stopped"))) {
          Thread.sleep(50); // the pipe may still hold the last lines
        }
        List<String> out = qs.stdout();
        assertThat(out)
            .as("last lines: %s\nstderr: %s", out.subList(Math.max(0, out.size() - 2), out.size()), qs.stderr())
            .anyMatch(l -> l.contains("Telemetry stopped") && l.contains("span(s) exported"));
      } finally {
        qs.close();
      }
    }
  }

  private static double awaitMetric(QuickstartProcess qs, String regex, double atLeast) throws Exception {
    Pattern p = Pattern.compile("(?m)^" + regex);
    Instant deadline = Instant.now().plusSeconds(20);
    double last = -1;
    String scrape = "";
    while (Instant.now().isBefore(deadline)) {
      scrape = qs.scrape();
      Matcher m = p.matcher(scrape);
      if (m.find()) {
        last = Double.parseDouble(m.group(1));
        if (last >= atLeast) {
          return last;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("metric /" + regex + "/ did not reach " + atLeast + " (last " + last + ")");
  }
}
