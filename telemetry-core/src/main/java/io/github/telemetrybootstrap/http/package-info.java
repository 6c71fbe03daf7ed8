/**
 * HTTP instrumentation for the JDK's own server ({@code com.sun.net.httpserver}) and client ({@code
 * java.net.http}), built on OpenTelemetry's {@code instrumentation-api} so spans follow the stable
 * OpenTelemetry HTTP semantic conventions, and on Micrometer so metrics carry the names and tags
 * Spring Boot uses ({@code http.server.requests}, {@code http.client.requests}).
 *
 * <ul>
 *   <li>{@link io.github.telemetrybootstrap.http.HttpServerTelemetry}: a server {@code Filter}
 *       (SERVER span, W3C Trace Context and Baggage extraction, tenant and request id context);
 *   <li>{@link io.github.telemetrybootstrap.http.HttpRouter} and {@link
 *       io.github.telemetrybootstrap.http.HttpRoute}: route templates for {@code http.route} and
 *       the {@code uri} tag;
 *   <li>{@link io.github.telemetrybootstrap.http.HttpClientTelemetry}: a wrapping {@code
 *       HttpClient} (CLIENT span, context injection).
 * </ul>
 */
package io.github.telemetrybootstrap.http;
