package io.github.telemetrybootstrap.stack;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Parses rendered Kubernetes YAML into the fabric8 Kubernetes model, failing on any field the model
 * does not know.
 *
 * <p>fabric8's model classes collect unknown fields in {@code additionalProperties} through a Jackson
 * any-setter, so {@code FAIL_ON_UNKNOWN_PROPERTIES} alone would accept a typo such as
 * {@code readinessprobe}. This parser switches any-setters off for the typed models, so Jackson
 * rejects the unknown field and names it with its path. Kinds the model does not ship (CRDs such as
 * {@code ExternalSecret} and Argo CD {@code Application}) are returned as
 * {@link GenericKubernetesResource}; their fields are checked by the tests themselves.
 */
final class StrictKubernetesParser {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();
  private static final JsonMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .annotationIntrospector(new JacksonAnnotationIntrospector() {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
          return Boolean.FALSE;
        }
      })
      .build();

  private StrictKubernetesParser() {}

  /** Reads every YAML document of a multi-document stream as a tree; empty documents are skipped. */
  static List<JsonNode> documents(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          docs.add(node);
        }
      }
    }
    return docs;
  }

  /**
   * Parses one object: a typed model class when fabric8 registers one for its apiVersion and kind,
   * else a {@link GenericKubernetesResource}.
   *
   * @throws IllegalArgumentException naming the object and the offending field when a typed object
   *     has a field its model does not define, or lacks apiVersion/kind
   */
  static HasMetadata parse(JsonNode doc) {
    String apiVersion = doc.path("apiVersion").asString("");
    String kind = doc.path("kind").asString("");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      throw new IllegalArgumentException("object without apiVersion/kind: " + doc);
    }
    Class<? extends KubernetesResource> type = FABRIC8.getRegisteredKubernetesResource(apiVersion, kind);
    String name = kind + "/" + doc.path("metadata").path("name").asString("?");
    if (type == null || type == GenericKubernetesResource.class) {
      // Generic resources keep their whole body as additional properties (fabric8's own mapper).
      return FABRIC8.convertValue(doc, GenericKubernetesResource.class);
    }
    try {
      return (HasMetadata) STRICT.treeToValue(doc, type);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + " (" + apiVersion + ") does not match the Kubernetes model "
          + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Parses every object of a multi-document YAML stream with {@link #parse(JsonNode)}. */
  static List<HasMetadata> parseAll(String yaml) {
    return documents(yaml).stream().map(StrictKubernetesParser::parse).toList();
  }
}
