package io.github.telemetrybootstrap.testkit.manifest;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One problem {@link ManifestLint} found in a Kubernetes manifest.
 *
 * <p>{@link #toString()} reads like a compiler message:
 * {@code deploy/quickstart.yaml: Deployment default/quickstart: prometheus.io/port "9646" matches no
 * containerPort (declared: 8080, 9464)}.
 *
 * @param file the file path as given to {@link ManifestLint#check(java.nio.file.Path...)}, or the
 *     source name given with a stream
 * @param documentIndex 0-based index of the YAML document in the file ({@code ---} separated); for
 *     objects inside a {@code List} it is the index of the document holding the list
 * @param kind the object's {@code kind}, e.g. {@code Deployment}; {@code null} when the finding is
 *     about the file or document rather than an object (e.g. {@code yaml-parse-error})
 * @param namespace {@code metadata.namespace}, or {@code null} when the manifest leaves it to
 *     {@code kubectl}'s context
 * @param name {@code metadata.name}, or {@code null} when absent
 * @param severity how bad it is
 * @param ruleId stable identifier of the rule, one of the {@code RULE_*} constants of
 *     {@link ManifestLint}
 * @param message what is wrong and what the manifest declares instead
 */
public record Finding(
    String file,
    int documentIndex,
    @Nullable String kind,
    @Nullable String namespace,
    @Nullable String name,
    Severity severity,
    String ruleId,
    String message) {

  /** How bad a finding is. */
  public enum Severity {
    /** Probably deliberate but worth a look, e.g. a metrics port with no scrape annotation. */
    WARNING,
    /** The workload will not be scraped as intended, or the manifest is not valid. */
    ERROR
  }

  /**
   * Validates the components.
   *
   * @param file the file path or stream source name
   * @param documentIndex 0-based YAML document index
   * @param kind the object's kind, or {@code null}
   * @param namespace the object's namespace, or {@code null}
   * @param name the object's name, or {@code null}
   * @param severity how bad it is
   * @param ruleId the rule's stable id
   * @param message what is wrong
   * @throws NullPointerException if {@code file}, {@code severity}, {@code ruleId} or {@code message}
   *     is {@code null}
   */
  public Finding {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(message, "message");
  }

  /**
   * The object as {@code Kind namespace/name} ({@code Kind name} without a namespace), or
   * {@code document N} when the finding is not about an object.
   *
   * @return the object's description
   */
  public String object() {
    if (kind == null) {
      return "document " + documentIndex;
    }
    String id = name == null ? "(unnamed, document " + documentIndex + ")" : name;
    return kind + " " + (namespace == null ? id : namespace + "/" + id);
  }

  /**
   * {@code file: object: message}.
   *
   * @return the finding for humans
   */
  @Override
  public String toString() {
    return file + ": " + object() + ": " + message;
  }
}
