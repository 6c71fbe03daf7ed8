package io.github.telemetrybootstrap.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds the user-style projects under {@code compat-tests/projects} with the repository's Maven
 * wrapper, as a user would ({@code mvnw package} on their own pom), and runs what they built as
 * separate JVMs.
 */
final class UserProjects {
  static final Path ROOT = Path.of(System.getProperty("repository.root", "..")).toAbsolutePath().normalize();
  static final Path SOURCES = ROOT.resolve("compat-tests/projects");
  static final Path WORK = ROOT.resolve("compat-tests/target/projects");
  static final String VERSION = System.getProperty("telemetry.version", "0.1.0-SNAPSHOT");

  private static final Map<Path, Result> BUILDS = new java.util.concurrent.ConcurrentHashMap<>();

  private UserProjects() {}

  /** What a process printed and how it ended. */
  record Result(int exit, List<String> stdout, String stderr) {}

  /**
   * Copies {@code dir} (a project, or the aggregator of several) to {@code target/projects} and runs
   * {@code mvnw -B package} there, once per test JVM.
   */
  static synchronized Path build(String dir) {
    Path work = WORK.resolve(dir);
    BUILDS.computeIfAbsent(work, w -> {
      copy(SOURCES.resolve(dir), w);
      Result r = run(w, Duration.ofMinutes(15), Map.of(),
          ROOT.resolve("mvnw").toString(), "-B", "-q", "-Dtelemetry.version=" + VERSION,
          "-DskipTests", "package");
      if (r.exit() != 0) {
        throw new AssertionError("mvnw package of " + dir + " failed (exit " + r.exit() + "); is this build's "
            + "version installed (./mvnw install)?\n" + String.join("\n", r.stdout()) + "\n" + r.stderr());
      }
      return r;
    });
    return work;
  }

  /** Copies a project to {@code target/projects} (fresh) without building it. */
  static Path copyProject(String dir) {
    Path work = WORK.resolve(dir);
    copy(SOURCES.resolve(dir), work);
    return work;
  }

  /** Runs {@code com.example.App} of a built plain-Java project with its copied dependencies. */
  static Result runApp(Path project, Map<String, String> env) {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = project.resolve("target/classes") + java.io.File.pathSeparator + project.resolve("target/dependency/*");
    return run(project, Duration.ofSeconds(60), env, javaBin, "-cp", cp, "com.example.App");
  }

  /**
   * A user's service started as a separate JVM: its stdout read line by line as it comes, stopped by
   * SIGTERM through the process handle (so the pipe stays open for the shutdown lines).
   */
  static final class Service implements AutoCloseable {
    final Process process;
    final List<String> stdout = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread reader;

    private Service(Process process) {
      this.process = process;
      this.reader = new Thread(() -> {
        try (java.io.BufferedReader r = new java.io.BufferedReader(
            new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String l; (l = r.readLine()) != null; ) {
            stdout.add(l);
          }
        } catch (IOException gone) {
          // the process ended
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    /** Sends SIGTERM, waits up to 20 s for the exit and 5 s more for the last stdout lines. */
    @Override
    public void close() throws InterruptedException {
      process.toHandle().destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      reader.join(5_000);
    }
  }

  /**
   * Starts {@code command} in {@code dir} with the host's {@code OTEL_*}, {@code TELEMETRY_*} and
   * {@code QUARKUS_*} variables removed and {@code env} added.
   */
  static Service start(Path dir, Map<String, String> env, String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TELEMETRY_")
        || k.startsWith("QUARKUS_"));
    pb.environment().putAll(env);
    return new Service(pb.start());
  }

  static Result run(Path dir, Duration timeout, Map<String, String> env, String... command) {
    try {
      Path out = Files.createTempFile("user-project", ".out");
      Path err = Files.createTempFile("user-project", ".err");
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TELEMETRY_")
          || k.startsWith("MAVEN_OPTS"));
      pb.environment().putAll(env);
      pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
            + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
      }
      Result r = new Result(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static java.io.File nullFile() {
    return new java.io.File("/dev/null");
  }

  /**
   * Copies a project; a {@code COPY-FROM} file in it names further sources shared between projects,
   * one {@code <path below projects/> <path in the project>} per line (a user project is
   * self-contained once copied).
   */
  private static void copy(Path from, Path to) {
    copyTree(from, to);
    Path spec = from.resolve("COPY-FROM");
    if (Files.exists(spec)) {
      try {
        for (String line : Files.readAllLines(spec)) {
          String[] parts = line.trim().split("\\s+");
          if (parts.length == 2) {
            Path source = SOURCES.resolve(parts[0]);
            Path target = to.resolve(parts[1]);
            if (Files.isDirectory(source)) {
              copyTree(source, target);
            } else {
              Files.createDirectories(target.getParent());
              Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try (var nested = Files.list(from)) {
      for (Path child : nested.filter(c -> Files.exists(c.resolve("pom.xml")) && Files.exists(c.resolve("COPY-FROM"))).toList()) {
        copy(child, to.resolve(child.getFileName().toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyTree(Path from, Path to) {
    try {
      Files.walkFileTree(from, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          if (dir.getFileName().toString().equals("target")) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          Files.createDirectories(to.resolve(from.relativize(dir).toString()));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> lines(String text) {
    return new ArrayList<>(text.lines().toList());
  }
}
