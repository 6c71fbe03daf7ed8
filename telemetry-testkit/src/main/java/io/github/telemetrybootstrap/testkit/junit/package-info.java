/**
 * The JUnit Jupiter extension and the fluent assertions of the telemetry contract.
 *
 * <ul>
 *   <li>{@link io.github.telemetrybootstrap.testkit.junit.TelemetryTest} /
 *       {@link io.github.telemetrybootstrap.testkit.junit.TelemetryExtension}: bootstrap telemetry per
 *       test class against an in-process OTLP receiver and capture lines, spans and meters;</li>
 *   <li>{@link io.github.telemetrybootstrap.testkit.junit.CapturedTelemetry}: what was captured in the
 *       current test (a test method parameter);</li>
 *   <li>{@link io.github.telemetrybootstrap.testkit.junit.TelemetryAssertions}: AssertJ assertions whose
 *       failure messages show the offending line or span;</li>
 *   <li>{@link io.github.telemetrybootstrap.testkit.junit.VirtualThreads}: virtual threads by reflection,
 *       so context-propagation tests compile for Java 17.</li>
 * </ul>
 */
package io.github.telemetrybootstrap.testkit.junit;
