package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The scalable profile's Helm values against the charts they are for: every key our values set is a
 * key of that chart version's values.yaml (recorded in {@code src/test/resources/charts/<chart>-<version>.keys},
 * generated from the upstream file), or lies where the chart passes values through verbatim; and every
 * chart release an Application names is one its repository publishes ({@code charts/published.txt}).
 */
class ChartValuesTest {
  /**
   * Where a chart renders our values verbatim, so keys below are the application's (Tempo's, Loki's)
   * or Kubernetes', not the chart's: each with where the chart does it.
   */
  private static final Map<String, List<String>> PASSTHROUGH = Map.of(
      "tempo-distributed-3.0.0", List.of(
          "storage.trace.s3",            // values.yaml "config": toYaml .Values.storage.trace.s3
          "overrides.defaults"),         // the overrides file, as given
      "loki-9.3.2", List.of(
          "loki.storage.bucketNames",    // commented in values.yaml, read by templates/_helpers.tpl
          "loki.limits_config",          // values.yaml "config": toYaml .Values.loki.limits_config
          "loki.compactor"));            // toYaml .Values.loki.compactor

  private static Map<String, String> keys(String resource) throws IOException {
    Map<String, String> out = new HashMap<>();
    try (InputStream in = ChartValuesTest.class.getResourceAsStream("/charts/" + resource + ".keys")) {
      assertThat(in).as("keys of %s recorded", resource).isNotNull();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#") && line.contains("\t")) {
          String[] p = line.split("\t");
          out.put(p[0], p[1]);
        }
      }
    }
    return out;
  }

  private static void paths(JsonNode node, String path, List<String> out) {
    if (node.isObject()) {
      if (!path.isEmpty()) {
        out.add(path);
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        paths(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
      }
    } else {
      out.add(path);
    }
  }

  @ParameterizedTest(name = "{0} on chart {1}")
  @CsvSource({"tempo-distributed.yaml, tempo-distributed-3.0.0", "loki.yaml, loki-9.3.2",
      "mimir-distributed.yaml, mimir-distributed-5.7.0"})
  void everyValuesKeyExistsInTheChartVersionNamed(String valuesFile, String chart) throws IOException {
    Map<String, String> chartKeys = keys(chart);
    JsonNode values = StrictKubernetesParser.documents(StackFiles.read("argocd/scalable/values/" + valuesFile)).get(0);
    List<String> ours = new ArrayList<>();
    paths(values, "", ours);
    List<String> unknown = new ArrayList<>();
    for (String p : ours) {
      if (chartKeys.containsKey(p) || freeForm(p, chartKeys, PASSTHROUGH.getOrDefault(chart, List.of()))) {
        continue;
      }
      unknown.add(p);
    }
    assertThat(unknown).as("keys of %s that chart %s does not have", valuesFile, chart).isEmpty();
  }

  /** Below an empty map or list of the chart, a Kubernetes security context, or a passthrough. */
  private static boolean freeForm(String path, Map<String, String> chartKeys, List<String> passthrough) {
    for (String p : passthrough) {
      if (path.equals(p) || path.startsWith(p + ".")) {
        return true;
      }
    }
    String[] parts = path.split("\\.");
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      prefix.append(i == 0 ? "" : ".").append(parts[i]);
      String type = chartKeys.get(prefix.toString());
      if (parts[i].endsWith("ecurityContext") && type != null) {
        return true; // a Kubernetes PodSecurityContext / SecurityContext, rendered as given
      }
      if ("emptymap".equals(type) || "list".equals(type)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void everyChartReleaseNamedIsPublishedAndShipsThePinnedApp() throws IOException {
    Set<String> published = new java.util.HashSet<>();
    Map<String, String> appVersion = new HashMap<>();
    try (InputStream in = ChartValuesTest.class.getResourceAsStream("/charts/published.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          String[] p = line.trim().split("\\s+");
          published.add(p[0] + " " + p[1] + " " + p[2]);
          appVersion.put(p[1] + " " + p[2], p[3]);
        }
      }
    }
    Map<String, String> pins = new HashMap<>();
    JsonNode base = StrictKubernetesParser.documents(StackFiles.read("base/kustomization.yaml")).get(0);
    base.path("images").forEach(i -> pins.put(i.path("name").asString(), i.path("newTag").asString()));
    for (String app : List.of("loki.yaml", "tempo.yaml", "mimir.yaml")) {
      JsonNode spec = StrictKubernetesParser.documents(StackFiles.read("argocd/scalable/" + app)).get(0).path("spec");
      for (JsonNode source : spec.path("sources")) {
        if (!source.has("chart")) {
          continue;
        }
        String release = source.path("repoURL").asString() + " " + source.path("chart").asString() + " "
            + source.path("targetRevision").asString();
        assertThat(published).as("%s names a published chart release", app).contains(release);
        String shipped = appVersion.get(source.path("chart").asString() + " " + source.path("targetRevision").asString());
        String image = switch (source.path("chart").asString()) {
          case "loki" -> "grafana/loki";
          case "tempo-distributed" -> "grafana/tempo";
          default -> null;
        };
        if (image != null) {
          assertThat(shipped).as("%s ships the %s release the single-node base pins", release, image)
              .isEqualTo(pins.get(image));
        }
      }
    }
  }

  /**
   * The namespace enforces Pod Security "restricted", which the charts' defaults do not meet for
   * Loki and Tempo (no seccompProfile): every pod security context our values set for them has
   * RuntimeDefault seccomp and runs as non-root. (Mimir 5.7.0's default rbac.podSecurityContext has
   * both already; recorded in mimir-distributed-5.7.0.keys.)
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "tempo-distributed.yaml, tempo.podSecurityContext",
    "loki.yaml, loki.podSecurityContext",
    "loki.yaml, gateway.podSecurityContext",
    "loki.yaml, memcached.podSecurityContext"})
  void podsOfTheChartsMeetTheRestrictedProfile(String valuesFile, String path) {
    JsonNode node = StrictKubernetesParser.documents(StackFiles.read("argocd/scalable/values/" + valuesFile)).get(0);
    for (String part : path.split("\\.")) {
      node = node.path(part);
    }
    assertThat(node.path("seccompProfile").path("type").asString()).as("%s %s seccomp", valuesFile, path)
        .isEqualTo("RuntimeDefault");
    assertThat(node.path("runAsNonRoot").asBoolean()).as("%s %s runAsNonRoot", valuesFile, path).isTrue();
  }
}
