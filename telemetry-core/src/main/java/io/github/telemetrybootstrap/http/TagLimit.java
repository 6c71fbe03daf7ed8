package io.github.telemetrybootstrap.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits at most {@code max} distinct values of one tag of one metric, first come first served;
 * measurements with further values are dropped, and the first drop is logged once at WARN. The
 * same policy as Micrometer's {@code MeterFilter.maximumAllowableTags(..., MeterFilter.deny())},
 * kept per telemetry instance instead of in the shared registry's configuration: a filter added to
 * a registry that already has meters (the bootstrap binds JVM metrics first) makes Micrometer log
 * a warning with a stack trace, and would accumulate with every {@code build()}.
 */
final class TagLimit {
  private static final Logger LOG = LoggerFactory.getLogger(TagLimit.class);

  private final String metric;
  private final String tag;
  private final int max;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean warned = new AtomicBoolean();

  TagLimit(String metric, String tag, int max) {
    this.metric = metric;
    this.tag = tag;
    this.max = max;
  }

  /** Whether a measurement with this tag value may be recorded. */
  boolean admit(String value) {
    if (admitted.contains(value)) {
      return true;
    }
    synchronized (this) {
      if (admitted.size() < max) {
        admitted.add(value);
        return true;
      }
    }
    if (warned.compareAndSet(false, true)) {
      try {
        LOG.warn(
            "{} already has {} distinct '{}' values; dropping measurements with new ones such as '{}'."
                + " Declare low-cardinality route templates (HttpRoute.set / HttpRouter).",
            metric,
            max,
            tag,
            value);
      } catch (RuntimeException ignored) {
        // Logging must not break the request.
      }
    }
    return false;
  }
}
