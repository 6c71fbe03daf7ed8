package io.github.telemetrybootstrap.testkit.junit;

import io.github.telemetrybootstrap.context.Tenant;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on received spans (see {@link TelemetryAssertions#assertThatSpans}). Failure messages list
 * the spans that do exist: name, kind, ids, parent, status and attributes.
 *
 * <p>On a {@link CapturedTelemetry} the {@code contains…} assertions wait (up to
 * {@link CapturedTelemetry#awaitTimeout()}, or {@link #within(Duration)}) for a matching span to
 * arrive, since a span is exported after it ends (a server span ends after its response was sent).
 */
public final class SpansAssert extends AbstractAssert<SpansAssert, Supplier<List<ReceivedSpan>>> {
  private Duration timeout;

  SpansAssert(Supplier<List<ReceivedSpan>> spans, Duration timeout) {
    super(spans, SpansAssert.class);
    this.timeout = timeout;
  }

  /**
   * Sets how long the {@code contains…} assertions wait for a matching span.
   *
   * @param timeout zero or more; zero checks once
   * @return this assertion
   */
  public SpansAssert within(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /**
   * The spans now received, for custom checks.
   *
   * @return an immutable list, oldest first
   */
  public List<ReceivedSpan> spans() {
    return actual.get();
  }

  /**
   * Asserts that a span with this name exists.
   *
   * @param name the exact span name, e.g. {@code GET /orders/{id}}
   * @return an assertion on the oldest matching span
   * @throws AssertionError listing the spans that exist
   */
  public SpanAssert containsSpanNamed(String name) {
    return containsSpan(s -> s.name().equals(name), "a span named \"" + name + "\"");
  }

  /**
   * Asserts that a span with this name and attribute value exists. Values are compared by their text
   * ({@code 200} matches the attribute {@code 200L} and {@code "200"}).
   *
   * @param name the exact span name
   * @param attributeKey the attribute, e.g. {@code http.route}
   * @param value its value
   * @return an assertion on the oldest matching span
   * @throws AssertionError listing the spans that exist
   */
  public SpanAssert containsSpan(String name, String attributeKey, Object value) {
    return containsSpan(
        s -> s.name().equals(name) && SpanAssert.sameValue(s.attribute(attributeKey), value),
        "a span named \"" + name + "\" with attribute " + attributeKey + "=" + value);
  }

  /**
   * Asserts that a span with this name carries the tenant (attribute {@value Tenant#SPAN_ATTRIBUTE}).
   *
   * @param name the exact span name
   * @param tenant the tenant
   * @return an assertion on the oldest matching span
   * @throws AssertionError listing the spans that exist
   */
  public SpanAssert containsSpanWithTenant(String name, String tenant) {
    return containsSpan(name, Tenant.SPAN_ATTRIBUTE, tenant);
  }

  /**
   * Asserts that a span matching a condition exists.
   *
   * @param condition the span wanted
   * @param description what it is, for the failure message
   * @return an assertion on the oldest matching span
   * @throws AssertionError listing the spans that exist
   */
  public SpanAssert containsSpan(Predicate<ReceivedSpan> condition, String description) {
    isNotNull();
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ReceivedSpan> spans;
    while (true) {
      spans = actual.get();
      for (ReceivedSpan s : spans) {
        if (condition.test(s)) {
          SpanAssert a = new SpanAssert(s);
          return info.hasDescription() ? a.as(info.description()) : a;
        }
      }
      if (System.nanoTime() >= deadline) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    failWithMessage("%s", "Expecting " + description + " but it was not received"
        + (timeout.isZero() ? "" : " within " + timeout.toMillis() + " ms") + "; received spans ("
        + spans.size() + "):\n" + Display.spans(spans));
    throw new AssertionError("unreachable");
  }

  /**
   * Asserts that no span matches.
   *
   * @param condition the span that must not exist
   * @param description what it is, for the failure message
   * @return this assertion
   * @throws AssertionError showing the offending spans
   */
  public SpansAssert doesNotContainSpan(Predicate<ReceivedSpan> condition, String description) {
    isNotNull();
    List<ReceivedSpan> found = new ArrayList<>();
    for (ReceivedSpan s : actual.get()) {
      if (condition.test(s)) {
        found.add(s);
      }
    }
    if (!found.isEmpty()) {
      failWithMessage("%s", "Expecting no " + description + " but found " + found.size() + ":\n" + Display.spans(found));
    }
    return this;
  }

  /** Assertions on one received span; failure messages show the span. */
  public static final class SpanAssert extends AbstractAssert<SpanAssert, ReceivedSpan> {
    SpanAssert(ReceivedSpan span) {
      super(span, SpanAssert.class);
    }

    /**
     * The span, for custom checks or for {@link LogLinesAssert#allCarrySpan(ReceivedSpan)}.
     *
     * @return the received span
     */
    public ReceivedSpan span() {
      return actual;
    }

    /**
     * Asserts an attribute's value, compared by text ({@code 200} matches {@code 200L}).
     *
     * @param key the attribute key
     * @param value the expected value
     * @return this assertion
     */
    public SpanAssert hasAttribute(String key, Object value) {
      Object v = actual.attribute(key);
      if (!sameValue(v, value)) {
        failWithMessage("%s", "Expecting attribute " + key + "=" + value + " on span " + Display.span(actual)
            + (v == null ? "\nbut it has no " + key : "\nbut it is " + v));
      }
      return this;
    }

    /**
     * Asserts the span kind.
     *
     * @param kind {@code INTERNAL SERVER CLIENT PRODUCER CONSUMER}
     * @return this assertion
     */
    public SpanAssert hasKind(String kind) {
      if (!actual.kind().equals(kind)) {
        failWithMessage("%s", "Expecting kind " + kind + " on span " + Display.span(actual));
      }
      return this;
    }

    /**
     * Asserts the status code.
     *
     * @param statusCode {@code UNSET OK ERROR}
     * @return this assertion
     */
    public SpanAssert hasStatusCode(String statusCode) {
      if (!actual.statusCode().equals(statusCode)) {
        failWithMessage("%s", "Expecting status " + statusCode + " on span " + Display.span(actual));
      }
      return this;
    }

    /**
     * Asserts that the span is a child of {@code parent} (same trace, parent span id).
     *
     * @param parent the parent span
     * @return this assertion
     */
    public SpanAssert hasParent(ReceivedSpan parent) {
      if (!actual.traceId().equals(parent.traceId()) || !actual.parentSpanId().equals(parent.spanId())) {
        failWithMessage("%s", "Expecting span " + Display.span(actual) + "\nto be a child of "
            + Display.span(parent));
      }
      return this;
    }

    static boolean sameValue(@Nullable Object actual, Object expected) {
      return actual != null && String.valueOf(actual).equals(String.valueOf(expected));
    }
  }
}
