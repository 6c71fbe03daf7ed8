package io.github.telemetrybootstrap.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import net.logstash.logback.composite.JsonWritingUtils;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import tools.jackson.core.JsonGenerator;

/**
 * Writes the formatted message with every line break (CR LF, LF, CR, and the Unicode line and
 * paragraph separators) replaced by the two characters {@code \n}, so the decoded {@code message}
 * is one line, as the log contract requires ({@code telemetry-log.schema.json}: no CR or LF in
 * {@code message}). Multi-line detail belongs in {@code error.stack_trace} or in structured fields.
 * Secrets are still masked: masking applies when the value is written.
 */
public class SingleLineMessageJsonProvider extends MessageJsonProvider {

  /** Creates the provider writing the contract's {@code message} field. */
  public SingleLineMessageJsonProvider() {}

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    JsonWritingUtils.writeStringField(generator, getFieldName(), oneLine(event.getFormattedMessage()));
  }

  /**
   * Folds line breaks into the two characters {@code \n}.
   *
   * @param message the formatted message, may be null
   * @return the message on one line; the same instance when it has no line break
   */
  static String oneLine(String message) {
    if (message == null) {
      return null;
    }
    int len = message.length();
    int i = 0;
    while (i < len && !isBreak(message.charAt(i))) {
      i++;
    }
    if (i == len) {
      return message;
    }
    StringBuilder b = new StringBuilder(len + 8).append(message, 0, i);
    for (; i < len; i++) {
      char c = message.charAt(i);
      if (c == '\r' && i + 1 < len && message.charAt(i + 1) == '\n') {
        continue; // CR LF is one break
      }
      if (isBreak(c)) {
        b.append("\\n");
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean isBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085';
  }
}
