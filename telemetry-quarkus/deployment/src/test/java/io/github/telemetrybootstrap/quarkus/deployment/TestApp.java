package io.github.telemetrybootstrap.quarkus.deployment;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.github.telemetrybootstrap.quarkus.RequestContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/** A small service as users write it: REST endpoints, a REST client to itself, a failing route. */
final class TestApp {
  private TestApp() {}

  /** Collects ended spans (a SpanProcessor bean: a SpanExporter bean would turn OTLP off). */
  @Singleton
  public static class Spans implements SpanProcessor {
    static final List<SpanData> ENDED = new CopyOnWriteArrayList<>();

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ENDED.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Path("/inventory")
  @RegisterRestClient(configKey = "inventory")
  public interface InventoryClient {
    @GET
    @Path("/{id}")
    Map<String, String> get(@PathParam("id") String id);
  }

  @Path("/")
  public static class Resource {
    private static final Logger LOG = Logger.getLogger(Resource.class);

    @Inject @RestClient InventoryClient inventory;

    @GET
    @Path("/hello")
    public Map<String, String> hello() {
      LOG.info("hello handled");
      return Map.of(
          "trace_id", Span.current().getSpanContext().getTraceId(),
          "tenant", RequestContext.tenant().orElse(""),
          "request_id", RequestContext.requestId().orElse(""));
    }

    @GET
    @Path("/inventory/{id}")
    public Map<String, String> item(@PathParam("id") String id, @HeaderParam("X-Request-Id") String rid) {
      return Map.of(
          "id", id,
          "request_id_header", rid == null ? "" : rid,
          "baggage_tenant", Baggage.current().getEntryValue("tenant_id") == null
              ? "" : Baggage.current().getEntryValue("tenant_id"));
    }

    @GET
    @Path("/orders/{id}")
    public Map<String, String> order(@PathParam("id") String id) {
      return inventory.get(id);
    }

    @GET
    @Path("/fail")
    public String fail() {
      throw new IllegalStateException("order store unavailable");
    }
  }
}
