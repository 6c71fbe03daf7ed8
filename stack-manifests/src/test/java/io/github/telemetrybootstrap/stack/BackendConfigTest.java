package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Structure of the configs that have no validator on this machine: OpenTelemetry Collector, Loki
 * and Tempo, read from the rendered ConfigMaps of every target that contains them.
 */
class BackendConfigTest {

  static Stream<Render.Target> fullStacks() {
    return Render.TARGETS.stream().filter(t -> !t.name().equals("scalable-collector"));
  }

  static Stream<Render.Target> collectorTargets() {
    return Render.TARGETS.stream();
  }

  private static JsonNode yaml(String text) {
    return StrictKubernetesParser.documents(text).get(0);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }

  /** Every component a pipeline names is defined, and every defined extension is enabled. */
  static List<String> unresolvedCollectorReferences(JsonNode config) {
    List<String> problems = new ArrayList<>();
    config.path("service").path("pipelines").properties().forEach(p -> {
      for (String section : List.of("receivers", "processors", "exporters")) {
        for (String name : strings(p.getValue().path(section))) {
          if (!config.path(section).has(name)) {
            problems.add("pipeline " + p.getKey() + " uses undefined " + section + " " + name);
          }
        }
      }
    });
    for (String ext : strings(config.path("service").path("extensions"))) {
      if (!config.path("extensions").has(ext)) {
        problems.add("undefined extension " + ext);
      }
    }
    return problems;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("collectorTargets")
  void collectorTailSamplesWithExactlyTheThreePoliciesThenBatches(Render.Target target) {
    Render render = Render.of(target);
    JsonNode config = yaml(render.configFile("otel-collector-config", "config.yaml"));
    assertThat(unresolvedCollectorReferences(config)).isEmpty();

    JsonNode traces = config.path("service").path("pipelines").path("traces");
    assertThat(strings(traces.path("receivers"))).containsExactly("otlp");
    assertThat(config.path("receivers").path("otlp").path("protocols").properties())
        .extracting(e -> e.getKey()).containsExactlyInAnyOrder("grpc", "http");
    assertThat(strings(traces.path("processors")))
        .containsExactly("memory_limiter", "k8s_attributes", "tail_sampling", "batch");
    assertThat(strings(traces.path("exporters"))).containsExactly("otlp_http/tempo");

    JsonNode policies = config.path("processors").path("tail_sampling").path("policies");
    assertThat(policies).hasSize(3);
    List<String> described = new ArrayList<>();
    policies.forEach(p -> described.add(p.path("type").asString() + ":" + switch (p.path("type").asString()) {
      case "status_code" -> strings(p.path("status_code").path("status_codes"));
      case "latency" -> p.path("latency").path("threshold_ms").asInt();
      case "probabilistic" -> p.path("probabilistic").path("sampling_percentage").asDouble();
      default -> "unexpected " + p;
    }));
    assertThat(described).containsExactlyInAnyOrder("status_code:[ERROR]", "latency:1000", "probabilistic:5.0");

    // Single-node: one replica, or tail sampling would split traces across instances.
    JsonNode deployment = render.find("Deployment", "otel-collector").orElseThrow();
    if (!target.name().equals("scalable-collector")) {
      assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("collectorTargets")
  void collectorUsesTheCurrentComponentNamesAndRbacForK8sAttributes(Render.Target target) {
    Render render = Render.of(target);
    String text = render.configFile("otel-collector-config", "config.yaml");
    assertThat(text).doesNotContain("k8sattributes").doesNotContain("otlphttp").doesNotContain("tailsampling");
    JsonNode role = render.find("ClusterRole", "observability-otel-collector").orElseThrow();
    List<String> resources = new ArrayList<>();
    role.path("rules").forEach(r -> resources.addAll(strings(r.path("resources"))));
    assertThat(resources).contains("pods", "namespaces", "replicasets");
  }

  @Test
  void scalableProfileRoutesByTraceIdToTheSamplingTier() {
    Render render = Render.of("scalable-collector");
    JsonNode lb = yaml(render.configFile("otel-collector-lb-config", "loadbalancer-config.yaml"));
    assertThat(unresolvedCollectorReferences(lb)).isEmpty();
    JsonNode exporter = lb.path("exporters").path("loadbalancing");
    assertThat(exporter.path("routing_key").asString()).isEqualTo("traceID");
    String host = exporter.path("resolver").path("dns").path("hostname").asString();
    // Collector 0.159 decodes its config strictly (confmap, WeaklyTypedInput false): string fields
    // must be YAML strings. The loadbalancing exporter's resolver fields are strings
    // (exporter/loadbalancingexporter config.go: DNSResolver.Port string).
    for (String field : List.of("hostname", "port")) {
      assertThat(exporter.path("resolver").path("dns").path(field).isString())
          .as("exporters.loadbalancing.resolver.dns.%s must be a YAML string (quote it)", field).isTrue();
    }
    assertThat(host).startsWith("otel-collector-sampling.observability.");
    JsonNode headless = render.find("Service", "otel-collector-sampling").orElseThrow();
    assertThat(headless.path("spec").path("clusterIP").asString()).isEqualTo("None");
    // Pod association happens where the connection still comes from the application pod.
    assertThat(strings(lb.path("service").path("pipelines").path("traces").path("processors")))
        .containsExactly("memory_limiter", "k8s_attributes");
    assertThat(render.find("Deployment", "otel-collector").orElseThrow().path("spec").path("replicas").asInt())
        .isGreaterThan(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fullStacks")
  void lokiIsSchemaV13OnTsdbWithSevenDayRetentionAndTheRightTenancy(Render.Target target) {
    Render render = Render.of(target);
    JsonNode loki = yaml(render.configFile("loki-config", "loki.yaml"));
    JsonNode schemas = loki.path("schema_config").path("configs");
    JsonNode latest = schemas.get(schemas.size() - 1);
    assertThat(latest.path("schema").asString()).isEqualTo("v13");
    assertThat(latest.path("store").asString()).isEqualTo("tsdb");
    assertThat(loki.path("compactor").path("retention_enabled").asBoolean()).isTrue();
    assertThat(loki.path("limits_config").path("retention_period").asString()).isEqualTo("168h");
    assertThat(loki.path("limits_config").path("allow_structured_metadata").asBoolean()).isTrue();

    List<String> args = strings(render.find("StatefulSet", "loki").orElseThrow()
        .path("spec").path("template").path("spec").path("containers").get(0).path("args"));
    boolean multiTenant = loki.path("auth_enabled").asBoolean(true) || args.contains("-auth.enabled=true");
    assertThat(multiTenant).as("Loki multi-tenant in %s", target.name()).isEqualTo(target.multiTenantLoki());
    assertThat(loki.path("auth_enabled").asBoolean(true)).as("the file stays single-tenant; the component flips the flag")
        .isFalse();

    String alloyTenant = envValue(render.find("DaemonSet", "alloy").orElseThrow(), "LOKI_DEFAULT_TENANT");
    JsonNode datasources = yaml(render.configFile("grafana-datasources", "datasources.yaml"));
    JsonNode lokiDs = datasource(datasources, "loki");
    if (target.multiTenantLoki()) {
      assertThat(alloyTenant).as("default tenant for lines without tenant_id").isNotBlank();
      assertThat(lokiDs.path("jsonData").path("httpHeaderName1").asString()).isEqualTo("X-Scope-OrgID");
      assertThat(lokiDs.path("secureJsonData").path("httpHeaderValue1").asString()).isEqualTo(alloyTenant);
    } else {
      assertThat(alloyTenant).isEmpty();
      assertThat(lokiDs.path("jsonData").has("httpHeaderName1")).isFalse();
    }
  }

  @Test
  void theMultiTenantDatasourcesDifferFromTheBaseOnlyByTheTenantHeader() {
    JsonNode base = yaml(StackFiles.read("base/grafana/datasources.yaml"));
    JsonNode multi = yaml(StackFiles.read("components/loki-multitenant/datasources.yaml"));
    for (String uid : List.of("loki", "tempo")) {
      var ds = (tools.jackson.databind.node.ObjectNode) datasource(multi, uid);
      ((tools.jackson.databind.node.ObjectNode) ds.path("jsonData")).remove("httpHeaderName1");
      ds.remove("secureJsonData");
    }
    assertThat(multi).isEqualTo(base);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fullStacks")
  void tempoKeepsSevenDaysAndGeneratesMetricsWithTraceIdExemplars(Render.Target target) {
    Render render = Render.of(target);
    JsonNode tempo = yaml(render.configFile("tempo-config", "tempo.yaml"));
    assertThat(tempo.path("multitenancy_enabled").asBoolean(true))
        .as("the file stays single-tenant; the component flips the flag").isFalse();
    List<String> tempoArgs = strings(render.find("StatefulSet", "tempo").orElseThrow()
        .path("spec").path("template").path("spec").path("containers").get(0).path("args"));
    assertThat(tempoArgs.contains("-multitenancy.enabled=true"))
        .as("Tempo multi-tenant in %s", target.name()).isEqualTo(target.multiTenantLoki());
    // The collector always names the tenant it writes to (ignored while Tempo is single-tenant),
    // and Grafana reads that same tenant when Tempo is multi-tenant.
    JsonNode collector = yaml(render.configFile("otel-collector-config", "config.yaml"));
    assertThat(collector.path("exporters").path("otlp_http/tempo").path("headers").path("X-Scope-OrgID").asString())
        .isEqualTo("${env:TEMPO_TENANT}");
    String tempoTenant = envValue(render.find("Deployment", "otel-collector").orElseThrow(), "TEMPO_TENANT");
    assertThat(tempoTenant).isEqualTo("default");
    JsonNode tempoDs = datasource(yaml(render.configFile("grafana-datasources", "datasources.yaml")), "tempo");
    if (target.multiTenantLoki()) {
      assertThat(tempoDs.path("jsonData").path("httpHeaderName1").asString()).isEqualTo("X-Scope-OrgID");
      assertThat(tempoDs.path("secureJsonData").path("httpHeaderValue1").asString()).isEqualTo(tempoTenant);
    } else {
      assertThat(tempoDs.path("jsonData").has("httpHeaderName1")).isFalse();
    }
    assertThat(tempo.path("backend_worker").path("compaction").path("block_retention").asString()).isEqualTo("168h");
    assertThat(tempo.path("overrides").path("defaults").path("compaction").path("block_retention").asString())
        .isEqualTo("168h");
    assertThat(strings(tempo.path("overrides").path("defaults").path("metrics_generator").path("processors")))
        .containsExactlyInAnyOrder("service-graphs", "span-metrics");
    JsonNode generator = tempo.path("metrics_generator");
    JsonNode remoteWrite = generator.path("storage").path("remote_write").get(0);
    assertThat(remoteWrite.path("url").asString()).isEqualTo("http://prometheus:9090/api/v1/write");
    assertThat(remoteWrite.path("send_exemplars").asBoolean()).isTrue();
    // The same exemplar label the library writes and Grafana's exemplar link reads.
    String exemplarLabel = tempo.path("overrides").path("defaults").path("metrics_generator")
        .path("trace_id_label_name").asString();
    assertThat(exemplarLabel).isEqualTo("trace_id");
    JsonNode prometheusDs = datasource(yaml(render.configFile("grafana-datasources", "datasources.yaml")), "prometheus");
    assertThat(prometheusDs.path("jsonData").path("exemplarTraceIdDestinations").get(0).path("name").asString())
        .isEqualTo(exemplarLabel);
  }

  /** Top-level and metrics_generator keys of the Tempo 3.0 configuration reference (Tempo parses strictly). */
  private static final java.util.Set<String> TEMPO_TOP_LEVEL = java.util.Set.of("multitenancy_enabled",
      "http_api_prefix", "stream_over_http_enabled", "span_profiling", "server", "memory", "distributor", "ingest",
      "block_builder", "live_store", "live_store_client", "metrics_generator", "query_frontend", "querier",
      "backend_scheduler", "backend_scheduler_client", "backend_worker", "storage", "memberlist", "overrides",
      "usage_report", "cache");
  private static final java.util.Set<String> TEMPO_METRICS_GENERATOR = java.util.Set.of("ring", "processor",
      "registry", "limiter_type", "ring_mode", "codec", "ingest_concurrency", "instance_id", "storage",
      "metrics_ingestion_time_range_slack", "override_ring_key");

  @ParameterizedTest(name = "{0}")
  @MethodSource("fullStacks")
  void tempoUsesOnlyBlocksOfTheTempo3ConfigurationReference(Render.Target target) {
    JsonNode tempo = yaml(Render.of(target).configFile("tempo-config", "tempo.yaml"));
    assertThat(tempo.propertyNames()).isSubsetOf(TEMPO_TOP_LEVEL)
        .doesNotContain("ingester", "compactor", "metrics_generator_client", "ingester_client");
    assertThat(tempo.path("metrics_generator").propertyNames()).isSubsetOf(TEMPO_METRICS_GENERATOR);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fullStacks")
  void s3ProfileKeepsDataInObjectStorageWithParametersAndExternalCredentials(Render.Target target) {
    Render render = Render.of(target);
    JsonNode loki = yaml(render.configFile("loki-config", "loki.yaml"));
    JsonNode tempo = yaml(render.configFile("tempo-config", "tempo.yaml"));
    boolean s3 = target.name().equals("single-node-s3");
    assertThat(loki.path("schema_config").path("configs").get(0).path("object_store").asString())
        .isEqualTo(s3 ? "s3" : "filesystem");
    assertThat(tempo.path("storage").path("trace").path("backend").asString()).isEqualTo(s3 ? "s3" : "local");
    if (s3) {
      JsonNode lokiS3 = loki.path("common").path("storage").path("s3");
      assertThat(lokiS3.path("endpoint").asString()).isEqualTo("${S3_ENDPOINT}");
      assertThat(lokiS3.path("bucketnames").asString()).isEqualTo("${LOKI_BUCKET}");
      assertThat(lokiS3.path("secret_access_key").asString()).isEqualTo("${AWS_SECRET_ACCESS_KEY}");
      JsonNode tempoS3 = tempo.path("storage").path("trace").path("s3");
      assertThat(tempoS3.path("bucket").asString()).isEqualTo("${TEMPO_BUCKET}");
      assertThat(tempoS3.path("secret_key").asString()).isEqualTo("${AWS_SECRET_ACCESS_KEY}");
      assertThat(render.find("ExternalSecret", "object-storage-credentials")).isPresent();
      assertThat(render.yaml()).doesNotContain("minio");
    }
  }

  private static JsonNode datasource(JsonNode datasources, String uid) {
    for (JsonNode ds : datasources.path("datasources")) {
      if (ds.path("uid").asString().equals(uid)) {
        return ds;
      }
    }
    throw new AssertionError("no datasource with uid " + uid);
  }

  private static String envValue(JsonNode workload, String name) {
    for (JsonNode env : workload.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
      if (env.path("name").asString().equals(name)) {
        return env.path("value").asString("");
      }
    }
    throw new AssertionError("no env " + name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fullStacks")
  void alloyAndPrometheusNameTheClusterAlike(Render.Target target) {
    Render render = Render.of(target);
    String alloy = env(render.find("DaemonSet", "alloy").orElseThrow(), "alloy", "CLUSTER_NAME");
    String prometheus = env(render.find("StatefulSet", "prometheus").orElseThrow(), "prometheus", "CLUSTER_NAME");
    assertThat(prometheus).as("Prometheus's cluster name in %s", target.name()).isEqualTo(alloy);
    JsonNode config = yaml(render.configFile("prometheus-config", "prometheus.yaml"));
    assertThat(config.path("global").path("external_labels").path("cluster").asString()).isEqualTo("${CLUSTER_NAME}");
    JsonNode container = render.find("StatefulSet", "prometheus").orElseThrow()
        .path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(container.path("args").toString()).contains("expand-external-labels");
  }

  private static String env(JsonNode workload, String container, String name) {
    for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
      if (c.path("name").asString().equals(container)) {
        for (JsonNode e : c.path("env")) {
          if (e.path("name").asString().equals(name)) {
            return e.path("value").asString();
          }
        }
      }
    }
    throw new AssertionError(container + " has no env " + name);
  }
}
