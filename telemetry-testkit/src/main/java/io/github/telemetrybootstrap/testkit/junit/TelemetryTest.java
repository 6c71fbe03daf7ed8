package io.github.telemetrybootstrap.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Bootstraps telemetry for a test class and captures what it produces; see {@link TelemetryExtension}.
 * Test and lifecycle methods declare a {@link CapturedTelemetry} parameter to read and assert it.
 *
 * <pre>{@code
 * @TelemetryTest(serviceName = "orders")
 * class OrdersTelemetryTest {
 *   @Test
 *   void logsCarryTheSpan(CapturedTelemetry captured) throws Exception {
 *     SpanContext span = captured.inSpan("checkout", "acme", () -> log.info("charged"));
 *     assertThatLogs(captured).allMatchContract().linesWithMessage("charged").allCarrySpan(span);
 *   }
 * }
 * }</pre>
 *
 * <p>Telemetry is one per JVM, so the annotation also takes the resource lock
 * {@value TelemetryExtension#RESOURCE_LOCK}: under JUnit's parallel execution, classes using it run
 * one at a time, and their tests in the same thread.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TelemetryExtension.class)
@ResourceLock(TelemetryExtension.RESOURCE_LOCK)
public @interface TelemetryTest {
  /**
   * The {@code service.name} of the bootstrapped telemetry (the {@code service} field of every line).
   *
   * @return the service name; default {@value TelemetryExtension#DEFAULT_SERVICE_NAME}
   */
  String serviceName() default TelemetryExtension.DEFAULT_SERVICE_NAME;

  /**
   * Extra configuration, each {@code key=value} with an {@code otel.*} key (OpenTelemetry SDK
   * autoconfigure) or a {@code telemetry.*} key ({@link io.github.telemetrybootstrap.TelemetrySettings}).
   * They override the extension's defaults and the environment.
   *
   * @return entries such as {@code "telemetry.tenant.max-length=32"}; default none
   */
  String[] properties() default {};

  /**
   * How long span waits and log flushes take at most, in milliseconds.
   *
   * @return milliseconds, at least 1; default 5000
   */
  long awaitTimeoutMillis() default 5000;
}
