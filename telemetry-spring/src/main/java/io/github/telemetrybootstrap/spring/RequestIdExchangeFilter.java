package io.github.telemetrybootstrap.spring;

import io.github.telemetrybootstrap.context.RequestId;
import io.opentelemetry.context.Context;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Sends the current request id on outgoing {@code WebClient} calls, in the request-id header
 * ({@code telemetry.request-id.header}, default {@code X-Request-Id}), so the called service logs the
 * same {@code request_id}. The id comes from the OpenTelemetry context current when the exchange is
 * subscribed, else from the one {@link TelemetryWebFilter} put into Reactor's context (under
 * {@link OpenTelemetryContextAccessor#KEY}). A request that already carries the header keeps it.
 */
public final class RequestIdExchangeFilter implements ExchangeFilterFunction {
  private final String header;

  /**
   * @param header the header to send the request id in
   */
  public RequestIdExchangeFilter(String header) {
    this.header = header;
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    if (request.headers().containsHeader(header)) {
      return next.exchange(request);
    }
    return Mono.deferContextual(view -> {
      String id = RequestId.current().orElse(null);
      if (id == null && view.getOrDefault(OpenTelemetryContextAccessor.KEY, null) instanceof Context c) {
        id = RequestId.fromContext(c);
      }
      return next.exchange(id == null ? request : ClientRequest.from(request).header(header, id).build());
    });
  }
}
