package io.github.telemetrybootstrap.spring;

import io.github.telemetrybootstrap.context.RequestLogContext;

import io.github.telemetrybootstrap.TelemetrySettings;
import io.github.telemetrybootstrap.context.InboundRequest;
import io.github.telemetrybootstrap.context.Tenant;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the inbound request's tenant and request id into the OpenTelemetry context for the rest of
 * the request, so log lines carry {@code tenant_id}/{@code request_id}, spans started inside carry
 * {@code saas.tenant}, and outgoing calls propagate the tenant as W3C baggage entry
 * {@value Tenant#BAGGAGE_KEY}.
 *
 * <ul>
 *   <li>Tenant: the header {@link TelemetrySettings#tenantHeader()} (default {@code X-Tenant-Id}),
 *       else the {@value Tenant#BAGGAGE_KEY} baggage entry the caller sent; sanitised
 *       ({@link Tenant#sanitize}). Also set as {@code saas.tenant} on the current (server) span,
 *       which Spring's observation filter started before this filter ran.
 *   <li>Request id: the header {@link TelemetrySettings#requestIdHeader()} (default
 *       {@code X-Request-Id}) sanitised, or a generated one; echoed in the response header of the
 *       same name.
 * </ul>
 *
 * <p>Never throws for bad header values: they are sanitised.
 */
public class TelemetryServletFilter extends OncePerRequestFilter {
  /**
   * Filter order: right after Spring's {@code ServerHttpObservationFilter}
   * ({@code Ordered.HIGHEST_PRECEDENCE + 1}), so the server span is current.
   */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

  /**
   * Request attribute holding the request id, for code that runs where the OpenTelemetry context
   * was rebuilt without it (Micrometer Tracing makes a client span current from the server span's
   * context, which predates this filter).
   */
  public static final String REQUEST_ID_ATTRIBUTE = "io.github.telemetrybootstrap.requestId";

  private final String tenantHeader;
  private final String requestIdHeader;

  /**
   * @param settings the header names come from {@link TelemetrySettings#tenantHeader()} and
   *     {@link TelemetrySettings#requestIdHeader()}
   */
  public TelemetryServletFilter(TelemetrySettings settings) {
    this.tenantHeader = settings.tenantHeader();
    this.requestIdHeader = settings.requestIdHeader();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    RequestLogContext.clear();
    InboundRequest inbound =
        InboundRequest.resolve(
            Context.current(), request.getHeader(tenantHeader), request.getHeader(requestIdHeader));
    Context context = inbound.context();
    String requestId = inbound.requestId();
    response.setHeader(requestIdHeader, requestId);
    request.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
    try (Scope ignored = context.makeCurrent()) {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      // The container logs this exception and renders the error page after every filter has
      // returned: let the request's context (with its server span) attribute those lines too,
      // until TelemetryRequestListener releases it at the end of the request.
      RequestLogContext.linger(context);
      throw e;
    }
  }

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }
}
