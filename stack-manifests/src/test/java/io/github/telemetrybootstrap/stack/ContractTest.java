package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.contract.LogFields;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stack agrees with the telemetry contract (DESIGN.md): the log fields the Alloy pipeline and
 * the Grafana links read exist in the log schema, and the metric names the dashboards and rules
 * query are the ones the library emits.
 *
 * <p>Hooks for wiring in the real sources:
 * <ul>
 *   <li>{@link #stackLogFieldsMissingFrom(Set)} takes the set of property names of the testkit's
 *       {@code telemetry-log.schema.json}; {@link #stackLogFieldsExistInTheTestkitLogSchema()} loads
 *       it from the test classpath once {@code telemetry-testkit} is a test dependency.</li>
 *   <li>{@link #metricsMissingFromScrape(Set, String)} takes a real Prometheus exposition of the
 *       quickstart; {@link #dashboardMetricsAppearInARealQuickstartScrape()} reads it from the file
 *       named by the system property {@code quickstart.scrape}.</li>
 * </ul>
 */
class ContractTest {

  /** Classpath location of the testkit's log schema (telemetry-testkit). */
  static final String SCHEMA_RESOURCE = "io/github/telemetrybootstrap/testkit/telemetry-log.schema.json";

  /** The metric names the library emits (DESIGN.md "Metrics"; Micrometer names as Prometheus exposes them). */
  static final Set<String> LIBRARY_METRICS = Set.of(
      "http_server_requests_seconds_bucket", "http_server_requests_seconds_count", "http_server_requests_seconds_sum",
      "jvm_memory_used_bytes", "jvm_memory_max_bytes",
      "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum",
      "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds", "jvm_classes_loaded_classes",
      "telemetry_logs_dropped_total", "telemetry_spans_dropped_total");

  /**
   * Prefixes of metrics the stack produces itself (kube-state-metrics, cAdvisor, the node agent's
   * node exporter, Loki, Tempo, collector, ...).
   */
  private static final List<String> STACK_METRIC_PREFIXES = List.of(
      "kube_", "container_", "node_", "loki_", "tempo_", "otelcol_", "traces_", "prometheus_", "alloy_", "grafana_");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  // ---------------------------------------------------------------------------------------------
  // Log fields
  // ---------------------------------------------------------------------------------------------

  /** The top-level field names of the contract, from {@link LogFields} (nested {@code error.*} excluded). */
  static Set<String> contractFieldNames() {
    Set<String> names = new TreeSet<>();
    for (Field f : LogFields.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
          && !f.getName().equals("CONTRACT_VERSION") && !f.getName().startsWith("ERROR_")) {
        try {
          names.add((String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return names;
  }

  /**
   * Every log field the stack reads, with where it reads it: the Alloy pipeline's {@code stage.json}
   * expressions, the Loki datasource's derived-field regex, the Tempo datasource's traces-to-logs
   * tag mapping and the label filters of its query.
   */
  static Map<String, String> stackLogFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    AlloyConfig alloy = AlloyConfig.parse(StackFiles.read("node-agent/alloy/config.alloy"));
    AlloyPipelineTest.extractedFields(alloy).forEach(f -> fields.put(f, "Alloy stage.json"));
    JsonNode datasources = StrictKubernetesParser.documents(StackFiles.read("base/grafana/datasources.yaml")).get(0);
    for (JsonNode ds : datasources.path("datasources")) {
      for (JsonNode derived : ds.path("jsonData").path("derivedFields")) {
        fields.put(derivedFieldJsonKey(derived.path("matcherRegex").asString()),
            "Grafana derived field " + derived.path("name").asString());
      }
      for (JsonNode tag : ds.path("jsonData").path("tracesToLogsV2").path("tags")) {
        fields.put(tag.path("value").asString(), "Grafana tracesToLogsV2 tag " + tag.path("key").asString());
      }
      String query = ds.path("jsonData").path("tracesToLogsV2").path("query").asString("");
      Matcher filter = Pattern.compile("\\|\\s*(\\w+)\\s*=").matcher(StackQueries.unescapeProvisioning(query));
      while (filter.find()) {
        fields.put(filter.group(1), "Grafana tracesToLogsV2 query");
      }
    }
    return fields;
  }

  /** The JSON key a derived-field regex of the form {@code "key"\s*:\s*"(...)"} matches. */
  static String derivedFieldJsonKey(String regex) {
    Matcher m = Pattern.compile("^\"(\\w+)\"").matcher(regex);
    if (!m.find()) {
      throw new IllegalStateException("derived field regex does not start with a JSON key: " + regex);
    }
    return m.group(1);
  }

  /**
   * The stack's log fields that the schema does not define.
   *
   * @param schemaPropertyNames the top-level property names of the log schema
   * @return each missing field with where the stack reads it; empty when the stack agrees
   */
  static List<String> stackLogFieldsMissingFrom(Set<String> schemaPropertyNames) {
    List<String> missing = new ArrayList<>();
    stackLogFields().forEach((field, where) -> {
      if (!schemaPropertyNames.contains(field)) {
        missing.add(field + " (" + where + ")");
      }
    });
    return missing;
  }

  @Test
  void everyLogFieldTheStackReadsIsAContractField() {
    assertThat(stackLogFields().keySet()).contains("trace_id", "span_id", "tenant_id", "request_id", "service", "level");
    assertThat(stackLogFieldsMissingFrom(contractFieldNames())).isEmpty();
  }

  @Test
  void aFieldOutsideTheSchemaIsReported() {
    Set<String> withoutTenant = new LinkedHashSet<>(contractFieldNames());
    withoutTenant.remove(LogFields.TENANT_ID);
    assertThat(stackLogFieldsMissingFrom(withoutTenant)).containsExactly("tenant_id (Alloy stage.json)");
  }

  @Test
  void stackLogFieldsExistInTheTestkitLogSchema() throws IOException {
    InputStream schema = getClass().getClassLoader().getResourceAsStream(SCHEMA_RESOURCE);
    assertThat(schema).as(SCHEMA_RESOURCE + " from telemetry-testkit on the test classpath").isNotNull();
    Set<String> properties = new LinkedHashSet<>();
    try (schema) {
      JSON.readTree(schema).path("properties").properties().forEach(e -> properties.add(e.getKey()));
    }
    assertThat(stackLogFieldsMissingFrom(properties)).isEmpty();
  }

  @Test
  void theLokiDerivedFieldExtractsTheTraceIdOfAContractLogLine() {
    JsonNode loki = null;
    for (JsonNode ds : StrictKubernetesParser.documents(StackFiles.read("base/grafana/datasources.yaml")).get(0)
        .path("datasources")) {
      if (ds.path("uid").asString().equals("loki")) {
        loki = ds;
      }
    }
    assertThat(loki).isNotNull();
    JsonNode derived = loki.path("jsonData").path("derivedFields").get(0);
    assertThat(derived.path("datasourceUid").asString()).isEqualTo("tempo");
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    Map<String, Object> line = new LinkedHashMap<>();
    line.put(LogFields.TIMESTAMP, "2026-11-21T16:08:00.123Z");
    line.put(LogFields.LEVEL, "INFO");
    line.put(LogFields.MESSAGE, "order placed");
    line.put(LogFields.SERVICE, "orders");
    line.put(LogFields.TRACE_ID, traceId);
    line.put(LogFields.SPAN_ID, "00f067aa0ba902b7");
    Matcher m = Pattern.compile(derived.path("matcherRegex").asString()).matcher(JSON.writeValueAsString(line));
    assertThat(m.find()).isTrue();
    assertThat(m.group(1)).isEqualTo(traceId);
  }

  @Test
  void logQueriesSelectOnlyTheFiveStreamLabels() {
    Set<String> allowed = AlloyPipelineTest.streamLabels(AlloyConfig.parse(StackFiles.read("node-agent/alloy/config.alloy")));
    List<String> violations = new ArrayList<>();
    for (StackQueries.Query q : StackQueries.all()) {
      if (q.language().equals("logql")) {
        Set<String> labels = StackQueries.logqlSelectorLabels(q.expr());
        if (labels.isEmpty() || !allowed.containsAll(labels)) {
          violations.add(q.origin() + ": selector labels " + labels + " not within " + allowed);
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Metric names
  // ---------------------------------------------------------------------------------------------

  /** Whether the stack itself produces the series (so the library need not emit it). */
  static boolean producedByTheStack(String metric) {
    return metric.contains(":") || metric.equals("up") || STACK_METRIC_PREFIXES.stream().anyMatch(metric::startsWith);
  }

  /**
   * Every metric name the dashboards, dashboard variables, datasource links and alerting and
   * recording rules query that the stack does not produce itself: the names the library must emit.
   */
  static Set<String> applicationMetricNames() {
    Set<String> names = new TreeSet<>();
    for (StackQueries.Query q : StackQueries.all()) {
      if (q.language().equals("promql")) {
        StackQueries.metricNames(q.expr()).stream().filter(n -> !producedByTheStack(n)).forEach(names::add);
      }
    }
    return names;
  }

  /**
   * The given metric names that do not appear in a Prometheus text or OpenMetrics exposition (for
   * example {@code curl http://localhost:9464/metrics} of the running quickstart).
   *
   * @param metrics names as queried ({@code _bucket}, {@code _count}, {@code _total} included)
   * @param exposition the scrape body
   * @return the names no sample line of the exposition carries
   */
  static Set<String> metricsMissingFromScrape(Set<String> metrics, String exposition) {
    Set<String> exposed = new LinkedHashSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(line);
      if (m.find()) {
        exposed.add(m.group(1));
      }
    }
    Set<String> missing = new TreeSet<>(metrics);
    missing.removeAll(exposed);
    return missing;
  }

  @Test
  void everyMetricTheDashboardsAndRulesQueryIsOneTheLibraryEmits() {
    Set<String> used = applicationMetricNames();
    assertThat(used).as("application metrics queried by the stack").isSubsetOf(LIBRARY_METRICS);
    assertThat(used).contains("http_server_requests_seconds_bucket", "http_server_requests_seconds_count",
        "jvm_memory_used_bytes", "telemetry_spans_dropped_total");
  }

  @Test
  void metricNameExtractionIgnoresFunctionsLabelsAndGroupings() {
    assertThat(StackQueries.metricNames(
        "histogram_quantile(0.99, sum by (service, le) (rate(http_server_requests_seconds_bucket{status=~\"5..\"}[5m])))"
            + " / on (service) group_left sum(up) > 1e3"))
        .containsExactly("http_server_requests_seconds_bucket", "up");
  }

  @Test
  void dashboardMetricsAppearInARealQuickstartScrape() throws Exception {
    String scrape = QuickstartScrape.scrapeAfterTraffic();
    Set<String> missing = metricsMissingFromScrape(applicationMetricNames(), scrape);
    assertThat(missing).as("queried by the stack but absent from a real scrape of the quickstart").isEmpty();
  }
}
