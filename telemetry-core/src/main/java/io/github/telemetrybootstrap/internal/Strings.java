package io.github.telemetrybootstrap.internal;

import org.jspecify.annotations.Nullable;

/** String helpers shared by the settings readers. Internal: not part of the public API. */
final class Strings {
  private Strings() {}

  /**
   * @param values candidates in priority order
   * @return the first value that is not null or blank, stripped; {@code null} when none is
   */
  static @Nullable String firstNonBlank(@Nullable String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }
}
