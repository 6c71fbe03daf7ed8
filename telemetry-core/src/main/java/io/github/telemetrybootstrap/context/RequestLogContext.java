package io.github.telemetrybootstrap.context;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import org.jspecify.annotations.Nullable;

/**
 * The context log lines are attributed to: {@link Context#current()}, or, on a thread that is still
 * finishing a failed request after the request's own scope has closed, that request's context.
 *
 * <p>Servlet containers log an unhandled exception ({@code Servlet.service() ... threw exception}) and
 * render the error page after every filter has returned, so the request's OpenTelemetry scope is no
 * longer current and those lines would lose {@code trace_id}, {@code span_id}, {@code tenant_id} and
 * {@code request_id}. The server integrations call {@link #linger(Context)} when a request fails and
 * {@link #release()} when the container is done with it (a {@code ServletRequestListener}); lines
 * logged on that thread in between, and within half a second after (Jetty logs the failure right after
 * destroying the request), carry the request's ids; {@link #clear()} at the start of the thread's next
 * request ends it at once. A context current on the thread always wins. Never throws.
 */
public final class RequestLogContext {
  /** How long a released failed request's context still attributes lines, in nanoseconds. */
  static final long GRACE_NANOS = 500_000_000L;

  private static final class Lingering {
    final Context context;
    volatile long deadline = Long.MAX_VALUE;

    Lingering(Context context) {
      this.context = context;
    }
  }

  private static final ThreadLocal<@Nullable Lingering> LINGERING = new ThreadLocal<>();

  private RequestLogContext() {}

  /**
   * The context to attribute a log line to.
   *
   * @return {@link Context#current()} when it carries a valid span or a request id, else the lingering
   *     request context of this thread, else {@link Context#current()}
   */
  public static Context current() {
    Context current = Context.current();
    Lingering lingering = LINGERING.get();
    if (lingering == null || Span.fromContext(current).getSpanContext().isValid()
        || RequestId.fromContext(current) != null) {
      return current;
    }
    if (System.nanoTime() - lingering.deadline > 0) {
      LINGERING.remove();
      return current;
    }
    return lingering.context;
  }

  /**
   * Keeps {@code context} as this thread's log context after its scope closes, until
   * {@link #release()}.
   *
   * @param context the failed request's context (with its server span)
   */
  public static void linger(Context context) {
    LINGERING.set(new Lingering(context));
  }

  /**
   * The container is done with the request: the context still attributes lines logged on this
   * thread for {@value #GRACE_NANOS} ns (Jetty logs the failure just after the request is destroyed),
   * then no more.
   */
  public static void release() {
    Lingering lingering = LINGERING.get();
    if (lingering != null) {
      lingering.deadline = System.nanoTime() + GRACE_NANOS;
    }
  }

  /** A new request starts on this thread: nothing of an earlier one lingers. */
  public static void clear() {
    LINGERING.remove();
  }
}
