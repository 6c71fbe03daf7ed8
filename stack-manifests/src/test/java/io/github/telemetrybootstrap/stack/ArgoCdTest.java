package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Argo CD Applications: well-formed, pointing at paths and values files that exist here. */
class ArgoCdTest {

  static final String REPO = "https://github.com/telemetrybootstrap/telemetry-bootstrap.git";

  static Stream<String> applications() {
    return Stream.of("argocd/single-node.yaml", "argocd/scalable/loki.yaml", "argocd/scalable/tempo.yaml",
        "argocd/scalable/mimir.yaml", "argocd/scalable/collector.yaml");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("applications")
  void applicationIsWellFormedAndPointsIntoThisRepository(String file) {
    JsonNode app = StrictKubernetesParser.documents(StackFiles.read(file)).get(0);
    HasMetadata parsed = StrictKubernetesParser.parse(app);
    assertThat(parsed).isInstanceOf(GenericKubernetesResource.class);
    assertThat(app.path("apiVersion").asString()).isEqualTo("argoproj.io/v1alpha1");
    assertThat(app.path("kind").asString()).isEqualTo("Application");
    JsonNode spec = app.path("spec");
    assertThat(spec.path("project").asString()).isNotBlank();
    assertThat(spec.path("destination").path("namespace").asString()).isEqualTo("observability");
    assertThat(spec.path("destination").path("server").asString()).isNotBlank();

    List<String> problems = new ArrayList<>();
    List<JsonNode> sources = new ArrayList<>();
    if (spec.has("source")) {
      sources.add(spec.path("source"));
    }
    spec.path("sources").forEach(sources::add);
    assertThat(sources).isNotEmpty();
    boolean hasValuesRef = false;
    for (JsonNode source : sources) {
      String revision = source.path("targetRevision").asString("");
      if (revision.isEmpty()) {
        problems.add("source without targetRevision: " + source);
      }
      if (source.has("chart")) {
        if (!revision.matches("\\d+\\.\\d+\\.\\d+")) {
          problems.add("chart " + source.path("chart").asString() + " not pinned to an exact version: " + revision);
        }
        for (JsonNode valueFile : source.path("helm").path("valueFiles")) {
          String v = valueFile.asString();
          if (!v.startsWith("$values/stack-manifests/")) {
            problems.add("values file outside this repository: " + v);
          } else if (!Files.isRegularFile(StackFiles.path(v.substring("$values/stack-manifests/".length())))) {
            problems.add("values file does not exist: " + v);
          }
        }
      } else {
        if (!REPO.equals(source.path("repoURL").asString())) {
          problems.add("git source is not this repository: " + source.path("repoURL").asString());
        }
        if (source.has("ref")) {
          hasValuesRef |= source.path("ref").asString().equals("values");
        } else {
          String path = source.path("path").asString("");
          if (!path.startsWith("stack-manifests/")
              || !Files.isRegularFile(StackFiles.path(path.substring("stack-manifests/".length()) + "/kustomization.yaml"))) {
            problems.add("path is not a kustomization of this module: " + path);
          }
        }
      }
    }
    if (spec.has("sources")) {
      assertThat(hasValuesRef).as("multi-source Application with a 'values' ref source").isTrue();
    }
    assertThat(problems).as(file).isEmpty();
  }

  @Test
  void scalableValuesUseObjectStorageWithoutMinio() {
    // loki and mimir-distributed bundle MinIO (on by default); tempo-distributed 3.0.0 has none
    // (its values.yaml has no minio key: src/test/resources/charts/tempo-distributed-3.0.0.keys).
    for (String values : List.of("loki.yaml", "mimir-distributed.yaml")) {
      JsonNode v = StrictKubernetesParser.documents(StackFiles.read("argocd/scalable/values/" + values)).get(0);
      assertThat(v.path("minio").path("enabled").asBoolean(true)).as("%s minio.enabled", values).isFalse();
    }
    JsonNode tempo = StrictKubernetesParser.documents(StackFiles.read("argocd/scalable/values/tempo-distributed.yaml"))
        .get(0);
    assertThat(tempo.path("metricsGenerator").path("config").path("storage").path("remote_write").get(0)
        .path("send_exemplars").asBoolean()).isTrue();
    JsonNode loki = StrictKubernetesParser.documents(StackFiles.read("argocd/scalable/values/loki.yaml")).get(0);
    assertThat(loki.path("loki").path("limits_config").path("retention_period").asString()).isEqualTo("168h");
  }
}
