package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.context.RequestLogContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.telemetrybootstrap.contract.LogFields;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import net.logstash.logback.composite.AbstractJsonProvider;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;

/**
 * Writes {@code trace_id} (32 lowercase hex), {@code span_id} (16 lowercase hex) and
 * {@code trace_flags} ({@code 01} sampled or {@code 00}; other W3C flag bits such as Level 2's
 * "random" are not written) of the span in {@link Context#current()},
 * only when that span context is valid (W3C Trace Context: ids not all zeros).
 *
 * <p>{@link TelemetryAsyncAppender} makes the context of the thread that logged current while it
 * encodes, so the ids are those of the logging thread even though encoding happens on its worker.
 */
public class TraceContextJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  /** Creates the provider. */
  public TraceContextJsonProvider() {}

  private static final SerializedString TRACE_ID = new SerializedString(LogFields.TRACE_ID);
  private static final SerializedString SPAN_ID = new SerializedString(LogFields.SPAN_ID);
  private static final SerializedString TRACE_FLAGS = new SerializedString(LogFields.TRACE_FLAGS);
  private static final SerializedString SAMPLED = new SerializedString("01");
  private static final SerializedString NOT_SAMPLED = new SerializedString("00");

  /** Per thread: an id's bytes. */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[32]);

  private static final String PREFIX_TRACE_ID = ",\"" + LogFields.TRACE_ID + "\":\"";
  private static final String PREFIX_SPAN_ID = "\",\"" + LogFields.SPAN_ID + "\":\"";
  private static final String PREFIX_TRACE_FLAGS = "\",\"" + LogFields.TRACE_FLAGS + "\":\"0";
  /** Where the ids and the flags' last digit go in {@link #FRAGMENT}'s bytes. */
  private static final int TRACE_ID_AT = PREFIX_TRACE_ID.length();
  private static final int SPAN_ID_AT = TRACE_ID_AT + 32 + PREFIX_SPAN_ID.length();
  private static final int SAMPLED_AT = SPAN_ID_AT + 16 + PREFIX_TRACE_FLAGS.length();
  private static final String TEMPLATE = PREFIX_TRACE_ID + "0".repeat(32) + PREFIX_SPAN_ID
      + "0".repeat(16) + PREFIX_TRACE_FLAGS + "0\"";

  /** Per thread: the three fields as one fragment, {@link #TEMPLATE} with the ids filled in. */
  private static final ThreadLocal<JsonFragments.Bytes> FRAGMENT =
      ThreadLocal.withInitial(TraceContextJsonProvider::newFragment);

  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for ASCII
  private static JsonFragments.Bytes newFragment() {
    JsonFragments.Bytes fragment = new JsonFragments.Bytes(TEMPLATE.length());
    TEMPLATE.getBytes(0, TEMPLATE.length(), fragment.bytes, 0);
    return fragment.length(TEMPLATE.length());
  }

  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for ASCII
  private static void writeHex(JsonGenerator generator, SerializedString name, String hex, byte[] scratch) {
    generator.writeName(name);
    int length = hex.length();
    if (length > scratch.length) {
      generator.writeString(hex);
      return;
    }
    hex.getBytes(0, length, scratch, 0);
    generator.writeRawUTF8String(scratch, 0, length);
  }

  @Override
  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for ASCII
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    SpanContext span = Span.fromContext(RequestLogContext.current()).getSpanContext();
    if (!span.isValid()) {
      return;
    }
    // A valid span context's ids are lowercase hex (the SDK checks them): nothing to escape, so
    // their bytes are written as they are, without a String per value or a per-character scan:
    // the three fields as one fragment where that is exact, else field by field.
    String traceId = span.getTraceId();
    String spanId = span.getSpanId();
    if (traceId.length() == 32 && spanId.length() == 16 && JsonFragments.appendable(generator)) {
      JsonFragments.Bytes fragment = FRAGMENT.get();
      byte[] bytes = fragment.bytes;
      traceId.getBytes(0, 32, bytes, TRACE_ID_AT);
      spanId.getBytes(0, 16, bytes, SPAN_ID_AT);
      bytes[SAMPLED_AT] = span.isSampled() ? (byte) '1' : (byte) '0';
      generator.writeRaw(fragment);
    } else {
      byte[] scratch = SCRATCH.get();
      writeHex(generator, TRACE_ID, span.getTraceId(), scratch);
      writeHex(generator, SPAN_ID, span.getSpanId(), scratch);
      // Only the sampled bit: the contract allows 01 and 00, while the SDK may also set the
      // W3C Trace Context Level 2 "random" bit (02).
      generator.writeName(TRACE_FLAGS);
      generator.writeString(span.isSampled() ? SAMPLED : NOT_SAMPLED);
    }
  }
}
