package io.github.telemetrybootstrap.quarkus.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

/** The formatters of the console handlers Quarkus installed on the root logger. */
final class ConsoleFormatters {
  private ConsoleFormatters() {}

  static List<Formatter> installed() {
    List<Formatter> out = new ArrayList<>();
    for (Handler h : LogContext.getLogContext().getLogger("").getHandlers()) {
      collect(h, out);
    }
    return out;
  }

  private static void collect(Handler h, List<Formatter> out) {
    if (h instanceof ConsoleHandler) {
      out.add(h.getFormatter());
    }
    if (h instanceof ExtHandler ext) {
      for (Handler nested : ext.getHandlers()) {
        collect(nested, out);
      }
    }
  }
}
