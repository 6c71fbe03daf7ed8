package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every overlay and component renders with kubectl kustomize and parses strictly into the model. */
class RenderTest {

  static Stream<Render.Target> targets() {
    return Render.TARGETS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void rendersAndEveryObjectParsesIntoTheKubernetesModel(Render.Target target) {
    Render render = Render.of(target);

    assertThat(render.objects()).as("objects in %s", target.name()).isNotEmpty();
    for (HasMetadata object : render.objects()) {
      if (object instanceof GenericKubernetesResource generic) {
        assertThat(generic.getApiVersion()).as("CRD kinds allowed untyped")
            .isIn("external-secrets.io/v1", "argoproj.io/v1alpha1");
      }
      if (!"Namespace".equals(object.getKind()) && !object.getKind().startsWith("Cluster")) {
        // Everything in observability, but the node agent in its own namespace (host mounts).
        String name = object.getMetadata().getName();
        String expected = name.startsWith("alloy") || (object.getKind().equals("NetworkPolicy") && name.startsWith("default-deny")
            && "observability-node".equals(object.getMetadata().getNamespace())) ? "observability-node" : "observability";
        assertThat(object.getMetadata().getNamespace()).as("%s/%s namespace", object.getKind(),
            object.getMetadata().getName()).isEqualTo(expected);
      }
    }
  }

  @Test
  void theStrictParserRejectsAFieldTheModelDoesNotKnow() {
    String typo = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: x
        spec:
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec:
              containers:
                - name: x
                  image: x:1
                  readinessprobe: {}
        """;
    assertThatThrownBy(() -> StrictKubernetesParser.parseAll(typo))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Deployment/x")
        .hasMessageContaining("readinessprobe");
  }

  @Test
  void aKnownKindParsesIntoItsTypedModel() {
    HasMetadata parsed = StrictKubernetesParser.parseAll("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec:
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec: {containers: [{name: x, image: "x:1"}]}
        """).get(0);
    assertThat(parsed).isInstanceOf(Deployment.class);
  }
}
