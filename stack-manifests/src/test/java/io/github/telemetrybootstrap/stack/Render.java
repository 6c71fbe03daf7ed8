package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * One kustomization rendered with the real {@code kubectl kustomize}: its output text, the YAML
 * documents and the strictly parsed objects. Renders are cached for the test run.
 *
 * @param target what was rendered
 * @param yaml the exact output of {@code kubectl kustomize}
 * @param documents every object as a tree, in output order
 * @param objects every object parsed into the Kubernetes model ({@link StrictKubernetesParser})
 */
record Render(Target target, String yaml, List<JsonNode> documents, List<HasMetadata> objects) {

  /**
   * A kustomization of this module that the tests render.
   *
   * @param name short name, also the golden file name ({@code golden/<name>.yaml})
   * @param directory the kustomization directory relative to the module
   * @param multiTenantLoki whether Loki must run multi-tenant in this render
   */
  record Target(String name, String directory, boolean multiTenantLoki) {}

  /** Every overlay and every component (the latter on top of single-node) and the scalable collector. */
  static final List<Target> TARGETS = List.of(
      new Target("single-node", "overlays/single-node", false),
      new Target("single-node-s3", "overlays/single-node-s3", false),
      new Target("component-loki-multitenant", "src/test/kustomize/loki-multitenant", true),
      new Target("component-ingress", "src/test/kustomize/ingress", false),
      new Target("component-grafana-oidc", "src/test/kustomize/grafana-oidc", false),
      new Target("scalable-collector", "argocd/scalable/collector", false));

  private static final Map<String, Render> CACHE = new ConcurrentHashMap<>();

  /** The render of a target by name; requires kubectl (tool rule). */
  static Render of(String name) {
    return of(TARGETS.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow());
  }

  /** Renders (once per run) and parses a target; requires kubectl (tool rule). */
  static Render of(Target target) {
    ExternalTool.KUBECTL.require();
    return CACHE.computeIfAbsent(target.name(), n -> {
      ExternalTool.Result result = ExternalTool.KUBECTL.run(StackFiles.ROOT, "kustomize", target.directory());
      assertThat(result.exitCode()).as("kubectl kustomize %s failed:%n%s", target.directory(), result.output())
          .isZero();
      String yaml = result.output();
      return new Render(target, yaml, StrictKubernetesParser.documents(yaml), StrictKubernetesParser.parseAll(yaml));
    });
  }

  /** The documents of one kind. */
  List<JsonNode> ofKind(String kind) {
    return documents.stream().filter(d -> kind.equals(d.path("kind").asString(""))).toList();
  }

  /** The single document of a kind and name, if present. */
  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream().filter(d -> name.equals(d.path("metadata").path("name").asString(""))).findFirst();
  }

  /**
   * The content of a file in a generated ConfigMap, found by the generator's name (without the
   * hash suffix kustomize appends).
   */
  String configFile(String configMapBaseName, String key) {
    return ofKind("ConfigMap").stream()
        .filter(d -> d.path("metadata").path("name").asString("").matches(configMapBaseName + "(-[a-z0-9]{10})?"))
        .map(d -> d.path("data").path(key))
        .filter(n -> !n.isMissingNode())
        .map(JsonNode::asString)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap " + configMapBaseName + " with key " + key + " in "
            + target.name()));
  }

  /** Workloads with a pod template: Deployment, DaemonSet, StatefulSet, Job. */
  List<JsonNode> workloads() {
    return documents.stream()
        .filter(d -> List.of("Deployment", "DaemonSet", "StatefulSet", "Job").contains(d.path("kind").asString("")))
        .toList();
  }

  /** Path of the target directory. */
  Path directory() {
    return StackFiles.path(target.directory());
  }
}
