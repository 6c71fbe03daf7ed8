package io.github.telemetrybootstrap.testkit.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus: {@code corpus/good.log} must pass; every line of {@code corpus/bad/<rule-id>.log} must
 * be reported with that rule, and nothing may crash.
 */
class CorpusTest {
  static final LogLineValidator VALIDATOR = LogLineValidator.create();
  static final String[] BAD_FILES = {
      "invalid-json", "invalid-utf8", "schema", "trace-id-format", "span-id-format", "trace-flags-format",
      "ids-all-zero", "multi-line-message", "secret-value", "secret-key"};

  /** Lines of a corpus file as raw bytes (not decoded: some are deliberately invalid UTF-8). */
  static List<byte[]> lines(String resource) {
    try (InputStream in = CorpusTest.class.getResourceAsStream("/corpus/" + resource)) {
      assertThat(in).as(resource).isNotNull();
      byte[] all = in.readAllBytes();
      List<byte[]> out = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == '\n') {
          out.add(Arrays.copyOfRange(all, start, i));
          start = i + 1;
        }
      }
      if (start < all.length) {
        out.add(Arrays.copyOfRange(all, start, all.length));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> badLines() {
    List<Arguments> args = new ArrayList<>();
    for (String rule : BAD_FILES) {
      List<byte[]> lines = lines("bad/" + rule + ".log");
      for (int i = 0; i < lines.size(); i++) {
        args.add(Arguments.of(rule, i + 1, lines.get(i)));
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "{0} line {1}")
  @MethodSource("badLines")
  void eachBadLineIsReportedWithItsRule(String rule, int lineNumber, byte[] line) {
    List<Violation> violations = VALIDATOR.validate(lineNumber, line, 0, line.length);

    assertThat(violations).as("violations of %s line %d", rule, lineNumber)
        .extracting(v -> v.rule().id()).contains(rule);
    for (Violation v : violations) {
      assertThat(v.lineNumber()).isEqualTo(lineNumber);
      assertThat(v.line()).doesNotContain("\n").doesNotContain("hunter2").doesNotContain("s3cr3t")
          .doesNotContain("4111 1111 1111 1111").doesNotContain("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
          .doesNotContain("abcdef0123456789ABCDEF").doesNotContain("\"****\",\"trace_flags\"");
      assertThat(v.line().length()).isLessThanOrEqualTo(LogLineValidator.DISPLAY_CHARS + 1);
      assertThat(v.toString()).contains("[" + v.rule().id() + "]");
    }
  }

  @Test
  void everyRuleThatNeedsNoContextIsCoveredByTheCorpus() {
    List<String> covered = Arrays.asList(BAD_FILES);
    for (Rule r : Rule.values()) {
      switch (r) {
        case LINE_TOO_LONG, MISSING_TRACE_CONTEXT, TRACE_CONTEXT_MISMATCH, MISSING_TENANT, TENANT_MISMATCH -> {
          // generated or context-dependent: covered in LogLineValidatorTest
        }
        case MISSING_REQUEST_CONTEXT -> {
          // needs neighbouring lines: covered in LintLogsTest (--require-request-context)
        }
        default -> assertThat(covered).as("corpus file for %s", r.id()).contains(r.id());
      }
    }
  }

  @Test
  void goodLinesPass() {
    List<byte[]> lines = lines("good.log");
    assertThat(lines).hasSizeGreaterThan(15);
    for (int i = 0; i < lines.size(); i++) {
      byte[] b = lines.get(i);
      assertThat(VALIDATOR.validate(i + 1, b, 0, b.length)).as("good.log line %d", i + 1).isEmpty();
    }
  }
}
