package io.github.telemetrybootstrap.testkit.junit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the meters of a {@link MeterRegistry} (see {@link TelemetryAssertions#assertThatMeters}).
 * Meter names are Micrometer names ({@code orders.placed}, not the Prometheus
 * {@code orders_placed_total}). Failure messages list the meters with that name, their tags and counts.
 */
public final class MetersAssert extends AbstractAssert<MetersAssert, MeterRegistry> {
  private final ToDoubleFunction<Meter> sinceStart;

  MetersAssert(MeterRegistry registry, ToDoubleFunction<Meter> sinceStart) {
    super(registry, MetersAssert.class);
    this.sinceStart = sinceStart;
  }

  /**
   * Asserts that exactly one meter has this name and (at least) these tags. When several match,
   * the one whose tags are exactly these is taken; otherwise the assertion fails listing them.
   *
   * @param name the Micrometer meter name
   * @param tagKeyValues tag keys and values, alternating: {@code "outcome", "SUCCESS", "uri", "/orders"}
   * @return an assertion on that meter
   * @throws IllegalArgumentException when an odd number of strings is given
   * @throws AssertionError listing the meters with that name (or saying there are none)
   */
  public MeterAssert hasMeter(String name, String... tagKeyValues) {
    isNotNull();
    Tags tags = Tags.of(tagKeyValues);
    Collection<Meter> named = actual.find(name).meters();
    Collection<Meter> matching = actual.find(name).tags(tags).meters();
    Meter meter = null;
    if (matching.size() == 1) {
      meter = matching.iterator().next();
    } else {
      for (Meter m : matching) {
        if (Tags.of(m.getId().getTags()).equals(tags)) {
          meter = m;
        }
      }
    }
    if (meter == null) {
      String wanted = "a meter named " + name + " with tags " + describe(tags);
      if (named.isEmpty()) {
        failWithMessage("%s", "Expecting " + wanted + " but no meter has that name; meters with a similar name: "
            + similarNames(name));
      } else if (matching.isEmpty()) {
        failWithMessage("%s", "Expecting " + wanted + " but the meters with that name have other tags:\n"
            + list(named));
      } else {
        failWithMessage("%s", "Expecting one " + wanted + " but " + matching.size()
            + " match; give more tags to select one:\n" + list(matching));
      }
    }
    MeterAssert a = new MeterAssert(meter, sinceStart);
    return info.hasDescription() ? a.as(info.description()) : a;
  }

  /**
   * Asserts that no meter has this name and (at least) these tags, for example that the tenant is not
   * a metric label.
   *
   * @param name the Micrometer meter name
   * @param tagKeyValues tag keys and values, alternating
   * @return this assertion
   * @throws AssertionError listing the offending meters
   */
  public MetersAssert doesNotHaveMeter(String name, String... tagKeyValues) {
    isNotNull();
    Collection<Meter> matching = actual.find(name).tags(Tags.of(tagKeyValues)).meters();
    if (!matching.isEmpty()) {
      failWithMessage("%s", "Expecting no meter named " + name + " with tags " + describe(Tags.of(tagKeyValues))
          + " but found:\n" + list(matching));
    }
    return this;
  }

  private String similarNames(String name) {
    String prefix = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    TreeSet<String> names = new TreeSet<>();
    for (Meter m : actual.getMeters()) {
      if (m.getId().getName().startsWith(prefix)) {
        names.add(m.getId().getName());
      }
    }
    return names.isEmpty() ? "none (" + actual.getMeters().size() + " meters registered)" : names.toString();
  }

  private String list(Collection<Meter> meters) {
    List<String> out = new ArrayList<>();
    for (Meter m : meters) {
      out.add(MeterAssert.describe(m, sinceStart));
    }
    return Display.items(out);
  }

  static String describe(Iterable<Tag> tags) {
    StringBuilder b = new StringBuilder("{");
    for (Tag t : tags) {
      b.append(b.length() > 1 ? ", " : "").append(t.getKey()).append('=').append(t.getValue());
    }
    return b.append('}').toString();
  }

  /** Assertions on one meter; failure messages show its name, tags and counts. */
  public static final class MeterAssert extends AbstractAssert<MeterAssert, Meter> {
    private final ToDoubleFunction<Meter> sinceStart;

    MeterAssert(Meter meter, ToDoubleFunction<Meter> sinceStart) {
      super(meter, MeterAssert.class);
      this.sinceStart = sinceStart;
    }

    /**
     * The meter, for custom checks.
     *
     * @return the meter
     */
    public Meter meter() {
      return actual;
    }

    /**
     * Asserts the increase of the meter's count during the current test (see
     * {@link CapturedTelemetry#countSinceTestStart(Meter)}; on a bare registry, the count itself).
     *
     * @param expected the expected increase: increments of a counter, recordings of a timer or
     *     distribution summary
     * @return this assertion
     * @throws AssertionError for another count or a meter without a count (a gauge)
     */
    public MeterAssert hasCount(double expected) {
      requireCountable();
      double since = sinceStart.applyAsDouble(actual);
      if (Double.compare(since, expected) != 0) {
        failWithMessage("%s", "Expecting meter " + describe(actual, sinceStart) + "\nto have count " + fmt(expected)
            + " since the test started, but it has " + fmt(since));
      }
      return this;
    }

    /**
     * Asserts the meter's count as the registry holds it, since the meter was registered.
     *
     * @param expected the expected total count
     * @return this assertion
     * @throws AssertionError for another count or a meter without a count (a gauge)
     */
    public MeterAssert hasTotalCount(double expected) {
      requireCountable();
      double total = Objects.requireNonNull(CapturedTelemetry.count(actual));
      if (Double.compare(total, expected) != 0) {
        failWithMessage("%s", "Expecting meter " + describe(actual, sinceStart) + "\nto have total count "
            + fmt(expected) + ", but it has " + fmt(total));
      }
      return this;
    }

    private void requireCountable() {
      if (CapturedTelemetry.count(actual) == null) {
        failWithMessage("%s", "Expecting a meter with a count (counter, timer, distribution summary) but "
            + describe(actual, sinceStart) + " is a " + actual.getId().getType());
      }
    }

    static String describe(Meter m, ToDoubleFunction<Meter> sinceStart) {
      Double total = CapturedTelemetry.count(m);
      String counts = total == null
          ? m.getId().getType().toString().toLowerCase(java.util.Locale.ROOT) + " " + m.measure()
          : m.getId().getType().toString().toLowerCase(java.util.Locale.ROOT) + " count " + fmt(total)
              + " (since test start " + fmt(sinceStart.applyAsDouble(m)) + ")";
      return m.getId().getName() + " " + MetersAssert.describe(m.getId().getTagsAsIterable()) + " " + counts;
    }

    private static String fmt(double d) {
      return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
  }
}
