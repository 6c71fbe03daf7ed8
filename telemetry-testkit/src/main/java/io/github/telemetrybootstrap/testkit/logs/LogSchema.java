package io.github.telemetrybootstrap.testkit.logs;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.github.telemetrybootstrap.contract.LogFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The log contract as a JSON Schema (draft 2020-12): the resource
 * {@value #RESOURCE}, the one definition of a log line that code, docs and the stack use.
 *
 * <p>The schema's {@code $id} ends with the contract version, {@link LogFields#CONTRACT_VERSION}.
 * Validation uses networknt {@code json-schema-validator} (Jackson 3 line). Instances are immutable
 * and thread-safe.
 */
public final class LogSchema {
  /** Class-path location of the schema resource. */
  public static final String RESOURCE = "io/github/telemetrybootstrap/testkit/telemetry-log.schema.json";
  /** The {@code $id} of the schema, a versioned URL. */
  public static final String ID =
      "https://telemetrybootstrap.github.io/schema/telemetry-log/" + LogFields.CONTRACT_VERSION;

  private static final LogSchema INSTANCE = new LogSchema();

  private final String text;
  private final Schema schema;

  private LogSchema() {
    try (InputStream in = LogSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("schema resource " + RESOURCE + " is missing from the class path");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    schema = registry.getSchema(text, InputFormat.JSON);
  }

  /**
   * The schema, loaded once from the class path.
   *
   * @return the shared instance
   * @throws IllegalStateException when the resource is missing (a broken jar)
   */
  public static LogSchema get() {
    return INSTANCE;
  }

  /**
   * The schema document as shipped.
   *
   * @return JSON text of {@value #RESOURCE}
   */
  public String text() {
    return text;
  }

  /**
   * The contract version the schema describes.
   *
   * @return semantic version, equal to {@link LogFields#CONTRACT_VERSION}
   */
  public String version() {
    return LogFields.CONTRACT_VERSION;
  }

  /**
   * Validates a parsed line against the schema alone (no secret or context rules; for those use
   * {@link LogLineValidator}).
   *
   * @param line the line as a Jackson tree
   * @return the schema errors, empty when the line conforms
   */
  public List<Error> validate(JsonNode line) {
    return schema.validate(line);
  }
}
