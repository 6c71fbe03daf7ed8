package io.github.telemetrybootstrap.testkit.junit;

import io.github.telemetrybootstrap.testkit.logs.ExpectedContext;
import io.github.telemetrybootstrap.testkit.logs.LogLineValidator;
import io.github.telemetrybootstrap.testkit.logs.Rule;
import io.github.telemetrybootstrap.testkit.logs.Violation;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on captured JSON log lines (see {@link TelemetryAssertions#assertThatLogs}). Failure
 * messages show the offending lines with their line numbers.
 *
 * <p>Selections ({@link #linesWithMessage}, {@link #linesFromLogger}, ...) narrow the lines the next
 * assertions apply to; the {@code allCarry…} assertions fail when the selection is empty, listing all
 * captured lines, so a misspelt message never passes silently.
 */
public final class LogLinesAssert extends AbstractAssert<LogLinesAssert, List<LogLine>> {
  private static final Set<Rule> TRACE_RULES = EnumSet.of(Rule.MISSING_TRACE_CONTEXT, Rule.TRACE_CONTEXT_MISMATCH);
  private static final Set<Rule> TENANT_RULES = EnumSet.of(Rule.MISSING_TENANT, Rule.TENANT_MISMATCH);

  private final List<LogLine> all;
  private final String selection;
  private final @Nullable Supplier<List<ReceivedSpan>> spans;
  private LogLineValidator validator;

  LogLinesAssert(List<LogLine> lines, List<LogLine> all, String selection,
      @Nullable Supplier<List<ReceivedSpan>> spans, LogLineValidator validator) {
    super(List.copyOf(lines), LogLinesAssert.class);
    this.all = List.copyOf(all);
    this.selection = selection;
    this.spans = spans;
    this.validator = validator;
  }

  /**
   * Uses another validator for {@link #allMatchContract()} and the context checks, for example one
   * with extra secret keys ({@code LogLineValidator.builder().secretKeys(...)}) or with
   * {@code requireTraceContextOnRequests(true)}.
   *
   * @param validator the validator
   * @return this assertion
   */
  public LogLinesAssert usingValidator(LogLineValidator validator) {
    this.validator = Objects.requireNonNull(validator, "validator");
    return this;
  }

  /**
   * The selected lines, for custom checks.
   *
   * @return an immutable list
   */
  public List<LogLine> lines() {
    return actual;
  }

  // ---------------------------------------------------------------------------------------------
  // Selections

  /**
   * Selects the lines whose {@code message} equals {@code message}.
   *
   * @param message the exact message
   * @return a new assertion on the selected lines
   */
  public LogLinesAssert linesWithMessage(String message) {
    return select(l -> message.equals(l.message()), "lines with message \"" + message + "\"");
  }

  /**
   * Selects the lines whose {@code message} contains {@code text}.
   *
   * @param text a substring of the message
   * @return a new assertion on the selected lines
   */
  public LogLinesAssert linesWithMessageContaining(String text) {
    return select(l -> l.message() != null && l.message().contains(text),
        "lines with a message containing \"" + text + "\"");
  }

  /**
   * Selects the lines of one logger.
   *
   * @param logger the exact {@code logger} field, e.g. {@code com.example.Orders}
   * @return a new assertion on the selected lines
   */
  public LogLinesAssert linesFromLogger(String logger) {
    return select(l -> logger.equals(l.logger()), "lines from logger " + logger);
  }

  /**
   * Selects the lines that match a predicate.
   *
   * @param condition the lines to keep
   * @param description what they are, for failure messages, e.g. {@code "ERROR lines"}
   * @return a new assertion on the selected lines
   */
  public LogLinesAssert linesMatching(Predicate<LogLine> condition, String description) {
    return select(condition, description);
  }

  private LogLinesAssert select(Predicate<LogLine> condition, String description) {
    List<LogLine> selected = new ArrayList<>();
    for (LogLine l : actual) {
      if (condition.test(l)) {
        selected.add(l);
      }
    }
    LogLinesAssert next = new LogLinesAssert(selected, all, description, spans, validator);
    return info.hasDescription() ? next.as(info.description()) : next;
  }

  // ---------------------------------------------------------------------------------------------
  // Counts

  /**
   * Asserts that at least one line is selected.
   *
   * @return this assertion
   */
  public LogLinesAssert isNotEmpty() {
    isNotNull();
    if (actual.isEmpty()) {
      fail("Expecting at least one of the " + selection + " but there is none; the captured lines are:\n"
          + Display.lines(all));
    }
    return this;
  }

  /**
   * Asserts the number of selected lines.
   *
   * @param expected the number of lines
   * @return this assertion
   */
  public LogLinesAssert hasSize(int expected) {
    isNotNull();
    if (actual.size() != expected) {
      fail("Expecting " + expected + " " + selection + " but there are " + actual.size() + ":\n"
          + Display.lines(actual) + (actual.size() == all.size() ? "" : "\nAll captured lines:\n" + Display.lines(all)));
    }
    return this;
  }

  // ---------------------------------------------------------------------------------------------
  // Contract

  /**
   * Asserts that every selected line matches the telemetry log contract: the JSON Schema
   * {@code telemetry-log.schema.json} and the rules a schema can't express (ids well-formed and not
   * all zeros, no secrets, one-line messages), checked by {@link LogLineValidator}. Passes when no
   * line is selected.
   *
   * @return this assertion
   * @throws AssertionError listing every violation: line number, field, rule, message and the line
   *     with secrets masked
   */
  public LogLinesAssert allMatchContract() {
    isNotNull();
    List<Violation> violations = new ArrayList<>();
    for (LogLine l : actual) {
      violations.addAll(validator.validate(l.number(), l.raw(), 0, l.raw().length));
    }
    if (!violations.isEmpty()) {
      fail("Expecting all " + actual.size() + " " + selection + " to match the telemetry log contract, but "
          + violations.size() + " violation(s):\n" + Display.items(violations));
    }
    return this;
  }

  // ---------------------------------------------------------------------------------------------
  // Trace context and tenant

  /**
   * Asserts that every selected line that carries a {@code trace_id} was logged inside a span that
   * was received: some received span has the line's {@code trace_id} and {@code span_id}. Spans are
   * those of the {@link CapturedTelemetry} (flushed first), so they must have ended. Passes when no
   * selected line carries a trace id.
   *
   * @return this assertion
   * @throws AssertionError listing each line whose ids match no received span, and the received spans
   * @throws IllegalStateException when the assertion was created from lines alone; use
   *     {@link #allTraceIdsMatch(Collection)}
   */
  public LogLinesAssert allTraceIdsMatchReceivedSpans() {
    if (spans == null) {
      throw new IllegalStateException(
          "these lines were given without spans; use allTraceIdsMatch(spans) or assertThatLogs(captured)");
    }
    return allTraceIdsMatch(spans.get());
  }

  /**
   * Asserts that every selected line that carries a {@code trace_id} carries the trace and span ids
   * of one of {@code spans}. Passes when no selected line carries a trace id.
   *
   * @param spans the spans the lines may have been logged in
   * @return this assertion
   * @throws AssertionError listing each line whose ids match none of them, and the spans
   */
  public LogLinesAssert allTraceIdsMatch(Collection<ReceivedSpan> spans) {
    isNotNull();
    Set<String> known = new HashSet<>();
    for (ReceivedSpan s : spans) {
      known.add(s.traceId() + "/" + s.spanId());
    }
    List<String> bad = new ArrayList<>();
    for (LogLine l : actual) {
      String traceId = l.traceId();
      if (traceId == null) {
        continue;
      }
      if (!known.contains(traceId + "/" + l.spanId())) {
        bad.add("line " + l.number() + " has trace_id=" + traceId + " span_id=" + l.spanId()
            + ", which is no received span: " + l.text());
      }
    }
    if (!bad.isEmpty()) {
      fail("Expecting each of the " + selection + " that has a trace_id to carry the ids of a received span,"
          + " but " + bad.size() + " do(es) not:\n" + Display.items(bad)
          + "\nReceived spans (" + spans.size() + "):\n" + Display.spans(spans)
          + "\n(A span is received once it has ended.)");
    }
    return this;
  }

  /**
   * Asserts that every selected line was logged inside this span: its {@code trace_id} and
   * {@code span_id} are the span's. Fails when no line is selected.
   *
   * @param span the span context, e.g. {@code Span.current().getSpanContext()} in the code under test
   * @return this assertion
   * @throws AssertionError listing each line without those ids ({@code missing-trace-context},
   *     {@code trace-context-mismatch}), secrets masked
   */
  public LogLinesAssert allCarrySpan(SpanContext span) {
    return carry(ExpectedContext.inSpan(span.getTraceId(), span.getSpanId()), TRACE_RULES,
        "span trace_id=" + span.getTraceId() + " span_id=" + span.getSpanId());
  }

  /**
   * As {@link #allCarrySpan(SpanContext)} for an OpenTelemetry span.
   *
   * @param span the span
   * @return this assertion
   */
  public LogLinesAssert allCarrySpan(Span span) {
    return allCarrySpan(span.getSpanContext());
  }

  /**
   * As {@link #allCarrySpan(SpanContext)} for a span the receiver got.
   *
   * @param span the received span
   * @return this assertion
   */
  public LogLinesAssert allCarrySpan(ReceivedSpan span) {
    return carry(ExpectedContext.inSpan(span.traceId(), span.spanId()), TRACE_RULES,
        "span " + Display.span(span));
  }

  /**
   * Asserts that every selected line carries this span's {@code trace_id} (any {@code span_id}: a
   * child span of the same trace is fine). Fails when no line is selected.
   *
   * @param span the span context
   * @return this assertion
   * @throws AssertionError listing each line without that trace id
   */
  public LogLinesAssert allCarryTraceOf(SpanContext span) {
    return carry(new ExpectedContext(span.getTraceId(), null, null), TRACE_RULES,
        "trace_id=" + span.getTraceId());
  }

  /**
   * As {@link #allCarryTraceOf(SpanContext)} for an OpenTelemetry span.
   *
   * @param span the span
   * @return this assertion
   */
  public LogLinesAssert allCarryTraceOf(Span span) {
    return allCarryTraceOf(span.getSpanContext());
  }

  /**
   * As {@link #allCarryTraceOf(SpanContext)} for a span the receiver got.
   *
   * @param span the received span
   * @return this assertion
   */
  public LogLinesAssert allCarryTraceOf(ReceivedSpan span) {
    return carry(new ExpectedContext(span.traceId(), null, null), TRACE_RULES, "trace_id=" + span.traceId());
  }

  /**
   * Asserts that every selected line carries {@code tenant_id} = {@code tenant}. Fails when no line
   * is selected.
   *
   * @param tenant the tenant as the core writes it (sanitised)
   * @return this assertion
   * @throws AssertionError listing each line without it ({@code missing-tenant},
   *     {@code tenant-mismatch}), secrets masked
   */
  public LogLinesAssert allCarryTenant(String tenant) {
    return carry(new ExpectedContext(null, null, Objects.requireNonNull(tenant, "tenant")), TENANT_RULES,
        "tenant_id \"" + tenant + "\"");
  }

  private LogLinesAssert carry(ExpectedContext expected, Set<Rule> rules, String what) {
    isNotEmpty();
    List<Violation> violations = new ArrayList<>();
    for (LogLine l : actual) {
      for (Violation v : validator.validate(l.number(), l.raw(), 0, l.raw().length, expected)) {
        if (rules.contains(v.rule())) {
          violations.add(v);
        }
      }
    }
    if (!violations.isEmpty()) {
      fail("Expecting all " + actual.size() + " " + selection + " to carry " + what + ", but "
          + violations.size() + " do(es) not:\n" + Display.items(violations));
    }
    return this;
  }

  private void fail(String message) {
    failWithMessage("%s", message);
  }
}
