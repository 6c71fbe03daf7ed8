package io.github.telemetrybootstrap.http;

import java.util.regex.Pattern;

/** Validation of configured header names (RFC 9110 section 5.1: a field name is a token). */
final class HeaderNames {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z\\-]+");

  private HeaderNames() {}

  static String require(String what, String name) {
    if (name == null || !TOKEN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " must be an HTTP header name (RFC 9110 token), was '" + name + "'");
    }
    return name;
  }
}
