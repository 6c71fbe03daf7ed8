package io.github.telemetrybootstrap.testkit.logs;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Recognises secret-looking keys and values, and masks them for display. Written as plain character
 * scans so the hot path of {@code lint-logs} stays allocation-free; the regular expressions are used
 * only to mask lines already known to be bad.
 */
final class Secrets {
  /** The masked form of a secret, as the core writes it. */
  static final String MASK = "****";

  /**
   * Key names (lower case, with {@code _ - .} removed) whose values must be masked. A key matches
   * when its normalised form equals or ends with one of these, so {@code db_password},
   * {@code access_token} and {@code X-Api-Key} match but {@code tokens_used} does not.
   */
  static final Set<String> DEFAULT_KEYS = Set.of(
      "password", "passwd", "pwd", "secret", "token", "authorization", "apikey", "accesskey",
      "privatekey", "credential", "credentials", "cookie", "setcookie", "passphrase");

  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
  private static final Pattern BEARER =
      Pattern.compile("(?i)(bearer\\s+)(?!\\*{4})[A-Za-z0-9._~+/-]{8,}=*");
  private static final Pattern CARD = Pattern.compile("(?<![A-Za-z0-9])[0-9](?:[ -]?[0-9]){12,18}(?![A-Za-z0-9])");

  private final String[] keys;

  Secrets(Collection<String> extraKeys) {
    Set<String> all = new TreeSet<>(DEFAULT_KEYS);
    for (String k : extraKeys) {
      String n = normaliseKey(k);
      if (!n.isEmpty()) {
        all.add(n);
      }
    }
    keys = all.toArray(String[]::new);
  }

  /** Lower case, {@code _ - .} and spaces removed. */
  static String normaliseKey(String key) {
    StringBuilder sb = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '_' || c == '-' || c == '.' || c == ' ') {
        continue;
      }
      sb.append(Character.toLowerCase(c));
    }
    return sb.toString();
  }

  /**
   * Whether a key is named like a secret.
   *
   * @param key the JSON property name
   * @return true when its values must be masked
   */
  boolean isSecretKey(String key) {
    // Cheap pre-filter: every secret key name contains one of these letters sequences' first char.
    int len = key.length();
    if (len < 3) {
      return false;
    }
    String n = normaliseKey(key);
    for (String k : keys) {
      if (n.endsWith(k)) {
        return true;
      }
    }
    return false;
  }

  // Credential formats, each documented by its issuer. Each runs only when a plain indexOf finds its
  // literal part, so ordinary values cost a few vectorised scans.
  private static final Pattern CLOUD_KEY = Pattern.compile(
      "(?<![A-Za-z0-9_-])(?:(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}(?![A-Za-z0-9])|AIza[A-Za-z0-9_-]{35})");
  private static final Pattern VCS_TOKEN = Pattern.compile(
      "(?<![A-Za-z0-9_-])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_-]{20,})");
  private static final Pattern REGISTRY_TOKEN = Pattern.compile(
      "(?<![A-Za-z0-9_-])(?:npm_[A-Za-z0-9]{36}|pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{20,})");
  private static final Pattern CHAT_TOKEN = Pattern.compile(
      "(?<![A-Za-z0-9_-])(?:xox[abprse]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,})|hooks\\.slack\\.com/services/(?!\\*{4})[A-Za-z0-9/]{20,}");
  private static final Pattern PAYMENT_KEY = Pattern.compile(
      "(?<![A-Za-z0-9_-])(?:[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})");
  private static final Pattern MAIL_KEY = Pattern.compile(
      "(?<![A-Za-z0-9_-])(?:SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}|key-[0-9a-z]{32}(?![A-Za-z0-9]))");
  private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY");
  private static final Pattern URL_CREDENTIALS =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/?#\\s:@\"'<>]*:(?!\\*{4}@)[^/?#\\s@\"'<>]+@");
  /** A secret-named key with an unmasked value in text: {@code password=x}, {@code token: x}. */
  private static final Pattern TEXT_KEY_VALUE = Pattern.compile(
      "(?i)(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{0,40}?(?:password|passwd|passphrase|secret|api[_-]?key"
          + "|access[_-]?key|access[_-]?token|auth[_-]?token|private[_-]?key|account[_-]?key)[\"']?\\s*[=:]\\s*[\"']?(?!\\*{4})(?![\"'\\s,;&]|$)");
  private static final Pattern XML_SECRET = Pattern.compile(
      "(?i)<(?:[A-Za-z0-9_-]+:)?(password|passwd|secret|token|api[_-]?key|client[_-]?secret)(?:\\s[^>]*)?>(?!\\*{4}<)[^<]+</");

  /**
   * What kind of secret a string value looks like.
   *
   * @param s the decoded string value
   * @return {@code "bearer token"}, {@code "JWT"}, {@code "card number"}, {@code "cloud access key"},
   *     {@code "VCS token"}, {@code "package registry token"}, {@code "chat token"},
   *     {@code "payment API key"}, {@code "mail API key"}, {@code "private key"},
   *     {@code "password in a URL"}, {@code "secret key=value"}, {@code "secret XML element"}, or
   *     {@code null}
   */
  static @Nullable String secretKind(String s) {
    int len = s.length();
    if (len < 8) {
      return null;
    }
    if (s.indexOf("eyJ") >= 0 && JWT.matcher(s).find()) {
      return "JWT";
    }
    if (containsBearer(s) && BEARER.matcher(s).find()) {
      return "bearer token";
    }
    if (hasCardNumber(s)) {
      return "card number";
    }
    if ((s.indexOf("AKIA") >= 0 || s.indexOf("ASIA") >= 0 || s.indexOf("AIza") >= 0 || s.indexOf("AGPA") >= 0
        || s.indexOf("AIDA") >= 0 || s.indexOf("AROA") >= 0 || s.indexOf("ANPA") >= 0 || s.indexOf("ANVA") >= 0
        || s.indexOf("AIPA") >= 0) && CLOUD_KEY.matcher(s).find()) {
      return "cloud access key";
    }
    boolean underscore = s.indexOf('_') >= 0;
    boolean dash = s.indexOf('-') >= 0;
    if ((underscore || dash) && (s.indexOf("gh") >= 0 || s.indexOf("glpat-") >= 0) && VCS_TOKEN.matcher(s).find()) {
      return "VCS token";
    }
    if ((s.indexOf("npm_") >= 0 || s.indexOf("pypi-") >= 0) && REGISTRY_TOKEN.matcher(s).find()) {
      return "package registry token";
    }
    if ((s.indexOf("xox") >= 0 || s.indexOf("xapp-") >= 0 || s.indexOf("hooks.slack.com") >= 0)
        && CHAT_TOKEN.matcher(s).find()) {
      return "chat token";
    }
    if (underscore && (s.indexOf("k_live_") >= 0 || s.indexOf("k_test_") >= 0 || s.indexOf("whsec_") >= 0)
        && PAYMENT_KEY.matcher(s).find()) {
      return "payment API key";
    }
    if ((s.indexOf("SG.") >= 0 || s.indexOf("key-") >= 0) && MAIL_KEY.matcher(s).find()) {
      return "mail API key";
    }
    if (dash && s.indexOf("-----BEGIN ") >= 0 && PRIVATE_KEY.matcher(s).find()) {
      return "private key";
    }
    if (s.indexOf("://") >= 0 && s.indexOf('@') >= 0 && URL_CREDENTIALS.matcher(s).find()) {
      return "password in a URL";
    }
    if ((s.indexOf('=') >= 0 || s.indexOf(':') >= 0) && TEXT_KEY_VALUE.matcher(s).find()) {
      return "secret key=value";
    }
    if (s.indexOf('<') >= 0 && XML_SECRET.matcher(s).find()) {
      return "secret XML element";
    }
    return null;
  }

  private static boolean containsBearer(String s) {
    int n = s.length() - 6;
    for (int i = 0; i <= n; i++) {
      char c = s.charAt(i);
      if ((c == 'b' || c == 'B') && s.regionMatches(true, i, "bearer", 0, 6)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the string contains 13 to 19 digits, the first 2 to 6, optionally separated by single
   * spaces or dashes, not adjacent to other letters or digits, not part of a UUID or of a decimal number
   * ({@code 12.<digits>}, {@code <digits>.5}), passing the Luhn check (ISO/IEC 7812).
   */
  static boolean hasCardNumber(String s) {
    int len = s.length();
    int[] buf = null;
    int i = 0;
    while (i < len) {
      char c = s.charAt(i);
      if (!isDigit(c) || (i > 0 && isAlnum(s.charAt(i - 1)))) {
        i++;
        continue;
      }
      // collect a run of digits with single separators
      int digits = 0;
      int sum = 0;
      int j = i;
      int end = i;
      boolean tooLong = false;
      if (buf == null) {
        buf = new int[19];
      }
      while (j < len) {
        char d = s.charAt(j);
        if (isDigit(d)) {
          if (digits == 19) {
            tooLong = true;
            break;
          }
          buf[digits++] = d - '0';
          end = j + 1;
          j++;
        } else if ((d == ' ' || d == '-') && j + 1 < len && isDigit(s.charAt(j + 1)) && j > i) {
          j++;
        } else {
          break;
        }
      }
      // ISO/IEC 7812: the major industry identifiers of the card networks are 2..6; digits inside a
      // UUID (8-4-4-4-12 hex groups) are never a card. The same rule as the core's masker.
      // Digits of a decimal number (after "12." or before ".5") are a fraction or an integer part, not a
      // card: the core's masker leaves them too (a Jetty docbase "jetty-docbase.8080.<random long>/").
      boolean decimal = (i >= 2 && s.charAt(i - 1) == '.' && isDigit(s.charAt(i - 2)))
          || (end + 1 < len && s.charAt(end) == '.' && isDigit(s.charAt(end + 1)));
      if (!tooLong && !decimal && digits >= 13 && buf[0] >= 2 && buf[0] <= 6
          && (end >= len || !isAlnum(s.charAt(end))) && !insideUuid(s, i)) {
        for (int k = 0; k < digits; k++) {
          int v = buf[digits - 1 - k];
          if ((k & 1) == 1) {
            v *= 2;
            if (v > 9) {
              v -= 9;
            }
          }
          sum += v;
        }
        if (sum % 10 == 0) {
          return true;
        }
      }
      // skip past this run
      i = Math.max(end, i + 1);
      while (i < len && isAlnum(s.charAt(i))) {
        i++;
      }
    }
    return false;
  }

  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");

  /** Whether position {@code i} lies in a UUID that stands as its own token. */
  static boolean insideUuid(String s, int i) {
    int from = Math.max(0, i - 36);
    int to = Math.min(s.length(), i + 36);
    Matcher m = UUID_TEXT.matcher(s).region(from, to);
    while (m.find()) {
      boolean own = (m.start() == 0 || !isAlnum(s.charAt(m.start() - 1)))
          && (m.end() == s.length() || !isAlnum(s.charAt(m.end())));
      if (own && m.start() <= i && i < m.end()) {
        return true;
      }
    }
    return false;
  }

  /** Whether an integer literal (a JSON number's text) looks like a card number. */
  static boolean isCardNumberLiteral(String text) {
    int len = text.length();
    return len >= 13 && len <= 19 && hasCardNumber(text);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAlnum(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /**
   * Masks everything secret-looking in a raw line for display: values of secret keys, JWTs,
   * bearer tokens and card numbers become {@value #MASK}. Each regular expression runs only when a
   * plain scan finds a candidate, so a line without secrets costs little.
   *
   * @param line the raw line (JSON or not)
   * @param keys whether values of secret-named keys may be present and must be masked
   * @return the masked line
   */
  String mask(String line, boolean keys) {
    String out = keys ? maskKeys(line) : line;
    if (out.indexOf("eyJ") >= 0) {
      out = JWT.matcher(out).replaceAll(MASK);
    }
    if (containsBearer(out)) {
      out = BEARER.matcher(out).replaceAll("$1" + MASK);
    }
    if (hasCardNumber(out)) {
      Matcher m = CARD.matcher(out);
      StringBuilder sb = new StringBuilder(out.length());
      while (m.find()) {
        m.appendReplacement(sb, hasCardNumber(m.group()) ? MASK : Matcher.quoteReplacement(m.group()));
      }
      m.appendTail(sb);
      out = sb.toString();
    }
    for (Pattern token : new Pattern[] {CLOUD_KEY, VCS_TOKEN, REGISTRY_TOKEN, CHAT_TOKEN, PAYMENT_KEY, MAIL_KEY}) {
      out = token.matcher(out).replaceAll(MASK);
    }
    out = PRIVATE_KEY_BLOCK.matcher(out).replaceAll(MASK);
    out = URL_CREDENTIALS.matcher(out).replaceAll(MASK + "@");
    out = TEXT_KEY_VALUE_WITH_VALUE.matcher(out).replaceAll("$1" + MASK);
    out = XML_SECRET_WITH_VALUE.matcher(out).replaceAll("$1" + MASK + "</");
    return out;
  }

  private static final Pattern PRIVATE_KEY_BLOCK =
      Pattern.compile("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY[^\\\"]*(?:-----END [A-Z0-9 ]{0,40}-----)?");
  private static final Pattern TEXT_KEY_VALUE_WITH_VALUE = Pattern.compile(
      "(?i)((?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{0,40}?(?:password|passwd|passphrase|secret|api[_-]?key"
          + "|access[_-]?key|access[_-]?token|auth[_-]?token|private[_-]?key|account[_-]?key)\\s*[=:]\\s*)(?!\\*{4})[^\\s,;&\"'\\\\]+");
  private static final Pattern XML_SECRET_WITH_VALUE = Pattern.compile(
      "(?i)(<(?:[A-Za-z0-9_-]+:)?(?:password|passwd|secret|token|api[_-]?key|client[_-]?secret)(?:\\s[^>]*)?>)(?!\\*{4}<)[^<]+</");

  private static final Pattern KEY_VALUE = Pattern.compile(
      "\"([^\"\\\\]{0,200}+(?:\\\\.[^\"\\\\]{0,200}+){0,20}+)\"(\\s*:\\s*)"
          + "(\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"?|-?[0-9][0-9.eE+-]*+)");

  private String maskKeys(String line) {
    Matcher m = KEY_VALUE.matcher(line);
    StringBuilder sb = new StringBuilder(line.length());
    boolean any = false;
    while (m.find()) {
      if (isSecretKey(m.group(1))) {
        any = true;
        m.appendReplacement(sb, Matcher.quoteReplacement("\"" + m.group(1) + "\"" + m.group(2) + "\"" + MASK + "\""));
      } else {
        m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
      }
    }
    if (!any) {
      return line;
    }
    m.appendTail(sb);
    return sb.toString();
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
