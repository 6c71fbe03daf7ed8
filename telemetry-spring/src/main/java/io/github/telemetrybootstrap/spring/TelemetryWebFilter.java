package io.github.telemetrybootstrap.spring;

import io.github.telemetrybootstrap.TelemetrySettings;
import io.github.telemetrybootstrap.context.InboundRequest;
import io.github.telemetrybootstrap.context.Tenant;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * The WebFlux counterpart of {@link TelemetryServletFilter}: puts the inbound request's tenant and
 * request id into the OpenTelemetry context for the rest of the exchange, so log lines carry
 * {@code tenant_id}/{@code request_id} (and {@code trace_id}/{@code span_id} of the server span),
 * spans started inside carry {@code saas.tenant}, and outgoing calls propagate the tenant as W3C
 * baggage entry {@value Tenant#BAGGAGE_KEY}.
 *
 * <ul>
 *   <li>Base context: the server span of Spring's observation of the exchange (the
 *       {@code Observation} in Reactor's context under {@link ObservationThreadLocalAccessor#KEY},
 *       briefly opened to read its OpenTelemetry context), else {@link Context#current()}.
 *   <li>Tenant: the header {@link TelemetrySettings#tenantHeader()} (default {@code X-Tenant-Id}),
 *       else the {@value Tenant#BAGGAGE_KEY} baggage entry the caller sent; sanitised
 *       ({@link Tenant#sanitize}); also set as {@code saas.tenant} on the server span.
 *   <li>Request id: the header {@link TelemetrySettings#requestIdHeader()} (default
 *       {@code X-Request-Id}) sanitised, or a generated one; echoed in the response header of the
 *       same name.
 * </ul>
 *
 * <p>The resulting context is written to Reactor's context under
 * {@link OpenTelemetryContextAccessor#KEY}; with automatic context propagation (the auto-configuration
 * defaults {@code spring.reactor.context-propagation=auto}) Reactor makes it current on every thread
 * that runs an operator of the exchange. It is also current while the rest of the chain is assembled
 * and subscribed on the calling thread.
 *
 * <p>Never throws for bad header values: they are sanitised.
 */
public class TelemetryWebFilter implements WebFilter, Ordered {
  /**
   * Filter order: {@code Ordered.HIGHEST_PRECEDENCE + 2}, like {@link TelemetryServletFilter#ORDER};
   * WebFlux's server observation wraps the whole filter chain, so its span exists already.
   */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

  private final String tenantHeader;
  private final String requestIdHeader;

  /**
   * @param settings the header names come from {@link TelemetrySettings#tenantHeader()} and
   *     {@link TelemetrySettings#requestIdHeader()}
   */
  public TelemetryWebFilter(TelemetrySettings settings) {
    this.tenantHeader = settings.tenantHeader();
    this.requestIdHeader = settings.requestIdHeader();
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    return Mono.deferContextual(
        reactorContext -> {
          Context context = baseContext(reactorContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null));
          InboundRequest inbound =
              InboundRequest.resolve(
                  context,
                  exchange.getRequest().getHeaders().getFirst(tenantHeader),
                  exchange.getRequest().getHeaders().getFirst(requestIdHeader));
          context = inbound.context();
          String requestId = inbound.requestId();
          exchange.getResponse().getHeaders().set(requestIdHeader, requestId);
          Context exchangeContext = context;
          // WebFlux's exception handlers run outside every filter: leave them the exchange's context.
          Mono<Void> rest = chain.filter(exchange)
              .doOnError(e -> exchange.getAttributes().put(ContextualWebExceptionHandler.FAILED_CONTEXT, exchangeContext));
          return new CurrentDuringSubscribe(rest, exchangeContext)
              .contextWrite(c -> c.put(OpenTelemetryContextAccessor.KEY, exchangeContext));
        });
  }

  /**
   * Makes the context current while the rest of the chain is subscribed, so code that runs
   * synchronously on the subscribing thread (handler mapping, a controller method returning a
   * {@code Mono}) sees it even without automatic context propagation.
   */
  static final class CurrentDuringSubscribe extends Mono<Void> {
    private final Mono<Void> source;
    private final Context context;

    CurrentDuringSubscribe(Mono<Void> source, Context context) {
      this.source = source;
      this.context = context;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Void> actual) {
      try (Scope ignored = context.makeCurrent()) {
        source.subscribe(actual);
      }
    }
  }

  private static Context baseContext(@org.jspecify.annotations.Nullable Object observation) {
    if (observation instanceof Observation o && !o.isNoop()) {
      try (Observation.Scope ignored = o.openScope()) {
        return Context.current();
      }
    }
    return Context.current();
  }
}
