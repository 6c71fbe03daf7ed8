package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered output of every target is committed under {@code src/test/resources/golden/}, so a
 * review shows exactly what a change does to the cluster. This test fails when a golden file is
 * stale. Regenerate with:
 *
 * <pre>./mvnw -B -q -pl stack-manifests -am test -Dtest=GoldenFilesTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true</pre>
 */
class GoldenFilesTest {

  static Stream<Render.Target> targets() {
    return Render.TARGETS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void goldenFileMatchesTheCurrentRender(Render.Target target) throws IOException {
    Render render = Render.of(target);
    Path golden = StackFiles.path("src/test/resources/golden/" + target.name() + ".yaml");
    if (Boolean.parseBoolean(System.getProperty("golden.update"))) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, render.yaml(), StandardCharsets.UTF_8);
    }
    assertThat(golden).as("golden file; regenerate with -Dgolden.update=true").exists();
    assertThat(Files.readString(golden, StandardCharsets.UTF_8))
        .as("%s is stale: the render of %s changed; review the diff and regenerate with -Dgolden.update=true",
            golden, target.directory())
        .isEqualTo(render.yaml());
  }
}
