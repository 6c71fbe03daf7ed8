package io.github.telemetrybootstrap.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import io.github.telemetrybootstrap.contract.LogText;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.SerializableString;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.io.SerializedString;

/**
 * Pre-encoded runs of fields ({@code ,"name":"value",...}) that the contract's providers append in one
 * copy instead of a name and a value call per field.
 *
 * <p>A fragment is written with {@link JsonGenerator#writeRaw(SerializableString)}, which bypasses the
 * generator's bookkeeping, so it is only used where it produces exactly what the field-by-field calls
 * would: inside an object that already has an entry (the fragment starts with the separating comma),
 * without a pretty printer, and only for values that need no escaping under any of the encoder's
 * escapes ({@link #plain}). Everywhere else the providers write field by field. Appending raw does not count the fields in the generator's context; nothing reads
 * that count after the first entry.
 */
final class JsonFragments {
  private JsonFragments() {}

  /**
   * Whether a fragment can be appended here: the generator is inside an object that has at least
   * one entry, and does not pretty-print.
   *
   * @param generator the line's generator, between two fields
   * @return true when {@link JsonGenerator#writeRaw(SerializableString)} of a fragment is exact
   */
  static boolean appendable(JsonGenerator generator) {
    TokenStreamContext context = generator.streamWriteContext();
    PrettyPrinter pretty = generator.getPrettyPrinter();
    return pretty == null && context.inObject() && context.getEntryCount() > 0;
  }

  /**
   * Whether {@code value} goes into a fragment as it is: {@link LogText#isJsonVerbatim} and ASCII
   * (U+0020 to U+007E), so that no generator feature ({@code ESCAPE_NON_ASCII}) would write it
   * otherwise.
   *
   * @param value any string
   * @return true when it needs no escaping
   */
  static boolean plain(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) > 0x7e) {
        return false;
      }
    }
    return LogText.isJsonVerbatim(value);
  }

  /**
   * The fragment {@code ,"name":"value"} for further fields, or {@code null} when a name or value is
   * not {@link #plain}.
   *
   * @param nameValuePairs field name, value, field name, value...; a {@code null} value skips its pair
   * @return the fragment, or {@code null} when one of the strings needs escaping
   */
  static @Nullable SerializedString fields(@Nullable String... nameValuePairs) {
    StringBuilder b = new StringBuilder(64);
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      String name = nameValuePairs[i];
      String value = nameValuePairs[i + 1];
      if (value == null) {
        continue;
      }
      if (name == null || !plain(name) || !plain(value)) {
        return null;
      }
      b.append(",\"").append(name).append("\":\"").append(value).append('"');
    }
    return new SerializedString(b.toString());
  }

  /**
   * A fragment assembled in a byte array, for runs whose values change per line (ids): ASCII bytes
   * only, written with {@link JsonGenerator#writeRaw(SerializableString)}. Not thread-safe; one per
   * thread.
   */
  static final class Bytes implements SerializableString {
    final byte[] bytes;
    private int length;

    /**
     * @param capacity the longest fragment, bytes
     */
    Bytes(int capacity) {
      this.bytes = new byte[capacity];
    }

    /**
     * @param length how many bytes of {@link #bytes} make up the fragment now
     * @return this
     */
    Bytes length(int length) {
      this.length = length;
      return this;
    }

    @Override
    public String getValue() {
      return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    @Override
    public int charLength() {
      return length;
    }

    @Override
    public char[] asQuotedChars() {
      return new SerializedString(getValue()).asQuotedChars();
    }

    @Override
    public byte[] asUnquotedUTF8() {
      return Arrays.copyOf(bytes, length);
    }

    @Override
    public byte[] asQuotedUTF8() {
      return new SerializedString(getValue()).asQuotedUTF8();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
      return new SerializedString(getValue()).appendQuotedUTF8(buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
      return new SerializedString(getValue()).appendQuoted(buffer, offset);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
      if (offset + length > buffer.length) {
        return -1;
      }
      System.arraycopy(bytes, 0, buffer, offset, length);
      return length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
      if (offset + length > buffer.length) {
        return -1;
      }
      for (int i = 0; i < length; i++) {
        buffer[offset + i] = (char) bytes[i];
      }
      return length;
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
      return new SerializedString(getValue()).writeQuotedUTF8(out);
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
      out.write(bytes, 0, length);
      return length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
      return new SerializedString(getValue()).putQuotedUTF8(buffer);
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) throws IOException {
      if (length > buffer.remaining()) {
        return -1;
      }
      buffer.put(bytes, 0, length);
      return length;
    }
  }
}
