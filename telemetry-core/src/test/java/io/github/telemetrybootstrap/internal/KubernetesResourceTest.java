package io.github.telemetrybootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesResourceTest {
  @TempDir Path dir;

  @Test
  void readsTheDownwardApiVariablesADeploymentSets() {
    Map<String, String> env =
        Map.of("K8S_NAMESPACE_NAME", "shop", "K8S_POD_NAME", "orders-7d9f-abcde", "K8S_NODE_NAME", "node-1");

    Attributes attrs = KubernetesResource.detect(env::get, dir.resolve("absent"));

    assertThat(attrs.get(KubernetesResource.NAMESPACE)).isEqualTo("shop");
    assertThat(attrs.get(KubernetesResource.POD)).isEqualTo("orders-7d9f-abcde");
    assertThat(attrs.get(KubernetesResource.NODE)).isEqualTo("node-1");
  }

  @Test
  void fallsBackToTheServiceAccountNamespaceFileAndThePodHostname() throws Exception {
    Path ns = Files.writeString(dir.resolve("namespace"), "payments\n");

    Attributes attrs = KubernetesResource.detect(Map.of("HOSTNAME", "payments-0")::get, ns);

    assertThat(attrs.get(KubernetesResource.NAMESPACE)).isEqualTo("payments");
    assertThat(attrs.get(KubernetesResource.POD)).isEqualTo("payments-0");
    assertThat(attrs.get(KubernetesResource.NODE)).isNull();
  }

  @Test
  void outsideKubernetesAddsNothingEvenWithAHostname() {
    Attributes attrs = KubernetesResource.detect(Map.of("HOSTNAME", "laptop")::get, dir.resolve("absent"));

    assertThat(attrs.isEmpty()).isTrue();
  }
}
