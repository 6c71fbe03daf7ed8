package io.github.telemetrybootstrap.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenMetricsEndpointTest {
  @Test
  void prometheusAcceptHeaderPrefersOpenMetrics() {
    assertThat(OpenMetricsEndpoint.prefersOpenMetrics(
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")).isTrue();
    assertThat(OpenMetricsEndpoint.prefersOpenMetrics("text/plain")).isFalse();
    assertThat(OpenMetricsEndpoint.prefersOpenMetrics("text/plain, application/openmetrics-text;q=0.5")).isFalse();
    assertThat(OpenMetricsEndpoint.prefersOpenMetrics("application/openmetrics-text;q=0")).isFalse();
    assertThat(OpenMetricsEndpoint.prefersOpenMetrics(null)).isFalse();
  }

  @Test
  void exemplarsStayOnlyOnBucketsAndTotals() {
    String in = String.join("\n",
        "# TYPE http_server_requests_seconds histogram",
        "http_server_requests_seconds_bucket{le=\"0.1\"} 1.0 # {trace_id=\"a\"} 0.05 1.0",
        "http_server_requests_seconds_count{uri=\"/x # {y}\"} 1.0 # {trace_id=\"a\"} 1.0 1.0",
        "http_server_requests_seconds_sum 0.05",
        "orders_total 3.0 # {trace_id=\"b\"} 1.0",
        "# EOF", "");
    String out = OpenMetricsEndpoint.conformingExemplars(in);
    assertThat(out).contains("_bucket{le=\"0.1\"} 1.0 # {trace_id=\"a\"}")
        .contains("http_server_requests_seconds_count{uri=\"/x # {y}\"} 1.0\n")
        .contains("orders_total 3.0 # {trace_id=\"b\"}")
        .endsWith("# EOF\n");
  }
}
