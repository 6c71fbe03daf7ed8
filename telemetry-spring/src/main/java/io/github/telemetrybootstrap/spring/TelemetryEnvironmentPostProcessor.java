package io.github.telemetrybootstrap.spring;

import io.github.telemetrybootstrap.internal.ServiceInfo;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Adds the library's defaults to Spring's {@code Environment} as the lowest-priority property source
 * {@value #PROPERTY_SOURCE}, before Spring Boot configures logging, so any value the application sets
 * wins:
 *
 * <table>
 *   <caption>defaults</caption>
 *   <tr><th>key</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code logging.structured.format.console}</td><td>{@link TelemetryStructuredLogFormatter}</td>
 *       <td>console lines in the contract's JSON (not when {@code telemetry.logging.enabled=false})</td></tr>
 *   <tr><td>{@code spring.main.banner-mode}</td><td>{@code off}</td><td>stdout holds JSON lines only</td></tr>
 *   <tr><td>{@code management.tracing.sampling.probability}</td><td>{@code 1.0}</td>
 *       <td>the contract samples {@code parentbased_always_on}; the collector tail-samples</td></tr>
 *   <tr><td>{@code management.metrics.distribution.percentiles-histogram.http.server.requests}</td>
 *       <td>{@code true}</td><td>{@code http_server_requests_seconds} is a histogram whose buckets
 *       carry exemplars</td></tr>
 *   <tr><td>{@code logging.level.io.micrometer.prometheusmetrics.PrometheusMeterRegistry}</td>
 *       <td>{@code ERROR}</td><td>the bootstrap registers JVM meters before Spring Boot adds its meter
 *       filters, which Micrometer reports as a warning per filter on every start</td></tr>
 *   <tr><td>{@code spring.reactor.context-propagation}</td><td>{@code auto}</td><td>Reactor makes the
 *       exchange's OpenTelemetry context ({@link OpenTelemetryContextAccessor}) current on every thread
 *       that runs its operators, so WebFlux lines keep {@code trace_id}/{@code tenant_id}/{@code request_id}</td></tr>
 * </table>
 *
 * <p>It also sets the {@code service} field of the log lines written before the bootstrap runs
 * (Spring's own startup lines) from {@code otel.service.name}, else {@code spring.application.name}.
 *
 * <p>Nothing is added when {@code telemetry.enabled=false}.
 */
public final class TelemetryEnvironmentPostProcessor implements EnvironmentPostProcessor {
  /** Name of the property source holding the defaults. */
  public static final String PROPERTY_SOURCE = "telemetryDefaults";

  static final String DEFAULT_SAMPLING_PROBABILITY = "1.0";

  /** Created by Spring Boot from {@code META-INF/spring.factories}. */
  public TelemetryEnvironmentPostProcessor() {}

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getProperty("telemetry.enabled", Boolean.class, true)) {
      return;
    }
    Map<String, Object> defaults = new HashMap<>();
    if (environment.getProperty("telemetry.logging.enabled", Boolean.class, true)) {
      defaults.put("logging.structured.format.console", TelemetryStructuredLogFormatter.class.getName());
    }
    defaults.put("spring.main.banner-mode", "off");
    defaults.put("management.tracing.sampling.probability", DEFAULT_SAMPLING_PROBABILITY);
    defaults.put("management.metrics.distribution.percentiles-histogram.http.server.requests", "true");
    defaults.put("logging.level.io.micrometer.prometheusmetrics.PrometheusMeterRegistry", "ERROR");
    defaults.put("spring.reactor.context-propagation", "auto");
    environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, defaults));
    String name = environment.getProperty("otel.service.name");
    if (name == null || name.isBlank()) {
      name = environment.getProperty("spring.application.name");
    }
    if (name != null
        && !name.isBlank()
        && ServiceInfo.UNKNOWN_SERVICE.equals(ServiceInfo.current().name())) {
      ServiceInfo current = ServiceInfo.current();
      ServiceInfo.set(new ServiceInfo(name, current.version(), current.environment()));
    }
  }
}
