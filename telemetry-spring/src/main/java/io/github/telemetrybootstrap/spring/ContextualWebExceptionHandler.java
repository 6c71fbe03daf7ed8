package io.github.telemetrybootstrap.spring;

import io.opentelemetry.context.Context;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Runs a WebFlux {@link WebExceptionHandler} (Spring Boot's error handler among them) in the context
 * of the exchange that failed: WebFlux invokes exception handlers outside every {@code WebFilter}, so
 * their lines ({@code 500 Server Error for HTTP GET "/..."}) would lack {@code trace_id},
 * {@code span_id}, {@code tenant_id} and {@code request_id}. {@link TelemetryWebFilter} records the
 * exchange's context (server span, tenant, request id) in the exchange attribute
 * {@value #FAILED_CONTEXT} when the chain fails; this wrapper makes it current while the handler
 * subscribes and puts it into Reactor's context for the rest. Applied by the auto-configuration to
 * every {@code WebExceptionHandler} bean; keeps the handler's order.
 */
public final class ContextualWebExceptionHandler implements WebExceptionHandler, Ordered {
  /** Exchange attribute holding the failed exchange's OpenTelemetry context. */
  public static final String FAILED_CONTEXT = "io.github.telemetrybootstrap.failedContext";

  private final WebExceptionHandler delegate;

  private ContextualWebExceptionHandler(WebExceptionHandler delegate) {
    this.delegate = delegate;
  }

  /**
   * Wraps a handler.
   *
   * @param delegate the handler
   * @return the handler run in the failed exchange's context
   */
  public static WebExceptionHandler wrap(WebExceptionHandler delegate) {
    return new ContextualWebExceptionHandler(delegate);
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
    Object failed = exchange.getAttribute(FAILED_CONTEXT);
    Mono<Void> handled = delegate.handle(exchange, ex);
    if (!(failed instanceof Context context)) {
      return handled;
    }
    return new TelemetryWebFilter.CurrentDuringSubscribe(handled, context)
        .contextWrite(c -> c.put(OpenTelemetryContextAccessor.KEY, context));
  }

  @Override
  public int getOrder() {
    return delegate instanceof Ordered o ? o.getOrder() : Ordered.LOWEST_PRECEDENCE;
  }
}
