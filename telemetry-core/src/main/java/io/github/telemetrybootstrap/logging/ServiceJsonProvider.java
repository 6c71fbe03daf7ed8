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

  /**
   * The three fields of one {@link ServiceInfo} as one pre-encoded fragment ({@link JsonFragments}),
   * the same on every line; {@code null} when a value needs escaping.
   */
  private record Encoded(ServiceInfo info, @Nullable SerializedString fragment) {
    static Encoded of(ServiceInfo info) {
      return new Encoded(info, JsonFragments.fields(LogFields.SERVICE, info.name(),
          LogFields.SERVICE_VERSION, info.version(), LogFields.ENV, info.environment()));
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
    if (e.fragment != null && JsonFragments.appendable(generator)) {
      generator.writeRaw(e.fragment);
      return;
    }
    // Field by field, as strings, so that the encoder's escapes (U+2028, U+2029) apply.
    generator.writeName(SERVICE);
    generator.writeString(info.name());
    if (info.version() != null) {
      generator.writeName(SERVICE_VERSION);
      generator.writeString(info.version());
    }
    if (info.environment() != null) {
      generator.writeName(ENV);
      generator.writeString(info.environment());
    }
  }
}
