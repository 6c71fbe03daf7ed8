package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Where the alerts go: Alertmanager's configuration passes {@code amtool check-config}; label sets the
 * rules produce route to the receiver of their severity ({@code amtool config routes test}); every
 * alert rule carries a routable severity and the labels Alertmanager groups and inhibits by; and
 * Prometheus sends its alerts there.
 */
class AlertmanagerTest {
  @TempDir Path tmp;

  private Path config() throws IOException {
    Path file = tmp.resolve("alertmanager.yaml");
    Files.writeString(file, Render.of("single-node").configFile("alertmanager-config", "alertmanager.yaml"),
        StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void configPassesAmtoolCheckConfig() throws IOException {
    ExternalTool.AMTOOL.require();
    config();
    ExternalTool.Result result = ExternalTool.AMTOOL.run(tmp, "check-config", "alertmanager.yaml");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "'severity=critical service=orders alertname=HttpServer5xxRatioHigh', critical",
    "'severity=warning service=orders alertname=HttpServerLatencyP99High', warning",
    "'alertname=Watchdog', default"})
  void alertsRouteByTheirSeverity(String labels, String receiver) throws IOException {
    ExternalTool.AMTOOL.require();
    config();
    List<String> args = new ArrayList<>(List.of("config", "routes", "test", "--config.file=alertmanager.yaml"));
    args.addAll(List.of(labels.split(" ")));
    ExternalTool.Result result = ExternalTool.AMTOOL.run(tmp, args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.output()).isZero();
    List<String> lines = result.output().strip().lines().toList();
    assertThat(lines.get(lines.size() - 1).strip()).as(result.output()).isEqualTo(receiver);
  }

  @Test
  void warningsAreInhibitedByCriticalsOfTheSameServiceAndGroupedByService() {
    JsonNode config = StrictKubernetesParser.documents(
        Render.of("single-node").configFile("alertmanager-config", "alertmanager.yaml")).get(0);
    List<String> groupBy = new ArrayList<>();
    config.path("route").path("group_by").forEach(n -> groupBy.add(n.asString()));
    assertThat(groupBy).contains("alertname", "service");
    JsonNode inhibit = config.path("inhibit_rules").get(0);
    assertThat(inhibit.path("source_matchers").get(0).asString()).isEqualTo("severity=\"critical\"");
    assertThat(inhibit.path("target_matchers").get(0).asString()).isEqualTo("severity=\"warning\"");
    assertThat(inhibit.path("equal").toString()).contains("service");
  }

  @Test
  void everyAlertRuleCarriesARoutableSeverity() {
    List<String> problems = new ArrayList<>();
    for (String file : List.of("services.yaml", "kubernetes.yaml", "stack.yaml")) {
      JsonNode rules = StrictKubernetesParser.documents(StackFiles.read("base/prometheus/rules/" + file)).get(0);
      for (JsonNode group : rules.path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          if (!rule.has("alert")) {
            continue;
          }
          String severity = rule.path("labels").path("severity").asString("");
          if (!List.of("critical", "warning").contains(severity)) {
            problems.add(file + " " + rule.path("alert").asString() + ": severity '" + severity + "'");
          }
        }
      }
    }
    assertThat(problems).as("alerts Alertmanager cannot route by severity").isEmpty();
  }

  @Test
  void prometheusSendsItsAlertsToAlertmanager() {
    Render render = Render.of("single-node");
    JsonNode prometheus = StrictKubernetesParser.documents(render.configFile("prometheus-config", "prometheus.yaml")).get(0);
    assertThat(prometheus.path("alerting").path("alertmanagers").get(0).path("static_configs").get(0)
        .path("targets").get(0).asString()).isEqualTo("alertmanager:9093");
    assertThat(render.find("Service", "alertmanager")).isPresent();
    assertThat(render.find("StatefulSet", "alertmanager")).isPresent();
  }
}
