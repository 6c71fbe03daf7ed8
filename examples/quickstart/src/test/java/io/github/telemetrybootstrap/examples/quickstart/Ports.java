package io.github.telemetrybootstrap.examples.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for the processes the tests start. */
public final class Ports {
  private Ports() {}

  /**
   * @return a port that was free a moment ago on loopback
   * @throws UncheckedIOException when no socket can be opened
   */
  public static int free() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
