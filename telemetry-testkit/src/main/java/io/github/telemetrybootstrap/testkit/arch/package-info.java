/**
 * ArchUnit rules for the telemetry contract: {@link io.github.telemetrybootstrap.testkit.arch.TelemetryRules}.
 */
package io.github.telemetrybootstrap.testkit.arch;
