package io.github.telemetrybootstrap.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineReaderTest {
  private static List<String> read(String input, LogFormat format, int max) throws IOException {
    return read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), format, max);
  }

  private static List<String> read(InputStream in, LogFormat format, int max) throws IOException {
    LogLineReader r = new LogLineReader(in, format, max);
    List<String> out = new ArrayList<>();
    while (r.next()) {
      String text = new String(r.buffer(), r.offset(), r.length(), StandardCharsets.UTF_8);
      out.add(r.lineNumber() + (r.tooLongBytes() >= 0 ? " TOO LONG " + r.tooLongBytes() + " " : " ") + text);
    }
    return out;
  }

  @Test
  void splitsOnLfAndCrLfAndKeepsALastLineWithoutNewline() throws IOException {
    assertThat(read("{\"a\":1}\r\n{\"b\":2}\n\n{\"c\":3}", LogFormat.AUTO, 1024))
        .containsExactly("1 {\"a\":1}", "2 {\"b\":2}", "3 ", "4 {\"c\":3}");
  }

  @Test
  void criPartialsAreJoinedPerStreamWithTheFirstLineNumber() throws IOException {
    String in = "2026-01-01T00:00:00.1Z stdout P {\"a\":\n"
        + "2026-01-01T00:00:00.2Z stderr F {\"err\":1}\n"
        + "2026-01-01T00:00:00.3Z stdout P 1,\n"
        + "2026-01-01T00:00:00.4Z stdout F \"b\":2}\n"
        + "2026-01-01T00:00:00.5Z stdout F\n"
        + "2026-01-01T00:00:00.6Z stdout P {\"unterminated\":\n";
    assertThat(read(in, LogFormat.CRI, 1024)).containsExactly(
        "2 {\"err\":1}", "1 {\"a\":1,\"b\":2}", "5 ", "6 {\"unterminated\":");
  }

  @Test
  void linesOverTheCapAreSkippedWithTheirLengthInBoundedMemory() throws IOException {
    int max = 1000;
    String big = "{\"x\":\"" + "y".repeat(300_000) + "\"}";
    List<String> lines = read(big + "\n{\"after\":1}\n" + big, LogFormat.JSON, max);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("1 TOO LONG " + big.length() + " {\"x\":\"yyy");
    assertThat(lines.get(1)).isEqualTo("2 {\"after\":1}");
    assertThat(lines.get(2)).startsWith("3 TOO LONG " + big.length());
    // CRI partials that add up to more than the cap
    StringBuilder cri = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      cri.append("2026-01-01T00:00:00Z stdout P ").append("z".repeat(400)).append('\n');
    }
    cri.append("2026-01-01T00:00:00Z stdout F }\n");
    assertThat(read(cri.toString(), LogFormat.CRI, max)).singleElement().asString().startsWith("1 TOO LONG 2001 ");
  }

  @Test
  void detectsTimestamps() {
    byte[] b = "2026-11-21T16:08:00.123456789Z x 2026-11-21T16:08:00+01:00 2026-11-21 16:08".getBytes(StandardCharsets.UTF_8);
    assertThat(LogLineReader.timestampEnd(b, 0, b.length)).isEqualTo(30);
    assertThat(LogLineReader.timestampEnd(b, 33, b.length)).isEqualTo(58);
    assertThat(LogLineReader.timestampEnd(b, 59, b.length)).isEqualTo(-1);
  }

  @Test
  void survivesRandomInputInEveryFormat() throws IOException {
    java.util.Random r = new java.util.Random(11);
    String[] pieces = {"\n", "\r\n", "{", "}", "[pod/a/b] ", "2026-01-01T00:00:00.5Z ", "stdout ", "stderr ", "P ", "F ",
        "\"k\":\"v\"", "x", " ", "\u00e9"};
    io.github.telemetrybootstrap.testkit.logs.LogLineValidator validator =
        io.github.telemetrybootstrap.testkit.logs.LogLineValidator.builder().maxLineBytes(64).build();
    for (int i = 0; i < 400; i++) {
      java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
      int n = r.nextInt(200);
      long newlines = 0;
      for (int j = 0; j < n; j++) {
        if (r.nextInt(10) == 0) {
          b.write(r.nextInt(256));
        } else {
          String piece = pieces[r.nextInt(pieces.length)];
          b.write(piece.getBytes(StandardCharsets.UTF_8));
        }
      }
      byte[] input = b.toByteArray();
      for (byte x : input) {
        if (x == '\n') {
          newlines++;
        }
      }
      for (LogFormat format : LogFormat.values()) {
        LintReport report = new LintReport(5);
        LintLogs.lint(new ByteArrayInputStream(input), "fuzz", format, validator, report);
        assertThat(report.lines() + report.blankLines()).as("%s on %d bytes", format, input.length)
            .isLessThanOrEqualTo(newlines + 1);
      }
    }
  }
}
