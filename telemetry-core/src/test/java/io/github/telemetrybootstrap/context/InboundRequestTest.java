package io.github.telemetrybootstrap.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

class InboundRequestTest {

  private static Context withBaggageTenant(String tenant) {
    return Context.root().with(Baggage.builder().put(Tenant.BAGGAGE_KEY, tenant).build());
  }

  @Test
  void theTenantHeaderWinsOverBaggageAndIsSanitisedIntoTheBaggage() {
    InboundRequest r = InboundRequest.resolve(withBaggageTenant("globex"), " ac\r\nme ", "req-1");

    assertThat(r.tenant()).isEqualTo("acme");
    assertThat(Baggage.fromContext(r.context()).getEntryValue(Tenant.BAGGAGE_KEY)).isEqualTo("acme");
    assertThat(RequestId.fromContext(r.context())).isEqualTo("req-1");
  }

  @Test
  void withoutAHeaderTheBaggageTenantIsKeptSanitised() {
    InboundRequest r = InboundRequest.resolve(withBaggageTenant("glo\u0000bex"), null, null);

    assertThat(r.tenant()).isEqualTo("globex");
    assertThat(Baggage.fromContext(r.context()).getEntryValue(Tenant.BAGGAGE_KEY)).isEqualTo("globex");
  }

  @Test
  void noTenantAnywhereMeansNone() {
    InboundRequest r = InboundRequest.resolve(Context.root(), "  \t", null);

    assertThat(r.tenant()).isNull();
    assertThat(Tenant.fromContext(r.context())).isNull();
  }

  @Test
  void aMissingOrBlankRequestIdIsGeneratedAndABadOneSanitised() {
    assertThat(InboundRequest.resolve(Context.root(), null, null).requestId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(InboundRequest.resolve(Context.root(), null, "\u0007 ").requestId()).hasSize(36);
    assertThat(InboundRequest.resolve(Context.root(), null, "id\nforged").requestId()).isEqualTo("idforged");
  }

  @Test
  void aRecordingServerSpanAlreadyStartedGetsTheTenantAttribute() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
      Span server = provider.get("test").spanBuilder("GET /orders/{id}").startSpan();

      InboundRequest.resolve(Context.root().with(server), "acme", null);
      server.end();

      assertThat(exporter.getFinishedSpanItems().get(0).getAttributes().get(AttributeKey.stringKey("saas.tenant")))
          .isEqualTo("acme");
    }
  }

  @Test
  void aTokenSentAsTheRequestIdIsMaskedOnceAtTheBoundary() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    InboundRequest r = InboundRequest.resolve(Context.root(), null, "Bearer " + jwt);

    assertThat(r.requestId()).isEqualTo("Bearer ****");
    assertThat(RequestId.fromContext(r.context())).isEqualTo("Bearer ****");
  }

  @Test
  void theTenantReadForEveryLineFollowsAChangedMasker() {
    Context context = withBaggageTenant("acme-4111111111111111");
    assertThat(Tenant.fromContext(context)).isEqualTo("acme-****");
    io.github.telemetrybootstrap.contract.SecretMasker.setGlobal(java.util.List.of(), false,
        java.util.regex.Pattern.compile("acme"));
    try {
      assertThat(Tenant.fromContext(context)).isEqualTo("****-****");
    } finally {
      io.github.telemetrybootstrap.contract.SecretMasker.setGlobal(java.util.List.of(), false, null);
    }
    assertThat(Tenant.fromContext(context)).isEqualTo("acme-****");
  }
}
