package io.github.telemetrybootstrap.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.internal.ServiceInfo;
import net.logstash.logback.composite.AbstractJsonProvider;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;

/**
 * Writes {@code service} (always), {@code service_version} and {@code env} (when known) from
 * {@link ServiceInfo#current()}, read when the event is written so values the bootstrap sets later
 * apply to every line after it.
 */
public class ServiceJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  /** Creates the provider. */
  public ServiceJsonProvider() {}

  private static final SerializedString SERVICE = new SerializedString(LogFields.SERVICE);
  private static final SerializedString SERVICE_VERSION = new SerializedString(LogFields.SERVICE_VERSION);
  private static final SerializedString ENV = new SerializedString(LogFields.ENV);

  /** The values of one {@link ServiceInfo}, pre-encoded: they are the same on every line. */
  private record Encoded(ServiceInfo info, SerializedString name, @Nullable SerializedString version,
      @Nullable SerializedString environment) {
    static Encoded of(ServiceInfo info) {
      return new Encoded(info, new SerializedString(info.name()),
          info.version() == null ? null : new SerializedString(info.version()),
          info.environment() == null ? null : new SerializedString(info.environment()));
    }
  }

  private volatile @Nullable Encoded encoded;

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    ServiceInfo info = ServiceInfo.current();
    Encoded e = encoded;
    if (e == null || e.info != info) {
      e = Encoded.of(info);
      encoded = e;
    }
    generator.writeName(SERVICE);
    generator.writeString(e.name);
    if (e.version != null) {
      generator.writeName(SERVICE_VERSION);
      generator.writeString(e.version);
    }
    if (e.environment != null) {
      generator.writeName(ENV);
      generator.writeString(e.environment);
    }
  }
}
