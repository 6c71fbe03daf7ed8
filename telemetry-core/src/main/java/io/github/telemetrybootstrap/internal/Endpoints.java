package io.github.telemetrybootstrap.internal;

import io.github.telemetrybootstrap.contract.SecretMasker;
import org.jspecify.annotations.Nullable;

/**
 * Endpoint URLs as the library prints them: user info (RFC 3986 section 3.2.1, {@code user:password@})
 * replaced by {@code ****@}, and secrets in the rest masked by {@link SecretMasker}. Used for the
 * startup line, export warnings and configuration errors, so a credential in
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} never reaches stdout.
 *
 * <p>Internal: not part of the public API.
 */
public final class Endpoints {
  private Endpoints() {}

  /**
   * Masks a URL for display.
   *
   * @param url the URL (or any text starting with one); {@code null} gives {@code "null"}
   * @return the URL with user info and secrets masked
   */
  public static String mask(@Nullable String url) {
    if (url == null) {
      return "null";
    }
    int scheme = url.indexOf("://");
    String out = url;
    if (scheme > 0) {
      int authority = scheme + 3;
      int end = authority;
      while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
        end++;
      }
      int at = url.lastIndexOf('@', end - 1);
      if (at >= authority) {
        out = url.substring(0, authority) + SecretMasker.MASK + url.substring(at);
      }
    }
    return SecretMasker.global().mask(out);
  }

  /**
   * Masks every URL inside a text (an exception message that quotes the endpoint, say).
   *
   * @param text the text, or {@code null}
   * @return the text with user info of each URL and other secrets masked
   */
  public static String maskInText(@Nullable String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = null;
    int copied = 0;
    int i = text.indexOf("://");
    while (i > 0) {
      int authority = i + 3;
      int end = authority;
      while (end < text.length() && "/?# \t\"'<>".indexOf(text.charAt(end)) < 0) {
        end++;
      }
      int at = text.lastIndexOf('@', end - 1);
      if (at >= authority) {
        if (out == null) {
          out = new StringBuilder(text.length());
        }
        out.append(text, copied, authority).append(SecretMasker.MASK);
        copied = at;
      }
      i = text.indexOf("://", end);
    }
    String s = out == null ? text : out.append(text, copied, text.length()).toString();
    return SecretMasker.global().mask(s);
  }
}
