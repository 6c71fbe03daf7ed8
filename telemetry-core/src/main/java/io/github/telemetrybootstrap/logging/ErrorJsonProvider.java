package io.github.telemetrybootstrap.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.github.telemetrybootstrap.contract.LogFields;
import net.logstash.logback.composite.AbstractJsonProvider;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;
import tools.jackson.core.JsonGenerator;

/**
 * Writes the {@code error} object when a throwable is attached to the event: {@code type} (the
 * throwable's fully qualified class name), {@code message} (its message, omitted when null) and
 * {@code stack_trace} (one string, lines separated by {@code \n}).
 *
 * <p>The stack trace is rendered by logstash-logback-encoder's {@link ShortenedThrowableConverter}
 * with the root cause first (so truncation never loses it), common frames of causes omitted, and
 * at most {@link #setMaxLength(int) maxLength} characters (default {@value #DEFAULT_MAX_LENGTH}).
 * Secrets in the message and stack trace are masked, then the line cap applies.
 */
public class ErrorJsonProvider extends AbstractJsonProvider<ILoggingEvent> implements MaskingAware {
  /** Default cap on {@code stack_trace}, in characters. */
  public static final int DEFAULT_MAX_LENGTH = 16384;

  private final ShortenedThrowableConverter converter = new ShortenedThrowableConverter();
  private SecretMasking masking = SecretMasking.GLOBAL;

  /** Creates the provider with the defaults. */
  public ErrorJsonProvider() {
    converter.setRootCauseFirst(true);
    converter.setOmitCommonFrames(true);
    converter.setMaxLength(DEFAULT_MAX_LENGTH);
    converter.setLineSeparator("UNIX");
  }

  /**
   * Caps {@code stack_trace}.
   *
   * @param maxLength characters, at least 256; longer traces are cut and end with {@code ...}
   * @throws IllegalArgumentException if below 256
   */
  public void setMaxLength(int maxLength) {
    if (maxLength < 256) {
      throw new IllegalArgumentException("maxLength must be at least 256 characters, was " + maxLength);
    }
    converter.setMaxLength(maxLength);
  }

  /** @return the cap on {@code stack_trace}, in characters */
  public int getMaxLength() {
    return converter.getMaxLength();
  }

  @Override
  public void setMasking(SecretMasking masking) {
    this.masking = masking;
  }

  @Override
  public void start() {
    converter.setContext(getContext());
    converter.start();
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    converter.stop();
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    IThrowableProxy proxy = event.getThrowableProxy();
    if (proxy == null) {
      return;
    }
    generator.writeObjectPropertyStart(LogFields.ERROR);
    generator.writeStringProperty(LogFields.ERROR_TYPE, proxy.getClassName());
    if (proxy.getMessage() != null) {
      generator.writeStringProperty(LogFields.ERROR_MESSAGE, masking.value(proxy.getMessage()));
    }
    generator.writeStringProperty(LogFields.ERROR_STACK_TRACE, masking.value(converter.convert(event)));
    generator.writeEndObject();
  }
}
