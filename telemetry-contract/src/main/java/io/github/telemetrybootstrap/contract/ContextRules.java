package io.github.telemetrybootstrap.contract;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How inbound tenant and request-id values are read, in every runtime: the same raw header gives the
 * same {@code tenant_id}, {@code saas.tenant} and {@code request_id} whichever server received it.
 * Nothing here throws for bad values: they are sanitised, and what is left empty is absent.
 */
public final class ContextRules {
  /** Default cap on a tenant's length, in characters: {@value}. */
  public static final int TENANT_MAX_LENGTH = 64;
  /** Largest allowed tenant cap ({@link ConfigKeys#TENANT_MAX_LENGTH}), in characters: {@value}. */
  public static final int TENANT_MAX_LENGTH_LIMIT = 1024;
  /** Maximum length of an accepted request id, in characters: {@value}. Longer ids are cut. */
  public static final int REQUEST_ID_MAX_LENGTH = 128;

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z\\-]+");

  private ContextRules() {}

  /**
   * Sanitises a tenant: control and format characters (Unicode categories Cc and Cf, so CR, LF and
   * bidirectional overrides) removed, surrounding white space stripped, credentials masked with
   * {@code masker} (so a tenant that carries a secret is masked once and baggage, span and log agree),
   * then cut to {@code maxLength} characters without splitting a surrogate pair.
   *
   * @param raw the raw value, or {@code null}
   * @param maxLength the cap in characters, 1 to {@value #TENANT_MAX_LENGTH_LIMIT}
   * @param masker the masker to apply, normally {@link SecretMasker#global()}
   * @return the tenant, or {@code null} when {@code raw} is null or nothing is left
   */
  public static @Nullable String sanitizeTenant(
      @Nullable String raw, int maxLength, SecretMasker masker) {
    if (raw == null) {
      return null;
    }
    String s = masker.mask(withoutControls(raw, Integer.MAX_VALUE).strip());
    if (s.length() > maxLength) {
      int end = maxLength;
      if (Character.isHighSurrogate(s.charAt(end - 1))) {
        end--;
      }
      s = s.substring(0, end).strip();
    }
    return s.isEmpty() ? null : s;
  }

  /**
   * Sanitises a request id from the outside (a header, the application): control and format
   * characters removed, credentials masked with {@code masker} (a client can send anything as its
   * request id, and the id is written on every log line of the request and echoed in the response, so
   * a token in it is masked once, here), white space stripped, cut to
   * {@value #REQUEST_ID_MAX_LENGTH} characters without splitting a surrogate pair.
   *
   * @param raw the raw value, or {@code null}
   * @param masker the masker to apply, normally {@link SecretMasker#global()}
   * @return the request id, or {@code null} when {@code raw} is null or nothing is left
   */
  public static @Nullable String sanitizeRequestId(@Nullable String raw, SecretMasker masker) {
    if (raw == null) {
      return null;
    }
    String s = masker.mask(withoutControls(raw, Integer.MAX_VALUE)).strip();
    if (s.length() > REQUEST_ID_MAX_LENGTH) {
      int end = REQUEST_ID_MAX_LENGTH;
      if (Character.isHighSurrogate(s.charAt(end - 1))) {
        end--;
      }
      s = s.substring(0, end).strip();
    }
    return s.isEmpty() ? null : s;
  }

  /**
   * A new request id: a random (version 4) UUID in its 36-character RFC 9562 form, from a
   * non-blocking source ({@link ThreadLocalRandom}; request ids are not secrets).
   *
   * @return the id
   */
  public static String newRequestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L; // version 4
    long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L; // IETF variant
    return new UUID(msb, lsb).toString();
  }

  /**
   * Reads a header value that a server decoded one byte per character (ISO-8859-1, as RFC 9110
   * section 5.5 allows and the JDK server and Tomcat do) as UTF-8 when its bytes are valid UTF-8, so
   * a tenant sent as a header and the same tenant sent as (percent-decoded UTF-8) baggage are one
   * spelling. Values with characters above U+00FF (already decoded) and values whose bytes are not
   * UTF-8 are returned unchanged.
   *
   * @param value the header value as the server gave it, or {@code null}
   * @return the value read as UTF-8, or {@code value}
   */
  public static @Nullable String headerValueAsUtf8(@Nullable String value) {
    if (value == null) {
      return null;
    }
    int n = value.length();
    boolean high = false;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c > 0xFF) {
        return value;
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

  /**
   * Whether {@code name} can name an HTTP header: an RFC 9110 section 5.1 field name, which is a
   * token (section 5.6.2).
   *
   * @param name the configured name, or {@code null}
   * @return true when it is a token
   */
  public static boolean isHeaderName(@Nullable String name) {
    return name != null && TOKEN.matcher(name).matches();
  }

  private static String withoutControls(String raw, int cap) {
    StringBuilder out = null;
    int len = raw.length();
    for (int i = 0; i < len; i++) {
      char c = raw.charAt(i);
      boolean drop = Character.isISOControl(c) || Character.getType(c) == Character.FORMAT;
      if (drop && out == null) {
        out = new StringBuilder(len).append(raw, 0, i);
      } else if (!drop && out != null) {
        out.append(c);
      }
      if (out != null && out.length() >= cap) {
        break;
      }
    }
    String s = out == null ? raw : out.toString();
    return s.length() > cap ? s.substring(0, cap) : s;
  }
}
