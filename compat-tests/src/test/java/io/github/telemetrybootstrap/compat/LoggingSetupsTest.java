package io.github.telemetrybootstrap.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.compat.UserProjects.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every row of the README's "Supported setups" table, as a user's project built and run here: a
 * setup that works writes the contract (JSON lines, masked, java.util.logging included); one that
 * cannot work fails at bootstrap with a message saying what was found and what to change. The table
 * is read from the README, so the README stays true.
 */
class LoggingSetupsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern ROW =
      Pattern.compile("^\\| (.+?) \\| `([a-z0-9.\\-]+)` \\| (works|fails: (.+?)) \\|$");
  private static final Map<String, String> ENV =
      Map.of("OTEL_SERVICE_NAME", "user-app", "OTEL_TRACES_EXPORTER", "none", "TELEMETRY_METRICS_ENABLED", "false");

  record Row(String setup, String project, boolean works, String message) {
    @Override
    public String toString() {
      return setup + " (" + project + ")";
    }
  }

  static Stream<Row> rows() throws IOException {
    List<String> readme = Files.readAllLines(UserProjects.ROOT.resolve("README.md"));
    int start = readme.indexOf("### Supported setups");
    assertThat(start).as("README has a 'Supported setups' section").isPositive();
    List<Row> rows = readme.subList(start, readme.size()).stream()
        .takeWhile(l -> !l.startsWith("## "))
        .map(ROW::matcher)
        .filter(Matcher::matches)
        .map(m -> new Row(m.group(1), m.group(2), m.group(3).equals("works"),
            m.group(4) == null ? "" : m.group(4).replace("`", "")))
        .toList();
    assertThat(rows).as("rows of the Supported setups table").hasSizeGreaterThanOrEqualTo(9);
    return rows.stream();
  }

  @BeforeAll
  static void buildAll() {
    UserProjects.build(".");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theReadmeSaysWhatHappens(Row row) {
    Path project = UserProjects.WORK.resolve(row.project());
    assertThat(project.resolve("target/classes")).as("project %s was built", row.project()).exists();
    Result r = UserProjects.runApp(project, ENV);
    String all = String.join("\n", r.stdout()) + "\n" + r.stderr();
    if (!row.project().equals("logback-own-config")) { // its own pattern layout is its own choice
      assertThat(all).as("no raw secret anywhere").doesNotContain("hunter2").doesNotContain("abc123DEF456ghi789");
    }
    assertThat(r.stderr()).doesNotContain("AbstractMethodError").doesNotContain("NoClassDefFoundError");
    if (row.works()) {
      assertThat(r.exit()).as("exit status; stderr:\n" + r.stderr()).isZero();
      boolean ownFormat = row.project().equals("logback-own-config");
      if (ownFormat) {
        // The application's own format stays, and it is told once, on stderr, what to add.
        assertThat(r.stderr()).contains("writes no telemetry contract lines")
            .contains("<include resource=\"io/github/telemetrybootstrap/logback/json-console-appender.xml\"/>");
        return;
      }
      assertThat(r.stdout()).isNotEmpty().allSatisfy(l -> assertThat(isObject(l)).as("JSON line: " + l).isTrue());
      assertThat(r.stdout()).anyMatch(l -> l.contains("password=****") && l.contains("\"service\":\"user-app\""));
      assertThat(r.stdout()).as("java.util.logging is bridged").anyMatch(l -> l.contains("a java.util.logging line"));
      if (row.project().startsWith("log4j-api")) {
        assertThat(r.stdout()).anyMatch(l -> l.contains("a Log4j 2 API line"));
      }
      assertThat(r.stderr()).doesNotContain("writes no telemetry contract lines");
    } else {
      assertThat(r.exit()).as("exit status; stdout:\n" + r.stdout()).isNotZero();
      assertThat(r.stderr()).contains("TelemetryConfigurationException").contains(row.message());
      assertThat(r.stdout()).allSatisfy(l -> assertThat(isObject(l)).as("stdout holds JSON only: " + l).isTrue());
    }
  }

  private static boolean isObject(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      return n.isObject();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
