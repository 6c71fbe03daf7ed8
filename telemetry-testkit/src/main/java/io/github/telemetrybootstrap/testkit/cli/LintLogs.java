package io.github.telemetrybootstrap.testkit.cli;

import io.github.telemetrybootstrap.testkit.logs.LogLineValidator;
import io.github.telemetrybootstrap.testkit.logs.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lint-logs}: checks log lines against the telemetry contract, for CI pipelines.
 *
 * <pre>
 * java -jar telemetry-testkit-VERSION-lint-logs.jar [--format auto|json|cri|kubectl] [FILE|-]...
 * kubectl logs deploy/orders --prefix --timestamps | java -jar ...-lint-logs.jar -
 * </pre>
 *
 * <p>Exit status: {@value #EXIT_OK} when every line conforms, {@value #EXIT_VIOLATIONS} when a
 * line violates a rule, {@value #EXIT_USAGE} on a usage error or an unreadable input.
 */
@Command(name = "lint-logs", mixinStandardHelpOptions = true, version = "lint-logs (telemetry log contract 1.0.0)",
    description = "Checks JSON log lines (plain, kubectl logs output or CRI container logs) against the "
        + "telemetry log contract: schema, trace ids, secrets, one line per event.",
    exitCodeOnInvalidInput = LintLogs.EXIT_USAGE, exitCodeOnExecutionException = LintLogs.EXIT_USAGE,
    sortOptions = false)
public final class LintLogs implements Callable<Integer> {
  /** Exit status when every line conforms. */
  public static final int EXIT_OK = 0;
  /** Exit status when at least one line violates a rule. */
  public static final int EXIT_VIOLATIONS = 1;
  /** Exit status on a usage error or an unreadable input. */
  public static final int EXIT_USAGE = 2;

  @Parameters(paramLabel = "FILE", arity = "0..*",
      description = "Files to check; '-' or none reads standard input.")
  private List<String> files = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "Line framing: auto (detected per line), json, cri, kubectl. Default: ${DEFAULT-VALUE}.")
  private String format;

  @Option(names = "--max-violations", paramLabel = "N", defaultValue = "20",
      description = "Violations listed in the summary (all are counted). Default: ${DEFAULT-VALUE}.")
  private int maxViolations;

  @Option(names = "--require-trace-context",
      description = "Lines with request_id (logged inside an inbound request) must carry trace_id/span_id.")
  private boolean requireTraceContext;

  @Option(names = "--require-request-context",
      description = "Lines a thread logs while serving a request (between two of its lines, or an ERROR "
          + "right after one) must carry the request's request_id and trace_id.")
  private boolean requireRequestContext;

  @Option(names = "--mask-key", paramLabel = "KEY",
      description = "Extra key whose values must be masked, as in telemetry.logging.mask-keys (repeatable).")
  private List<String> maskKeys = new ArrayList<>();

  @Option(names = "--max-line-bytes", paramLabel = "BYTES", defaultValue = "1048576",
      description = "Longer lines are reported as line-too-long. Default: ${DEFAULT-VALUE}.")
  private int maxLineBytes;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  private boolean json;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing; only the exit status tells.")
  private boolean quiet;

  private InputStream stdin = System.in;
  private PrintStream out = System.out;
  private PrintStream err = System.err;

  /**
   * Runs the command line and exits the JVM with its status.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    // The schema library logs through SLF4J; the runnable jar ships no binding, so say "none" once
    // here instead of letting SLF4J print a warning into the CI log.
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
      System.setProperty("slf4j.internal.verbosity", "WARN");
    }
    System.exit(run(args, System.in, System.out, System.err));
  }

  /**
   * Runs the command line without exiting, for tests and embedding.
   *
   * @param args command-line arguments
   * @param stdin standard input, read for {@code -}
   * @param out where the summary goes
   * @param err where usage errors go
   * @return the exit status: {@value #EXIT_OK}, {@value #EXIT_VIOLATIONS} or {@value #EXIT_USAGE}
   */
  public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    LintLogs command = new LintLogs();
    command.stdin = stdin;
    command.out = out;
    command.err = err;
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    LogFormat fmt;
    try {
      fmt = LogFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      err.println("lint-logs: --format must be one of auto, json, cri, kubectl; got '" + format + "'");
      return EXIT_USAGE;
    }
    if (maxLineBytes < 1 || maxViolations < 0) {
      err.println("lint-logs: --max-line-bytes must be at least 1 and --max-violations at least 0");
      return EXIT_USAGE;
    }
    LogLineValidator validator = LogLineValidator.builder().maxLineBytes(maxLineBytes).secretKeys(maskKeys)
        .requireTraceContextOnRequests(requireTraceContext).build();
    LintReport report = new LintReport(maxViolations);
    List<String> inputs = files.isEmpty() ? List.of("-") : files;
    for (String f : inputs) {
      try {
        if (f.equals("-")) {
          lint(stdin, "<stdin>", fmt, validator, report, requireRequestContext ? new RequestContextCheck() : null);
        } else {
          try (InputStream in = Files.newInputStream(Path.of(f))) {
            lint(in, f, fmt, validator, report, requireRequestContext ? new RequestContextCheck() : null);
          }
        }
      } catch (NoSuchFileException e) {
        err.println("lint-logs: no such file: " + f);
        return EXIT_USAGE;
      } catch (IOException | java.nio.file.InvalidPathException e) {
        err.println("lint-logs: cannot read " + f + ": " + e.getMessage());
        return EXIT_USAGE;
      }
    }
    if (!quiet) {
      if (json) {
        report.printJson(out);
      } else {
        report.printText(out);
      }
      out.flush();
    }
    return report.violations() == 0 ? EXIT_OK : EXIT_VIOLATIONS;
  }

  /**
   * Checks every line of one input: the code path of the command, single-threaded.
   *
   * @param in the input, not closed
   * @param source the input's name for the report
   * @param format the line framing
   * @param validator the validator (its line cap also bounds the reader's buffer)
   * @param report where results go
   * @throws IOException when reading fails
   */
  public static void lint(InputStream in, String source, LogFormat format, LogLineValidator validator,
      LintReport report) throws IOException {
    lint(in, source, format, validator, report, null);
  }

  /**
   * Checks every line of one input, and with {@code requestContext} the lines logged inside requests.
   *
   * @param in the input, not closed
   * @param source the input's name for the report
   * @param format the line framing
   * @param validator the validator (its line cap also bounds the reader's buffer)
   * @param report where results go
   * @param requestContext the {@code --require-request-context} check, or {@code null}
   * @throws IOException when reading fails
   */
  public static void lint(InputStream in, String source, LogFormat format, LogLineValidator validator,
      LintReport report, @org.jspecify.annotations.Nullable RequestContextCheck requestContext) throws IOException {
    LogLineReader reader = new LogLineReader(in, format, validator.maxLineBytes());
    while (reader.next()) {
      List<Violation> found;
      if (reader.tooLongBytes() >= 0) {
        found = List.of(validator.lineTooLong(reader.lineNumber(), reader.buffer(), reader.length(),
            reader.tooLongBytes()));
      } else if (reader.isBlank()) {
        report.blank();
        continue;
      } else {
        found = validator.validate(reader.lineNumber(), reader.buffer(), reader.offset(), reader.length());
        if (requestContext != null) {
          List<Violation> more = requestContext.accept(reader.lineNumber(),
              new String(reader.buffer(), reader.offset(), reader.length(), StandardCharsets.UTF_8));
          if (!more.isEmpty()) {
            found = new ArrayList<>(found);
            found.addAll(more);
          }
        }
      }
      report.line(source, found);
    }
  }
}
