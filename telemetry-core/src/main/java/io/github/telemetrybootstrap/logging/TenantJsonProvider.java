package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.context.RequestLogContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.context.Tenant;
import io.opentelemetry.context.Context;
import net.logstash.logback.composite.AbstractJsonProvider;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;

/**
 * Writes {@code tenant_id}: the baggage entry {@value Tenant#BAGGAGE_KEY} of {@link Context#current()},
 * sanitised by {@link Tenant#sanitize(String)} (length-capped, control characters removed); omitted
 * when there is no tenant.
 */
public class TenantJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  /** Creates the provider. */
  public TenantJsonProvider() {}

  private static final SerializedString TENANT_ID = new SerializedString(LogFields.TENANT_ID);

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    String tenant = Tenant.fromContext(RequestLogContext.current());
    if (tenant != null) {
      generator.writeName(TENANT_ID);
      generator.writeString(tenant);
    }
  }
}
