package io.github.telemetrybootstrap.stack;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every query the stack ships, collected from the sources: PromQL in dashboards, dashboard
 * variables, alerting and recording rules and the Tempo datasource's traces-to-metrics links; LogQL
 * in dashboards and the traces-to-logs link. Grafana variables are replaced by values that keep the
 * query valid, so the result can be handed to promtool.
 */
final class StackQueries {

  /**
   * One query and where it comes from.
   *
   * @param origin file and panel/rule, for failure messages
   * @param language {@code promql} or {@code logql}
   * @param expr the query with Grafana variables substituted
   */
  record Query(String origin, String language, String expr) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<String> DASHBOARDS = List.of(
      "base/grafana/dashboards/service-overview.json",
      "base/grafana/dashboards/pod-health.json",
      "base/grafana/dashboards/jvm.json");
  static final List<String> RULE_FILES = List.of(
      "base/prometheus/rules/services.yaml",
      "base/prometheus/rules/kubernetes.yaml",
      "base/prometheus/rules/stack.yaml");
  private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*\\w+\\)$", Pattern.DOTALL);

  private StackQueries() {}

  /** Every query of the stack. */
  static List<Query> all() {
    List<Query> queries = new ArrayList<>();
    for (String file : DASHBOARDS) {
      JsonNode dashboard = JSON.readTree(StackFiles.read(file));
      for (JsonNode panel : dashboard.path("panels")) {
        String panelDs = panel.path("datasource").path("type").asString("");
        for (JsonNode target : panel.path("targets")) {
          String ds = target.path("datasource").path("type").asString(panelDs);
          String language = ds.equals("loki") ? "logql" : "promql";
          queries.add(new Query(file + " panel '" + panel.path("title").asString() + "'", language,
              substitute(target.path("expr").asString())));
        }
      }
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        if (!"query".equals(variable.path("type").asString())) {
          continue;
        }
        Matcher m = LABEL_VALUES.matcher(variable.path("query").path("query").asString());
        if (m.matches()) {
          queries.add(new Query(file + " variable " + variable.path("name").asString(), "promql",
              substitute(m.group(1))));
        }
      }
    }
    for (String file : RULE_FILES) {
      JsonNode rules = StrictKubernetesParser.documents(StackFiles.read(file)).get(0);
      for (JsonNode group : rules.path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          String name = rule.has("alert") ? "alert " + rule.path("alert").asString()
              : "record " + rule.path("record").asString();
          queries.add(new Query(file + " " + name, "promql", rule.path("expr").asString().trim()));
        }
      }
    }
    JsonNode datasources = StrictKubernetesParser.documents(StackFiles.read("base/grafana/datasources.yaml")).get(0);
    for (JsonNode ds : datasources.path("datasources")) {
      JsonNode json = ds.path("jsonData");
      for (JsonNode q : json.path("tracesToMetrics").path("queries")) {
        queries.add(new Query("datasource " + ds.path("uid").asString() + " tracesToMetrics '"
            + q.path("name").asString() + "'", "promql", substitute(unescapeProvisioning(q.path("query").asString()))));
      }
      if (json.path("tracesToLogsV2").has("query")) {
        queries.add(new Query("datasource " + ds.path("uid").asString() + " tracesToLogsV2", "logql",
            substitute(unescapeProvisioning(json.path("tracesToLogsV2").path("query").asString()))));
      }
    }
    return queries;
  }

  /** Grafana provisioning files write a literal {@code $} as {@code $$}. */
  static String unescapeProvisioning(String value) {
    return value.replace("$$", "$");
  }

  /**
   * Replaces Grafana variables with values that keep a query valid: interval variables become
   * {@code 5m}, {@code $__tags} becomes one label matcher, template variables become {@code x}.
   */
  static String substitute(String expr) {
    return expr
        .replaceAll("\\$\\{__tags}|\\$__tags", "service=\"x\"")
        .replaceAll("\\$__(rate_interval|interval|range|auto)", "5m")
        .replaceAll("\\$\\{__[\\w.]+}", "x")
        .replaceAll("\\$\\{?(\\w+)}?", "x");
  }

  private static final Set<String> PROMQL_KEYWORDS = Set.of(
      "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
      "inf", "nan", "Inf", "NaN");

  /**
   * The metric names a PromQL expression selects: identifiers outside strings, label matchers,
   * grouping lists and range durations that are not functions, aggregations or keywords.
   */
  static Set<String> metricNames(String expr) {
    String s = expr
        .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(s);
    while (m.find()) {
      String word = m.group();
      int after = m.end();
      while (after < s.length() && Character.isWhitespace(s.charAt(after))) {
        after++;
      }
      boolean call = after < s.length() && s.charAt(after) == '(';
      boolean partOfNumber = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
      if (!call && !partOfNumber && !PROMQL_KEYWORDS.contains(word)) {
        names.add(word);
      }
    }
    return names;
  }

  /** The stream selector label names of a LogQL query (its first {@code {...}}). */
  static Set<String> logqlSelectorLabels(String expr) {
    Matcher selector = Pattern.compile("\\{([^}]*)}").matcher(expr);
    Set<String> labels = new LinkedHashSet<>();
    if (selector.find()) {
      Matcher label = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)").matcher(selector.group(1));
      while (label.find()) {
        labels.add(label.group(1));
      }
    }
    return labels;
  }
}
