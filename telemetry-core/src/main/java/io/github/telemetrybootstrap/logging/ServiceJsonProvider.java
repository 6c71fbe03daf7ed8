package io.github.telemetrybootstrap.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.internal.ServiceInfo;
import net.logstash.logback.composite.AbstractJsonProvider;
import tools.jackson.core.JsonGenerator;

/**
 * Writes {@code service} (always), {@code service_version} and {@code env} (when known) from
 * {@link ServiceInfo#current()}, read when the event is written so values the bootstrap sets later
 * apply to every line after it.
 */
public class ServiceJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  /** Creates the provider. */
  public ServiceJsonProvider() {}

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    ServiceInfo info = ServiceInfo.current();
    generator.writeStringProperty(LogFields.SERVICE, info.name());
    if (info.version() != null) {
      generator.writeStringProperty(LogFields.SERVICE_VERSION, info.version());
    }
    if (info.environment() != null) {
      generator.writeStringProperty(LogFields.ENV, info.environment());
    }
  }
}
