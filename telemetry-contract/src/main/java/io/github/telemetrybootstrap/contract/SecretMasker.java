package io.github.telemetrybootstrap.contract;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 *       1), digit runs inside words or hex strings and the digits of a UUID (RFC 9562 8-4-4-4-12 form)
 *       are not touched. The testkit's {@code lint-logs} applies the same rule;</li>
 *   <li>multi-word values: after {@code password=} (or {@code :}) an unquoted value runs over further
 *       words up to a delimiter (<code>, ; &amp; } ] ) &lt; &gt;</code>, a quote, a line break) or the
 *       next {@code key=} / {@code key:}, so {@code password=correct horse battery staple} is masked
 *       whole;</li>
 *   <li>prose: a secret key followed by {@code is}, {@code was} or {@code are} and a word, as in
 *       "my password is hunter2" (the word is masked unless it is a common state word such as
 *       {@code invalid}, {@code expired} or {@code missing});</li>
 *   <li>XML elements named like a secret key: {@code <password>s3cr3t</password>}, also with
 *       attributes or a namespace prefix;</li>
 *   <li>credentials in URLs (RFC 3986 userinfo): the password of {@code scheme://user:password@host};</li>
 *   <li>PEM private key blocks ({@code -----BEGIN ... PRIVATE KEY-----} through the matching
 *       {@code -----END ...-----}, RFC 7468), also when the end is missing;</li>
 *   <li>tokens recognisable by their issuer's prefix, as documented by the issuers: AWS access key
 *       ids ({@code AKIA}, {@code ASIA}, ... plus 16 upper-case letters or digits), Google API keys
 *       ({@code AIza} plus 35), GitHub tokens ({@code ghp_ gho_ ghu_ ghs_ ghr_} plus 36,
 *       {@code github_pat_}), GitLab ({@code glpat-}), npm ({@code npm_} plus 36), PyPI
 *       ({@code pypi-AgEIcHlwaS5vcmc}), Slack ({@code xoxb- xoxp- xoxa- xoxr- xoxs- xoxe- xapp-} and
 *       {@code hooks.slack.com/services/} webhook paths), Stripe secret and restricted keys
 *       ({@code sk_live_ sk_test_ rk_live_ rk_test_}), SendGrid ({@code SG.} plus two segments) and
 *       Mailgun ({@code key-} plus 32 hex digits);</li>
 *   <li>optionally (PII, off by default, {@code telemetry.logging.mask-emails}): e-mail addresses;</li>
 *   <li>optionally, matches of one extra regular expression ({@code telemetry.logging.mask-pattern});
 *       when it has a capturing group, only the first group is masked.</li>
 * </ul>
 *
 * <p>The scan is a single pass without regular expressions (an extra pattern adds one regex pass)
 * and without allocation while nothing is found; a string without secrets is returned as the same
 * instance. Instances are immutable and thread-safe. Nothing here throws on any input.
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
          "secret_key", "secret_access_key", "credentials", "accountkey", "sharedaccesskey",
          "session_token", "security_token", "x-amz-security-token", "connection_string");

  private static final String[] AUTH_SCHEMES = {"bearer", "basic"};
  private static final int MAX_KEY_LOOKBACK = 64;
  private static final int MIN_TOKEN_LENGTH = 8;

  private static final SecretMasker DEFAULTS = new SecretMasker(normalise(DEFAULT_KEYS), false, null);
  private static volatile SecretMasker global = DEFAULTS;

  /** Normalised keys (lower case, separators removed), deduplicated, none empty. */
  private final String[] keys;
  /** The keys by their last character, for ASCII last characters; most names are rejected by it. */
  private final String[][] byLastChar = new String[128][];
  /** Keys whose last character is not ASCII. */
  private final String[] nonAsciiLast;
  private final boolean maskEmails;
  private final @Nullable Pattern extraPattern;

  private SecretMasker(String[] keys, boolean maskEmails, @Nullable Pattern extraPattern) {
    this.keys = keys;
    this.maskEmails = maskEmails;
    this.extraPattern = extraPattern;
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
   * The masker with the built-in rules only (no e-mail masking, no extra pattern).
   *
   * @return the default masker
   */
  public static SecretMasker defaults() {
    return DEFAULTS;
  }

  /**
   * The masker every runtime integration (the core JSON encoder, the Spring and Quarkus log
   * formatters) uses as its base, and the one the library applies to its own lines, to tenants and to
   * span attributes: the built-in rules plus what {@link #setGlobal} set.
   *
   * @return the global masker
   */
  public static SecretMasker global() {
    return global;
  }

  /**
   * Sets the extra keys of the {@link #global()} masker (the bootstrap passes
   * {@code telemetry.logging.mask-keys}). Replaces extra keys set before and keeps the other options.
   *
   * @param extraKeys keys to mask in addition to the built-in ones; blank entries are ignored
   */
  public static void setGlobalExtraKeys(Collection<String> extraKeys) {
    SecretMasker g = global;
    global = new SecretMasker(DEFAULTS.withExtraKeys(extraKeys).keys, g.maskEmails, g.extraPattern);
  }

  /**
   * Configures the {@link #global()} masker (the bootstrap passes {@code telemetry.logging.mask-keys},
   * {@code telemetry.logging.mask-emails} and {@code telemetry.logging.mask-pattern}).
   *
   * @param extraKeys keys to mask in addition to the built-in ones; blank entries are ignored
   * @param maskEmails whether e-mail addresses (PII) are masked
   * @param extraPattern one more regular expression whose matches (or first group) are masked, or
   *     {@code null}
   */
  public static void setGlobal(
      Collection<String> extraKeys, boolean maskEmails, @Nullable Pattern extraPattern) {
    global = DEFAULTS.withExtraKeys(extraKeys).withEmailMasking(maskEmails).withExtraPattern(extraPattern);
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
    return all.size() == keys.length
        ? this
        : new SecretMasker(all.toArray(new String[0]), maskEmails, extraPattern);
  }

  /**
   * A masker that also masks e-mail addresses ({@code local@domain.tld}, RFC 5322 dot-atom form), or
   * stops doing so.
   *
   * @param mask whether to mask e-mail addresses
   * @return a masker with that option, this one when unchanged
   */
  public SecretMasker withEmailMasking(boolean mask) {
    return mask == maskEmails ? this : new SecretMasker(keys, mask, extraPattern);
  }

  /**
   * A masker that also masks every match of {@code pattern} (only the first capturing group when the
   * pattern has one).
   *
   * @param pattern the extra pattern, or {@code null} for none
   * @return a masker with that pattern
   */
  public SecretMasker withExtraPattern(@Nullable Pattern pattern) {
    return pattern == extraPattern ? this : new SecretMasker(keys, maskEmails, pattern);
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
    String out = scan(text);
    Pattern extra = extraPattern;
    return extra == null ? out : maskPattern(out, extra);
  }

  private String scan(String text) {
    int n = text.length();
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      long span = -1; // (start << 32) | end of a region to mask, -1 when none
      int next = i + 1;
      switch (c) {
        case '=':
          span = keyValueSecret(text, i, copied);
          break;
        case ':':
          span = i + 2 < n && text.charAt(i + 1) == '/' && text.charAt(i + 2) == '/'
              ? urlUserinfo(text, i + 3)
              : keyValueSecret(text, i, copied);
          break;
        case '>':
          span = xmlElementSecret(text, i, copied);
          break;
        case ' ':
          span = proseSecret(text, i, copied);
          break;
        case '-':
          span = pemPrivateKey(text, i);
          break;
        case '@':
          span = maskEmails ? email(text, i, copied) : -1;
          break;
        default:
          if (c >= '0' && c <= '9') {
            if (!isLetterOrDigit(text, i - 1) && !isDecimalFraction(text, i)) {
              long card = card(text, i);
              span = card < 0 ? -1 : card;
              next = card < -1 ? (int) -card : next; // skip the whole digit run when it was no card
            }
          } else if (c >= 'A' && !isTokenCharOrDash(text, i - 1)) {
            if ((c == 'B' || c == 'b')) {
              span = authSchemeToken(text, i);
            } else if (c == 'e' && i + 2 < n && text.charAt(i + 1) == 'y' && text.charAt(i + 2) == 'J') {
              span = jwt(text, i);
            } else {
              span = prefixedToken(text, i);
            }
          }
          if (span < 0 && isAsciiLetterOrDigit(c)) {
            // The rest of an alphanumeric run starts nothing: every rule above needs a
            // non-alphanumeric character (or the start) before the first character it looks at.
            while (next < n && isAsciiLetterOrDigit(text.charAt(next))) {
              next++;
            }
          }
      }
      if (span >= 0) {
        int start = (int) (span >>> 32);
        int end = (int) span;
        if (start < copied) {
          start = copied;
        }
        if (end > start) {
          if (out == null) {
            out = new StringBuilder(n);
          }
          out.append(text, copied, start).append(MASK);
          copied = end;
          next = Math.max(end, i + 1);
        }
      }
      i = next;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, n).toString();
  }

  private static String maskPattern(String text, Pattern pattern) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    do {
      int start = m.groupCount() > 0 && m.start(1) >= 0 ? m.start(1) : m.start();
      int end = m.groupCount() > 0 && m.start(1) >= 0 ? m.end(1) : m.end();
      if (end > start && start >= copied) {
        out.append(text, copied, start).append(MASK);
        copied = end;
      }
    } while (m.find());
    return out.append(text, copied, text.length()).toString();
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
    return span(v, multiWordEnd(s, end));
  }

  /**
   * Extends an unquoted value that ends at {@code end} over the following space-separated words, up
   * to a delimiter, a line break or a word that is itself a {@code key=} / {@code key:}.
   */
  private static int multiWordEnd(String s, int end) {
    int n = s.length();
    while (end < n && s.charAt(end) == ' ') {
      int t = end;
      while (t < n && s.charAt(t) == ' ') {
        t++;
      }
      int w = unquotedValueEnd(s, t);
      if (w == t) {
        break;
      }
      for (int k = t; k < w; k++) {
        char c = s.charAt(k);
        if ((c == '=' || c == ':') && k > t) {
          return end; // the next word is another key
        }
        if (!isKeyChar(c)) {
          break;
        }
      }
      end = w;
    }
    return end;
  }

  // ---- prose: "password is x" ------------------------------------------------------------------

  private static final Set<String> PROSE_STATES =
      Set.of(
          "a", "an", "the", "not", "now", "still", "being", "too", "set", "unset", "null", "none",
          "empty", "blank", "missing", "required", "invalid", "valid", "incorrect", "correct", "wrong",
          "expired", "revoked", "weak", "strong", "reset", "changed", "updated", "present", "absent",
          "ok", "fine", "masked", "redacted", "hidden", "unknown", "about", "due", "going");

  /**
   * Where the value after the verb {@code is}, {@code was} or {@code are} and one space starting at
   * {@code at} begins (ASCII, any case), or -1; asked at every space, so compared by hand.
   */
  private static int proseVerbEnd(String s, int at) {
    int n = s.length();
    if (at + 2 >= n) {
      return -1;
    }
    char c0 = (char) (s.charAt(at) | 0x20);
    char c1 = (char) (s.charAt(at + 1) | 0x20);
    if (c0 == 'i') {
      return c1 == 's' && s.charAt(at + 2) == ' ' ? at + 3 : -1;
    }
    if (at + 3 >= n || s.charAt(at + 3) != ' ') {
      return -1;
    }
    char c2 = (char) (s.charAt(at + 2) | 0x20);
    if (c0 == 'w') {
      return c1 == 'a' && c2 == 's' ? at + 4 : -1;
    }
    return c0 == 'a' && c1 == 'r' && c2 == 'e' ? at + 4 : -1;
  }

  private long proseSecret(String s, int space, int floor) {
    int n = s.length();
    if (space + 4 >= n) {
      return -1;
    }
    int v = proseVerbEnd(s, space + 1);
    if (v < 0 || v >= n) {
      return -1;
    }
    int keyEnd = space;
    int k = keyEnd - 1;
    while (k >= floor && keyEnd - k <= MAX_KEY_LOOKBACK && isKeyChar(s.charAt(k))) {
      k--;
    }
    if (k + 1 >= keyEnd || !isSecretKey(s, k + 1, keyEnd)) {
      return -1;
    }
    while (v < n && s.charAt(v) == ' ') {
      v++;
    }
    char q = v < n ? s.charAt(v) : 0;
    int start = q == '"' || q == '\'' ? v + 1 : v;
    boolean quoted = start > v;
    int end = start;
    while (end < n) {
      char ch = s.charAt(end);
      if (quoted ? ch == q : Character.isWhitespace(ch) || ch == ',' || ch == ';') {
        break;
      }
      end++;
    }
    while (end > start && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == '!' || s.charAt(end - 1) == ')')) {
      end--;
    }
    if (end <= start || PROSE_STATES.contains(s.substring(start, end).toLowerCase(Locale.ROOT))) {
      return -1;
    }
    return span(start, end);
  }

  // ---- <password>x</password> ------------------------------------------------------------------

  private long xmlElementSecret(String s, int gt, int floor) {
    // Find the element's '<' and its name: <name ...> or <ns:name ...>; not a closing or empty tag.
    if (gt == 0 || s.charAt(gt - 1) == '/') {
      return -1;
    }
    int lt = gt - 1;
    while (lt >= floor && gt - lt <= 256 && s.charAt(lt) != '<' && s.charAt(lt) != '>') {
      lt--;
    }
    if (lt < floor || s.charAt(lt) != '<' || lt + 1 >= gt || s.charAt(lt + 1) == '/') {
      return -1;
    }
    int nameStart = lt + 1;
    int nameEnd = nameStart;
    while (nameEnd < gt && (isKeyChar(s.charAt(nameEnd)) || s.charAt(nameEnd) == ':')) {
      nameEnd++;
    }
    int colon = s.lastIndexOf(':', nameEnd - 1);
    if (colon >= nameStart) {
      nameStart = colon + 1;
    }
    if (nameEnd == nameStart || !isSecretKey(s, nameStart, nameEnd)) {
      return -1;
    }
    int n = s.length();
    int end = gt + 1;
    while (end < n && s.charAt(end) != '<') {
      end++;
    }
    return end > gt + 1 ? span(gt + 1, end) : -1;
  }

  // ---- scheme://user:password@host -------------------------------------------------------------

  private static long urlUserinfo(String s, int authority) {
    int n = s.length();
    int colon = -1;
    for (int i = authority; i < n && i - authority < 512; i++) {
      char c = s.charAt(i);
      if (c == '@') {
        return colon >= authority && i > colon + 1 ? span(colon + 1, i) : -1;
      }
      if (c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>'
          || Character.isWhitespace(c)) {
        return -1;
      }
      if (c == ':' && colon < 0) {
        colon = i;
      }
    }
    return -1;
  }

  // ---- PEM private keys ------------------------------------------------------------------------

  private static final String PEM_BEGIN = "-----BEGIN ";
  private static final String PEM_END = "-----END ";

  private static long pemPrivateKey(String s, int i) {
    if (!s.startsWith(PEM_BEGIN, i)) {
      return -1;
    }
    int labelStart = i + PEM_BEGIN.length();
    int labelEnd = s.indexOf("-----", labelStart);
    if (labelEnd < 0 || labelEnd - labelStart > 64) {
      return -1;
    }
    if (!s.startsWith("PRIVATE KEY", labelEnd - "PRIVATE KEY".length())
        && !s.startsWith("PRIVATE KEY BLOCK", labelEnd - "PRIVATE KEY BLOCK".length())) {
      return -1;
    }
    int end = s.indexOf(PEM_END, labelEnd + 5);
    if (end < 0) {
      return span(i, s.length());
    }
    int close = s.indexOf("-----", end + PEM_END.length());
    return span(i, close < 0 ? s.length() : close + 5);
  }

  // ---- e-mail addresses (PII, optional) --------------------------------------------------------

  private static long email(String s, int at, int floor) {
    int start = at;
    while (start - 1 >= floor && isEmailLocalChar(s.charAt(start - 1))) {
      start--;
    }
    if (start == at || s.charAt(start) == '.') {
      return -1;
    }
    int n = s.length();
    int end = at + 1;
    while (end < n && (isLetterOrDigit(s, end) || s.charAt(end) == '-' || s.charAt(end) == '.')) {
      end++;
    }
    while (end > at + 1 && s.charAt(end - 1) == '.') {
      end--;
    }
    int lastDot = s.lastIndexOf('.', end - 1);
    if (lastDot <= at) {
      lastDot = -1;
    }
    if (lastDot < 0 || lastDot >= end - 1 || lastDot == at + 1) {
      return -1;
    }
    return span(start, end);
  }

  private static boolean isEmailLocalChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
        || c == '_' || c == '%' || c == '+' || c == '-';
  }

  // ---- tokens with an issuer prefix --------------------------------------------------------------

  /** {prefix, minimum length of the rest, character class of the rest}: A upper+digit, W base64url, L lower-case letters and digits, D base64url and dots. */
  private static final String[][] PREFIXES = {
    {"AKIA", "16", "A"}, {"ASIA", "16", "A"}, {"AGPA", "16", "A"}, {"AIDA", "16", "A"},
    {"AROA", "16", "A"}, {"ANPA", "16", "A"}, {"ANVA", "16", "A"}, {"AIPA", "16", "A"},
    {"ABIA", "16", "A"}, {"ACCA", "16", "A"}, {"AIza", "35", "W"},
    {"ghp_", "36", "W"}, {"gho_", "36", "W"}, {"ghu_", "36", "W"}, {"ghs_", "36", "W"},
    {"ghr_", "36", "W"}, {"github_pat_", "22", "W"}, {"glpat-", "20", "W"}, {"gldt-", "20", "W"},
    {"npm_", "36", "W"}, {"pypi-AgEIcHlwaS5vcmc", "20", "W"},
    {"xoxb-", "10", "W"}, {"xoxp-", "10", "W"}, {"xoxa-", "10", "W"}, {"xoxr-", "10", "W"},
    {"xoxs-", "10", "W"}, {"xoxe-", "10", "W"}, {"xapp-", "10", "W"},
    {"sk_live_", "16", "W"}, {"sk_test_", "16", "W"}, {"rk_live_", "16", "W"}, {"rk_test_", "16", "W"},
    {"whsec_", "24", "W"}, {"SG.", "40", "D"}, {"key-", "32", "L"},
    {"hooks.slack.com/services/", "20", "P"},
  };

  /** {@link #PREFIXES} by the first character of the prefix (ASCII), null when none starts so. */
  private static final String[][][] PREFIXES_BY_FIRST = new String[128][][];
  /** The minimum lengths of {@link #PREFIXES}, parsed once. */
  private static final java.util.Map<String, Integer> PREFIX_MIN = new java.util.HashMap<>();

  static {
    for (String[] p : PREFIXES) {
      char first = p[0].charAt(0);
      String[][] bucket = PREFIXES_BY_FIRST[first];
      bucket = bucket == null ? new String[1][] : java.util.Arrays.copyOf(bucket, bucket.length + 1);
      bucket[bucket.length - 1] = p;
      PREFIXES_BY_FIRST[first] = bucket;
      PREFIX_MIN.put(p[0], Integer.parseInt(p[1]));
    }
  }

  private static long prefixedToken(String s, int i) {
    char c = s.charAt(i);
    String[][] candidates = c < 128 ? PREFIXES_BY_FIRST[c] : null;
    if (candidates == null) {
      return -1;
    }
    int n = s.length();
    for (String[] p : candidates) {
      String prefix = p[0];
      if (!s.startsWith(prefix, i)) {
        continue;
      }
      int from = i + prefix.length();
      int e = from;
      char cls = p[2].charAt(0);
      while (e < n && inClass(s.charAt(e), cls)) {
        e++;
      }
      if (e - from < PREFIX_MIN.get(prefix)) {
        return -1;
      }
      if (e < n && isBase64Url(s.charAt(e)) && cls != 'W') {
        return -1; // longer than the format: an ordinary word
      }
      // Slack webhooks keep their host visible; the path is the secret.
      return cls == 'P' ? span(from, e) : span(i, e);
    }
    return -1;
  }

  private static boolean inClass(char c, char cls) {
    switch (cls) {
      case 'A':
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      case 'L':
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      case 'D':
        return isBase64Url(c) || c == '.';
      case 'P':
        return isBase64Url(c) || c == '/';
      default:
        return isBase64Url(c);
    }
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
    int uuidEnd = uuidEndAround(s, i);
    if (uuidEnd > 0) {
      return -uuidEnd;
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

  /** Offsets of the five groups of a UUID ({@code 8-4-4-4-12}) from its start. */
  private static final int[] UUID_GROUP_STARTS = {0, 9, 14, 19, 24};

  /**
   * The end of the UUID (RFC 9562 text form, 36 characters) one of whose groups starts at {@code i},
   * or {@code -1} when {@code i} starts no UUID group.
   */
  static int uuidEndAround(CharSequence s, int i) {
    for (int offset : UUID_GROUP_STARTS) {
      int start = i - offset;
      if (start >= 0 && isUuidAt(s, start)) {
        return start + 36;
      }
    }
    return -1;
  }

  private static boolean isUuidAt(CharSequence s, int start) {
    int n = s.length();
    if (start + 36 > n || (start > 0 && isHexOrWordChar(s.charAt(start - 1)))
        || (start + 36 < n && isHexOrWordChar(s.charAt(start + 36)))) {
      return false;
    }
    for (int k = 0; k < 36; k++) {
      char c = s.charAt(start + k);
      boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHexOrWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '-' || c == '_';
  }

  /**
   * Whether the digits in {@code [start, end)} form a payment card number by this class's card rule
   * (13 to 19 digits, first digit 2 to 6, Luhn check of ISO/IEC 7812-1 annex B); single spaces and
   * dashes between digits are ignored, token boundaries are not checked here.
   *
   * @param s the text
   * @param start first index, inclusive
   * @param end last index, exclusive
   * @return true when the digits form a card number
   */
  public static boolean isCard(CharSequence s, int start, int end) {
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

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isTokenCharOrDash(String s, int i) {
    return i >= 0 && isBase64Url(s.charAt(i));
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
