package io.github.telemetrybootstrap.contract;

import org.jspecify.annotations.Nullable;

/**
 * How a message becomes the {@link LogFields#MESSAGE} of one log line, in every runtime: masked first
 * ({@link SecretMasker}), then kept on one line ({@link #oneLine}), then cut to the line cap
 * ({@link #cut}) so a credential is never half-written where masking could no longer recognise it.
 */
public final class LogText {
  private static final int CUT_LOOKBACK = 256;

  private LogText() {}

  /**
   * The message on one line: each line break (LF, CR, CR LF, NEL U+0085, LINE SEPARATOR U+2028,
   * PARAGRAPH SEPARATOR U+2029) becomes the two characters {@code \n}, so a multi-line message is
   * still one event for a line-oriented collector and readable after JSON decoding.
   *
   * @param message the message, or {@code null}
   * @return the message without line breaks, the same instance when it had none; {@code null} for
   *     {@code null}
   */
  public static @Nullable String oneLine(@Nullable String message) {
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

  /**
   * What ends a cut message: {@code  <truncated: N chars in all>}, N the original length in
   * characters. It starts with {@code <}, which ends a masked value, so masking never swallows it.
   *
   * @param originalLength the message's length before the cut
   * @return the marker
   */
  public static String truncationMarker(int originalLength) {
    return " <truncated: " + originalLength + " chars in all>";
  }

  /**
   * The message cut to at most {@code maxChars} characters including the
   * {@linkplain #truncationMarker marker}. The cut goes back to the last white space within 256
   * characters and never splits a surrogate pair.
   *
   * @param message the (already masked) message
   * @param maxChars the cap in characters, at least the marker's length
   * @return {@code message} when it fits, else the cut message ending with the marker
   */
  public static String cut(String message, int maxChars) {
    if (message.length() <= maxChars) {
      return message;
    }
    String marker = truncationMarker(message.length());
    int end = Math.min(Math.max(0, maxChars - marker.length()), message.length());
    for (int i = end - 1; i >= Math.max(0, end - CUT_LOOKBACK); i--) {
      if (Character.isWhitespace(message.charAt(i))) {
        end = i;
        break;
      }
    }
    if (end > 0 && Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    return message.substring(0, end) + marker;
  }

  /**
   * Whether a log line writes {@code value} as it is between the quotes of a JSON string: it holds no
   * character that JSON requires to be escaped (RFC 8259 section 7: quotation mark, reverse solidus,
   * control characters U+0000 to U+001F) and neither U+2028 nor U+2029, which every runtime also
   * escapes (JSON allows them raw, but JavaScript-based readers and line splitters treat them as line
   * breaks). Runtimes use it to copy such a value, or a field pre-encoded from it, without escaping.
   *
   * @param value any string
   * @return true when escaping would leave {@code value} unchanged
   */
  public static boolean isJsonVerbatim(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029') {
        return false;
      }
    }
    return true;
  }

  private static boolean isBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085';
  }
}
