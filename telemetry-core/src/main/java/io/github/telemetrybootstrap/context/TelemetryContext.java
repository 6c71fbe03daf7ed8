package io.github.telemetrybootstrap.context;

import io.opentelemetry.context.Context;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Helpers to carry the current context (span, baggage with the tenant, request id) across threads.
 *
 * <p>Work submitted to a wrapped executor runs under the {@link Context} that was current when it was
 * submitted, so its log lines carry the submitting request's {@code trace_id}, {@code span_id},
 * {@code tenant_id} and {@code request_id}. These delegate to OpenTelemetry's
 * {@link Context#taskWrapping(ExecutorService)}.
 */
public final class TelemetryContext {
  private TelemetryContext() {}

  /**
   * Wraps an executor service so submitted tasks run in the submitter's context.
   *
   * @param delegate the executor to wrap
   * @return a wrapper; shutting it down shuts down {@code delegate}
   */
  public static ExecutorService wrap(ExecutorService delegate) {
    return Context.taskWrapping(delegate);
  }

  /**
   * Wraps a scheduled executor service so scheduled tasks run in the scheduler's context.
   *
   * @param delegate the executor to wrap
   * @return a wrapper
   */
  public static ScheduledExecutorService wrap(ScheduledExecutorService delegate) {
    return Context.taskWrapping(delegate);
  }

  /**
   * Wraps a plain executor (for example the one passed to {@code CompletableFuture.supplyAsync}).
   *
   * @param delegate the executor to wrap
   * @return a wrapper
   */
  public static Executor wrap(Executor delegate) {
    return Context.taskWrapping(delegate);
  }

  /**
   * Wraps a task to run in the current context wherever it is executed.
   *
   * @param task the task
   * @return the wrapped task
   */
  public static Runnable wrap(Runnable task) {
    return Context.current().wrap(task);
  }
}
