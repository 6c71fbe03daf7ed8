package io.github.telemetrybootstrap.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Splits captured output into lines and parses each as one JSON object. */
final class JsonLines {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private JsonLines() {}

  /** Every line must be a complete JSON object and the output must end with a newline. */
  static List<JsonNode> parse(byte[] output) {
    String text = new String(output, StandardCharsets.UTF_8);
    List<JsonNode> lines = new ArrayList<>();
    if (text.isEmpty()) {
      return lines;
    }
    assertThat(text).as("output ends with a newline").endsWith("\n");
    for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
      JsonNode node = MAPPER.readTree(line);
      assertThat(node.isObject()).as("line is a JSON object: %s", line).isTrue();
      lines.add(node);
    }
    return lines;
  }

  static List<String> fieldNames(JsonNode node) {
    return new ArrayList<>(node.propertyNames());
  }
}
