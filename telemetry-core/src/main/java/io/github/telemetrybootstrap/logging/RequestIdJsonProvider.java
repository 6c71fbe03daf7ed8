package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.context.RequestLogContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.context.RequestId;
import io.opentelemetry.context.Context;
import net.logstash.logback.composite.AbstractJsonProvider;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;

/**
 * Writes {@code request_id}: the {@link RequestId} of {@link Context#current()}; omitted outside an
 * inbound request.
 */
public class RequestIdJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  /** Creates the provider. */
  public RequestIdJsonProvider() {}

  private static final SerializedString REQUEST_ID = new SerializedString(LogFields.REQUEST_ID);

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    String id = RequestId.fromContext(RequestLogContext.current());
    if (id != null) {
      generator.writeName(REQUEST_ID);
      generator.writeString(id);
    }
  }
}
