package io.github.telemetrybootstrap.quarkus;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sends the current request id ({@link RequestContext#requestId()}) on every REST client call made
 * while handling a request, in the request-id header ({@code telemetry.request-id.header}), unless the
 * call sets the header itself or {@code telemetry.request-id.propagate} is false. So the called
 * service logs the same {@code request_id}: one user request, one id across services. Registered for
 * all REST clients when the application has the Quarkus REST client.
 */
@Provider
public class RequestIdClientFilter implements ClientRequestFilter {
  private final String header;
  private final boolean propagate;

  /** Reads the two settings once. */
  public RequestIdClientFilter() {
    TelemetryConfig config =
        ConfigProvider.getConfig()
            .unwrap(io.smallrye.config.SmallRyeConfig.class)
            .getConfigMapping(TelemetryConfig.class);
    this.header = config.requestId().header();
    this.propagate = config.requestId().propagate();
  }

  @Override
  public void filter(ClientRequestContext request) {
    if (!propagate || request.getHeaders().containsKey(header)) {
      return;
    }
    RequestContext.requestId().ifPresent(id -> request.getHeaders().putSingle(header, id));
  }
}
