package io.github.telemetrybootstrap.spring;

import io.github.telemetrybootstrap.context.RequestId;
import java.io.IOException;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Sends the current request id ({@link RequestId#current()}) on outgoing {@code RestClient} and
 * {@code RestTemplate} calls, in the request-id header ({@code telemetry.request-id.header}, default
 * {@code X-Request-Id}), so the called service logs the same {@code request_id}: one user request,
 * one id on every hop. The id comes from the OpenTelemetry context, or, inside Micrometer's client
 * observation (whose context is rebuilt from the server span), from the servlet request the call is
 * made for. A request that already carries the header keeps its value; outside a request
 * nothing is added. Switched off with {@code telemetry.request-id.propagate=false}.
 */
public final class RequestIdClientInterceptor implements ClientHttpRequestInterceptor {
  private final String header;

  /**
   * @param header the header to send the request id in
   */
  public RequestIdClientInterceptor(String header) {
    this.header = header;
  }

  @Override
  public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
      throws IOException {
    String id = RequestId.current().orElseGet(RequestIdClientInterceptor::fromServletRequest);
    if (id != null && !request.getHeaders().containsHeader(header)) {
      request.getHeaders().set(header, id);
    }
    return execution.execute(request, body);
  }

  /** The inbound request's id as the servlet filter recorded it, when the call runs on its thread. */
  private static @org.jspecify.annotations.Nullable String fromServletRequest() {
    try {
      org.springframework.web.context.request.RequestAttributes attributes =
          org.springframework.web.context.request.RequestContextHolder.getRequestAttributes();
      Object id = attributes == null ? null : attributes.getAttribute(
          TelemetryServletFilter.REQUEST_ID_ATTRIBUTE,
          org.springframework.web.context.request.RequestAttributes.SCOPE_REQUEST);
      return id instanceof String s ? s : null;
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }
}
