package io.github.telemetrybootstrap.testkit.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceSummaryTest {
  private static final String T = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final long START = 1_763_740_800_000_000_000L;

  private static ReceivedSpan span(String trace, String id, String parent, String name, String kind, long startMs10,
      long endMs10, String status, Map<String, Object> attrs) {
    return new ReceivedSpan(trace, id, parent, name, kind, START + startMs10 * 100_000, START + endMs10 * 100_000,
        status, attrs, Map.of("service.name", "quickstart"), "scope");
  }

  @Test
  void quickstartTwoHopTraceIsOneLine() {
    // as the receiver gets them: in end order, the inventory hop first
    List<ReceivedSpan> spans = List.of(
        span(T, "c", "b", "GET /inventory/{id}", "SERVER", 20, 100, "UNSET", Map.of("saas.tenant", "acme")),
        span(T, "b", "a", "GET", "CLIENT", 10, 110, "UNSET", Map.of()),
        span(T, "a", "f00dfeedf00dfeed", "GET /orders/{id}", "SERVER", 0, 123, "UNSET", Map.of("saas.tenant", "acme")));

    assertThat(TraceSummary.format(spans))
        .isEqualTo("trace 4bf92f35… 3 spans 12.3 ms: GET /orders/{id} ← GET /inventory/{id} [tenant acme]");
  }

  @Test
  void oneLinePerTraceInArrivalOrderWithErrorsMarked() {
    String other = "0af7651916cd43dd8448eb211c80319c";
    List<ReceivedSpan> spans = List.of(
        span(other, "x", "", "GET /fail", "SERVER", 0, 5, "ERROR", Map.of()),
        span(T, "a", "", "GET /hello", "SERVER", 0, 10, "UNSET", Map.of()));

    assertThat(TraceSummary.lines(spans)).containsExactly(
        "trace 0af76519… 1 span 0.5 ms: GET /fail ERROR",
        "trace 4bf92f35… 1 span 1.0 ms: GET /hello");
    assertThat(TraceSummary.format(List.of())).isEmpty();
  }

  @Test
  void internalOnlyTraceShowsItsRoot() {
    List<ReceivedSpan> spans = List.of(
        span(T, "b", "a", "child", "INTERNAL", 1, 2, "UNSET", Map.of()),
        span(T, "a", "", "job", "INTERNAL", 0, 3, "UNSET", Map.of()));
    assertThat(TraceSummary.format(spans)).isEqualTo("trace 4bf92f35… 2 spans 0.3 ms: job");
  }
}
