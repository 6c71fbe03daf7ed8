package io.github.telemetrybootstrap.contract.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.contract.runtimes.ServiceProcess.Runtime;
import io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One contract, three runtimes: the quickstart (telemetry-core), the Spring Boot example
 * (telemetry-spring) and the Quarkus example (telemetry-quarkus), each run from its packaged jar, get
 * the same requests and must produce the same log fields on request lines, the same span names,
 * kinds and HTTP semantic-convention attributes with {@code saas.tenant}, and the same metric name
 * and tag keys. Tempo's span metrics, TraceQL queries, the Grafana dashboards and the alert rules
 * then see one vocabulary whichever runtime a service is on.
 */
class CrossRuntimeContractTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern SAMPLE = Pattern.compile("^http_server_requests_seconds_count\\{([^}]*)\\}", Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"");

  private static OtlpReceiver receiver;
  private static final Map<Runtime, ServiceProcess> SERVICES = new EnumMap<>(Runtime.class);
  private static final Map<Runtime, String> TRACES = new EnumMap<>(Runtime.class);

  @BeforeAll
  static void startAndDriveAll() throws Exception {
    receiver = OtlpReceiver.start();
    int n = 0;
    for (Runtime runtime : Runtime.values()) {
      ServiceProcess service = ServiceProcess.start(runtime, Map.of(
          "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
          "OTEL_BSP_SCHEDULE_DELAY", "100"));
      SERVICES.put(runtime, service);
      String trace = String.format("4bf92f3577b34da6a3ce929d0e0e47%02d", ++n);
      TRACES.put(runtime, trace);
      var response = service.get("/orders/42",
          "traceparent", "00-" + trace + "-00f067aa0ba902b7-01",
          "X-Tenant-Id", "acme",
          "X-Request-Id", "req-" + runtime);
      assertThat(response.statusCode()).as(runtime.name()).isEqualTo(200);
    }
  }

  @AfterAll
  static void stopAll() throws Exception {
    for (ServiceProcess s : SERVICES.values()) {
      s.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  /** Attributes of the OpenTelemetry HTTP semantic conventions every runtime's server spans carry. */
  static final Set<String> SERVER_ATTRIBUTES = Set.of(
      "http.request.method", "http.route", "http.response.status_code", "url.path", "url.scheme",
      "client.address", "user_agent.original", "saas.tenant");
  /** The same for client spans. */
  static final Set<String> CLIENT_ATTRIBUTES = Set.of(
      "http.request.method", "http.response.status_code", "server.address", "server.port", "url.full",
      "saas.tenant");

  @Test
  void requestLinesCarryTheSameFieldsWithTheCallersIds() throws Exception {
    Map<Runtime, Set<String>> fields = new EnumMap<>(Runtime.class);
    for (Runtime runtime : Runtime.values()) {
      List<JsonNode> lines = requestLines(runtime);
      assertThat(lines).as("%s request lines", runtime).hasSizeGreaterThanOrEqualTo(2);
      Set<String> union = new TreeSet<>();
      for (JsonNode line : lines) {
        assertThat(line.path("trace_id").asString()).as(runtime.name()).isEqualTo(TRACES.get(runtime));
        assertThat(line.path("tenant_id").asString()).as(runtime.name()).isEqualTo("acme");
        assertThat(line.path("span_id").asString()).as(runtime.name()).matches("[0-9a-f]{16}");
        assertThat(line.path("trace_flags").asString()).as(runtime.name()).isEqualTo("01");
        line.propertyNames().forEach(union::add);
      }
      fields.put(runtime, union);
    }
    assertThat(fields.get(Runtime.CORE)).contains("service", "service_version", "trace_id", "span_id",
        "trace_flags", "tenant_id", "request_id", "level", "logger", "thread", "message", "@timestamp");
    assertThat(fields.get(Runtime.SPRING)).as("Spring vs core").isEqualTo(fields.get(Runtime.CORE));
    assertThat(fields.get(Runtime.QUARKUS)).as("Quarkus vs core").isEqualTo(fields.get(Runtime.CORE));
  }

  @Test
  void spansHaveTheSameNamesKindsAndSemanticConventionAttributes() throws Exception {
    Map<Runtime, List<String>> shapes = new EnumMap<>(Runtime.class);
    for (Runtime runtime : Runtime.values()) {
      List<ReceivedSpan> trace = receiver.awaitTrace(TRACES.get(runtime), 3, Duration.ofSeconds(20));
      List<String> shape = new ArrayList<>();
      for (ReceivedSpan span : trace) {
        shape.add(span.kind() + " " + span.name());
        String what = runtime + " " + span.kind() + " " + span.name();
        Set<String> required = span.kind().equals("SERVER") ? SERVER_ATTRIBUTES : CLIENT_ATTRIBUTES;
        assertThat(span.attributes().keySet()).as(what).containsAll(required);
        assertThat(span.attribute("saas.tenant")).as(what).isEqualTo("acme");
        assertThat(span.attribute("http.request.method")).as(what).isEqualTo("GET");
        assertThat(span.attribute("http.response.status_code")).as(what + " (an int attribute)").isEqualTo(200L);
        if (span.kind().equals("SERVER")) {
          assertThat(span.name()).as(what).isEqualTo("GET " + span.attribute("http.route"));
        }
      }
      shape.sort(null);
      shapes.put(runtime, shape);
    }
    assertThat(shapes.get(Runtime.CORE))
        .containsExactly("CLIENT GET /inventory/{id}", "SERVER GET /inventory/{id}", "SERVER GET /orders/{id}");
    assertThat(shapes.get(Runtime.SPRING)).as("Spring vs core").isEqualTo(shapes.get(Runtime.CORE));
    assertThat(shapes.get(Runtime.QUARKUS)).as("Quarkus vs core").isEqualTo(shapes.get(Runtime.CORE));
  }

  @Test
  void theRequestHistogramHasTheSameNameAndTagKeys() throws Exception {
    Map<Runtime, Set<Set<String>>> keySets = new EnumMap<>(Runtime.class);
    for (Runtime runtime : Runtime.values()) {
      String exposition = SERVICES.get(runtime).scrape();
      assertThat(exposition).as(runtime + ": a histogram")
          .containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/orders/\\{id}\"");
      Set<Set<String>> keys = new java.util.HashSet<>();
      Matcher m = SAMPLE.matcher(exposition);
      while (m.find()) {
        Set<String> k = new TreeSet<>();
        Matcher l = LABEL.matcher(m.group(1));
        while (l.find()) {
          k.add(l.group(1));
        }
        keys.add(k);
      }
      keySets.put(runtime, keys);
    }
    assertThat(keySets.get(Runtime.CORE)).containsExactly(Set.of("exception", "method", "outcome", "status", "uri"));
    assertThat(keySets.get(Runtime.SPRING)).as("Spring vs core").isEqualTo(keySets.get(Runtime.CORE));
    assertThat(keySets.get(Runtime.QUARKUS)).as("Quarkus vs core").isEqualTo(keySets.get(Runtime.CORE));
  }

  private static List<JsonNode> requestLines(Runtime runtime) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : SERVICES.get(runtime).stdout()) {
      JsonNode node = JSON.readTree(line);
      if (("req-" + runtime).equals(node.path("request_id").asString(""))) {
        out.add(node);
      }
    }
    return out;
  }
}
