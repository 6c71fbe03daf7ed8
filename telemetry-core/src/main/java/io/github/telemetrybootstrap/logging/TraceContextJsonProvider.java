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
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    SpanContext span = Span.fromContext(RequestLogContext.current()).getSpanContext();
    if (span.isValid()) {
      // A valid span context's ids are lowercase hex (the SDK checks them): nothing to escape, so
      // their bytes are written as they are, without a String per value or a per-character scan.
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
