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

  /**
   * What kind of secret a string value looks like.
   *
   * @param s the decoded string value
   * @return {@code "bearer token"}, {@code "JWT"}, {@code "card number"}, or {@code null}
   */
  static @Nullable String secretKind(String s) {
    int len = s.length();
    if (len < 13) {
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
   * Whether the string contains 13 to 19 digits, the first not 0, optionally separated by single
   * spaces or dashes, not adjacent to other letters or digits, passing the Luhn check (ISO/IEC 7812).
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
      // ISO/IEC 7812: issuer identification numbers start with 1..9 (0 is not issued to card brands).
      if (!tooLong && digits >= 13 && buf[0] != 0 && (end >= len || !isAlnum(s.charAt(end)))) {
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
    return out;
  }

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
