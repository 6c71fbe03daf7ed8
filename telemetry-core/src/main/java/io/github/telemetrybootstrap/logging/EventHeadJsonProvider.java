package io.github.telemetrybootstrap.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.contract.Rfc3339Millis;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import net.logstash.logback.composite.AbstractJsonProvider;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * Writes the first four contract fields of every line, from the event itself:
 * <ul>
 *   <li>{@code @timestamp}: the event's time, RFC 3339 in UTC with milliseconds ({@link Rfc3339Millis}),
 *       {@code 2026-11-21T16:08:00.123Z};
 *   <li>{@code level}: {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN} or {@code ERROR};
 *   <li>{@code logger} and {@code thread}: the names as they are (not abbreviated), masked like any
 *       text ({@link SecretMasking#name(String)}, remembered per name); omitted when the event has none.
 * </ul>
 * Field names and levels are pre-encoded, since they are the same on every line; level, logger and
 * thread are appended as pre-encoded fields where {@link JsonFragments} allows.
 */
final class EventHeadJsonProvider extends AbstractJsonProvider<ILoggingEvent> implements MaskingAware {
  private static final SerializedString TIMESTAMP = new SerializedString(LogFields.TIMESTAMP);
  private static final SerializedString LEVEL = new SerializedString(LogFields.LEVEL);
  private static final SerializedString LOGGER = new SerializedString(LogFields.LOGGER);
  private static final SerializedString THREAD = new SerializedString(LogFields.THREAD);
  private static final SerializedString TRACE = new SerializedString(Level.TRACE.levelStr);
  private static final SerializedString DEBUG = new SerializedString(Level.DEBUG.levelStr);
  private static final SerializedString INFO = new SerializedString(Level.INFO.levelStr);
  private static final SerializedString WARN = new SerializedString(Level.WARN.levelStr);
  private static final SerializedString ERROR = new SerializedString(Level.ERROR.levelStr);
  private static final SerializedString TRACE_FIELD = levelFragment(Level.TRACE);
  private static final SerializedString DEBUG_FIELD = levelFragment(Level.DEBUG);
  private static final SerializedString INFO_FIELD = levelFragment(Level.INFO);
  private static final SerializedString WARN_FIELD = levelFragment(Level.WARN);
  private static final SerializedString ERROR_FIELD = levelFragment(Level.ERROR);

  private static SerializedString levelFragment(Level level) {
    return java.util.Objects.requireNonNull(JsonFragments.fields(LogFields.LEVEL, level.levelStr));
  }

  /** Per thread: the timestamp's bytes, written without a String per line. */
  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[Rfc3339Millis.MAX_LENGTH]);

  private SecretMasking masking = SecretMasking.GLOBAL;

  @Override
  public void setMasking(SecretMasking masking) {
    this.masking = masking;
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    Instant instant = event.getInstant();
    long millis = event.getTimeStamp();
    byte[] scratch = SCRATCH.get();
    int length = instant != null
        ? Rfc3339Millis.formatTo(instant.getEpochSecond(), instant.getNano(), scratch, 0)
        : Rfc3339Millis.formatTo(Math.floorDiv(millis, 1000), Math.floorMod(millis, 1000) * 1_000_000, scratch, 0);
    generator.writeName(TIMESTAMP);
    generator.writeRawUTF8String(scratch, 0, length); // ASCII digits and separators: nothing to escape
    boolean appendable = JsonFragments.appendable(generator);
    SerializableString levelField = appendable ? levelField(event.getLevel()) : null;
    if (levelField != null) {
      generator.writeRaw(levelField);
    } else {
      generator.writeName(LEVEL);
      generator.writeString(level(event.getLevel()));
    }
    SecretMasking.Name logger = masking.name(event.getLoggerName());
    if (logger != null) {
      if (appendable && logger.loggerField() != null) {
        generator.writeRaw(logger.loggerField());
      } else {
        generator.writeName(LOGGER);
        generator.writeString(logger.masked());
      }
    }
    SecretMasking.Name thread = masking.name(event.getThreadName());
    if (thread != null) {
      if (appendable && thread.threadField() != null) {
        generator.writeRaw(thread.threadField());
      } else {
        generator.writeName(THREAD);
        generator.writeString(thread.masked());
      }
    }
  }

  /** @return {@code ,"level":"INFO"} and so on for the five levels, {@code null} for any other */
  private static @Nullable SerializableString levelField(@Nullable Level level) {
    return switch (level == null ? Level.INFO_INT : level.levelInt) {
      case Level.ERROR_INT -> ERROR_FIELD;
      case Level.WARN_INT -> WARN_FIELD;
      case Level.DEBUG_INT -> DEBUG_FIELD;
      case Level.TRACE_INT -> TRACE_FIELD;
      case Level.INFO_INT -> INFO_FIELD;
      default -> null;
    };
  }

  private static SerializableString level(Level level) {
    return switch (level == null ? Level.INFO_INT : level.levelInt) {
      case Level.ERROR_INT -> ERROR;
      case Level.WARN_INT -> WARN;
      case Level.DEBUG_INT -> DEBUG;
      case Level.TRACE_INT -> TRACE;
      case Level.INFO_INT -> INFO;
      default -> new SerializedString(level.levelStr);
    };
  }
}
