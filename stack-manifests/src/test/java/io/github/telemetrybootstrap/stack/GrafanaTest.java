package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Grafana provisioning: datasources with fixed UIDs linked to each other, dashboards, admin credentials. */
class GrafanaTest {

  private static JsonNode datasource(String uid) {
    JsonNode all = StrictKubernetesParser.documents(
        Render.of("single-node").configFile("grafana-datasources", "datasources.yaml")).get(0);
    for (JsonNode ds : all.path("datasources")) {
      if (ds.path("uid").asString().equals(uid)) {
        return ds;
      }
    }
    throw new AssertionError("no datasource " + uid);
  }

  @Test
  void datasourcesHaveFixedUidsAndPrometheusIsTheDefaultWithExemplarsToTempo() {
    JsonNode prometheus = datasource("prometheus");
    assertThat(prometheus.path("isDefault").asBoolean()).isTrue();
    assertThat(prometheus.path("url").asString()).isEqualTo("http://prometheus:9090");
    JsonNode exemplar = prometheus.path("jsonData").path("exemplarTraceIdDestinations").get(0);
    assertThat(exemplar.path("name").asString()).isEqualTo("trace_id");
    assertThat(exemplar.path("datasourceUid").asString()).isEqualTo("tempo");
    assertThat(datasource("loki").path("url").asString()).isEqualTo("http://loki:3100");
    assertThat(datasource("tempo").path("url").asString()).isEqualTo("http://tempo:3200");
  }

  @Test
  void tempoLinksToLogsOnServiceAndTraceIdWithinFiveMinutesAndToMetricsAndTheServiceMap() {
    JsonNode json = datasource("tempo").path("jsonData");
    JsonNode logs = json.path("tracesToLogsV2");
    assertThat(logs.path("datasourceUid").asString()).isEqualTo("loki");
    assertThat(logs.path("spanStartTimeShift").asString()).isEqualTo("-5m");
    assertThat(logs.path("spanEndTimeShift").asString()).isEqualTo("5m");
    assertThat(logs.path("filterByTraceID").asBoolean()).isTrue();
    JsonNode tag = logs.path("tags").get(0);
    assertThat(tag.path("key").asString()).isEqualTo("service.name");
    assertThat(tag.path("value").asString()).isEqualTo("service");
    assertThat(StackQueries.unescapeProvisioning(logs.path("query").asString())).contains("${__trace.traceId}");
    assertThat(json.path("tracesToMetrics").path("datasourceUid").asString()).isEqualTo("prometheus");
    assertThat(json.path("serviceMap").path("datasourceUid").asString()).isEqualTo("prometheus");
  }

  @Test
  void dashboardsAreProvisionedAndReferToDatasourcesByUid() {
    JsonMapper json = JsonMapper.builder().build();
    Render render = Render.of("single-node");
    List<String> titles = new ArrayList<>();
    List<String> badRefs = new ArrayList<>();
    for (String file : List.of("service-overview.json", "pod-health.json", "jvm.json")) {
      JsonNode dashboard = json.readTree(render.configFile("grafana-dashboards", file));
      titles.add(dashboard.path("title").asString());
      dashboard.path("panels").forEach(p -> {
        String uid = p.path("datasource").path("uid").asString("");
        if (!List.of("prometheus", "loki").contains(uid)) {
          badRefs.add(file + " panel " + p.path("title").asString() + " datasource " + uid);
        }
      });
    }
    assertThat(titles).containsExactly("Service overview", "Pod health", "JVM");
    assertThat(badRefs).isEmpty();
    JsonNode overview = json.readTree(render.configFile("grafana-dashboards", "service-overview.json"));
    List<String> exprs = new ArrayList<>();
    List<String> panelTypes = new ArrayList<>();
    overview.path("panels").forEach(p -> {
      panelTypes.add(p.path("type").asString());
      p.path("targets").forEach(t -> exprs.add(t.path("expr").asString()));
    });
    assertThat(exprs).anyMatch(e -> e.contains("histogram_quantile(0.99") && e.contains("by (service, uri, le)"));
    assertThat(exprs).anyMatch(e -> e.contains("status=~\"5..\"") && e.contains("by (service, uri)"));
    assertThat(panelTypes).contains("logs");
    assertThat(exprs).anyMatch(e -> e.contains("app=~\"$service\"") && e.contains("level=~\"$level\""));
  }

  @Test
  void adminCredentialsComeOnlyFromTheExternalSecret() {
    Render render = Render.of("single-node");
    JsonNode es = render.find("ExternalSecret", "grafana-admin-credentials").orElseThrow();
    assertThat(es.path("apiVersion").asString()).isEqualTo("external-secrets.io/v1");
    JsonNode container = render.find("Deployment", "grafana").orElseThrow()
        .path("spec").path("template").path("spec").path("containers").get(0);
    List<String> fromSecret = new ArrayList<>();
    container.path("env").forEach(e -> {
      if (e.path("name").asString().startsWith("GF_SECURITY_ADMIN_")) {
        assertThat(e.has("value")).as("%s inline", e.path("name").asString()).isFalse();
        fromSecret.add(e.path("valueFrom").path("secretKeyRef").path("name").asString());
      }
    });
    assertThat(fromSecret).containsExactly(es.path("spec").path("target").path("name").asString(),
        es.path("spec").path("target").path("name").asString());
    assertThat(render.configFile("grafana-config", "grafana.ini")).doesNotContainPattern("(?m)^\\s*admin_password");
  }

  @org.junit.jupiter.api.Test
  void theOidcComponentTakesTheClientSecretFromTheExternalSecretAndTrustsTheMountedCa() {
    Render render = Render.of("component-grafana-oidc");
    JsonNode grafana = render.find("Deployment", "grafana").orElseThrow();
    JsonNode container = grafana.path("spec").path("template").path("spec").path("containers").get(0);
    String secretRef = null;
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asString().equals("GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET")) {
        assertThat(e.has("value")).as("no inline client secret").isFalse();
        secretRef = e.path("valueFrom").path("secretKeyRef").path("name").asString();
      }
    }
    assertThat(secretRef).isEqualTo("grafana-oidc-client");
    JsonNode externalSecret = render.find("ExternalSecret", "grafana-oidc-client").orElseThrow();
    assertThat(externalSecret.path("spec").path("target").path("name").asString()).isEqualTo(secretRef);
    String settingsName = container.path("envFrom").get(0).path("configMapRef").path("name").asString();
    JsonNode settings = render.ofKind("ConfigMap").stream()
        .filter(d -> d.path("metadata").path("name").asString().equals(settingsName))
        .findFirst().orElseThrow(() -> new AssertionError("the settings ConfigMap " + settingsName + " is rendered"));
    assertThat(settings.path("data").path("GF_AUTH_GENERIC_OAUTH_ENABLED").asString()).isEqualTo("true");
    String caPath = settings.path("data").path("GF_AUTH_GENERIC_OAUTH_TLS_CLIENT_CA").asString();
    boolean mounted = false;
    for (JsonNode m : container.path("volumeMounts")) {
      mounted |= caPath.startsWith(m.path("mountPath").asString() + "/") && m.path("readOnly").asBoolean();
    }
    assertThat(mounted).as("the CA bundle %s is mounted read-only", caPath).isTrue();
  }

  @org.junit.jupiter.api.Test
  void podHealthHasAPodStatusTableOfTheFailureReasons() throws Exception {
    JsonNode dashboard = JsonMapper.builder().build().readTree(StackFiles.read("base/grafana/dashboards/pod-health.json"));
    JsonNode table = null;
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("title").asString().startsWith("Pod status")) {
        table = panel;
      }
    }
    assertThat(table).as("a 'Pod status' panel").isNotNull();
    assertThat(table.path("type").asString()).isEqualTo("table");
    String exprs = table.path("targets").toString();
    assertThat(exprs).contains("CrashLoopBackOff", "ImagePullBackOff", "OOMKilled", "Evicted", "kube_pod_status_unschedulable");
  }
}
