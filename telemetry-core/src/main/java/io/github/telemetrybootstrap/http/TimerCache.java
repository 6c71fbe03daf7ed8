package io.github.telemetrybootstrap.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request timers of one metric (a histogram with percentile buckets), looked up by their tag
 * values instead of registered per request: building the tags (sorted, de-duplicated) and the meter
 * id and finding the meter again was most of what recording a request cost in Micrometer.
 *
 * <p>Holds at most {@value #MAX_TIMERS} timers (the tag values are already bounded by the callers'
 * {@link TagLimit}s); beyond that, timers are registered per call as before. Forgets every timer when
 * any meter is removed from the registry, so a removed timer is registered afresh.
 */
final class TimerCache {
  static final int MAX_TIMERS = 10_000;

  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final String[] tagKeys;
  private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

  /** Tag values in the order of {@link #tagKeys}; compared by content. */
  private record Key(String[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return Arrays.toString(values);
    }
  }

  /**
   * @param registry where the timers are registered
   * @param name the metric name, e.g. {@code http.server.requests}
   * @param description the metric's description
   * @param tagKeys the tag keys, in the order {@link #timer(String...)} takes their values
   */
  TimerCache(MeterRegistry registry, String name, String description, String... tagKeys) {
    this.registry = registry;
    this.name = name;
    this.description = description;
    this.tagKeys = tagKeys.clone();
    registry.config().onMeterRemoved(meter -> timers.clear());
  }

  /**
   * @param tagValues one value per tag key, none null
   * @return the timer with these tags, registered on first use
   */
  Timer timer(String... tagValues) {
    Key key = new Key(tagValues);
    Timer timer = timers.get(key);
    if (timer == null) {
      String[] pairs = new String[tagKeys.length * 2];
      for (int i = 0; i < tagKeys.length; i++) {
        pairs[2 * i] = tagKeys[i];
        pairs[2 * i + 1] = tagValues[i];
      }
      timer = Timer.builder(name)
          .description(description)
          .tags(Tags.of(pairs))
          .publishPercentileHistogram()
          .register(registry);
      if (timers.size() < MAX_TIMERS) {
        timers.put(key, timer);
      }
    }
    return timer;
  }
}
