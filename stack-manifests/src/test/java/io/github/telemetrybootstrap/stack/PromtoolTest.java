package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The alerting and recording rules, the Prometheus config and every dashboard PromQL, through real promtool. */
class PromtoolTest {

  @TempDir
  Path tmp;

  @Test
  void ruleFilesPassPromtoolCheckRules() {
    ExternalTool.PROMTOOL.require();
    List<String> args = new ArrayList<>(List.of("check", "rules"));
    args.addAll(StackQueries.RULE_FILES);
    ExternalTool.Result result = ExternalTool.PROMTOOL.run(StackFiles.ROOT, args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void everyAlertFiresInItsPromtoolUnitTest() {
    ExternalTool.PROMTOOL.require();
    ExternalTool.Result result = ExternalTool.PROMTOOL.run(StackFiles.path("base/prometheus/tests"),
        "test", "rules", "rules-test.yaml");
    assertThat(result.exitCode()).as(result.output()).isZero();

    Set<String> alerts = new LinkedHashSet<>();
    for (String file : StackQueries.RULE_FILES) {
      for (JsonNode group : StrictKubernetesParser.documents(StackFiles.read(file)).get(0).path("groups")) {
        group.path("rules").forEach(r -> {
          if (r.has("alert")) {
            alerts.add(r.path("alert").asString());
          }
        });
      }
    }
    Set<String> firingInTests = new LinkedHashSet<>();
    JsonNode tests = StrictKubernetesParser.documents(StackFiles.read("base/prometheus/tests/rules-test.yaml")).get(0);
    for (JsonNode test : tests.path("tests")) {
      for (JsonNode alertTest : test.path("alert_rule_test")) {
        if (!alertTest.path("exp_alerts").isEmpty()) {
          firingInTests.add(alertTest.path("alertname").asString());
        }
      }
    }
    assertThat(firingInTests).as("alerts with a unit test that expects them to fire")
        .containsExactlyInAnyOrderElementsOf(alerts);
    assertThat(alerts).contains("HttpServer5xxRatioHigh", "HttpServerLatencyP99High", "PodRestartingOften",
        "ContainerOOMKilled", "ScrapeTargetDown", "OtelCollectorSpansDropped", "TempoIngestionErrors",
        "LokiIngestionErrors");
  }

  @Test
  void prometheusConfigPassesPromtoolCheckConfig() throws IOException {
    ExternalTool.PROMTOOL.require();
    Path config = tmp.resolve("prometheus.yaml");
    Files.writeString(config, Render.of("single-node").configFile("prometheus-config", "prometheus.yaml"),
        StandardCharsets.UTF_8);
    ExternalTool.Result result = ExternalTool.PROMTOOL.run(tmp, "check", "config", "prometheus.yaml");
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void everyDashboardAndDatasourcePromqlExpressionIsValid() throws IOException {
    ExternalTool.PROMTOOL.require();
    List<StackQueries.Query> promql = StackQueries.all().stream()
        .filter(q -> q.language().equals("promql") && !q.origin().contains("/rules/")).toList();
    assertThat(promql).hasSizeGreaterThan(20);
    List<Map<String, String>> rules = new ArrayList<>();
    StringBuilder legend = new StringBuilder();
    for (int i = 0; i < promql.size(); i++) {
      rules.add(Map.of("record", "dashboard_expression_" + i, "expr", promql.get(i).expr()));
      legend.append("dashboard_expression_").append(i).append(" = ").append(promql.get(i).origin()).append('\n');
    }
    Path file = tmp.resolve("dashboard-expressions.yaml");
    YAMLMapper.builder().build().writeValue(file.toFile(),
        Map.of("groups", List.of(Map.of("name", "dashboard-expressions", "rules", rules))));
    ExternalTool.Result result = ExternalTool.PROMTOOL.run(tmp, "check", "rules", file.getFileName().toString());
    assertThat(result.exitCode()).as("%s%nexpressions:%n%s", result.output(), legend).isZero();
  }

  @Test
  void promtoolRejectsAnInvalidExpressionTheWayTheDashboardCheckUsesIt() throws IOException {
    ExternalTool.PROMTOOL.require();
    Path file = tmp.resolve("bad.yaml");
    Files.writeString(file, """
        groups:
          - name: bad
            rules:
              - record: dashboard_expression_0
                expr: sum by (service (rate(http_server_requests_seconds_count[5m]))
        """, StandardCharsets.UTF_8);
    assertThat(ExternalTool.PROMTOOL.run(tmp, "check", "rules", "bad.yaml").exitCode()).isNotZero();
  }
}
