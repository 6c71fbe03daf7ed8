package io.github.telemetrybootstrap.testkit.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart's own Kubernetes manifest passes the lint, as written and as kustomize renders it. */
class ManifestLintQuickstartTest {
  /** Resolved from the module directory, where Maven runs the tests. */
  private static final Path QUICKSTART_K8S = Path.of("..", "examples", "quickstart", "k8s");

  private final ManifestLint lint = ManifestLint.builder().build();

  @Test
  void quickstartDeploymentIsClean() {
    Path deployment = QUICKSTART_K8S.resolve("deployment.yaml");
    assertThat(deployment).isRegularFile();
    assertThatCode(() -> lint.assertClean(deployment)).doesNotThrowAnyException();
    // Not vacuous: the file holds the scraped Deployment the lint inspects. Breaking its port is caught.
    assertThat(lint.check("broken", readString(deployment).replace("prometheus.io/port: \"9464\"", "prometheus.io/port: \"9465\"")))
        .extracting(Finding::toString)
        .containsExactly("broken: Deployment quickstart: prometheus.io/port \"9465\" matches no containerPort (declared: 8080, 9464)");
  }

  @Test
  void kustomizeRenderedStreamIsChecked(@TempDir Path overlay) throws Exception {
    Path kubectl = requireTool("kubectl", "kubernetes-client");
    // The quickstart as kustomize renders it: clean.
    assertThat(lint.check("kubectl kustomize examples/quickstart/k8s", kustomize(kubectl, QUICKSTART_K8S))).isEmpty();

    // An overlay that puts it in a namespace and patches the port wrong: the rendered stream is caught.
    Files.writeString(
        overlay.resolve("kustomization.yaml"),
        String.join(
            "\n",
            "apiVersion: kustomize.config.k8s.io/v1beta1",
            "kind: Kustomization",
            "namespace: shop",
            "resources:",
            // kustomize accepts only relative paths to other kustomizations.
            "  - " + overlay.toRealPath().relativize(QUICKSTART_K8S.toRealPath()),
            "patches:",
            "  - target: {kind: Deployment, name: quickstart}",
            "    patch: |-",
            "      - op: replace",
            "        path: /spec/template/metadata/annotations/prometheus.io~1port",
            "        value: \"8081\"",
            ""),
        StandardCharsets.UTF_8);
    List<Finding> findings = lint.check("kustomize overlay", kustomize(kubectl, overlay));
    assertThat(findings)
        .extracting(Finding::toString)
        .containsExactly(
            "kustomize overlay: Deployment shop/quickstart: prometheus.io/port \"8081\" matches no containerPort (declared: 8080, 9464)");
  }

  private static String kustomize(Path kubectl, Path dir) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("kubectl kustomize " + dir + " did not finish in 60 s");
    }
    assertThat(process.exitValue()).as("kubectl kustomize %s exit code; output:%n%s", dir, out).isZero();
    return out;
  }

  /** The tool on PATH; required when CI=true, otherwise the test is skipped naming the Debian package. */
  private static Path requireTool(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String message = name + " is not on PATH (Debian package " + debianPackage + ")";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + "; it is required when CI=true");
    }
    Assumptions.abort(message + "; skipping");
    throw new AssertionError("unreachable");
  }

  private static String readString(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
