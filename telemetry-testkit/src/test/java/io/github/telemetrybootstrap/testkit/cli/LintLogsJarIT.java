package io.github.telemetrybootstrap.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Runs the shaded {@code lint-logs} jar in a fresh JVM, the way a pipeline step does. */
class LintLogsJarIT {
  private static Path jar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files.filter(p -> p.getFileName().toString().endsWith("-lint-logs.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("target/*-lint-logs.jar missing: run the package phase"));
    }
  }

  private record Result(int status, String out, String err) {}

  private static Result run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar().toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("lint-logs", ".out");
    Path err = Files.createTempFile("lint-logs", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void goodCorpusPassesWithNothingOnStderr() throws Exception {
    Result r = run("src/test/resources/corpus/good.log");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("lines checked").contains("0 with violations");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void badCorpusFailsWithEveryRuleCounted() throws Exception {
    List<String> args = new ArrayList<>(List.of("--json"));
    for (String f : new String[] {"invalid-json", "invalid-utf8", "schema", "secret-key", "secret-value"}) {
      args.add("src/test/resources/corpus/bad/" + f + ".log");
    }
    Result r = run(args.toArray(String[]::new));
    assertThat(r.status()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("\"invalid-json\"").contains("\"invalid-utf8\"").contains("\"schema\"")
        .contains("\"secret-key\"").contains("\"secret-value\"").doesNotContain("hunter2");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void usageErrorExitsTwo() throws Exception {
    assertThat(run("--format", "xml", "x.log").status()).isEqualTo(2);
  }
}
