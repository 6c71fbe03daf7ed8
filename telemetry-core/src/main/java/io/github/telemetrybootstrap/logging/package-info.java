/**
 * JSON logs in the telemetry log contract (see {@link io.github.telemetrybootstrap.contract.LogFields}), through
 * logback and logstash-logback-encoder.
 *
 * <h2>Without a logback configuration of your own</h2>
 * Nothing to do: {@link io.github.telemetrybootstrap.logging.TelemetryLogbackConfigurator} makes
 * logback write JSON to stdout from the first line on, and {@code Telemetry.bootstrap()} applies the
 * {@code telemetry.logging.*} settings. {@code java.util.logging} is routed to SLF4J as well.
 *
 * <h2>With your own {@code logback.xml}</h2>
 * Include the appender and reference it:
 * <pre>{@code
 * <configuration>
 *   <include resource="io/github/telemetrybootstrap/logback/json-console-appender.xml"/>
 *   <root level="INFO">
 *     <appender-ref ref="TELEMETRY_JSON"/>
 *   </root>
 * </configuration>
 * }</pre>
 * The appender {@code TELEMETRY_JSON} is a {@link io.github.telemetrybootstrap.logging.TelemetryAsyncAppender}
 * around a {@link io.github.telemetrybootstrap.logging.TelemetryJsonEncoder} on stdout. The encoder can
 * also be used on its own in a synchronous appender ({@code <encoder class="...TelemetryJsonEncoder"/>}
 * in a {@code ConsoleAppender}); do not put it behind logback's {@code AsyncAppender}, whose worker
 * thread does not see the logging thread's trace context.
 *
 * <h2>What a line carries</h2>
 * {@code @timestamp level logger thread message service [service_version] [env] [trace_id span_id
 * trace_flags] [tenant_id] [request_id] [error{type,message,stack_trace}]}, then MDC entries, SLF4J
 * key/value pairs, {@code StructuredArguments} and logstash markers. Secrets are masked
 * ({@link io.github.telemetrybootstrap.contract.SecretMasker}).
 */
package io.github.telemetrybootstrap.logging;
