package io.github.telemetrybootstrap.stack;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool the tests run for real ({@code kubectl}, {@code promtool}), under the project's
 * tool rule: used when it is on {@code PATH}; required when the environment variable {@code CI} is
 * {@code true} (the test fails if it is missing); otherwise the test is skipped with a message naming
 * the Debian package that provides it.
 *
 * @param command the executable name looked up on {@code PATH}
 * @param debianPackage the Debian package that installs it, named in the skip message
 */
record ExternalTool(String command, String debianPackage) {

  /** {@code kubectl} (with its built-in kustomize); Debian package {@code kubernetes-client}. */
  static final ExternalTool KUBECTL = new ExternalTool("kubectl", "kubernetes-client");

  /** {@code promtool}; Debian package {@code prometheus}. */
  static final ExternalTool PROMTOOL = new ExternalTool("promtool", "prometheus");

  /** {@code amtool}; Debian package {@code prometheus-alertmanager}. */
  static final ExternalTool AMTOOL = new ExternalTool("amtool", "prometheus-alertmanager");

  /** The result of one run: exit code and the combined stdout and stderr. */
  record Result(int exitCode, String output) {}

  /**
   * Skips the calling test (or fails it when {@code CI=true}) unless the tool is on {@code PATH}.
   */
  void require() {
    boolean present = locate() != null;
    if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(command + " is required when CI=true but is not on PATH (Debian package " + debianPackage + ")");
    }
    assumeTrue(present, () -> command + " not on PATH: skipped; install the Debian package " + debianPackage
        + " (required when CI=true)");
  }

  /**
   * Runs the tool with the given arguments in {@code workDir}, waiting at most 60 s.
   *
   * @return exit code and combined output
   * @throws IllegalStateException if the tool cannot be started or does not finish in time
   */
  Result run(Path workDir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(command);
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("tool-", ".out");
      try {
        Process process = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
            .redirectOutput(out.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", cmd) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
    }
  }

  private Path locate() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
