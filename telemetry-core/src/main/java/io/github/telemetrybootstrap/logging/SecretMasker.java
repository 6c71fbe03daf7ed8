package io.github.telemetrybootstrap.logging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds and masks secrets in log data: values of secret keys, and recognisable secrets in free text.
 *
 * <p><b>Secret keys.</b> A key is secret when, compared case-insensitively and ignoring {@code -},
 * {@code _}, {@code .} and spaces, it equals or ends with one of: {@code password passwd pwd passphrase
 * secret token access_token refresh_token id_token api_key apikey authorization proxy-authorization
 * cookie set-cookie client_secret private_key secret_key secret_access_key credentials}, or one of the
 * extra keys given (setting {@code telemetry.logging.mask-keys}). So {@code Password}, {@code API-Key},
 * {@code db.password} and {@code X-Api-Key} are secret; {@code tokens} and {@code key} are not.
 *
 * <p><b>Secrets in text</b> ({@link #mask(String)}), each replaced by {@value #MASK}:
 * <ul>
 *   <li>{@code key=value}, {@code key: value}, {@code "key":"value"} whose key is secret (the value up
 *       to the closing quote, or up to whitespace or one of <code>, ; &amp; } ] ) &lt; &gt;</code>; an authorization
 *       scheme such as {@code Bearer} is masked together with its credentials);</li>
 *   <li>{@code Bearer <token>} and {@code Basic <credentials>} (RFC 6750 / RFC 7617 credentials of at
 *       least 8 characters that contain a digit, a symbol or an inner capital, so prose such as
 *       "Bearer authentication" is left alone);</li>
 *   <li>JWTs (RFC 7519 compact form: {@code eyJ} then three base64url segments separated by dots);</li>
 *   <li>payment card numbers: 13 to 19 digits, optionally grouped by single spaces or dashes, starting
 *       with 2 to 6 (the ISO/IEC 7812 major industry identifiers of the card networks) and passing the
 *       Luhn check (ISO/IEC 7812-1 annex B). Numbers that fail Luhn, epoch milliseconds (they start with
 *       1) and digit runs inside words or hex strings are not touched.</li>
 * </ul>
 *
 * <p>The scan is a single pass without regular expressions or allocation; a string without secrets is
 * returned as the same instance. Instances are immutable and thread-safe. Nothing here throws on any
 * input.
 */
public final class SecretMasker {
  /** What a secret is replaced with. */
  public static final String MASK = "****";

  /** The built-in secret keys, as written in the documentation (normalised before use). */
  public static final List<String> DEFAULT_KEYS =
      List.of(
          "password", "passwd", "pwd", "passphrase", "secret", "token", "access_token",
          "refresh_token", "id_token", "api_key", "apikey", "api-key", "authorization",
          "proxy-authorization", "cookie", "set-cookie", "client_secret", "private_key",
          "secret_key", "secret_access_key", "credentials");

  private static final String[] AUTH_SCHEMES = {"bearer", "basic"};
  private static final String[] KEY_VALUE_SCHEMES = {"bearer", "basic", "digest", "negotiate", "token"};
  private static final int MAX_KEY_LOOKBACK = 64;
  private static final int MIN_TOKEN_LENGTH = 8;

  private static final SecretMasker DEFAULTS = new SecretMasker(normalise(DEFAULT_KEYS));
  private static volatile SecretMasker global = DEFAULTS;

  /** Normalised keys (lower case, separators removed), deduplicated, none empty. */
  private final String[] keys;
  /** The keys by their last character, for ASCII last characters; most names are rejected by it. */
  private final String[][] byLastChar = new String[128][];
  /** Keys whose last character is not ASCII. */
  private final String[] nonAsciiLast;

  private SecretMasker(String[] keys) {
    this.keys = keys;
    List<String> other = new ArrayList<>();
    for (String k : keys) {
      char last = k.charAt(k.length() - 1);
      if (last < 128) {
        String[] bucket = byLastChar[last];
        bucket = bucket == null ? new String[1] : java.util.Arrays.copyOf(bucket, bucket.length + 1);
        bucket[bucket.length - 1] = k;
        byLastChar[last] = bucket;
      } else {
        other.add(k);
      }
    }
    this.nonAsciiLast = other.toArray(new String[0]);
  }

  /**
   * The masker with the built-in keys only.
   *
   * @return the default masker
   */
  public static SecretMasker defaults() {
    return DEFAULTS;
  }

  /**
   * The masker every {@link TelemetryJsonEncoder} uses as its base: the built-in keys plus those set by
   * {@link #setGlobalExtraKeys(Collection)}.
   *
   * @return the global masker
   */
  public static SecretMasker global() {
    return global;
  }

  /**
   * Sets the extra keys of the {@link #global()} masker (the bootstrap passes
   * {@code telemetry.logging.mask-keys}). Replaces extra keys set before.
   *
   * @param extraKeys keys to mask in addition to the built-in ones; blank entries are ignored
   */
  public static void setGlobalExtraKeys(Collection<String> extraKeys) {
    global = DEFAULTS.withExtraKeys(extraKeys);
  }

  /**
   * A masker with this one's keys plus {@code extraKeys}.
   *
   * @param extraKeys additional secret keys, any case and separator style; blank entries are ignored
   * @return a new masker, or this one when nothing is added
   */
  public SecretMasker withExtraKeys(Collection<String> extraKeys) {
    if (extraKeys.isEmpty()) {
      return this;
    }
    Set<String> all = new LinkedHashSet<>(List.of(keys));
    all.addAll(List.of(normalise(extraKeys)));
    return all.size() == keys.length ? this : new SecretMasker(all.toArray(new String[0]));
  }

  /**
   * Whether values under {@code key} must be masked (see the class documentation for the rule).
   *
   * @param key a field, MDC or argument name; {@code null} is not secret
   * @return whether the key is secret
   */
  public boolean isSecretKey(@Nullable CharSequence key) {
    return key != null && isSecretKey(key, 0, key.length());
  }

  private boolean isSecretKey(CharSequence s, int start, int end) {
    int i = end - 1;
    while (i >= start && isIgnoredInKey(s.charAt(i))) {
      i--;
    }
    if (i < start) {
      return false;
    }
    char last = lower(s.charAt(i));
    String[] candidates = last < 128 ? byLastChar[last] : nonAsciiLast;
    if (candidates == null) {
      return false;
    }
    for (String k : candidates) {
      if (endsWithNormalised(s, start, i + 1, k)) {
        return true;
      }
    }
    return false;
  }

  private static boolean endsWithNormalised(CharSequence s, int start, int end, String key) {
    int i = end - 1;
    int j = key.length() - 1;
    while (j >= 0) {
      if (i < start) {
        return false;
      }
      char c = s.charAt(i--);
      if (isIgnoredInKey(c)) {
        continue;
      }
      if (lower(c) != key.charAt(j--)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Masks the secrets recognisable in free text (see the class documentation).
   *
   * @param text message, exception message, stack trace or any other string; {@code null} gives
   *     {@code null}
   * @return the text with each secret replaced by {@value #MASK}; the same instance when nothing was
   *     found
   */
  public @Nullable String mask(@Nullable String text) {
    if (text == null) {
      return null;
    }
    int n = text.length();
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      long span = -1; // (start << 32) | end of a region to mask, -1 when none
      int next = i + 1;
      if (c == '=' || c == ':') {
        span = keyValueSecret(text, i, copied);
      } else if ((c == 'B' || c == 'b') && !isLetterOrDigit(text, i - 1)) {
        span = authSchemeToken(text, i);
      } else if (c == 'e' && i + 2 < n && text.charAt(i + 1) == 'y' && text.charAt(i + 2) == 'J'
          && !isBase64Url(text, i - 1)) {
        span = jwt(text, i);
      } else if (c >= '0' && c <= '9' && !isLetterOrDigit(text, i - 1) && !isDecimalFraction(text, i)) {
        long card = card(text, i);
        span = card < 0 ? -1 : card;
        next = card < -1 ? (int) -card : next; // skip the whole digit run when it was no card
      }
      if (span >= 0) {
        int start = (int) (span >>> 32);
        int end = (int) span;
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(text, copied, start).append(MASK);
        copied = end;
        next = Math.max(end, i + 1);
      }
      i = next;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, n).toString();
  }

  // ---- key=value -------------------------------------------------------------------------------

  private long keyValueSecret(String s, int sep, int floor) {
    int k = sep - 1;
    while (k >= floor && s.charAt(k) == ' ') {
      k--;
    }
    if (k >= floor && (s.charAt(k) == '"' || s.charAt(k) == '\'')) {
      k--;
    }
    int keyEnd = k + 1;
    while (k >= floor && keyEnd - k <= MAX_KEY_LOOKBACK && isKeyChar(s.charAt(k))) {
      k--;
    }
    int keyStart = k + 1;
    if (keyStart >= keyEnd || !isSecretKey(s, keyStart, keyEnd)) {
      return -1;
    }
    int n = s.length();
    int v = sep + 1;
    if (v < n && s.charAt(v) == s.charAt(sep)) {
      return -1; // "::" or "==" is an operator, not an assignment
    }
    while (v < n && (s.charAt(v) == ' ' || s.charAt(v) == '\t')) {
      v++;
    }
    if (v >= n) {
      return -1;
    }
    char q = s.charAt(v);
    if (q == '"' || q == '\'') {
      int end = v + 1;
      while (end < n && s.charAt(end) != q) {
        end += s.charAt(end) == '\\' ? 2 : 1;
      }
      end = Math.min(end, n);
      return end > v + 1 ? span(v + 1, end) : -1;
    }
    int end = unquotedValueEnd(s, v);
    if (end == v) {
      return -1;
    }
    if (end < n && s.charAt(end) == ' ' && equalsAnyIgnoreCase(s, v, end, KEY_VALUE_SCHEMES)) {
      int t = end;
      while (t < n && s.charAt(t) == ' ') {
        t++;
      }
      int credEnd = unquotedValueEnd(s, t);
      if (credEnd > t) {
        end = credEnd;
      }
    }
    return span(v, end);
  }

  private static int unquotedValueEnd(String s, int from) {
    int n = s.length();
    int e = from;
    while (e < n) {
      char c = s.charAt(e);
      if (Character.isWhitespace(c) || c == ',' || c == ';' || c == '&' || c == '}' || c == ']'
          || c == ')' || c == '"' || c == '\'' || c == '<' || c == '>') {
        break;
      }
      e++;
    }
    return e;
  }

  // ---- Bearer / Basic ----------------------------------------------------------------------------

  private static long authSchemeToken(String s, int i) {
    int n = s.length();
    for (String scheme : AUTH_SCHEMES) {
      int len = scheme.length();
      if (s.regionMatches(true, i, scheme, 0, len) && i + len < n
          && (s.charAt(i + len) == ' ' || s.charAt(i + len) == '\t')) {
        int t = i + len;
        while (t < n && (s.charAt(t) == ' ' || s.charAt(t) == '\t')) {
          t++;
        }
        int e = t;
        while (e < n && isTokenChar(s.charAt(e))) {
          e++;
        }
        while (e < n && s.charAt(e) == '=') {
          e++;
        }
        while (e > t && (s.charAt(e - 1) == '.' || s.charAt(e - 1) == ',')) {
          e--; // sentence punctuation, not part of the token
        }
        return looksLikeCredential(s, t, e) ? span(t, e) : -1;
      }
    }
    return -1;
  }

  private static boolean looksLikeCredential(String s, int start, int end) {
    if (end - start < MIN_TOKEN_LENGTH) {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if ((c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' || c == '+'
          || c == '/' || c == '=' || (i > start && c >= 'A' && c <= 'Z')) {
        return true;
      }
    }
    return false;
  }

  // ---- JWT ---------------------------------------------------------------------------------------

  private static long jwt(String s, int i) {
    int n = s.length();
    int e = i;
    for (int segment = 0; segment < 3; segment++) {
      int start = e;
      while (e < n && isBase64Url(s.charAt(e))) {
        e++;
      }
      if (segment < 2) {
        if (e == start || e >= n || s.charAt(e) != '.') {
          return -1;
        }
        e++; // the dot
      }
    }
    return span(i, e);
  }

  // ---- payment cards -----------------------------------------------------------------------------

  /**
   * Returns the span of a card number starting at {@code i}; otherwise {@code -1} when nothing needs
   * skipping, or {@code -(end of the digit run)} so the caller skips the run.
   */
  private static long card(String s, int i) {
    int n = s.length();
    // First pass, allocation-free: the maximal run of digits separated by single spaces or dashes.
    int digits = 0;
    int groups = 0;
    int e = i;
    while (true) {
      int gs = e;
      while (e < n && s.charAt(e) >= '0' && s.charAt(e) <= '9') {
        e++;
      }
      digits += e - gs;
      groups++;
      if (e + 1 < n && (s.charAt(e) == ' ' || s.charAt(e) == '-')
          && s.charAt(e + 1) >= '0' && s.charAt(e + 1) <= '9') {
        e++;
      } else {
        break;
      }
    }
    if (digits < 13) {
      return -e;
    }
    if (groups == 1) {
      boolean boundaryAfter = !isLetterOrDigit(s, e) && !isDecimalPoint(s, e);
      return boundaryAfter && isCard(s, i, e) ? span(i, e) : -e;
    }
    if (groups > 24) {
      return -e;
    }
    int[] groupStart = new int[groups];
    int[] groupEnd = new int[groups];
    int g = 0;
    for (int p = i; p < e; ) {
      groupStart[g] = p;
      while (p < e && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
        p++;
      }
      groupEnd[g++] = p;
      p++; // the separator
    }
    boolean boundaryAfter = !isLetterOrDigit(s, e) && !isDecimalPoint(s, e);
    // An ungrouped number is a card on its own ("order 42 4111111111111111")...
    for (int a = 0; a < groups; a++) {
      if ((a < groups - 1 || boundaryAfter) && isCard(s, groupStart[a], groupEnd[a])) {
        return span(groupStart[a], groupEnd[a]);
      }
    }
    // ...otherwise the longest group-aligned sub-run, starting from the left.
    for (int a = 0; a < groups; a++) {
      for (int b = groups - 1; b >= a; b--) {
        if (b == groups - 1 && !boundaryAfter) {
          continue;
        }
        if (isCard(s, groupStart[a], groupEnd[b])) {
          return span(groupStart[a], groupEnd[b]);
        }
      }
    }
    return -e;
  }

  /** Whether the digits in {@code [start, end)} (separators ignored) form a card number. */
  static boolean isCard(CharSequence s, int start, int end) {
    if (end - start < 13) {
      return false;
    }
    int count = 0;
    char first = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (count == 0) {
          first = c;
        }
        count++;
      }
    }
    if (count < 13 || count > 19 || first < '2' || first > '6') {
      return false;
    }
    return luhn(s, start, end);
  }

  /** The Luhn (mod 10) check over the digits in {@code [start, end)}, separators ignored. */
  static boolean luhn(CharSequence s, int start, int end) {
    int sum = 0;
    boolean doubled = false;
    for (int i = end - 1; i >= start; i--) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static long span(int start, int end) {
    return ((long) start << 32) | end;
  }

  private static boolean isDecimalFraction(String s, int i) {
    return i >= 2 && s.charAt(i - 1) == '.' && Character.isDigit(s.charAt(i - 2));
  }

  private static boolean isDecimalPoint(String s, int e) {
    return e + 1 < s.length() && s.charAt(e) == '.' && Character.isDigit(s.charAt(e + 1));
  }

  private static boolean isLetterOrDigit(String s, int i) {
    return i >= 0 && i < s.length() && Character.isLetterOrDigit(s.charAt(i));
  }

  private static boolean isBase64Url(String s, int i) {
    return i >= 0 && i < s.length() && isBase64Url(s.charAt(i));
  }

  private static boolean isBase64Url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_';
  }

  private static boolean isTokenChar(char c) {
    return isBase64Url(c) || c == '.' || c == '~' || c == '+' || c == '/';
  }

  private static boolean isKeyChar(char c) {
    return isBase64Url(c) || c == '.';
  }

  private static boolean isIgnoredInKey(char c) {
    return c == '-' || c == '_' || c == '.' || c == ' ';
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : Character.toLowerCase(c);
  }

  private static boolean equalsAnyIgnoreCase(String s, int start, int end, String[] words) {
    for (String w : words) {
      if (w.length() == end - start && s.regionMatches(true, start, w, 0, w.length())) {
        return true;
      }
    }
    return false;
  }

  private static String[] normalise(Collection<String> raw) {
    List<String> out = new ArrayList<>();
    for (String k : raw) {
      if (k == null) {
        continue;
      }
      StringBuilder b = new StringBuilder(k.length());
      for (int i = 0; i < k.length(); i++) {
        char c = k.charAt(i);
        if (!isIgnoredInKey(c) && !Character.isWhitespace(c)) {
          b.append(c);
        }
      }
      String norm = b.toString().toLowerCase(Locale.ROOT);
      if (!norm.isEmpty() && !out.contains(norm)) {
        out.add(norm);
      }
    }
    return out.toArray(new String[0]);
  }
}
