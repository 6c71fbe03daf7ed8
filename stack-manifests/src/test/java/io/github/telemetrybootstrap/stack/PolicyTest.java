package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Hardening and wiring policy on the rendered output of every target (README, "Hardening"): each
 * check collects every violation and reports them all, naming the object and field.
 */
class PolicyTest {

  /** Service accounts whose pods call the Kubernetes API; every other one must not mount a token. */
  private static final Set<String> API_CLIENTS = Set.of("alloy", "otel-collector", "otel-collector-lb", "kube-state-metrics");

  static Stream<Render.Target> targets() {
    return Render.TARGETS.stream();
  }

  private static String id(JsonNode doc) {
    return doc.path("kind").asString() + "/" + doc.path("metadata").path("name").asString();
  }

  private static JsonNode podSpec(JsonNode workload) {
    return workload.path("spec").path("template").path("spec");
  }

  private static List<JsonNode> containers(JsonNode workload) {
    List<JsonNode> all = new ArrayList<>();
    podSpec(workload).path("initContainers").forEach(all::add);
    podSpec(workload).path("containers").forEach(all::add);
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void everyContainerIsHardened(Render.Target target) {
    List<String> violations = new ArrayList<>();
    for (JsonNode w : Render.of(target).workloads()) {
      JsonNode podSecurity = podSpec(w).path("securityContext");
      if (!"RuntimeDefault".equals(podSecurity.path("seccompProfile").path("type").asString(""))) {
        violations.add(id(w) + ": pod seccompProfile is not RuntimeDefault");
      }
      boolean isJob = "Job".equals(w.path("kind").asString());
      boolean privilegedNamespace = "privileged".equals(psaLevel(Render.of(target), namespace(w)));
      List<String> initContainers = new ArrayList<>();
      podSpec(w).path("initContainers").forEach(c -> initContainers.add(c.path("name").asString()));
      for (JsonNode c : containers(w)) {
        String where = id(w) + " container " + c.path("name").asString();
        boolean init = initContainers.contains(c.path("name").asString());
        JsonNode sc = c.path("securityContext");
        boolean nonRoot = sc.path("runAsNonRoot").asBoolean(podSecurity.path("runAsNonRoot").asBoolean(false));
        long uid = sc.path("runAsUser").asLong(podSecurity.path("runAsUser").asLong(0));
        List<String> added = new ArrayList<>();
        sc.path("capabilities").path("add").forEach(a -> added.add(a.asString()));
        // The one root container allowed: an init container of the node namespace that only chowns
        // a host directory for the non-root agent (capability CHOWN, nothing else).
        boolean chownInit = init && privilegedNamespace && added.equals(List.of("CHOWN"));
        if ((!nonRoot || uid == 0) && !chownInit) {
          violations.add(where + ": must run as non-root (runAsNonRoot true, runAsUser non-zero)");
        }
        if (!added.isEmpty() && !chownInit) {
          violations.add(where + ": adds capabilities " + added);
        }
        if (sc.path("allowPrivilegeEscalation").asBoolean(true)) {
          violations.add(where + ": allowPrivilegeEscalation must be false");
        }
        if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
          violations.add(where + ": readOnlyRootFilesystem must be true");
        }
        List<String> dropped = new ArrayList<>();
        sc.path("capabilities").path("drop").forEach(d -> dropped.add(d.asString()));
        if (!dropped.contains("ALL")) {
          violations.add(where + ": capabilities must drop ALL");
        }
        if (sc.path("privileged").asBoolean(false)) {
          violations.add(where + ": privileged");
        }
        for (String kind : List.of("requests", "limits")) {
          for (String resource : List.of("cpu", "memory")) {
            if (c.path("resources").path(kind).path(resource).isMissingNode()) {
              violations.add(where + ": resources." + kind + "." + resource + " missing");
            }
          }
        }
        if (!isJob && !init) {
          for (String probe : List.of("livenessProbe", "readinessProbe")) {
            if (c.path(probe).isMissingNode()) {
              violations.add(where + ": " + probe + " missing");
            }
          }
        }
      }
      // Host access only where the namespace's Pod Security profile is privileged (the node agent),
      // and then only the host network and read-only mounts of /proc, /sys and /.
      boolean privileged = "privileged".equals(psaLevel(Render.of(target), namespace(w)));
      if (podSpec(w).path("hostPID").asBoolean(false) || podSpec(w).path("hostIPC").asBoolean(false)
          || (!privileged && podSpec(w).path("hostNetwork").asBoolean(false))) {
        violations.add(id(w) + ": host namespaces");
      }
      java.util.Set<String> readOnlyMounts = new java.util.HashSet<>();
      java.util.Set<String> allMounts = new java.util.HashSet<>();
      for (JsonNode c : containers(w)) {
        c.path("volumeMounts").forEach(m -> allMounts.add(m.path("name").asString()));
      }
      for (JsonNode c : containers(w)) {
        c.path("volumeMounts").forEach(m -> {
          if (m.path("readOnly").asBoolean(false)) {
            readOnlyMounts.add(m.path("name").asString());
          }
        });
      }
      podSpec(w).path("volumes").forEach(v -> {
        if (v.has("hostPath")) {
          String path = v.path("hostPath").path("path").asString();
          boolean hostReadOnly = List.of("/proc", "/sys", "/").contains(path)
              && readOnlyMounts.contains(v.path("name").asString());
          // An agent's own state directory on the node (read positions), nothing else writable.
          boolean agentState = path.startsWith("/var/lib/telemetry-stack/") && !path.contains("..");
          if (!privileged || !(hostReadOnly || agentState)) {
            violations.add(id(w) + ": hostPath volume " + v.path("name").asString() + " (" + path + ")");
          }
        }
      });
    }
    assertThat(violations).as("hardening violations in %s", target.name()).isEmpty();
  }

  private static String namespace(JsonNode resource) {
    return resource.path("metadata").path("namespace").asString("");
  }

  /** The {@code pod-security.kubernetes.io/enforce} level of a namespace in the render, or {@code ""}. */
  private static String psaLevel(Render render, String namespace) {
    return render.find("Namespace", namespace)
        .map(n -> n.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asString(""))
        .orElse("");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void everyWorkloadRunsInANamespaceOfTheStackWithAPodSecurityProfile(Render.Target target) {
    Render render = Render.of(target);
    List<String> problems = new ArrayList<>();
    for (JsonNode w : render.workloads()) {
      String ns = namespace(w);
      String level = psaLevel(render, ns);
      if (target.name().equals("scalable-collector")) {
        // Deployed by Argo CD into the namespace its Applications create with managedNamespaceMetadata.
        if (!ns.equals("observability")) {
          problems.add(id(w) + ": namespace " + ns);
        }
        continue;
      }
      if (level.isEmpty()) {
        problems.add(id(w) + ": namespace '" + ns + "' is not rendered with a pod-security enforce label");
      } else if (!level.equals("restricted")
          && !List.of("alloy", "alloy-node").contains(w.path("metadata").path("name").asString())) {
        problems.add(id(w) + ": only the node agents (alloy, alloy-node) may run outside a restricted namespace ("
            + ns + " is " + level + ")");
      }
    }
    long privilegedNamespaces = render.ofKind("Namespace").stream()
        .filter(n -> "privileged".equals(n.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asString(""))).count();
    if (privilegedNamespaces > 1) {
      problems.add(privilegedNamespaces + " privileged namespaces; the node agents' is the only one");
    }
    assertThat(problems).as("namespaces and Pod Security in %s", target.name()).isEmpty();
  }

  /**
   * Endpoints that report "not ready yet" or "a dependency is down", by image: as a liveness probe
   * they restart a pod that is replaying its WAL (Loki, Tempo, Prometheus answer 503 on /ready then)
   * or whose backend is down (Alloy's /-/healthy fails while any component is unhealthy), which a
   * restart does not fix. Upstream charts use them for readiness only.
   */
  private static final java.util.Map<String, List<String>> READINESS_ONLY = java.util.Map.of(
      "grafana/loki", List.of("/ready"),
      "grafana/tempo", List.of("/ready"),
      "grafana/alloy", List.of("/-/healthy", "/-/ready/components"),
      "prom/prometheus", List.of("/-/ready"));

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void livenessProbesNeverUseAReadinessOnlyEndpoint(Render.Target target) {
    List<String> violations = new ArrayList<>();
    for (JsonNode w : Render.of(target).workloads()) {
      for (JsonNode c : containers(w)) {
        String image = c.path("image").asString();
        String path = c.path("livenessProbe").path("httpGet").path("path").asString("");
        READINESS_ONLY.forEach((repo, paths) -> {
          if (image.contains(repo) && paths.contains(path)) {
            violations.add(id(w) + " container " + c.path("name").asString() + ": liveness probe on " + path
                + ", a readiness-only endpoint of " + repo);
          }
        });
      }
    }
    assertThat(violations).as("liveness probes in %s", target.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void serviceAccountTokensOnlyWhereTheApiIsUsed(Render.Target target) {
    List<String> violations = new ArrayList<>();
    for (JsonNode w : Render.of(target).workloads()) {
      String sa = podSpec(w).path("serviceAccountName").asString("");
      if (sa.isEmpty()) {
        violations.add(id(w) + ": runs as the namespace's default service account");
      }
      boolean automount = podSpec(w).path("automountServiceAccountToken").asBoolean(true);
      if (automount && !API_CLIENTS.contains(sa)) {
        violations.add(id(w) + ": mounts a service account token but does not use the API");
      }
    }
    assertThat(violations).as("in %s", target.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void rbacIsReadOnlyAndNeverTouchesSecrets(Render.Target target) {
    Render render = Render.of(target);
    List<String> violations = new ArrayList<>();
    for (String kind : List.of("ClusterRole", "Role")) {
      for (JsonNode role : render.ofKind(kind)) {
        for (JsonNode rule : role.path("rules")) {
          rule.path("verbs").forEach(v -> {
            if (!Set.of("get", "list", "watch").contains(v.asString())) {
              violations.add(id(role) + ": verb " + v.asString());
            }
          });
          rule.path("resources").forEach(r -> {
            if (r.asString().equals("*") || r.asString().startsWith("secrets") || r.asString().equals("nodes/proxy")) {
              violations.add(id(role) + ": resource " + r.asString());
            }
          });
          rule.path("apiGroups").forEach(g -> {
            if (g.asString().equals("*")) {
              violations.add(id(role) + ": apiGroup *");
            }
          });
        }
      }
    }
    Set<String> serviceAccounts = new HashSet<>();
    render.ofKind("ServiceAccount").forEach(sa -> serviceAccounts.add(sa.path("metadata").path("name").asString()));
    for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
      for (JsonNode binding : render.ofKind(kind)) {
        String roleName = binding.path("roleRef").path("name").asString();
        String roleKind = binding.path("roleRef").path("kind").asString();
        if (render.find(roleKind, roleName).isEmpty()) {
          violations.add(id(binding) + ": role " + roleKind + "/" + roleName + " not in the render");
        }
        binding.path("subjects").forEach(s -> {
          // The subject must be a service account this render creates, in the namespace it creates it in.
          boolean ours = render.ofKind("ServiceAccount").stream().anyMatch(sa ->
              sa.path("metadata").path("name").asString().equals(s.path("name").asString())
                  && sa.path("metadata").path("namespace").asString().equals(s.path("namespace").asString()));
          if (!serviceAccounts.contains(s.path("name").asString()) || !ours) {
            violations.add(id(binding) + ": subject " + s + " is not a service account of this stack");
          }
        });
      }
    }
    assertThat(violations).as("RBAC violations in %s", target.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void imagesArePinnedOnceInTheBaseKustomization(Render.Target target) {
    Map<String, String> pins = basePins();
    List<String> violations = new ArrayList<>();
    for (JsonNode w : Render.of(target).workloads()) {
      for (JsonNode c : containers(w)) {
        String image = c.path("image").asString("");
        int colon = image.lastIndexOf(':');
        if (colon < 0 || image.lastIndexOf('/') > colon || image.contains("@")) {
          violations.add(id(w) + ": image without a tag: " + image);
          continue;
        }
        String name = image.substring(0, colon);
        String tag = image.substring(colon + 1);
        if (tag.equals("latest") || !tag.matches("v?\\d+\\.\\d+\\.\\d+")) {
          violations.add(id(w) + ": tag is not a full release version: " + image);
        }
        if (!tag.equals(pins.get(name))) {
          violations.add(id(w) + ": " + image + " is not the pin in base/kustomization.yaml (" + pins.get(name) + ")");
        }
      }
    }
    assertThat(violations).as("in %s", target.name()).isEmpty();
  }

  @Test
  void basePinsAreTheReleasesThisStackIsBuiltFor() {
    assertThat(basePins()).containsAllEntriesOf(Map.of(
        "grafana/loki", "3.7.1",
        "grafana/tempo", "3.0.0",
        "grafana/alloy", "v1.18.0",
        "otel/opentelemetry-collector-contrib", "0.159.0",
        "prom/prometheus", "v3.14.0",
        "prom/alertmanager", "v0.28.1",
        "grafana/grafana", "13.2.0",
        "registry.k8s.io/kube-state-metrics/kube-state-metrics", "v2.19.0"));
  }

  static Map<String, String> basePins() {
    JsonNode kustomization = StrictKubernetesParser.documents(StackFiles.read("base/kustomization.yaml")).get(0);
    Map<String, String> pins = new LinkedHashMap<>();
    kustomization.path("images").forEach(i -> pins.put(i.path("name").asString(), i.path("newTag").asString()));
    return pins;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void noSecretValuesAndNoAdminPasswordAnywhere(Render.Target target) {
    Render render = Render.of(target);
    List<String> violations = new ArrayList<>();
    render.ofKind("Secret").forEach(s -> {
      if (s.has("data") || s.has("stringData")) {
        violations.add(id(s) + ": a Secret with data; secrets come only from ExternalSecrets");
      }
    });
    Pattern inlineAdmin = Pattern.compile(
        "(?i)(admin[_-]?password\\s*[:=]\\s*\\S+|GF_SECURITY_ADMIN_PASSWORD\\s*\\n\\s*value:)");
    var matcher = inlineAdmin.matcher(render.yaml());
    while (matcher.find()) {
      violations.add("inline admin password: " + matcher.group());
    }
    for (JsonNode w : render.workloads()) {
      for (JsonNode c : containers(w)) {
        c.path("env").forEach(e -> {
          String name = e.path("name").asString();
          if (name.matches("(?i).*(PASSWORD|SECRET|TOKEN|SECRET_ACCESS_KEY).*") && e.has("value")) {
            violations.add(id(w) + ": env " + name + " has an inline value");
          }
        });
      }
    }
    assertThat(violations).as("in %s", target.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void everyServiceSelectsAPodTemplateAndItsTargetPortsExist(Render.Target target) {
    Render render = Render.of(target);
    List<String> violations = new ArrayList<>();
    for (JsonNode svc : render.ofKind("Service")) {
      Map<String, String> selector = new HashMap<>();
      svc.path("spec").path("selector").properties().forEach(e -> selector.put(e.getKey(), e.getValue().asString()));
      List<JsonNode> selected = render.workloads().stream().filter(w -> {
        Map<String, String> labels = new HashMap<>();
        w.path("spec").path("template").path("metadata").path("labels").properties()
            .forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
      }).toList();
      if (selected.isEmpty()) {
        violations.add(id(svc) + ": selector " + selector + " selects no pod template");
        continue;
      }
      if (!"ClusterIP".equals(svc.path("spec").path("type").asString("ClusterIP"))) {
        violations.add(id(svc) + ": type " + svc.path("spec").path("type").asString() + " exposes the stack");
      }
      for (JsonNode port : svc.path("spec").path("ports")) {
        JsonNode targetPort = port.path("targetPort");
        boolean found = selected.stream().anyMatch(w -> containers(w).stream().anyMatch(c -> {
          for (JsonNode p : c.path("ports")) {
            if (targetPort.isString() ? targetPort.asString().equals(p.path("name").asString())
                : targetPort.asInt(port.path("port").asInt()) == p.path("containerPort").asInt()) {
              return true;
            }
          }
          return false;
        }));
        if (!found) {
          violations.add(id(svc) + ": targetPort " + targetPort + " is no container port of the selected pods");
        }
      }
    }
    assertThat(violations).as("in %s", target.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void everyConfigMapAndSecretReferenceResolves(Render.Target target) {
    Render render = Render.of(target);
    Map<String, Set<String>> configMaps = new HashMap<>();
    render.ofKind("ConfigMap").forEach(cm -> {
      Set<String> keys = new HashSet<>();
      cm.path("data").properties().forEach(e -> keys.add(e.getKey()));
      configMaps.put(cm.path("metadata").path("name").asString(), keys);
    });
    // Secrets exist only as the targets of ExternalSecrets.
    Map<String, Set<String>> secrets = new HashMap<>();
    render.ofKind("ExternalSecret").forEach(es -> {
      Set<String> keys = new HashSet<>();
      es.path("spec").path("data").forEach(d -> keys.add(d.path("secretKey").asString()));
      secrets.put(es.path("spec").path("target").path("name").asString(), keys);
    });
    List<String> violations = new ArrayList<>();
    for (JsonNode w : render.workloads()) {
      podSpec(w).path("volumes").forEach(v -> {
        if (v.has("configMap") && !configMaps.containsKey(v.path("configMap").path("name").asString())) {
          violations.add(id(w) + ": volume " + v.path("name").asString() + " -> missing ConfigMap "
              + v.path("configMap").path("name").asString());
        }
        if (v.has("secret") && !secrets.containsKey(v.path("secret").path("secretName").asString())) {
          violations.add(id(w) + ": volume " + v.path("name").asString() + " -> missing Secret");
        }
      });
      for (JsonNode c : containers(w)) {
        String where = id(w) + " container " + c.path("name").asString();
        c.path("envFrom").forEach(ef -> {
          if (ef.has("configMapRef") && !configMaps.containsKey(ef.path("configMapRef").path("name").asString())) {
            violations.add(where + ": envFrom missing ConfigMap " + ef.path("configMapRef").path("name").asString());
          }
          if (ef.has("secretRef") && !secrets.containsKey(ef.path("secretRef").path("name").asString())) {
            violations.add(where + ": envFrom missing Secret " + ef.path("secretRef").path("name").asString());
          }
        });
        c.path("env").forEach(e -> {
          JsonNode cmRef = e.path("valueFrom").path("configMapKeyRef");
          if (!cmRef.isMissingNode() && !configMaps.getOrDefault(cmRef.path("name").asString(), Set.of())
              .contains(cmRef.path("key").asString())) {
            violations.add(where + ": env " + e.path("name").asString() + " -> missing ConfigMap key " + cmRef);
          }
          JsonNode secretRef = e.path("valueFrom").path("secretKeyRef");
          if (!secretRef.isMissingNode() && !secrets.getOrDefault(secretRef.path("name").asString(), Set.of())
              .contains(secretRef.path("key").asString())) {
            violations.add(where + ": env " + e.path("name").asString() + " -> missing Secret key " + secretRef);
          }
        });
        c.path("volumeMounts").forEach(m -> {
          boolean declared = false;
          for (JsonNode v : podSpec(w).path("volumes")) {
            declared |= v.path("name").asString().equals(m.path("name").asString());
          }
          for (JsonNode vct : w.path("spec").path("volumeClaimTemplates")) {
            declared |= vct.path("metadata").path("name").asString().equals(m.path("name").asString());
          }
          if (!declared) {
            violations.add(where + ": volumeMount " + m.path("name").asString() + " has no volume");
          }
        });
      }
    }
    assertThat(violations).as("in %s", target.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void everyConfigMapIsGeneratedWithAHashAndUsedByAPod(Render.Target target) {
    Render render = Render.of(target);
    List<String> violations = new ArrayList<>();
    for (JsonNode cm : render.ofKind("ConfigMap")) {
      String name = cm.path("metadata").path("name").asString();
      if (!name.matches(".+-[a-z0-9]{10}")) {
        violations.add(name + ": not from a configMapGenerator, so a change would not roll the pods");
      }
      boolean used = render.workloads().stream().anyMatch(w -> {
        for (JsonNode v : podSpec(w).path("volumes")) {
          if (name.equals(v.path("configMap").path("name").asString())) {
            return true;
          }
        }
        for (JsonNode c : containers(w)) {
          for (JsonNode ef : c.path("envFrom")) {
            if (name.equals(ef.path("configMapRef").path("name").asString())) {
              return true;
            }
          }
        }
        return false;
      });
      if (!used) {
        violations.add(name + ": no pod mounts it");
      }
    }
    assertThat(violations).as("in %s", target.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void externalSecretsAreCompleteOnTheV1Api(Render.Target target) {
    List<String> violations = new ArrayList<>();
    for (JsonNode es : Render.of(target).ofKind("ExternalSecret")) {
      if (!"external-secrets.io/v1".equals(es.path("apiVersion").asString())) {
        violations.add(id(es) + ": apiVersion " + es.path("apiVersion").asString());
      }
      JsonNode spec = es.path("spec");
      for (String field : List.of("name", "kind")) {
        if (spec.path("secretStoreRef").path(field).asString("").isEmpty()) {
          violations.add(id(es) + ": spec.secretStoreRef." + field + " missing");
        }
      }
      if (spec.path("target").path("name").asString("").isEmpty()) {
        violations.add(id(es) + ": spec.target.name missing");
      }
      if (spec.path("data").isEmpty()) {
        violations.add(id(es) + ": spec.data empty");
      }
      spec.path("data").forEach(d -> {
        if (d.path("secretKey").asString("").isEmpty() || d.path("remoteRef").path("key").asString("").isEmpty()) {
          violations.add(id(es) + ": data entry without secretKey or remoteRef.key: " + d);
        }
      });
    }
    assertThat(violations).as("in %s", target.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void networkPoliciesDenyByDefaultAndNeverAdmitEveryone(Render.Target target) {
    Render render = Render.of(target);
    List<String> violations = new ArrayList<>();
    List<JsonNode> policies = render.ofKind("NetworkPolicy");
    for (JsonNode np : policies) {
      for (JsonNode rule : np.path("spec").path("ingress")) {
        if (rule.path("from").isMissingNode() || rule.path("from").isEmpty()) {
          violations.add(id(np) + ": an ingress rule without 'from' admits every source");
        }
        rule.path("from").forEach(peer -> {
          if (peer.has("ipBlock")) {
            violations.add(id(np) + ": ipBlock peer " + peer);
          }
          if (peer.has("namespaceSelector") && peer.path("namespaceSelector").isEmpty()) {
            violations.add(id(np) + ": empty namespaceSelector admits every namespace");
          }
        });
        if (rule.path("ports").isMissingNode() || rule.path("ports").isEmpty()) {
          violations.add(id(np) + ": an ingress rule without ports");
        }
      }
    }
    // A target that includes the whole base carries the default deny; a partial one (the scalable
    // collector) must still give every pod a policy.
    for (JsonNode w : render.workloads()) {
      Map<String, String> labels = new HashMap<>();
      w.path("spec").path("template").path("metadata").path("labels").properties()
          .forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
      boolean covered = policies.stream().anyMatch(np -> {
        Map<String, String> sel = new HashMap<>();
        np.path("spec").path("podSelector").path("matchLabels").properties()
            .forEach(e -> sel.put(e.getKey(), e.getValue().asString()));
        return labels.entrySet().containsAll(sel.entrySet());
      });
      if (!covered) {
        violations.add(id(w) + ": no NetworkPolicy selects its pods");
      }
    }
    if (render.find("Namespace", "observability").isPresent()) {
      boolean defaultDeny = policies.stream().anyMatch(np -> np.path("spec").path("podSelector").isEmpty()
          && np.path("spec").path("ingress").isMissingNode());
      if (!defaultDeny) {
        violations.add("no default-deny ingress policy in the namespace");
      }
    }
    assertThat(violations).as("in %s", target.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void otlpIsAdmittedOnlyFromOptedInNamespacesAndStackPods(Render.Target target) {
    List<String> violations = new ArrayList<>();
    for (JsonNode np : Render.of(target).ofKind("NetworkPolicy")) {
      for (JsonNode rule : np.path("spec").path("ingress")) {
        boolean otlp = false;
        for (JsonNode p : rule.path("ports")) {
          otlp |= p.path("port").asInt() == 4317 || p.path("port").asInt() == 4318;
        }
        if (!otlp) {
          continue;
        }
        rule.path("from").forEach(peer -> {
          JsonNode ns = peer.path("namespaceSelector").path("matchLabels");
          boolean optedIn = "enabled".equals(ns.path("telemetry-bootstrap.io/otlp-export").asString(""));
          boolean stackPod = !peer.has("namespaceSelector") && peer.has("podSelector");
          if (!optedIn && !stackPod) {
            violations.add(id(np) + ": OTLP admitted from " + peer);
          }
        });
      }
    }
    assertThat(violations).as("in %s", target.name()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void nothingIsExposedOutsideTheClusterWithoutTheIngressComponent(Render.Target target) {
    Render render = Render.of(target);
    if (target.name().equals("component-ingress")) {
      assertThat(render.ofKind("Ingress")).extracting(i -> i.path("metadata").path("name").asString())
          .containsExactly("grafana");
      return;
    }
    assertThat(render.ofKind("Ingress")).as("Ingress objects in %s", target.name()).isEmpty();
    for (JsonNode w : render.workloads()) {
      for (JsonNode c : containers(w)) {
        c.path("ports").forEach(p -> assertThat(p.has("hostPort")).as("%s hostPort", id(w)).isFalse());
      }
    }
  }
}
