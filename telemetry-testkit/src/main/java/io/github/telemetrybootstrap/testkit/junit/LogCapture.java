package io.github.telemetrybootstrap.testkit.junit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tee registered with {@code TelemetryAsyncAppender.addTee}: splits each written chunk (complete
 * lines, each ending in {@code \n}) into {@link LogLine}s. Keeps at most {@link #MAX_LINES} lines;
 * later ones are counted, not kept. Thread-safe.
 */
final class LogCapture implements Consumer<byte[]> {
  /** Lines kept per test; more are counted in {@link #droppedLines()}. */
  static final int MAX_LINES = 100_000;

  private final List<LogLine> lines = new ArrayList<>();
  private long dropped;

  @Override
  public void accept(byte[] chunk) {
    synchronized (lines) {
      int start = 0;
      for (int i = 0; i < chunk.length; i++) {
        if (chunk[i] == '\n') {
          add(Arrays.copyOfRange(chunk, start, i));
          start = i + 1;
        }
      }
      if (start < chunk.length) {
        add(Arrays.copyOfRange(chunk, start, chunk.length)); // never happens with the JSON encoder
      }
    }
  }

  private void add(byte[] line) {
    if (lines.size() >= MAX_LINES) {
      dropped++;
    } else {
      lines.add(new LogLine(lines.size() + 1, line));
    }
  }

  List<LogLine> snapshot() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  long droppedLines() {
    synchronized (lines) {
      return dropped;
    }
  }

  void clear() {
    synchronized (lines) {
      lines.clear();
      dropped = 0;
    }
  }
}
