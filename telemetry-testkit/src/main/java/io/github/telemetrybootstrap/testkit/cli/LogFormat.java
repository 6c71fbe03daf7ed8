package io.github.telemetrybootstrap.testkit.cli;

/** How log lines are framed in the input of {@code lint-logs}. */
public enum LogFormat {
  /**
   * Detected per line: a JSON line as is; a {@code kubectl logs --prefix} line
   * ({@code [pod/name/container] }) and a {@code --timestamps} line (RFC 3339 time and a space) with
   * the prefix removed; a CRI line ({@code <time> stdout|stderr F|P <content>}) with partial lines
   * joined.
   */
  AUTO,
  /** Every line is one JSON log line; nothing is stripped. */
  JSON,
  /**
   * The CRI container log format kubelet writes under {@code /var/log/pods}:
   * {@code <RFC 3339 nano time> <stdout|stderr> <P|F> <content>}; {@code P} (partial) lines are
   * joined with the following lines of the same stream up to the {@code F} (full) line.
   */
  CRI,
  /** {@code kubectl logs} output, plain or with {@code --prefix} and/or {@code --timestamps}. */
  KUBECTL
}
