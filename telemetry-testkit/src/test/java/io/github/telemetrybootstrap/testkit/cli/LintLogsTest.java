package io.github.telemetrybootstrap.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LintLogsTest {
  private static final String GOOD = "{\"@timestamp\":\"2026-11-21T16:08:00.123Z\",\"level\":\"INFO\",\"logger\":\"a.B\","
      + "\"thread\":\"main\",\"message\":\"hello\",\"service\":\"orders\"}";
  private static final String SECRET = GOOD.replace("}", ",\"password\":\"hunter2\"}");

  @TempDir
  Path dir;

  private record Run(int status, String out, String err) {}

  private static Run run(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = LintLogs.run(args, new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String requestLine(String time, String thread, String level, String message, String requestId) {
    String ids = requestId == null ? ""
        : ",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\",\"trace_flags\":\"01\",\"request_id\":\"" + requestId + "\"";
    return "{\"@timestamp\":\"2026-12-01T10:00:" + time + "Z\",\"level\":\"" + level
        + "\",\"logger\":\"org.apache.catalina\",\"thread\":\"" + thread + "\",\"message\":\"" + message
        + "\",\"service\":\"shop\"" + ids + "}";
  }

  @Test
  void requireRequestContextFailsTheContainersErrorLineWithoutIds() {
    String log = String.join("\n",
        requestLine("00.100", "exec-1", "INFO", "About to fail", "req-1"),
        requestLine("00.150", "exec-2", "INFO", "other request", "req-2"),
        requestLine("00.180", "exec-1", "ERROR", "Servlet.service() threw exception", null),
        requestLine("05.000", "exec-1", "ERROR", "a scheduled job failed, long after", null),
        requestLine("06.000", "exec-3", "INFO", "step one", "req-3"),
        requestLine("06.001", "exec-3", "INFO", "a line that lost its ids", null),
        requestLine("06.002", "exec-3", "INFO", "step two", "req-3"),
        requestLine("06.010", "exec-3", "WARN", "/oups (Jetty logs the failure at WARN)", null)) + "\n";

    Run plain = run(bytes(log), "-");
    assertThat(plain.status()).as("without the option the gate cannot see it").isEqualTo(LintLogs.EXIT_OK);

    Run r = run(bytes(log), "--require-request-context", "-");
    assertThat(r.status()).isEqualTo(LintLogs.EXIT_VIOLATIONS);
    assertThat(r.out()).contains("<stdin>:3 /request_id [missing-request-context]")
        .contains("<stdin>:6 /request_id [missing-request-context]")
        .contains("<stdin>:8 /request_id [missing-request-context]")
        .doesNotContain("<stdin>:4 ");
  }

  @Test
  void requireRequestContextPassesWhenEveryRequestLineCarriesItsIds() {
    String log = String.join("\n",
        requestLine("00.100", "exec-1", "INFO", "About to fail", "req-1"),
        requestLine("00.180", "exec-1", "ERROR", "Servlet.service() threw exception", "req-1"),
        requestLine("05.000", "exec-1", "ERROR", "a scheduled job failed, long after", null)) + "\n";
    assertThat(run(bytes(log), "--require-request-context", "-").status()).isEqualTo(LintLogs.EXIT_OK);
  }

  @Test
  void cleanInputExitsZeroWithASummary() {
    Run r = run(bytes(GOOD + "\n" + GOOD + "\n\n"), "-");
    assertThat(r.status()).isEqualTo(LintLogs.EXIT_OK);
    assertThat(r.out()).contains("2 lines checked, 2 valid, 0 with violations").contains("1 blank lines skipped");
  }

  @Test
  void violationsExitOneAndAreListedWithLineFieldRuleAndMaskedLine() throws IOException {
    Path f = dir.resolve("app.log");
    Files.writeString(f, GOOD + "\r\n" + SECRET + "\nnot json\n");
    Run r = run(new byte[0], f.toString());

    assertThat(r.status()).isEqualTo(LintLogs.EXIT_VIOLATIONS);
    assertThat(r.out()).contains("3 lines checked, 1 valid, 2 with violations")
        .contains("secret-key").contains("invalid-json")
        .contains(f + ":2 /password [secret-key]")
        .contains(f + ":3 (line) [invalid-json]")
        .contains("\"password\":\"****\"")
        .doesNotContain("hunter2");
  }

  @Test
  void jsonSummaryAndMaxViolations() throws Exception {
    Run r = run(bytes(SECRET + "\n" + SECRET + "\n" + SECRET + "\n"), "--json", "--max-violations", "1");
    assertThat(r.status()).isEqualTo(1);
    JsonNode json = JsonMapper.builder().build().readTree(r.out());
    assertThat(json.get("lines").asLong()).isEqualTo(3);
    assertThat(json.get("violations").asLong()).isEqualTo(3);
    assertThat(json.get("by_rule").get("secret-key").asLong()).isEqualTo(3);
    assertThat(json.get("first")).hasSize(1);
    assertThat(json.get("first").get(0).get("line").asLong()).isEqualTo(1);
    assertThat(json.get("first").get(0).get("rule").asString()).isEqualTo("secret-key");
  }

  @Test
  void quietPrintsNothing() {
    Run bad = run(bytes(SECRET + "\n"), "-q");
    assertThat(bad.status()).isEqualTo(1);
    assertThat(bad.out()).isEmpty();
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run(new byte[0], "--format", "xml").status()).isEqualTo(LintLogs.EXIT_USAGE);
    assertThat(run(new byte[0], "--no-such-option").status()).isEqualTo(LintLogs.EXIT_USAGE);
    Run missing = run(new byte[0], dir.resolve("missing.log").toString());
    assertThat(missing.status()).isEqualTo(LintLogs.EXIT_USAGE);
    assertThat(missing.err()).contains("no such file").contains("missing.log");
  }

  @Test
  void criLinesAreUnwrappedAndPartialsJoined() {
    String half = GOOD.substring(0, 40);
    String rest = GOOD.substring(40);
    String cri = "2026-11-21T16:08:00.123456789Z stdout F " + GOOD + "\n"
        + "2026-11-21T16:08:00.223456789Z stdout P " + half + "\n"
        + "2026-11-21T16:08:00.233456789Z stderr F " + GOOD + "\n"
        + "2026-11-21T16:08:00.323456789Z stdout F " + rest + "\n"
        + "2026-11-21T16:08:00.423456789Z stdout F " + SECRET + "\n";
    for (String format : new String[] {"auto", "cri"}) {
      Run r = run(bytes(cri), "--format", format);
      assertThat(r.out()).as(format).contains("4 lines checked, 3 valid, 1 with violations");
      assertThat(r.out()).as(format).contains("<stdin>:5 /password [secret-key]");
    }
    // without unwrapping, the CRI prefix makes every line invalid JSON
    assertThat(run(bytes(cri), "--format", "json").out()).contains("5 lines checked, 0 valid");
  }

  @Test
  void kubectlPrefixesAndTimestampsAreStripped() {
    String kubectl = "[pod/orders-7d9f/app] " + GOOD + "\n"
        + "2026-11-21T16:08:00.123456789Z " + GOOD + "\n"
        + "[pod/orders-7d9f/app] 2026-11-21T16:08:00.123456789+00:00 " + GOOD + "\n"
        + GOOD + "\n";
    assertThat(run(bytes(kubectl), "--format", "kubectl").out()).contains("4 lines checked, 4 valid");
    assertThat(run(bytes(kubectl)).out()).contains("4 lines checked, 4 valid");
  }

  @Test
  void hugeAndInvalidUtf8LinesAreReportedAndTheRestStillChecked() throws IOException {
    Path f = dir.resolve("mixed.log");
    byte[] bad = bytes(GOOD.replace("hello", "h\u00e9llo"));
    int at = new String(bad, StandardCharsets.UTF_8).indexOf("h\u00e9") + 1;
    bad[at + 1] = (byte) 0x28; // break the second byte of é
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.write(bytes(GOOD.replace("hello", "x".repeat(3000)) + "\n"));
    content.write(bad);
    content.write('\n');
    content.write(bytes(GOOD)); // last line without a newline
    Files.write(f, content.toByteArray());

    Run r = run(new byte[0], "--max-line-bytes", "2048", f.toString());

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).contains("3 lines checked, 1 valid, 2 with violations")
        .contains(":1 (line) [line-too-long]").contains(":2 (line) [invalid-utf8]");
  }

  @Test
  void requireTraceContextAppliesToRequestLines() {
    String request = GOOD.replace("}", ",\"request_id\":\"r-1\"}");
    assertThat(run(bytes(request + "\n")).status()).isZero();
    Run strict = run(bytes(request + "\n"), "--require-trace-context");
    assertThat(strict.status()).isEqualTo(1);
    assertThat(strict.out()).contains("missing-trace-context");
  }
}
