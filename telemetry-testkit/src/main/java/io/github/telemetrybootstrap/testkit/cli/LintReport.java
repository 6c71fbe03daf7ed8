package io.github.telemetrybootstrap.testkit.cli;

import io.github.telemetrybootstrap.testkit.logs.Rule;
import io.github.telemetrybootstrap.testkit.logs.Violation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code lint-logs} found: counts, violations by rule and the first violations in input
 * order. Not thread-safe.
 */
public final class LintReport {
  /**
   * A violation with the input it came from.
   *
   * @param source the input's name: a file path or {@code <stdin>}
   * @param violation the violation
   */
  public record Finding(String source, Violation violation) {}

  private final int maxShown;
  private long lines;
  private long blank;
  private long invalidLines;
  private long violations;
  private final Map<Rule, Long> byRule = new EnumMap<>(Rule.class);
  private final List<Finding> shown = new ArrayList<>();

  /**
   * An empty report.
   *
   * @param maxShown how many violations to keep for display, at least 0
   */
  public LintReport(int maxShown) {
    this.maxShown = Math.max(0, maxShown);
  }

  /** Counts a blank line (skipped, not validated). */
  void blank() {
    blank++;
  }

  /**
   * Records the result of one checked line.
   *
   * @param source the input's name
   * @param found the line's violations, empty when valid
   */
  public void line(String source, List<Violation> found) {
    lines++;
    if (found.isEmpty()) {
      return;
    }
    invalidLines++;
    for (Violation v : found) {
      violations++;
      byRule.merge(v.rule(), 1L, Long::sum);
      if (shown.size() < maxShown) {
        shown.add(new Finding(source, v));
      }
    }
  }

  /** @return log lines checked (blank lines excluded) */
  public long lines() {
    return lines;
  }

  /** @return blank lines skipped */
  public long blankLines() {
    return blank;
  }

  /** @return lines without any violation */
  public long validLines() {
    return lines - invalidLines;
  }

  /** @return lines with at least one violation */
  public long invalidLines() {
    return invalidLines;
  }

  /** @return violations in total */
  public long violations() {
    return violations;
  }

  /** @return violations per rule, rules in declaration order; immutable */
  public Map<Rule, Long> violationsByRule() {
    return Map.copyOf(byRule);
  }

  /** @return the first violations kept for display, in input order; immutable */
  public List<Finding> shown() {
    return List.copyOf(shown);
  }

  /**
   * Prints the human summary.
   *
   * @param out where to print
   */
  public void printText(PrintStream out) {
    out.printf("lint-logs: %d lines checked, %d valid, %d with violations (%d violations)%s%n",
        lines, validLines(), invalidLines, violations, blank > 0 ? ", " + blank + " blank lines skipped" : "");
    if (violations == 0) {
      return;
    }
    out.println("violations by rule:");
    byRule.forEach((rule, n) -> out.printf("  %-24s %d%n", rule.id(), n));
    if (shown.isEmpty()) {
      return;
    }
    out.printf("first %d violations:%n", shown.size());
    for (Finding f : shown) {
      Violation v = f.violation();
      out.printf("  %s:%d %s [%s] %s%n      %s%n", f.source(), v.lineNumber(),
          v.field().isEmpty() ? "(line)" : v.field(), v.rule().id(), v.message(), v.line());
    }
  }

  /**
   * Prints the summary as one JSON object: {@code lines}, {@code valid}, {@code invalid},
   * {@code blank}, {@code violations}, {@code by_rule} (rule id to count), {@code first}
   * (array of {@code source, line, field, rule, message, text}).
   *
   * @param out where to print
   */
  public void printJson(PrintStream out) {
    JsonMapper mapper = JsonMapper.builder().build();
    ObjectNode root = mapper.createObjectNode();
    root.put("lines", lines);
    root.put("valid", validLines());
    root.put("invalid", invalidLines);
    root.put("blank", blank);
    root.put("violations", violations);
    ObjectNode rules = root.putObject("by_rule");
    byRule.forEach((rule, n) -> rules.put(rule.id(), n));
    ArrayNode first = root.putArray("first");
    for (Finding f : shown) {
      Violation v = f.violation();
      first.addObject().put("source", f.source()).put("line", v.lineNumber()).put("field", v.field())
          .put("rule", v.rule().id()).put("message", v.message()).put("text", v.line());
    }
    out.println(mapper.writeValueAsString(root));
  }
}
