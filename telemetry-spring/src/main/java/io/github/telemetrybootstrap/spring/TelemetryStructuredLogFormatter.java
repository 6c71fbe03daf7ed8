package io.github.telemetrybootstrap.spring;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.telemetrybootstrap.logging.TelemetryJsonEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.structured.StructuredLogFormatter;
import org.springframework.core.env.Environment;

/**
 * Spring Boot structured-logging format that writes the telemetry contract's log line: one JSON object
 * per line with {@code @timestamp}, {@code level}, {@code logger}, {@code thread}, {@code message},
 * {@code service}, the trace ids, {@code tenant_id}, {@code request_id} and {@code error}, secrets
 * masked, exactly as {@link TelemetryJsonEncoder} writes it (it delegates to one).
 *
 * <p>Selected by {@code logging.structured.format.console} (the auto-configuration's environment
 * post-processor sets it as a default, so Spring Boot's logging system, which resets logback at
 * startup, writes the contract). The line is encoded on the logging thread, so the OpenTelemetry
 * context of the request (span, baggage, request id) is the current one. Extra mask keys come from
 * {@code telemetry.logging.mask-keys}. Output is UTF-8 whatever charset Boot asks for, as the
 * contract says. Thread-safe.
 */
public final class TelemetryStructuredLogFormatter implements StructuredLogFormatter<ILoggingEvent> {
  private final TelemetryJsonEncoder encoder = new TelemetryJsonEncoder();

  /**
   * Created by Spring Boot's {@code StructuredLogFormatterFactory}.
   *
   * @param environment reads {@code telemetry.logging.mask-keys}
   */
  public TelemetryStructuredLogFormatter(Environment environment) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      encoder.setContext(context);
    } else {
      encoder.setContext(new LoggerContext());
    }
    String maskKeys = environment.getProperty("telemetry.logging.mask-keys");
    if (maskKeys != null) {
      encoder.setMaskKeys(maskKeys);
    }
    encoder.start();
  }

  @Override
  public String format(ILoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Override
  public byte[] formatAsBytes(ILoggingEvent event, Charset charset) {
    return encoder.encode(event);
  }
}
