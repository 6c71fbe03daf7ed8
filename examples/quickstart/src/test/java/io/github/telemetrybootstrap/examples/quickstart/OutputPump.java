package io.github.telemetrybootstrap.examples.quickstart;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads a started process's stdout or stderr, line by line, into a list the tests inspect. */
public final class OutputPump {
  private OutputPump() {}

  /**
   * Starts a daemon thread that adds every UTF-8 line of {@code in} to {@code sink} until the stream
   * ends (the process exits or closes it).
   *
   * @param in the process's output stream
   * @param sink where lines go; a thread-safe list, since the test reads it meanwhile
   * @param name the thread's name, e.g. {@code quickstart-stdout}
   * @return the started thread; join it to be sure the last lines are in {@code sink}
   */
  public static Thread start(InputStream in, List<String> sink, String name) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  sink.add(line);
                }
              } catch (IOException closed) {
                // the process is gone
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
