package io.github.telemetrybootstrap.logging;

import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.LifeCycle;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import ch.qos.logback.core.util.StatusPrinter2;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Sends logback's own warnings and errors (a bad configuration value, an appender that failed) to
 * the process's standard error, never to stdout: stdout holds contract JSON lines only, in every
 * failure mode. Registered on the logger context by the library's configurator; with a status
 * listener present logback no longer prints its status messages to stdout itself.
 */
public final class StderrStatusListener extends ContextAwareBase implements StatusListener, LifeCycle {
  private static final PrintStream ERR =
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
  private boolean started;

  /** Creates the listener; logback calls {@link #start()}. */
  public StderrStatusListener() {}

  @Override
  public void addStatusEvent(Status status) {
    if (status.getEffectiveLevel() >= Status.WARN) {
      StringBuilder b = new StringBuilder("logback: ");
      new StatusPrinter2().buildStr(b, "", status);
      ERR.print(b);
    }
  }

  @Override
  public void start() {
    started = true;
  }

  @Override
  public void stop() {
    started = false;
  }

  @Override
  public boolean isStarted() {
    return started;
  }

  /**
   * Registers a listener on {@code context} unless one of this class is there already.
   *
   * @param context the logger context
   */
  static void register(ch.qos.logback.core.Context context) {
    for (StatusListener l : context.getStatusManager().getCopyOfStatusListenerList()) {
      if (l instanceof StderrStatusListener) {
        return;
      }
    }
    StderrStatusListener listener = new StderrStatusListener();
    listener.setContext(context);
    listener.start();
    context.getStatusManager().add(listener);
  }
}
