package io.github.telemetrybootstrap.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.TelemetrySettings;
import io.github.telemetrybootstrap.context.RequestId;
import io.github.telemetrybootstrap.context.Tenant;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The filter with configured header names, inside a real server span of an SDK. */
class TelemetryServletFilterTest {
  private final TelemetryServletFilter filter =
      new TelemetryServletFilter(
          TelemetrySettings.resolve(
              Map.of(
                  TelemetrySettings.TENANT_HEADER, "X-Org",
                  TelemetrySettings.REQUEST_ID_HEADER, "X-Correlation-Id"),
              k -> null,
              k -> null));

  @Test
  void tenantAndRequestIdAreCurrentForTheRequestAndOnTheServerSpan() throws Exception {
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
          io.opentelemetry.sdk.trace.export.SpanExporter.composite())).build(); // without a processor the SDK makes no spans (1.68+)
    Span server =
        OpenTelemetrySdk.builder().setTracerProvider(provider).build().getTracer("t").spanBuilder("GET /x").startSpan();
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
    request.addHeader("X-Org", "  acme\u0007 ");
    request.addHeader("X-Correlation-Id", "req-\u001b7");
    MockHttpServletResponse response = new MockHttpServletResponse();
    AtomicReference<String> seen = new AtomicReference<>();
    try (Scope ignored = Context.root().with(server).makeCurrent()) {
      filter.doFilter(
          request,
          response,
          new MockFilterChain(
              new jakarta.servlet.http.HttpServlet() {
                @Override
                protected void service(
                    jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                  seen.set(Tenant.current().orElse("-") + "|" + RequestId.current().orElse("-"));
                }
              }));
    }
    server.end();
    assertThat(seen.get()).isEqualTo("acme|req-7");
    assertThat(response.getHeader("X-Correlation-Id")).isEqualTo("req-7");
    assertThat(((ReadableSpan) server).getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey(Tenant.SPAN_ATTRIBUTE)))
        .isEqualTo("acme");
    assertThat(Tenant.current()).as("nothing leaks after the request").isEmpty();
    provider.close();
  }

  @Test
  void missingRequestIdIsGeneratedAndEchoedAndNoTenantMeansNone() throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    AtomicReference<String> seen = new AtomicReference<>();
    filter.doFilter(
        new MockHttpServletRequest("GET", "/x"),
        response,
        new MockFilterChain(
            new jakarta.servlet.http.HttpServlet() {
              @Override
              protected void service(
                  jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                seen.set(Tenant.current().orElse("-") + "|" + RequestId.current().orElse("-"));
              }
            }));
    String generated = response.getHeader("X-Correlation-Id");
    assertThat(generated).isNotBlank();
    assertThat(seen.get()).isEqualTo("-|" + generated);
  }
}
