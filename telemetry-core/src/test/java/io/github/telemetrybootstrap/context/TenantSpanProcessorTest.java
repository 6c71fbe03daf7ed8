package io.github.telemetrybootstrap.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TenantSpanProcessorTest {
  private static final AttributeKey<String> TENANT = AttributeKey.stringKey(Tenant.SPAN_ATTRIBUTE);

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .addSpanProcessor(new TenantSpanProcessor())
          .addSpanProcessor(SimpleSpanProcessor.create(exporter))
          .build();
  private final Tracer tracer = provider.get("test");

  @AfterEach
  void close() {
    provider.close();
  }

  private SpanData only() {
    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
    return exporter.getFinishedSpanItems().get(0);
  }

  @Test
  void currentTenantIsCopiedToEverySpanStartedInIt() {
    try (Scope ignored = Tenant.makeCurrent("acme")) {
      Span parent = tracer.spanBuilder("parent").startSpan();
      try (Scope p = parent.makeCurrent()) {
        tracer.spanBuilder("child").startSpan().end();
      }
      parent.end();
    }

    assertThat(exporter.getFinishedSpanItems())
        .hasSize(2)
        .allSatisfy(s -> assertThat(s.getAttributes().get(TENANT)).isEqualTo("acme"));
  }

  @Test
  void explicitParentContextIsUsedNotTheThreadsCurrentOne() {
    Context withTenant = Tenant.with(Context.root(), "globex");

    tracer.spanBuilder("s").setParent(withTenant).startSpan().end();

    assertThat(only().getAttributes().get(TENANT)).isEqualTo("globex");
  }

  @Test
  void rawBaggageValueIsSanitised() {
    Context raw =
        Context.root().with(Baggage.builder().put(Tenant.BAGGAGE_KEY, " ac\nme\u0000 ").build());

    tracer.spanBuilder("s").setParent(raw).startSpan().end();

    assertThat(only().getAttributes().get(TENANT)).isEqualTo("acme");
  }

  @Test
  void noTenantLeavesTheSpanWithoutTheAttribute() {
    tracer.spanBuilder("s").startSpan().end();

    assertThat(only().getAttributes().get(TENANT)).isNull();
    assertThat(only().getAttributes().size()).isZero();
  }
}
