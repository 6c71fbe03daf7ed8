package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.contract.LogText;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * A logging event whose message was cut to a length cap (and, for a line still over the cap, whose
 * user fields were left out), delegating everything else to the original event.
 */
final class TruncatedEvent implements ILoggingEvent {
  /**
   * What ends a truncated message: {@code  <truncated: N chars in all>}, N the original length. It
   * starts with {@code <}, which ends a masked value, so masking never swallows the marker.
   */
  static String marker(int originalLength) {
    return LogText.truncationMarker(originalLength);
  }


  private final ILoggingEvent delegate;
  private final String message;
  private final boolean withoutUserFields;

  private TruncatedEvent(ILoggingEvent delegate, String message, boolean withoutUserFields) {
    this.delegate = delegate;
    this.message = message;
    this.withoutUserFields = withoutUserFields;
  }

  /**
   * The event with its formatted message cut to at most {@code maxChars} characters including the
   * marker. The cut goes back to the last whitespace within 256 characters, so a credential is not
   * left half-written (where masking could no longer recognise it).
   */
  static TruncatedEvent cut(ILoggingEvent event, String formatted, int maxChars, boolean withoutUserFields) {
    return new TruncatedEvent(event, LogText.cut(formatted, maxChars), withoutUserFields);
  }

  ILoggingEvent original() {
    return delegate;
  }

  @Override
  public String getThreadName() {
    return delegate.getThreadName();
  }

  @Override
  public Level getLevel() {
    return delegate.getLevel();
  }

  @Override
  public String getMessage() {
    return message;
  }

  @Override
  public Object[] getArgumentArray() {
    return withoutUserFields ? null : delegate.getArgumentArray();
  }

  @Override
  public String getFormattedMessage() {
    return message;
  }

  @Override
  public String getLoggerName() {
    return delegate.getLoggerName();
  }

  @Override
  public LoggerContextVO getLoggerContextVO() {
    return delegate.getLoggerContextVO();
  }

  @Override
  public IThrowableProxy getThrowableProxy() {
    return delegate.getThrowableProxy();
  }

  @Override
  public StackTraceElement[] getCallerData() {
    return delegate.getCallerData();
  }

  @Override
  public boolean hasCallerData() {
    return delegate.hasCallerData();
  }

  @Override
  public List<Marker> getMarkerList() {
    return withoutUserFields ? null : delegate.getMarkerList();
  }

  @Override
  public Map<String, String> getMDCPropertyMap() {
    return withoutUserFields ? Map.of() : delegate.getMDCPropertyMap();
  }

  @Override
  @SuppressWarnings("deprecation")
  public Map<String, String> getMdc() {
    return getMDCPropertyMap();
  }

  @Override
  public long getTimeStamp() {
    return delegate.getTimeStamp();
  }

  @Override
  public int getNanoseconds() {
    return delegate.getNanoseconds();
  }

  @Override
  public Instant getInstant() {
    return delegate.getInstant();
  }

  @Override
  public long getSequenceNumber() {
    return delegate.getSequenceNumber();
  }

  @Override
  public List<KeyValuePair> getKeyValuePairs() {
    return withoutUserFields ? null : delegate.getKeyValuePairs();
  }

  @Override
  public void prepareForDeferredProcessing() {
    delegate.prepareForDeferredProcessing();
  }
}
