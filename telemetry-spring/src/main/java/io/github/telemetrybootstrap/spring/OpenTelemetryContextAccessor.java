package io.github.telemetrybootstrap.spring;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer context-propagation {@link ThreadLocalAccessor} for the whole OpenTelemetry
 * {@link Context} (span, W3C baggage with the tenant, the request id), so that Reactor with automatic
 * context propagation ({@code Hooks.enableAutomaticContextPropagation()}, Spring Boot's
 * {@code spring.reactor.context-propagation=auto}), {@code ContextSnapshot} and
 * {@code ContextExecutorService} make it current on whatever thread runs the next operator or task.
 * The contract's JSON formatter reads {@code trace_id}/{@code span_id}/{@code tenant_id}/
 * {@code request_id} from {@link Context#current()} at log time, so this is what keeps them on lines
 * logged after a thread hop.
 *
 * <p>Micrometer Tracing's {@code ObservationThreadLocalAccessor} restores only the span of the
 * current observation, not the baggage the tenant travels in nor the request id; this accessor is
 * registered after it ({@link #register()}) so its full context is the innermost one.
 *
 * <p>Values: {@link #getValue()} is {@link Context#current()}, or {@code null} when that is the root
 * context (nothing to propagate). Setting makes the value current with {@link Context#makeCurrent()}
 * and restoring closes that scope; context-propagation restores in reverse order of setting, so the
 * scopes nest. Thread-safe; the scopes live in a per-thread stack.
 */
public final class OpenTelemetryContextAccessor implements ThreadLocalAccessor<Context> {
  /** The key under which the OpenTelemetry context travels in Reactor's context and snapshots. */
  public static final String KEY = "io.github.telemetrybootstrap.opentelemetry.context";

  private static final ThreadLocal<ArrayDeque<Scope>> SCOPES = ThreadLocal.withInitial(ArrayDeque::new);

  /** Creates the accessor; use {@link #register()} to install it. */
  public OpenTelemetryContextAccessor() {}

  /**
   * Registers an accessor with {@link ContextRegistry#getInstance()} under {@link #KEY}, replacing one
   * registered before (idempotent).
   */
  public static void register() {
    ContextRegistry.getInstance().registerThreadLocalAccessor(new OpenTelemetryContextAccessor());
  }

  @Override
  public Object key() {
    return KEY;
  }

  @Override
  public @Nullable Context getValue() {
    Context current = Context.current();
    return current == Context.root() ? null : current;
  }

  @Override
  public void setValue(Context value) {
    SCOPES.get().push(value.makeCurrent());
  }

  @Override
  public void setValue() {
    SCOPES.get().push(Context.root().makeCurrent());
  }

  @Override
  public void restore(Context previousValue) {
    closeScope();
  }

  @Override
  public void restore() {
    closeScope();
  }

  private static void closeScope() {
    Scope scope = SCOPES.get().poll();
    if (scope != null) {
      scope.close();
    }
  }
}
