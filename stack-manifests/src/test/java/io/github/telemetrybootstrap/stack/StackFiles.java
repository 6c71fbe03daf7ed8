package io.github.telemetrybootstrap.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths inside the {@code stack-manifests} module and small file helpers for the tests. */
final class StackFiles {
  /** The module directory ({@code stack.dir} set by surefire; the working directory otherwise). */
  static final Path ROOT = Path.of(System.getProperty("stack.dir", ".")).toAbsolutePath().normalize();

  private StackFiles() {}

  /** Resolves a path relative to the module directory. */
  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  /** Reads a file of the module as UTF-8; fails the test with the path when it is missing. */
  static String read(String relative) {
    try {
      return Files.readString(path(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path(relative), e);
    }
  }
}
