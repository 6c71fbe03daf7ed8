package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.contract.LogText;
import io.github.telemetrybootstrap.contract.SecretMasker;
import net.logstash.logback.marker.SingleFieldAppendingMarker;
import org.slf4j.helpers.MessageFormatter;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.telemetrybootstrap.contract.LogFields;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;

/**
 * Writes the formatted message with every line break (CR LF, LF, CR, and the Unicode line and
 * paragraph separators) replaced by the two characters {@code \n}, so the decoded {@code message}
 * is one line, as the log contract requires ({@code telemetry-log.schema.json}: no CR or LF in
 * {@code message}). Multi-line detail belongs in {@code error.stack_trace} or in structured fields.
 * Secrets in the message are masked ({@link SecretMasker}), then the line cap
 * ({@code telemetry.logging.max-line-length}) applies.
 */
public class SingleLineMessageJsonProvider extends MessageJsonProvider implements MaskingAware {
  private SecretMasking masking = SecretMasking.GLOBAL;
  /** The field name, pre-encoded (it is the same on every line). */
  private SerializedString name = new SerializedString(LogFields.MESSAGE);

  /** Creates the provider writing the contract's {@code message} field. */
  public SingleLineMessageJsonProvider() {}

  @Override
  public void setMasking(SecretMasking masking) {
    this.masking = masking;
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    String fieldName = getFieldName();
    String message = event.getFormattedMessage();
    if (fieldName == null || "[ignore]".equals(fieldName) || message == null) {
      return; // logstash's convention: a field named [ignore] is not written
    }
    SerializedString n = name;
    if (!n.getValue().equals(fieldName)) {
      n = new SerializedString(fieldName);
      name = n;
    }
    generator.writeName(n);
    generator.writeString(masking.value(oneLine(formatted(event, masking))));
  }

  /**
   * The formatted message, re-formatted with secret structured arguments masked: a
   * {@code StructuredArguments.value("password", pw)} or {@code kv("token", t)} argument is masked in
   * its field by the encoder's field masking, but its text would otherwise reach the message raw.
   */
  static String formatted(ILoggingEvent event, SecretMasking masking) {
    String message = event.getFormattedMessage();
    Object[] args = event.getArgumentArray();
    if (args == null || args.length == 0) {
      return message;
    }
    Object[] masked = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof SingleFieldAppendingMarker arg && masking.isSecretKey(arg.getFieldName())) {
        if (masked == null) {
          masked = args.clone();
        }
        String self = arg.toStringSelf();
        masked[i] = self != null && self.startsWith(arg.getFieldName() + "=")
            ? arg.getFieldName() + "=" + SecretMasker.MASK
            : SecretMasker.MASK;
      }
    }
    return masked == null ? message : MessageFormatter.arrayFormat(event.getMessage(), masked).getMessage();
  }

  /**
   * Folds line breaks into the two characters {@code \n}.
   *
   * @param message the formatted message, may be null
   * @return the message on one line; the same instance when it has no line break
   */
  static String oneLine(String message) {
    return LogText.oneLine(message);
  }

}
