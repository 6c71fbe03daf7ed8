package io.github.telemetrybootstrap.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.compat.UserProjects.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The testkit in a user's build on JUnit 5.10 and on JUnit 6 (declared directly, no BOM): the testkit
 * README's JUnit example, taken from the README, runs there as the project's own test, with {@code mvnw test}, and passes; Surefire
 * reports no corrupted channel.
 */
class TestkitJUnitVersionsTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"testkit-junit5", "testkit-junit6"})
  void theReadmeExampleRunsAndPasses(String project) throws Exception {
    Path work = UserProjects.copyProject(project);
    // The testkit README's JUnit example, verbatim, is the project's test.
    String readme = Files.readString(UserProjects.ROOT.resolve("telemetry-testkit/README.md"));
    int at = readme.indexOf("@TelemetryTest(serviceName = \"orders\"");
    int start = readme.lastIndexOf("```java", at) + "```java".length();
    String example = readme.substring(start, readme.indexOf("```", at)).strip();
    Path test = work.resolve("src/test/java/com/example/CheckoutTelemetryTest.java");
    Files.createDirectories(test.getParent());
    Files.writeString(test, "package com.example;\n\n" + example + "\n");
    Result r = UserProjects.run(work, Duration.ofMinutes(10), Map.of(),
        UserProjects.ROOT.resolve("mvnw").toString(), "-B", "-Dtelemetry.version=" + UserProjects.VERSION, "test");
    String output = String.join("\n", r.stdout());
    assertThat(r.exit()).as(output + r.stderr()).isZero();
    assertThat(output).containsPattern("Tests run: [1-9][0-9]*, Failures: 0, Errors: 0");
    assertThat(output).doesNotContain("Corrupted channel");
    Path reports = work.resolve("target/surefire-reports");
    try (var files = Files.list(reports)) {
      assertThat(files.filter(f -> f.toString().endsWith(".xml"))).isNotEmpty();
    }
  }
}
