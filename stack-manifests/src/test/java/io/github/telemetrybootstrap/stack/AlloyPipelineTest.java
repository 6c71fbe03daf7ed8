package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.telemetrybootstrap.stack.AlloyConfig.Block;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Structure of the Alloy pipeline (README, "Alloy"), read from the rendered single-node ConfigMap. */
class AlloyPipelineTest {

  static AlloyConfig config() {
    return AlloyConfig.parse(Render.of("single-node").configFile("alloy-config", "config.alloy"));
  }

  @Test
  void everyComponentReferenceResolvesAndEveryForwardGoesToAReceiver() {
    AlloyConfig config = config();
    assertThat(config.unresolvedReferences()).isEmpty();
    List<String> badForwards = new ArrayList<>();
    for (Block b : config.components()) {
      if (b.attributes().containsKey("forward_to")) {
        for (String ref : b.attribute("forward_to").references()) {
          if (!ref.endsWith(".receiver")) {
            badForwards.add(b.id() + " -> " + ref);
          }
        }
      }
    }
    assertThat(badForwards).isEmpty();
  }

  @Test
  void theResolverReportsAReferenceToAMissingComponent() {
    AlloyConfig broken = AlloyConfig.parse("""
        loki.source.kubernetes "pods" {
          targets    = discovery.relabel.missing.output
          forward_to = [loki.write.default.receiver]
        }
        loki.write "default" {
          endpoint { url = "http://loki:3100/loki/api/v1/push" }
        }
        """);
    assertThat(broken.unresolvedReferences())
        .containsExactly("loki.source.kubernetes.pods -> discovery.relabel.missing.output");
    assertThatThrownBy(() -> AlloyConfig.parse("loki.write \"x\" {\n  endpoint {\n"))
        .hasMessageContaining("missing '}'");
  }

  @Test
  void discoveryIsNodeLocalThroughTheDownwardApi() {
    Block discovery = config().component("discovery.kubernetes", "pods");
    assertThat(discovery.attribute("role").asString()).isEqualTo("pod");
    Block selectors = discovery.blocks("selectors").get(0);
    assertThat(selectors.attribute("field").text()).isEqualTo("\"spec.nodeName=\" + sys . env ( \"NODE_NAME\" )");

    JsonNode alloy = Render.of("single-node").find("DaemonSet", "alloy").orElseThrow();
    JsonNode nodeName = null;
    for (JsonNode env : alloy.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
      if (env.path("name").asString().equals("NODE_NAME")) {
        nodeName = env;
      }
    }
    assertThat(nodeName).as("NODE_NAME env on the Alloy DaemonSet").isNotNull();
    assertThat(nodeName.path("valueFrom").path("fieldRef").path("fieldPath").asString()).isEqualTo("spec.nodeName");
    // Logs come through the API from discovered targets, never from every file on a shared path.
    assertThat(config().component("loki.source.kubernetes", "pods").attribute("targets").references())
        .containsExactly("discovery.relabel.pod_logs.output");
    assertThat(config().component("discovery.relabel", "pod_logs").attribute("targets").references())
        .containsExactly("discovery.kubernetes.pods.targets");
  }

  @Test
  void logPipelineParsesTheContractFieldsWithoutACriStage() {
    Block process = config().component("loki.process", "contract");
    List<String> stages = process.blocks().stream().map(Block::name).toList();
    // loki.source.kubernetes delivers plain lines from the API: a CRI stage would be a no-op that
    // mangles lines starting like "<word> stdout ...".
    assertThat(stages).doesNotContain("stage.cri");
    assertThat(stages.indexOf("stage.json")).isLessThan(stages.indexOf("stage.labels"))
        .isLessThan(stages.indexOf("stage.structured_metadata"));
    assertThat(extractedFields(config()))
        .containsExactlyInAnyOrder("level", "trace_id", "span_id", "tenant_id", "request_id", "service", "env");
    assertThat(process.blocks("stage.tenant").get(0).attribute("source").asString()).isEqualTo("tenant_id");
  }

  @Test
  void streamLabelsAreExactlyTheFiveBoundedOnes() {
    assertThat(streamLabels(config())).containsExactlyInAnyOrder("cluster", "namespace", "app", "env", "level");
    Block process = config().component("loki.process", "contract");
    assertThat(process.blocks("stage.structured_metadata").get(0).attribute("values").asStringMap().keySet())
        .containsExactlyInAnyOrder("trace_id", "tenant_id", "pod");
  }

  @Test
  void annotatedPodsAreScrapedOpenMetricsFirstWithExemplarsAndTheServiceLabel() {
    AlloyConfig config = config();
    Block scrape = config.component("prometheus.scrape", "annotated_pods");
    assertThat(scrape.attribute("scrape_protocols").asStringList().get(0)).isEqualTo("OpenMetricsText1.0.0");
    assertThat(scrape.attribute("forward_to").references()).containsExactly("prometheus.remote_write.default.receiver");
    Block endpoint = config.component("prometheus.remote_write", "default").blocks("endpoint").get(0);
    assertThat(endpoint.attribute("send_exemplars").text()).isEqualTo("true");
    assertThat(endpoint.attribute("url").asString()).isEqualTo("http://prometheus:9090/api/v1/write");

    List<Block> rules = config.component("discovery.relabel", "annotated_pods").blocks("rule");
    List<String> sources = rules.stream().map(r -> String.join(";", r.attribute("source_labels").asStringList()))
        .toList();
    assertThat(sources).contains("__meta_kubernetes_pod_annotation_prometheus_io_scrape",
        "__address__;__meta_kubernetes_pod_annotation_prometheus_io_port",
        "__meta_kubernetes_pod_annotation_prometheus_io_path");
    // service = app.kubernetes.io/name, falling back to app: the fallback is written first, the
    // preferred label overrides it only when non-empty.
    int fallback = indexOfTarget(rules, "__meta_kubernetes_pod_label_app", "service");
    int preferred = indexOfTarget(rules, "__meta_kubernetes_pod_label_app_kubernetes_io_name", "service");
    assertThat(fallback).isNotNegative().isLessThan(preferred);
    assertThat(rules.get(preferred).attribute("regex").asString()).isEqualTo("(.+)");
    assertThat(indexOfTarget(rules, "__meta_kubernetes_namespace", "namespace")).isNotNegative();
    assertThat(indexOfTarget(rules, "__meta_kubernetes_pod_name", "pod")).isNotNegative();
  }

  private static int indexOfTarget(List<Block> rules, String source, String target) {
    for (int i = 0; i < rules.size(); i++) {
      Block r = rules.get(i);
      if (r.attributes().containsKey("target_label") && r.attribute("target_label").asString().equals(target)
          && r.attribute("source_labels").asStringList().equals(List.of(source))) {
        return i;
      }
    }
    return -1;
  }

  /** The JSON fields the log pipeline extracts from each line (stage.json expressions). */
  static Set<String> extractedFields(AlloyConfig config) {
    Block json = config.component("loki.process", "contract").blocks("stage.json").get(0);
    return new LinkedHashSet<>(json.attribute("expressions").asStringMap().values());
  }

  /**
   * The stream labels a line reaches Loki with: discovery labels, the labels loki.source.kubernetes
   * always adds ({@code job}, {@code instance}: Alloy v1.18
   * internal/component/loki/source/kubernetes/kubetail, checked upstream), stage.labels, external
   * labels, minus drops.
   */
  static Set<String> streamLabels(AlloyConfig config) {
    Set<String> labels = new LinkedHashSet<>(List.of("job", "instance"));
    for (Block rule : config.component("discovery.relabel", "pod_logs").blocks("rule")) {
      if (rule.attributes().containsKey("target_label") && !rule.attribute("target_label").asString().startsWith("__")) {
        labels.add(rule.attribute("target_label").asString());
      }
    }
    Block process = config.component("loki.process", "contract");
    process.blocks("stage.labels").forEach(b -> labels.addAll(b.attribute("values").objectKeys()));
    process.blocks("stage.label_drop").forEach(b -> b.attribute("values").asStringList().forEach(labels::remove));
    labels.addAll(config.component("loki.write", "default").attribute("external_labels").objectKeys());
    return labels;
  }

  @Test
  void nodeMetricsComeFromTheNodeAgentOnTheSameNode() {
    Block scrape = config().component("prometheus.scrape", "node");
    assertThat(scrape.attribute("job_name").asString()).isEqualTo("node");
    assertThat(scrape.attribute("targets").asStringList())
        .contains(":9101", "/api/v0/component/prometheus.exporter.unix.node/metrics");
    assertThat(scrape.attribute("forward_to").references()).containsExactly("prometheus.remote_write.default.receiver");

    Render render = Render.of("single-node");
    AlloyConfig agent = AlloyConfig.parse(render.configFile("alloy-node-config", "config.alloy"));
    Block unix = agent.component("prometheus.exporter.unix", "node");
    JsonNode daemonSet = render.find("DaemonSet", "alloy-node").orElseThrow();
    JsonNode container = daemonSet.path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(container.path("args").toString()).contains("$(NODE_IP):9101");
    java.util.Map<String, String> readOnlyMounts = new java.util.HashMap<>();
    container.path("volumeMounts").forEach(m -> {
      if (m.path("readOnly").asBoolean(false)) {
        readOnlyMounts.put(m.path("mountPath").asString(), m.path("name").asString());
      }
    });
    for (String attribute : List.of("procfs_path", "sysfs_path", "rootfs_path")) {
      String path = unix.attribute(attribute).asString();
      assertThat(readOnlyMounts).as("%s = %s is a read-only host mount", attribute, path).containsKey(path);
    }
    assertThat(daemonSet.path("spec").path("template").path("spec").path("hostNetwork").asBoolean()).isTrue();
  }
}
