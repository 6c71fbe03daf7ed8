package io.github.telemetrybootstrap.testkit.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.github.telemetrybootstrap.contract.LogFields;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LogSchemaTest {
  private final JsonNode schema = JsonMapper.builder().build().readTree(LogSchema.get().text());

  @Test
  void isAValidDraft202012Schema() {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    var meta = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    assertThat(meta.validate(LogSchema.get().text(), InputFormat.JSON)).isEmpty();
    assertThat(schema.get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }

  @Test
  void namesExactlyTheFieldsOfLogFields() throws IllegalAccessException {
    Set<String> top = new HashSet<>();
    Set<String> error = new HashSet<>();
    for (Field f : LogFields.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().equals("CONTRACT_VERSION")) {
        (f.getName().startsWith("ERROR_") ? error : top).add((String) f.get(null));
      }
    }
    Set<String> props = new HashSet<>();
    schema.get("properties").propertyNames().forEach(props::add);
    Set<String> errorProps = new HashSet<>();
    schema.get("properties").get(LogFields.ERROR).get("properties").propertyNames().forEach(errorProps::add);

    assertThat(props).isEqualTo(top);
    assertThat(errorProps).isEqualTo(error);
    assertThat(schema.get("required").valueStream().map(JsonNode::asString)).containsExactlyInAnyOrder(
        LogFields.TIMESTAMP, LogFields.LEVEL, LogFields.LOGGER, LogFields.THREAD, LogFields.MESSAGE, LogFields.SERVICE);
    assertThat(schema.get("$id").asString()).isEqualTo(LogSchema.ID).endsWith(LogFields.CONTRACT_VERSION);
  }
}
