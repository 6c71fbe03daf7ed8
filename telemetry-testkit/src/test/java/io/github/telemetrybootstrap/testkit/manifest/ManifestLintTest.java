package io.github.telemetrybootstrap.testkit.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.telemetrybootstrap.testkit.manifest.Finding.Severity;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLintTest {
  private final ManifestLint lint = ManifestLint.builder().build();

  private static Path fixture(String name) {
    try {
      return Path.of(Objects.requireNonNull(ManifestLintTest.class.getResource("/manifest/" + name), name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void goodDeploymentWithAnnotationsOnTheTemplateIsClean() {
    assertThat(lint.check(fixture("good-deployment.yaml"))).isEmpty();
    assertThatCode(() -> lint.assertClean(fixture("good-deployment.yaml"))).doesNotThrowAnyException();
  }

  @Test
  void wrongPortNamesFileObjectAndDeclaredPorts() throws IOException {
    String yaml = Files.readString(fixture("wrong-port.yaml"));
    List<Finding> findings = lint.check("deploy/quickstart.yaml", yaml);
    assertThat(findings).hasSize(1);
    Finding f = findings.get(0);
    assertThat(f.toString())
        .isEqualTo("deploy/quickstart.yaml: Deployment default/quickstart: prometheus.io/port \"9646\" matches no containerPort (declared: 8080, 9464)");
    assertThat(f)
        .extracting(Finding::file, Finding::documentIndex, Finding::kind, Finding::namespace, Finding::name, Finding::severity, Finding::ruleId)
        .containsExactly("deploy/quickstart.yaml", 0, "Deployment", "default", "quickstart", Severity.ERROR, ManifestLint.RULE_PORT_MISMATCH);
  }

  @Test
  void missingPortIsAnError() {
    assertThat(lint.check(fixture("missing-port.yaml")))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.ruleId()).isEqualTo(ManifestLint.RULE_PORT_MISSING);
          assertThat(f.message()).contains("prometheus.io/port is not set").contains("declared: 8080, 9464");
        });
  }

  @Test
  void namedPortThatResolvesPassesUnlessNumbersAreRequired() {
    assertThat(lint.check(fixture("named-port.yaml"))).isEmpty();
    assertThat(ManifestLint.builder().requireNumericPort(true).build().check(fixture("named-port.yaml")))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.ruleId()).isEqualTo(ManifestLint.RULE_PORT_NOT_NUMERIC);
          assertThat(f.message()).contains("\"metrics\" is a port name (containerPort 9464)").contains("write \"9464\"");
        });
  }

  @Test
  void unknownPortNameIsAMismatch() {
    List<Finding> findings = lint.check("x.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {prometheus.io/scrape: \"true\", prometheus.io/port: metricz}}\n"
        + "spec: {containers: [{name: a, image: i, ports: [{name: metrics, containerPort: 9464}, {containerPort: 8080}]}]}\n");
    assertThat(findings).singleElement().hasToString(
        "x.yaml: Pod p: prometheus.io/port \"metricz\" is neither a number nor the name of a containerPort (declared: 8080, 9464 \"metrics\")");
  }

  @Test
  void portOutOfRangeIsInvalid() {
    List<Finding> findings = lint.check("x.yaml", "kind: Pod\nmetadata: {name: p, annotations: {prometheus.io/scrape: \"true\", prometheus.io/port: \"99999\"}}\n"
        + "spec: {containers: [{name: a, image: i, ports: [{containerPort: 9464}]}]}\n");
    assertThat(findings).extracting(Finding::ruleId).containsExactly(ManifestLint.RULE_PORT_INVALID);
  }

  @Test
  void wrongPathIsAnErrorAndTheServedPathIsConfigurable() {
    assertThat(lint.check(fixture("wrong-path.yaml")))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.ruleId()).isEqualTo(ManifestLint.RULE_PATH_MISMATCH);
          assertThat(f.message()).isEqualTo("prometheus.io/path \"/metric\" differs from the path the service serves metrics at (\"/metrics\")");
        });
    // The good fixture says /metrics; a Spring service serves /actuator/prometheus.
    ManifestLint spring = ManifestLint.builder().metricsPath("/actuator/prometheus").build();
    assertThat(spring.check(fixture("good-deployment.yaml"))).extracting(Finding::ruleId).containsExactly(ManifestLint.RULE_PATH_MISMATCH);
    // Per workload override, namespaced or by name.
    assertThat(ManifestLint.builder().metricsPath("/actuator/prometheus").metricsPath("default/quickstart", "/metrics").build()
        .check(fixture("good-deployment.yaml"))).isEmpty();
    assertThat(ManifestLint.builder().metricsPath("quickstart", "/metric").build().check(fixture("wrong-path.yaml"))).isEmpty();
  }

  @Test
  void absentPathMeansMetricsWhichMustBeWhatTheServiceServes() {
    String yaml = "kind: Pod\nmetadata: {name: p, annotations: {prometheus.io/scrape: \"true\", prometheus.io/port: \"8080\"}}\n"
        + "spec: {containers: [{name: a, image: i, ports: [{containerPort: 8080}]}]}\n";
    assertThat(lint.check("x.yaml", yaml)).isEmpty();
    assertThat(ManifestLint.builder().metricsPath("/actuator/prometheus").build().check("x.yaml", yaml))
        .singleElement()
        .extracting(Finding::message)
        .isEqualTo("prometheus.io/path is not set, so Prometheus scrapes \"/metrics\", but the service serves metrics at \"/actuator/prometheus\"");
    assertThat(lint.check("x.yaml", yaml.replace("prometheus.io/port", "prometheus.io/path: metrics, prometheus.io/port")))
        .extracting(Finding::ruleId).containsExactly(ManifestLint.RULE_PATH_INVALID);
  }

  @Test
  void annotationsOnTheDeploymentMetadataAreFlagged() {
    assertThat(lint.check(fixture("annotations-on-workload.yaml")))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.severity()).isEqualTo(Severity.ERROR);
          assertThat(f.ruleId()).isEqualTo(ManifestLint.RULE_ANNOTATIONS_ON_WORKLOAD);
          assertThat(f.object()).isEqualTo("Deployment shop/orders");
          assertThat(f.message()).contains("prometheus.io/port: \"9464\", prometheus.io/scrape: \"true\"")
              .contains("move it to the pod template (spec.template.metadata.annotations)");
        });
  }

  @Test
  void daemonSetAndCronJobTemplatesAreFound() {
    List<Finding> findings = lint.check(fixture("daemonset-and-cronjob.yaml"));
    assertThat(findings)
        .extracting(Finding::documentIndex, Finding::object, Finding::ruleId, Finding::message)
        .containsExactly(tuple(1, "CronJob batch/nightly-report", ManifestLint.RULE_PORT_MISMATCH,
            "prometheus.io/port \"9465\" matches no containerPort (declared: 9464)"));
  }

  @Test
  void itemsOfAListAreChecked() {
    assertThat(lint.check(fixture("list.yaml")))
        .extracting(Finding::object, Finding::ruleId)
        .containsExactly(tuple("StatefulSet data/db", ManifestLint.RULE_PORT_MISSING));
  }

  @Test
  void malformedYamlIsAFindingAndEarlierDocumentsAreStillChecked() {
    Path file = fixture("malformed.yaml");
    List<Finding> findings = lint.check(file);
    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.ruleId()).isEqualTo(ManifestLint.RULE_YAML_PARSE_ERROR);
      assertThat(f.documentIndex()).isEqualTo(1);
      assertThat(f.kind()).isNull();
      assertThat(f.toString())
          .isEqualTo(file + ": document 1: malformed YAML at line 19, column 10: mapping values are not allowed here");
    });
    // The first document is a valid Pod with a wrong port: it is reported before the parse error.
    assertThat(lint.check("x.yaml", Files.exists(file) ? readAndBreakPort(file) : ""))
        .extracting(Finding::ruleId)
        .containsExactly(ManifestLint.RULE_PORT_MISMATCH, ManifestLint.RULE_YAML_PARSE_ERROR);
  }

  private static String readAndBreakPort(Path file) {
    try {
      return Files.readString(file).replaceFirst("\"9464\"", "\"1234\"");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void duplicateKeysAreAParseErrorAsForKubectl() {
    assertThat(lint.check(fixture("duplicate-key.yaml")))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.ruleId()).isEqualTo(ManifestLint.RULE_YAML_PARSE_ERROR);
          assertThat(f.message()).isEqualTo("malformed YAML at line 5, column 9: duplicate key \"name\" (kubectl rejects duplicate keys too)");
        });
  }

  @Test
  void garbageBinaryAndEmptyInputNeverThrow() {
    assertThatCode(() -> lint.check("bin", "\u0000\u0001\u00ff: [ {")).doesNotThrowAnyException();
    assertThat(lint.check("bin", "\u0000\u0001\u00ff: [ {")).extracting(Finding::ruleId).containsExactly(ManifestLint.RULE_YAML_PARSE_ERROR);
    assertThat(lint.check("empty", "")).isEmpty();
    assertThat(lint.check("comments", "# nothing\n---\n---\n# still nothing\n")).isEmpty();
    assertThat(lint.check("scalar", "just a string\n---\n- a\n- list\n")).isEmpty();
  }

  @Test
  void metricsPortWithoutScrapeAnnotationIsAWarningUnlessExplicitlyOff() {
    List<Finding> findings = lint.check(fixture("metrics-port-without-scrape.yaml"));
    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.WARNING);
      assertThat(f.ruleId()).isEqualTo(ManifestLint.RULE_SCRAPE_MISSING);
      assertThat(f.object()).isEqualTo("Deployment silent");
      assertThat(f.message()).contains("containerPort 9090 named \"http-metrics\"");
    });
    assertThatThrownBy(() -> lint.assertClean(fixture("metrics-port-without-scrape.yaml")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("[WARNING scrape-annotation-missing]");
    assertThatCode(() -> ManifestLint.builder().failOn(Severity.ERROR).build().assertClean(fixture("metrics-port-without-scrape.yaml")))
        .doesNotThrowAnyException();
  }

  @Test
  void unquotedAnnotationValuesAreReported() {
    assertThat(lint.check(fixture("unquoted-values.yaml")))
        .extracting(Finding::ruleId, Finding::message)
        .containsExactly(
            tuple(ManifestLint.RULE_ANNOTATION_NOT_STRING,
                "prometheus.io/scrape is the YAML boolean true, not a string; the Kubernetes API rejects it: write prometheus.io/scrape: \"true\""),
            tuple(ManifestLint.RULE_ANNOTATION_NOT_STRING,
                "prometheus.io/port is the YAML number 9464, not a string; the Kubernetes API rejects it: write prometheus.io/port: \"9464\""));
  }

  @Test
  void scrapeValueOtherThanTrueOrFalseIsAnError() {
    List<Finding> findings = lint.check("x.yaml", "kind: Pod\nmetadata: {name: p, annotations: {prometheus.io/scrape: \"yes\", prometheus.io/port: \"1\"}}\n");
    assertThat(findings).extracting(Finding::ruleId).containsExactly(ManifestLint.RULE_SCRAPE_VALUE);
  }

  @Test
  void sidecarInitContainerPortsCount() {
    String yaml = "kind: Pod\nmetadata: {name: p, annotations: {prometheus.io/scrape: \"true\", prometheus.io/port: \"9901\"}}\n"
        + "spec:\n  initContainers: [{name: proxy, image: i, restartPolicy: Always, ports: [{containerPort: 9901}]},"
        + " {name: setup, image: i, ports: [{containerPort: 7000}]}]\n  containers: [{name: a, image: i, ports: [{containerPort: 8080}]}]\n";
    assertThat(lint.check("x.yaml", yaml)).isEmpty();
    assertThat(lint.check("x.yaml", yaml.replace("\"9901\"", "\"7000\"")))
        .singleElement().extracting(Finding::message)
        .isEqualTo("prometheus.io/port \"7000\" matches no containerPort (declared: 8080, 9901)");
  }

  @Test
  void assertCleanListsEveryFinding(@TempDir Path dir) throws IOException {
    Files.copy(fixture("wrong-port.yaml"), dir.resolve("a.yaml"));
    Files.copy(fixture("annotations-on-workload.yaml"), dir.resolve("b.yml"));
    Files.writeString(dir.resolve("README.md"), "not yaml: [", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> lint.assertClean(dir))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Kubernetes manifests have 2 scrape annotation finding(s):")
        .hasMessageContaining("[ERROR port-mismatch] " + dir.resolve("a.yaml") + ": Deployment default/quickstart: prometheus.io/port \"9646\"")
        .hasMessageContaining("[ERROR annotations-on-workload] " + dir.resolve("b.yml") + ": Deployment shop/orders:");
  }

  @Test
  void unreadablePathIsAFinding(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    assertThat(lint.check(missing)).singleElement().satisfies(f -> {
      assertThat(f.ruleId()).isEqualTo(ManifestLint.RULE_FILE_UNREADABLE);
      assertThat(f.file()).isEqualTo(missing.toString());
    });
  }

  @Test
  void badConfigurationFailsNamingTheValue() {
    assertThatThrownBy(() -> ManifestLint.builder().metricsPath("metrics"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metricsPath must start with \"/\", was \"metrics\"");
    assertThatThrownBy(() -> ManifestLint.builder().metricsPath(" ", "/m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workload name must not be blank");
  }
}
