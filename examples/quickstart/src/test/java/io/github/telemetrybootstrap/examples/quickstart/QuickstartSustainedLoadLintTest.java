package io.github.telemetrybootstrap.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.testkit.cli.LintLogs;
import io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart's real stdout under sustained load (tens of thousands of generated request ids, each
 * a UUID whose digits could look like a card) passes lint-logs: the masker and the lint agree.
 */
class QuickstartSustainedLoadLintTest {
  private static final int REQUESTS = 30_000;

  @Test
  void stdoutUnderSustainedLoadPassesLintLogs(@TempDir Path dir) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.builder().maxSpans(1_000).start();
        QuickstartProcess qs =
            QuickstartProcess.start(
                Map.of("OTEL_SERVICE_NAME", "quickstart", "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()),
                true)) {
      AtomicInteger next = new AtomicInteger();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        Thread t = new Thread(() -> {
          while (next.getAndIncrement() < REQUESTS) {
            try {
              qs.get("/hello", Map.of());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        });
        t.start();
        clients.add(t);
      }
      for (Thread t : clients) {
        t.join(Duration.ofMinutes(3).toMillis());
      }
      assertThat(qs.terminate(Duration.ofSeconds(20))).isIn(0, 143);
      Path log = Files.write(dir.resolve("quickstart.log"), qs.stdout());
      assertThat(qs.stdout()).hasSizeGreaterThan(REQUESTS);

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit = LintLogs.run(
          new String[] {"--require-trace-context", "--require-request-context", log.toString()},
          InputStream.nullInputStream(),
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      String report = out.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(report.substring(0, Math.min(4000, report.length())) + "\n" + err).isEqualTo(LintLogs.EXIT_OK);
    }
  }
}
