package io.github.telemetrybootstrap.testkit.junit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * Virtual threads (Java 21+, JEP 444) for context-propagation tests in code compiled for Java 17:
 * found by reflection at run time.
 *
 * <pre>{@code
 * try (ExecutorService virtual = TelemetryContext.wrap(VirtualThreads.newPerTaskExecutorOrSkip())) {
 *   virtual.submit(() -> log.info("on a virtual thread")).get();
 * }
 * }</pre>
 */
public final class VirtualThreads {
  private static final @Nullable Method FACTORY = find();

  private VirtualThreads() {}

  private static @Nullable Method find() {
    try {
      return Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /**
   * Whether this JVM has virtual threads.
   *
   * @return true on Java 21 and later
   */
  public static boolean available() {
    return FACTORY != null;
  }

  /**
   * {@code Executors.newVirtualThreadPerTaskExecutor()}: one new virtual thread per task.
   *
   * @return a new executor; shut it down (or close it) after use
   * @throws UnsupportedOperationException before Java 21, naming the running version
   */
  public static ExecutorService newPerTaskExecutor() {
    if (FACTORY == null) {
      throw new UnsupportedOperationException(
          "virtual threads need Java 21 or later; this JVM is Java " + Runtime.version().feature());
    }
    try {
      return (ExecutorService) FACTORY.invoke(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * As {@link #newPerTaskExecutor()}, but before Java 21 aborts the current test (JUnit reports it
   * skipped with a message naming the Java version) instead of failing it.
   *
   * @return a new executor
   * @throws org.opentest4j.TestAbortedException before Java 21
   */
  public static ExecutorService newPerTaskExecutorOrSkip() {
    Assumptions.assumeTrue(available(),
        () -> "virtual threads need Java 21 or later; skipped on Java " + Runtime.version().feature());
    return newPerTaskExecutor();
  }
}
