package io.github.telemetrybootstrap.testkit.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OTLP/JSON to protobuf messages. OTLP/JSON differs from the protobuf JSON mapping in one way that
 * matters here: {@code traceId}, {@code spanId} and {@code parentSpanId} are hex strings, not
 * base64 (OTLP specification, "JSON Protobuf Encoding"). This class rewrites those to base64 and
 * hands the document to {@link JsonFormat#parser()}, which accepts enums as names or integers,
 * 64-bit integers as numbers or strings, both lowerCamelCase and original field names, and here
 * ignores unknown fields.
 */
final class OtlpJson {
  private static final Set<String> ID_FIELDS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private OtlpJson() {}

  /**
   * Parses an OTLP/JSON document into {@code builder}.
   *
   * @param json the request body, UTF-8
   * @param builder the message builder to merge into
   * @throws InvalidProtocolBufferException when the document is not valid OTLP/JSON
   * @throws tools.jackson.core.JacksonException when it is not JSON at all
   */
  static void merge(byte[] json, Message.Builder builder) throws InvalidProtocolBufferException {
    JsonNode root = MAPPER.readTree(json);
    if (root == null || !root.isObject()) {
      throw new InvalidProtocolBufferException("OTLP/JSON body must be a JSON object");
    }
    hexIdsToBase64(root);
    PARSER.merge(MAPPER.writeValueAsString(root), builder);
  }

  private static void hexIdsToBase64(JsonNode node) {
    if (node.isObject()) {
      ObjectNode obj = (ObjectNode) node;
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
        JsonNode v = e.getValue();
        if (ID_FIELDS.contains(e.getKey()) && v.isString()) {
          String s = v.asString();
          if (!s.isEmpty() && (s.length() == 32 || s.length() == 16) && isHex(s)) {
            e.setValue(obj.stringNode(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(s))));
          }
        } else {
          hexIdsToBase64(v);
        }
      }
    } else if (node.isArray()) {
      for (JsonNode v : node) {
        hexIdsToBase64(v);
      }
    }
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
