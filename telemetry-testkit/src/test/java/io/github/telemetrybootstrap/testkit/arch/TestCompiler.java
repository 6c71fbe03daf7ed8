package io.github.telemetrybootstrap.testkit.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources at test time against the test class path, for fixtures that must not sit
 * in the test sources (a stand-in for a core class, or classes surefire must not run directly).
 */
final class TestCompiler {
  private TestCompiler() {}

  /**
   * @param dir a scratch directory
   * @param sources fully qualified class name to source text
   * @return the directory holding the compiled classes
   */
  static Path compile(Path dir, Map<String, String> sources) throws IOException {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = dir.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
      args.add(file.toString());
    }
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = ToolProvider.getSystemJavaCompiler().run(null, errors, errors, args.toArray(new String[0]));
    assertThat(rc).as("javac exit code; output:%n%s", errors.toString(StandardCharsets.UTF_8)).isZero();
    return classes;
  }
}
