package io.github.telemetrybootstrap.examples.quickstart;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tests that need a program run when it is on PATH, are required when {@code CI=true}, and are
 * skipped elsewhere with a message naming the Debian package that provides it.
 */
public final class ExternalTool {
  private ExternalTool() {}

  /**
   * @param executable the program's name
   * @param debianPackage the Debian package that installs it, for the message
   * @return the program's path; the test is skipped (or fails when {@code CI=true}) when it is missing
   */
  public static Path require(String executable, String debianPackage) {
    Optional<Path> found = find(executable);
    if (found.isEmpty()) {
      String message =
          "'" + executable + "' is not on PATH; install it with: apt-get install " + debianPackage;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + " (required because CI=true)");
      }
      assumeTrue(false, message);
    }
    return found.get();
  }

  /**
   * @param executable the program's name
   * @return its path on {@code PATH}, empty when it is not there
   */
  public static Optional<Path> find(String executable) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, executable);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
