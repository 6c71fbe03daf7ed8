package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.context.RequestLogContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.context.RequestId;
import io.opentelemetry.context.Context;
import net.logstash.logback.composite.AbstractJsonProvider;
import tools.jackson.core.JsonGenerator;

/**
 * Writes {@code request_id}: the {@link RequestId} of {@link Context#current()}; omitted outside an
 * inbound request.
 */
public class RequestIdJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  /** Creates the provider. */
  public RequestIdJsonProvider() {}

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    String id = RequestId.fromContext(RequestLogContext.current());
    if (id != null) {
      generator.writeStringProperty(LogFields.REQUEST_ID, id);
    }
  }
}
