package io.github.telemetrybootstrap.testkit.manifest;

import io.github.telemetrybootstrap.testkit.manifest.Finding.Severity;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks the Prometheus scrape annotations of Kubernetes workloads against what the pods declare.
 *
 * <pre>{@code
 * ManifestLint.builder().metricsPath("/metrics").build().assertClean(Path.of("deploy/app.yaml"));
 * }</pre>
 *
 * <p><b>Input.</b> YAML files with any number of {@code ---} separated documents, directories
 * (every {@code *.yaml} / {@code *.yml} below them, in name order), or a stream such as the output of
 * {@code kubectl kustomize} ({@link #check(String, Reader)}). Objects inside a {@code List}
 * ({@code kind: List} or any {@code *List} with {@code items}) are checked too. Parsing uses
 * Jackson's YAML module; duplicate keys are an error, as they are for {@code kubectl}.
 *
 * <p><b>Workloads</b> and where their pod template is: {@code Pod} (the object itself);
 * {@code Deployment}, {@code StatefulSet}, {@code DaemonSet}, {@code ReplicaSet},
 * {@code ReplicationController}, {@code Job} ({@code spec.template}); {@code CronJob}
 * ({@code spec.jobTemplate.spec.template}). Other kinds are ignored, including {@code Service}
 * (service-level annotations belong to the separate {@code role: endpoints} convention).
 *
 * <p><b>Rules</b> (the annotation convention of Prometheus' example Kubernetes scrape configuration,
 * {@code role: pod}, which reads pod annotations):
 *
 * <ul>
 *   <li>{@value #RULE_ANNOTATIONS_ON_WORKLOAD}: {@code prometheus.io/*} annotations on the workload's
 *       own {@code metadata} are ignored by Prometheus; they belong on the pod template. ERROR when
 *       the template is not annotated {@code prometheus.io/scrape: "true"}, WARNING when it is.
 *   <li>{@value #RULE_ANNOTATION_NOT_STRING}: an annotation value written as a YAML boolean or number
 *       ({@code prometheus.io/port: 9464}); the Kubernetes API rejects it. ERROR.
 *   <li>{@value #RULE_SCRAPE_VALUE}: {@code prometheus.io/scrape} is neither {@code "true"} nor
 *       {@code "false"}; scrape configs match the exact string {@code true}. ERROR.
 *   <li>{@value #RULE_PORT_MISSING}: scrape is {@code "true"} but {@code prometheus.io/port} is not
 *       set, so every declared port would be scraped. ERROR.
 *   <li>{@value #RULE_PORT_INVALID}: the port is a number outside 1..65535. ERROR.
 *   <li>{@value #RULE_PORT_MISMATCH}: the port matches no {@code containerPort} (nor, if it is not a
 *       number, the {@code name} of one) of the pod's containers (and of its sidecar init
 *       containers, {@code restartPolicy: Always}). ERROR.
 *   <li>{@value #RULE_PORT_NOT_NUMERIC}: only with {@link Builder#requireNumericPort(boolean)}: the
 *       port is a container port's name. The common relabelling rule only accepts digits. ERROR.
 *   <li>{@value #RULE_PATH_INVALID}: {@code prometheus.io/path} does not start with {@code /}. ERROR.
 *   <li>{@value #RULE_PATH_MISMATCH}: the path (default {@code /metrics} when the annotation is
 *       absent) differs from the path the service serves ({@link Builder#metricsPath(String)}).
 *       ERROR.
 *   <li>{@value #RULE_SCRAPE_MISSING}: the pod declares a port named {@code metrics} or
 *       {@code http-metrics}, or sets {@code prometheus.io/port}/{@code path}, but has no
 *       {@code prometheus.io/scrape} annotation, so it is not scraped. WARNING. An explicit
 *       {@code "false"} is respected.
 *   <li>{@value #RULE_YAML_PARSE_ERROR}: the YAML is malformed; documents before the error are still
 *       checked. ERROR.
 *   <li>{@value #RULE_FILE_UNREADABLE}: a given path cannot be read. ERROR.
 * </ul>
 *
 * <p>Nothing here throws on bad input: every problem is a {@link Finding}. Instances are immutable
 * and thread-safe.
 */
public final class ManifestLint {
  /** The metrics path served by default ({@code telemetry.metrics.path} default). */
  public static final String DEFAULT_METRICS_PATH = "/metrics";
  /** Annotation that turns scraping on, value {@code "true"}. */
  public static final String SCRAPE_ANNOTATION = "prometheus.io/scrape";
  /** Annotation naming the port to scrape. */
  public static final String PORT_ANNOTATION = "prometheus.io/port";
  /** Annotation naming the path to scrape; Prometheus uses {@code /metrics} when it is absent. */
  public static final String PATH_ANNOTATION = "prometheus.io/path";
  /** Container port names that announce a metrics endpoint. */
  public static final Set<String> METRICS_PORT_NAMES = Set.of("metrics", "http-metrics");

  /** Rule id: scrape annotations on the workload instead of the pod template. */
  public static final String RULE_ANNOTATIONS_ON_WORKLOAD = "annotations-on-workload";
  /** Rule id: annotation value is not a YAML string. */
  public static final String RULE_ANNOTATION_NOT_STRING = "annotation-not-string";
  /** Rule id: {@code prometheus.io/scrape} is neither "true" nor "false". */
  public static final String RULE_SCRAPE_VALUE = "scrape-value-invalid";
  /** Rule id: scraping on, port annotation missing. */
  public static final String RULE_PORT_MISSING = "port-missing";
  /** Rule id: port number out of range. */
  public static final String RULE_PORT_INVALID = "port-invalid";
  /** Rule id: port matches no declared container port. */
  public static final String RULE_PORT_MISMATCH = "port-mismatch";
  /** Rule id: port given as a name while numbers are required. */
  public static final String RULE_PORT_NOT_NUMERIC = "port-not-numeric";
  /** Rule id: path does not start with {@code /}. */
  public static final String RULE_PATH_INVALID = "path-invalid";
  /** Rule id: path differs from the served metrics path. */
  public static final String RULE_PATH_MISMATCH = "path-mismatch";
  /** Rule id: metrics port or scrape settings without {@code prometheus.io/scrape}. */
  public static final String RULE_SCRAPE_MISSING = "scrape-annotation-missing";
  /** Rule id: malformed YAML. */
  public static final String RULE_YAML_PARSE_ERROR = "yaml-parse-error";
  /** Rule id: a path that cannot be read. */
  public static final String RULE_FILE_UNREADABLE = "file-unreadable";

  private static final String PROMETHEUS_PREFIX = "prometheus.io/";
  private static final Map<String, List<String>> POD_TEMPLATE_PATHS =
      Map.of(
          "Deployment", List.of("spec", "template"),
          "StatefulSet", List.of("spec", "template"),
          "DaemonSet", List.of("spec", "template"),
          "ReplicaSet", List.of("spec", "template"),
          "ReplicationController", List.of("spec", "template"),
          "Job", List.of("spec", "template"),
          "CronJob", List.of("spec", "jobTemplate", "spec", "template"),
          "Pod", List.of());

  private static final java.util.regex.Pattern DUPLICATE_KEY =
      java.util.regex.Pattern.compile("Duplicate property \"(.*?)\"");

  private static final ObjectReader YAML =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build()
          .readerFor(JsonNode.class);

  private final String metricsPath;
  private final Map<String, String> metricsPathByWorkload;
  private final boolean requireNumericPort;
  private final Severity failOn;

  private ManifestLint(Builder builder) {
    this.metricsPath = builder.metricsPath;
    this.metricsPathByWorkload = Map.copyOf(builder.metricsPathByWorkload);
    this.requireNumericPort = builder.requireNumericPort;
    this.failOn = builder.failOn;
  }

  /**
   * A builder with the defaults: metrics path {@value #DEFAULT_METRICS_PATH}, named ports allowed,
   * {@link #assertClean(Path...)} failing on warnings and errors.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks files and directories.
   *
   * @param paths YAML files, or directories searched recursively for {@code *.yaml} and
   *     {@code *.yml}
   * @return the findings in input order (file, document, rule); empty when all is well
   */
  public List<Finding> check(Path... paths) {
    List<Finding> findings = new ArrayList<>();
    for (Path path : paths) {
      for (Path file : expand(path, findings)) {
        String source = file.toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          checkStream(source, reader, findings);
        } catch (IOException | RuntimeException e) {
          findings.add(fileFinding(source, 0, RULE_FILE_UNREADABLE, "cannot read: " + e));
        }
      }
    }
    return List.copyOf(findings);
  }

  /**
   * Checks a stream of YAML documents, such as the output of {@code kubectl kustomize}.
   *
   * @param source the name findings report as their file, e.g. {@code "kustomize overlays/prod"}
   * @param yaml the documents; read to the end (or to the first syntax error), not closed
   * @return the findings in document order; empty when all is well
   */
  public List<Finding> check(String source, Reader yaml) {
    List<Finding> findings = new ArrayList<>();
    try {
      checkStream(source, yaml, findings);
    } catch (IOException | RuntimeException e) {
      findings.add(fileFinding(source, 0, RULE_FILE_UNREADABLE, "cannot read: " + e));
    }
    return List.copyOf(findings);
  }

  /**
   * Checks YAML text; see {@link #check(String, Reader)}.
   *
   * @param source the name findings report as their file
   * @param yaml the documents
   * @return the findings in document order
   */
  public List<Finding> check(String source, String yaml) {
    return check(source, new StringReader(yaml));
  }

  /**
   * Fails when {@link #check(Path...)} finds anything at or above the builder's
   * {@link Builder#failOn(Severity) failOn} severity (default: warnings and errors).
   *
   * @param paths YAML files or directories
   * @throws AssertionError listing every finding, one per line, as {@code [SEVERITY rule-id] file:
   *     object: message}
   */
  public void assertClean(Path... paths) {
    assertClean(check(paths));
  }

  /**
   * Fails when {@code findings} holds anything at or above the builder's
   * {@link Builder#failOn(Severity) failOn} severity.
   *
   * @param findings the result of a {@code check} call
   * @throws AssertionError listing every finding, one per line
   */
  public void assertClean(List<Finding> findings) {
    boolean fail = findings.stream().anyMatch(f -> f.severity().compareTo(failOn) >= 0);
    if (fail) {
      throw new AssertionError(
          "Kubernetes manifests have " + findings.size() + " scrape annotation finding(s):\n"
              + findings.stream()
                  .map(f -> "  [" + f.severity() + " " + f.ruleId() + "] " + f)
                  .collect(Collectors.joining("\n")));
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static List<Path> expand(Path path, List<Finding> findings) {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException | RuntimeException e) {
      findings.add(fileFinding(path.toString(), 0, RULE_FILE_UNREADABLE, "cannot list directory: " + e));
      return List.of();
    }
  }

  private void checkStream(String source, Reader reader, List<Finding> findings) throws IOException {
    int index = 0;
    try (MappingIterator<JsonNode> documents = YAML.readValues(reader)) {
      while (documents.hasNextValue()) {
        JsonNode document = documents.nextValue();
        checkObject(source, index, document, findings);
        index++;
      }
    } catch (JacksonException e) {
      findings.add(fileFinding(source, index, RULE_YAML_PARSE_ERROR, "malformed YAML" + where(e) + ": " + reason(e)));
    }
  }

  /** The parser's reason on one line; Jackson's duplicate-key message in YAML terms. */
  private static String reason(JacksonException e) {
    String message = String.valueOf(e.getOriginalMessage()).strip();
    int newline = message.indexOf('\n');
    String first = newline < 0 ? message : message.substring(0, newline).strip();
    java.util.regex.Matcher dup = DUPLICATE_KEY.matcher(first);
    return dup.lookingAt() ? "duplicate key \"" + dup.group(1) + "\" (kubectl rejects duplicate keys too)" : first;
  }

  private static String where(JacksonException e) {
    TokenStreamLocation location = e.getLocation();
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private void checkObject(String source, int index, @Nullable JsonNode object, List<Finding> findings) {
    if (object == null || !object.isObject()) {
      return;
    }
    String kind = text(object.get("kind"));
    if (kind == null) {
      return;
    }
    JsonNode items = object.get("items");
    if (kind.endsWith("List") && items != null && items.isArray()) {
      for (JsonNode item : items.values()) {
        checkObject(source, index, item, findings);
      }
      return;
    }
    List<String> templatePath = POD_TEMPLATE_PATHS.get(kind);
    if (templatePath == null) {
      return;
    }
    JsonNode metadata = object.path("metadata");
    Workload workload =
        new Workload(source, index, kind, text(metadata.get("namespace")), text(metadata.get("name")), findings);
    JsonNode template = object;
    for (String step : templatePath) {
      template = template.path(step);
    }
    checkPodTemplate(workload, metadata, template);
  }

  private void checkPodTemplate(Workload w, JsonNode workloadMetadata, JsonNode template) {
    JsonNode annotations = template.path("metadata").path("annotations");
    Map<String, Port> ports = declaredPorts(template.path("spec"));

    for (String key : List.of(SCRAPE_ANNOTATION, PORT_ANNOTATION, PATH_ANNOTATION)) {
      JsonNode value = annotations.get(key);
      if (value != null && !value.isString()) {
        w.error(
            RULE_ANNOTATION_NOT_STRING,
            key + " is " + (value.isNull() ? "null" : "the YAML " + nodeType(value) + " " + value)
                + ", not a string; the Kubernetes API rejects it: write " + key + ": \""
                + (value.isNull() ? "" : value.asString()) + "\"");
      }
    }
    String scrape = scalar(annotations.get(SCRAPE_ANNOTATION));
    String port = scalar(annotations.get(PORT_ANNOTATION));
    String path = scalar(annotations.get(PATH_ANNOTATION));
    boolean scraped = "true".equals(scrape);

    boolean misplaced = false;
    if (!w.kind.equals("Pod")) {
      Map<String, String> onWorkload = prometheusAnnotations(workloadMetadata.path("annotations"));
      if (!onWorkload.isEmpty()) {
        misplaced = true;
        String what = onWorkload.entrySet().stream()
            .map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
            .collect(Collectors.joining(", "));
        if (scraped) {
          w.add(Severity.WARNING, RULE_ANNOTATIONS_ON_WORKLOAD,
              what + " on the " + w.kind + "'s own metadata is ignored by Prometheus, which reads pod"
                  + " annotations; the pod template already has " + SCRAPE_ANNOTATION + ": \"true\","
                  + " remove the copy from the " + w.kind + "'s metadata");
        } else {
          w.error(RULE_ANNOTATIONS_ON_WORKLOAD,
              what + " is on the " + w.kind + "'s own metadata, where Prometheus never sees it: move it"
                  + " to the pod template (" + templateLocation(w.kind) + ".metadata.annotations)");
        }
      }
    }

    if (scrape != null && !scraped && !scrape.equals("false")) {
      w.error(RULE_SCRAPE_VALUE,
          SCRAPE_ANNOTATION + " \"" + scrape + "\" is neither \"true\" nor \"false\"; scrape configs"
              + " match the exact string true, so this pod is not scraped");
      return;
    }
    if (!scraped) {
      if (scrape == null && !misplaced) {
        List<Port> metricsPorts =
            ports.values().stream().filter(p -> p.name != null && METRICS_PORT_NAMES.contains(p.name)).toList();
        if (!metricsPorts.isEmpty()) {
          Port p = metricsPorts.get(0);
          w.add(Severity.WARNING, RULE_SCRAPE_MISSING,
              "declares containerPort " + p.number + " named \"" + p.name + "\" but the pod template has no "
                  + SCRAPE_ANNOTATION + ": \"true\" annotation, so its metrics are not scraped (set it,"
                  + " or \"false\" if that is deliberate)");
        } else if (port != null || path != null) {
          w.add(Severity.WARNING, RULE_SCRAPE_MISSING,
              (port != null ? PORT_ANNOTATION : PATH_ANNOTATION) + " is set but " + SCRAPE_ANNOTATION
                  + " is not, so the pod is not scraped");
        }
      }
      return;
    }

    checkPort(w, port, ports);
    checkPath(w, path);
  }

  private void checkPort(Workload w, @Nullable String port, Map<String, Port> ports) {
    String declared = describe(ports);
    if (port == null || port.isBlank()) {
      w.error(RULE_PORT_MISSING,
          SCRAPE_ANNOTATION + " is \"true\" but " + PORT_ANNOTATION + " is not set, so Prometheus"
              + " scrapes every declared port (declared: " + declared + ")");
      return;
    }
    String trimmed = port.strip();
    if (trimmed.chars().allMatch(Character::isDigit)) {
      int number = parseInt(trimmed);
      if (number < 1 || number > 65535) {
        w.error(RULE_PORT_INVALID, PORT_ANNOTATION + " \"" + port + "\" is not a port number 1..65535");
      } else if (ports.values().stream().noneMatch(p -> p.number == number)) {
        w.error(RULE_PORT_MISMATCH, PORT_ANNOTATION + " \"" + port + "\" matches no containerPort (declared: " + declared + ")");
      }
      return;
    }
    Port named = ports.values().stream().filter(p -> trimmed.equals(p.name)).findFirst().orElse(null);
    if (named == null) {
      w.error(RULE_PORT_MISMATCH,
          PORT_ANNOTATION + " \"" + port + "\" is neither a number nor the name of a containerPort"
              + " (declared: " + describeWithNames(ports) + ")");
    } else if (requireNumericPort) {
      w.error(RULE_PORT_NOT_NUMERIC,
          PORT_ANNOTATION + " \"" + port + "\" is a port name (containerPort " + named.number + "); the"
              + " scrape configuration's relabelling only accepts a number: write \"" + named.number + "\"");
    }
  }

  private void checkPath(Workload w, @Nullable String path) {
    String expected = expectedPath(w);
    if (path == null) {
      if (!expected.equals(DEFAULT_METRICS_PATH)) {
        w.error(RULE_PATH_MISMATCH,
            PATH_ANNOTATION + " is not set, so Prometheus scrapes \"" + DEFAULT_METRICS_PATH + "\", but"
                + " the service serves metrics at \"" + expected + "\"");
      }
      return;
    }
    if (!path.startsWith("/")) {
      w.error(RULE_PATH_INVALID, PATH_ANNOTATION + " \"" + path + "\" does not start with \"/\"");
    } else if (!path.equals(expected)) {
      w.error(RULE_PATH_MISMATCH,
          PATH_ANNOTATION + " \"" + path + "\" differs from the path the service serves metrics at (\""
              + expected + "\")");
    }
  }

  private String expectedPath(Workload w) {
    if (w.name != null) {
      String namespaced = w.namespace == null ? null : metricsPathByWorkload.get(w.namespace + "/" + w.name);
      if (namespaced != null) {
        return namespaced;
      }
      String byName = metricsPathByWorkload.get(w.name);
      if (byName != null) {
        return byName;
      }
    }
    return metricsPath;
  }

  /** Container ports of the pod's containers and sidecar init containers, keyed "number/name". */
  private static Map<String, Port> declaredPorts(JsonNode podSpec) {
    Map<String, Port> ports = new TreeMap<>();
    List<JsonNode> containers = new ArrayList<>(podSpec.path("containers").values());
    for (JsonNode init : podSpec.path("initContainers").values()) {
      if ("Always".equals(text(init.get("restartPolicy")))) {
        containers.add(init);
      }
    }
    for (JsonNode container : containers) {
      for (JsonNode port : container.path("ports").values()) {
        JsonNode number = port.get("containerPort");
        if (number == null) {
          continue;
        }
        int n = number.isNumber() ? number.asInt() : parseInt(number.asString());
        if (n > 0) {
          String name = text(port.get("name"));
          ports.put(String.format("%05d/%s", n, name == null ? "" : name), new Port(n, name));
        }
      }
    }
    return ports;
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String describe(Map<String, Port> ports) {
    if (ports.isEmpty()) {
      return "none";
    }
    return ports.values().stream().map(p -> String.valueOf(p.number)).distinct().collect(Collectors.joining(", "));
  }

  private static String describeWithNames(Map<String, Port> ports) {
    if (ports.isEmpty()) {
      return "none";
    }
    return ports.values().stream()
        .map(p -> p.name == null ? String.valueOf(p.number) : p.number + " \"" + p.name + "\"")
        .collect(Collectors.joining(", "));
  }

  private static Map<String, String> prometheusAnnotations(JsonNode annotations) {
    Map<String, String> found = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : annotations.properties()) {
      if (e.getKey().startsWith(PROMETHEUS_PREFIX)) {
        found.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString());
      }
    }
    return found;
  }

  private static String templateLocation(String kind) {
    return String.join(".", POD_TEMPLATE_PATHS.get(kind));
  }

  private static String nodeType(JsonNode node) {
    if (node.isBoolean()) {
      return "boolean";
    }
    if (node.isNumber()) {
      return "number";
    }
    return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  /** A string node's value. */
  private static @Nullable String text(@Nullable JsonNode node) {
    return node != null && node.isString() ? node.stringValue() : null;
  }

  /** A scalar's text whatever its YAML type (so {@code 9464} and {@code true} are checked too). */
  private static @Nullable String scalar(@Nullable JsonNode node) {
    if (node == null || node.isNull() || node.isContainer()) {
      return null;
    }
    return node.asString();
  }

  private static Finding fileFinding(String source, int index, String rule, String message) {
    return new Finding(source, index, null, null, null, Severity.ERROR, rule, message);
  }

  private record Port(int number, @Nullable String name) {}

  private static final class Workload {
    final String source;
    final int index;
    final String kind;
    final @Nullable String namespace;
    final @Nullable String name;
    final List<Finding> findings;

    Workload(String source, int index, String kind, @Nullable String namespace, @Nullable String name, List<Finding> findings) {
      this.source = source;
      this.index = index;
      this.kind = kind;
      this.namespace = namespace;
      this.name = name;
      this.findings = findings;
    }

    void error(String rule, String message) {
      add(Severity.ERROR, rule, message);
    }

    void add(Severity severity, String rule, String message) {
      findings.add(new Finding(source, index, kind, namespace, name, severity, rule, message));
    }
  }

  /** Configures a {@link ManifestLint}. Not thread-safe; {@link #build()} copies the settings. */
  public static final class Builder {
    private String metricsPath = DEFAULT_METRICS_PATH;
    private final Map<String, String> metricsPathByWorkload = new HashMap<>();
    private boolean requireNumericPort;
    private Severity failOn = Severity.WARNING;

    private Builder() {}

    /**
     * The path the services serve metrics at, compared with {@code prometheus.io/path}.
     *
     * @param path starts with {@code /}; default {@value #DEFAULT_METRICS_PATH}, Spring Boot's is
     *     {@code /actuator/prometheus}
     * @return this builder
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    public Builder metricsPath(String path) {
      this.metricsPath = requirePath(path);
      return this;
    }

    /**
     * The metrics path of one workload, overriding {@link #metricsPath(String)} for it.
     *
     * @param workload {@code namespace/name} or just {@code name} of the workload (the namespaced
     *     form wins when both are set)
     * @param path starts with {@code /}
     * @return this builder
     * @throws IllegalArgumentException if {@code workload} is blank or {@code path} does not start
     *     with {@code /}
     */
    public Builder metricsPath(String workload, String path) {
      if (workload == null || workload.isBlank()) {
        throw new IllegalArgumentException("metricsPath: workload name must not be blank, was \"" + workload + "\"");
      }
      metricsPathByWorkload.put(workload.strip(), requirePath(path));
      return this;
    }

    /**
     * Whether {@code prometheus.io/port} must be a number. Off by default: a port name that resolves
     * to a container port passes. Turn it on when your scrape configuration uses the common
     * relabelling rule (regex {@code (\d+)} on the annotation), which ignores names.
     *
     * @param require {@code true} to report port names as {@value #RULE_PORT_NOT_NUMERIC}
     * @return this builder
     */
    public Builder requireNumericPort(boolean require) {
      this.requireNumericPort = require;
      return this;
    }

    /**
     * The lowest severity that makes {@link ManifestLint#assertClean(Path...)} fail.
     *
     * @param severity default {@link Severity#WARNING} (any finding fails)
     * @return this builder
     */
    public Builder failOn(Severity severity) {
      this.failOn = Objects.requireNonNull(severity, "severity");
      return this;
    }

    /**
     * Builds the lint.
     *
     * @return an immutable lint with these settings
     */
    public ManifestLint build() {
      return new ManifestLint(this);
    }

    private static String requirePath(@Nullable String path) {
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException("metricsPath must start with \"/\", was \"" + path + "\"");
      }
      return path;
    }
  }
}
