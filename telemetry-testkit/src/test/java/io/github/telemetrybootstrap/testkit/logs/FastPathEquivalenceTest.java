package io.github.telemetrybootstrap.testkit.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hand-written fast check must agree with the JSON Schema on every parseable line: it decides
 * whether the schema runs at all, so a line it wrongly accepts would escape the gate.
 */
class FastPathEquivalenceTest {
  private final LogLineValidator validator = LogLineValidator.create();
  private final LogSchema schema = LogSchema.get();

  @Test
  void fastCheckAgreesWithTheSchemaOnTheCorpus() {
    List<byte[]> lines = new ArrayList<>(CorpusTest.lines("good.log"));
    for (String f : CorpusTest.BAD_FILES) {
      lines.addAll(CorpusTest.lines("bad/" + f + ".log"));
    }
    int checked = assertAgree(lines);
    assertThat(checked).isGreaterThan(60);
  }

  @Test
  void fastCheckAgreesWithTheSchemaOnMutatedLines() {
    // Every contract field set to a spread of tricky values, one at a time, on a good line.
    String[] fields = {"@timestamp", "level", "logger", "thread", "message", "service", "service_version", "env",
        "trace_id", "span_id", "trace_flags", "tenant_id", "request_id", "error"};
    Object[] values = {null, "", "x", "INFO", "info", "01", "1", "00", 1, 1.5, true, List.of(), List.of("a"),
        "2026-11-21T16:08:00.123Z", "2026-11-21T16:08:00.123Z\n", "2026-02-30T24:00:00.000Z", "2026-11-21T23:59:60.000Z",
        "4bf92f3577b34da6a3ce929d0e0e4736", "4bf92f3577b34da6a3ce929d0e0e4736\n", "00000000000000000000000000000000",
        "00f067aa0ba902b7", "0000000000000000", "00F067AA0BA902B7", "a\nb", "a\rb", "tab\there", "\u0085", "\u009f",
        "\u007f", "\u00a0", "é", "🚀".repeat(1024), "🚀".repeat(1025), "x".repeat(128), "x".repeat(129),
        "x".repeat(1024), "x".repeat(1025), "ok\n"};
    String good = "{\"@timestamp\":\"2026-11-21T16:08:00.123Z\",\"level\":\"INFO\",\"logger\":\"l\",\"thread\":\"t\","
        + "\"message\":\"m\",\"service\":\"s\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
        + "\"span_id\":\"00f067aa0ba902b7\",\"trace_flags\":\"01\",\"error\":{\"type\":\"X\"}}";
    List<byte[]> lines = new ArrayList<>();
    for (String f : fields) {
      for (Object v : values) {
        ObjectNode n = (ObjectNode) validator.tree(good.getBytes(StandardCharsets.UTF_8), 0, good.length());
        n.putPOJO(f, v);
        lines.add(n.toString().getBytes(StandardCharsets.UTF_8));
        ObjectNode removed = n.deepCopy();
        removed.remove(f);
        lines.add(removed.toString().getBytes(StandardCharsets.UTF_8));
      }
      // error object variants
      ObjectNode e = (ObjectNode) validator.tree(good.getBytes(StandardCharsets.UTF_8), 0, good.length());
      for (Object v : values) {
        ObjectNode err = e.objectNode();
        err.putPOJO("type", v);
        err.putPOJO("message", v);
        err.putPOJO("stack_trace", v);
        e.set("error", err);
        lines.add(e.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    // random subsets of fields
    Random r = new Random(42);
    for (int i = 0; i < 500; i++) {
      ObjectNode n = (ObjectNode) validator.tree(good.getBytes(StandardCharsets.UTF_8), 0, good.length());
      for (String f : fields) {
        if (r.nextInt(4) == 0) {
          n.remove(f);
        } else if (r.nextInt(6) == 0) {
          n.putPOJO(f, values[r.nextInt(values.length)]);
        }
      }
      lines.add(n.toString().getBytes(StandardCharsets.UTF_8));
    }
    assertThat(assertAgree(lines)).isGreaterThan(1000);
  }

  private int assertAgree(List<byte[]> lines) {
    int checked = 0;
    for (byte[] b : lines) {
      if (LogLineValidator.firstInvalidUtf8(b, 0, b.length) >= 0) {
        continue;
      }
      JsonNode tree;
      try {
        tree = validator.tree(b, 0, b.length);
      } catch (JacksonException notJson) {
        continue;
      }
      boolean schemaValid = schema.validate(tree).isEmpty();
      assertThat(validator.fastSchemaCheck(b)).as("fast check vs schema (%s) on %s", schema.validate(tree),
          new String(b, StandardCharsets.UTF_8)).isEqualTo(schemaValid);
      checked++;
    }
    return checked;
  }
}
