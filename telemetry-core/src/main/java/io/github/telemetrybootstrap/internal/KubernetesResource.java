package io.github.telemetrybootstrap.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Kubernetes resource attributes from the downward API and the service-account mount.
 *
 * <table>
 *   <caption>Sources, first found wins</caption>
 *   <tr><th>attribute</th><th>sources</th></tr>
 *   <tr><td>{@code k8s.namespace.name}</td><td>{@code K8S_NAMESPACE_NAME}, {@code POD_NAMESPACE},
 *       the file {@value #NAMESPACE_FILE}</td></tr>
 *   <tr><td>{@code k8s.pod.name}</td><td>{@code K8S_POD_NAME}, {@code POD_NAME}, then
 *       {@code HOSTNAME} when the namespace file exists (a pod's hostname is its name)</td></tr>
 *   <tr><td>{@code k8s.node.name}</td><td>{@code K8S_NODE_NAME}, {@code NODE_NAME}</td></tr>
 * </table>
 *
 * <p>Internal: not part of the public API.
 */
public final class KubernetesResource {
  /** Where Kubernetes mounts the pod's namespace. */
  public static final String NAMESPACE_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

  static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("k8s.namespace.name");
  static final AttributeKey<String> POD = AttributeKey.stringKey("k8s.pod.name");
  static final AttributeKey<String> NODE = AttributeKey.stringKey("k8s.node.name");

  private KubernetesResource() {}

  /**
   * Detects the attributes.
   *
   * @param env environment lookup
   * @param namespaceFile the service-account namespace file (normally {@value #NAMESPACE_FILE})
   * @return the attributes found; empty outside Kubernetes
   */
  public static Attributes detect(Function<String, @Nullable String> env, Path namespaceFile) {
    AttributesBuilder b = Attributes.builder();
    String fileNamespace = readNamespace(namespaceFile);
    String namespace = Strings.firstNonBlank(env.apply("K8S_NAMESPACE_NAME"), env.apply("POD_NAMESPACE"), fileNamespace);
    String pod =
        Strings.firstNonBlank(
            env.apply("K8S_POD_NAME"),
            env.apply("POD_NAME"),
            fileNamespace != null ? env.apply("HOSTNAME") : null);
    String node = Strings.firstNonBlank(env.apply("K8S_NODE_NAME"), env.apply("NODE_NAME"));
    if (namespace != null) {
      b.put(NAMESPACE, namespace);
    }
    if (pod != null) {
      b.put(POD, pod);
    }
    if (node != null) {
      b.put(NODE, node);
    }
    return b.build();
  }

  private static @Nullable String readNamespace(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        String s = Files.readString(file, StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? null : s;
      }
    } catch (IOException | SecurityException e) {
      // Not readable: not in a pod, or mounted without permission. Nothing to add.
    }
    return null;
  }
}
