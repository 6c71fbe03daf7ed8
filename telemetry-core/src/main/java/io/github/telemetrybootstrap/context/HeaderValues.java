package io.github.telemetrybootstrap.context;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Header values as the sender wrote them. The JDK HTTP server turns each header byte into one
 * {@code char} (ISO-8859-1), so a UTF-8 {@code X-Tenant-Id: café} arrives as {@code cafÃ©}; W3C
 * baggage values are percent-encoded UTF-8 and arrive right. To give one tenant one spelling, a value
 * whose characters are all bytes and that is valid UTF-8 is re-decoded as UTF-8 (RFC 9110 section
 * 5.5 leaves non-ASCII field values to the application; UTF-8 is what clients send). A value that is
 * not valid UTF-8 is kept as ISO-8859-1 text.
 */
final class HeaderValues {
  private HeaderValues() {}

  /**
   * Re-decodes a header value received as ISO-8859-1 as UTF-8 when it is valid UTF-8.
   *
   * @param value the value as the server decoded it, or {@code null}
   * @return the UTF-8 reading, the same instance when the value is ASCII or not UTF-8, or {@code null}
   */
  static @Nullable String utf8(@Nullable String value) {
    if (value == null) {
      return null;
    }
    int n = value.length();
    boolean high = false;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c > 0xFF) {
        return value; // already decoded beyond bytes: not ISO-8859-1 text
      }
      high |= c >= 0x80;
    }
    if (!high) {
      return value;
    }
    byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
    try {
      CharBuffer decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      return decoded.toString();
    } catch (CharacterCodingException notUtf8) {
      return value;
    }
  }
}
