package io.github.telemetrybootstrap.http;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the instrumentation's own failures without throwing them into the application: the first
 * one at WARN with its stack trace, later ones at DEBUG so a persistent fault cannot flood the log.
 */
final class FailureLog {
  private final Logger logger;
  private final AtomicBoolean warned = new AtomicBoolean();

  FailureLog(Class<?> owner) {
    this.logger = LoggerFactory.getLogger(owner);
  }

  void failed(String what, Throwable error) {
    try {
      if (warned.compareAndSet(false, true)) {
        logger.warn(
            "Telemetry {} failed; the request continues without it (later failures are logged at DEBUG)",
            what,
            error);
      } else if (logger.isDebugEnabled()) {
        logger.debug("Telemetry {} failed", what, error);
      }
    } catch (RuntimeException ignored) {
      // A broken logging backend must not break the request either.
    }
  }
}
