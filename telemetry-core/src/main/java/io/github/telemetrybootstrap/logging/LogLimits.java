package io.github.telemetrybootstrap.logging;

/**
 * The log limits the bootstrap resolved ({@code telemetry.logging.queue-bytes},
 * {@code telemetry.logging.max-line-length}), used as the defaults of appenders and encoders created
 * afterwards, also those a logback XML include creates.
 */
final class LogLimits {
  private static volatile long queueBytes = TelemetryAsyncAppender.DEFAULT_QUEUE_BYTES;
  private static volatile int maxLineLength = TelemetryAsyncAppender.DEFAULT_MAX_LINE_LENGTH;

  private LogLimits() {}

  static long queueBytes() {
    return queueBytes;
  }

  static int maxLineLength() {
    return maxLineLength;
  }

  static void set(long queueBytes, int maxLineLength) {
    LogLimits.queueBytes = queueBytes;
    LogLimits.maxLineLength = maxLineLength;
  }
}
