package io.github.telemetrybootstrap.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A JVM with a 128 MiB heap logs 64 KiB and 1 MiB messages from four threads into a stdout nobody
 * reads: the log queue is bounded in bytes, so the heap stays small, nothing throws, and every
 * event that could not be queued is counted.
 */
class StalledStdoutFloodTest {
  @Test
  void theHeapStaysBoundedUnderAStalledStdoutWhateverTheMessageSize() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(
        java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), FloodMain.class.getName(), "3000");
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TELEMETRY_"));
    Process p = pb.start(); // stdout is a pipe nobody reads: it stalls after 64 KiB
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(stderr).isZero();
    assertThat(stderr).doesNotContain("OutOfMemoryError").doesNotContain("Exception");
    Matcher m = Pattern.compile("heap-after-gc=(\\d+) logged=(\\d+) dropped=(\\d+) truncated=(\\d+)").matcher(stderr);
    assertThat(m.find()).as(stderr).isTrue();
    long heap = Long.parseLong(m.group(1));
    long logged = Long.parseLong(m.group(2));
    long dropped = Long.parseLong(m.group(3));
    System.err.println("stalled stdout flood: " + m.group());
    // 16 MiB of queue (estimated at two bytes a character, counting what a cut event's original still
    // holds), a batch written out at 1 MiB, and the JVM's own ~10 MB; measured 27-31 MB.
    assertThat(heap).isLessThan(48L << 20);
    assertThat(logged).isGreaterThan(1000);
    assertThat(dropped).isGreaterThan(logged - 1000);
    assertThat(Long.parseLong(m.group(4))).isPositive();
    p.getInputStream().close();
  }
}
