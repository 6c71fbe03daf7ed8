package io.github.telemetrybootstrap.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.telemetrybootstrap.context.Tenant;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TenantMetricsTest {

  @Test
  void tagsTheCurrentTenantAndCapsDistinctValues() {
    TenantMetrics tenants = TenantMetrics.create(2);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    for (String t : List.of("acme", "globex", "initech", "acme", "umbrella")) {
      Tenant.run(t, () -> registry.counter("orders.placed", Tags.of(tenants.currentTenantTag())).increment());
    }
    registry.counter("orders.placed", Tags.of(tenants.currentTenantTag())).increment();

    assertThat(registry.get("orders.placed").tag("tenant_id", "acme").counter().count()).isEqualTo(2.0);
    assertThat(registry.get("orders.placed").tag("tenant_id", "globex").counter().count()).isEqualTo(1.0);
    assertThat(registry.get("orders.placed").tag("tenant_id", "other").counter().count()).isEqualTo(2.0);
    assertThat(registry.get("orders.placed").tag("tenant_id", "none").counter().count()).isEqualTo(1.0);
    assertThat(registry.get("orders.placed").counters()).hasSize(4);
  }

  @Test
  void sanitisesValues() {
    TenantMetrics tenants = TenantMetrics.create(5);

    assertThat(tenants.tag(" ac\u0000me\n")).isEqualTo(Tag.of("tenant_id", "acme"));
    assertThat(tenants.tag("\t")).isEqualTo(Tag.of("tenant_id", "none"));
  }

  @Test
  void theCapHoldsUnderConcurrency() throws Exception {
    TenantMetrics tenants = TenantMetrics.create(10);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Set<String>>> results = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      results.add(
          pool.submit(
              () -> {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < 1000; i++) {
                  seen.add(tenants.tag("t" + (i % 50)).getValue());
                }
                return seen;
              }));
    }
    Set<String> all = new HashSet<>();
    for (Future<Set<String>> f : results) {
      all.addAll(f.get());
    }
    pool.shutdown();

    all.remove("other");
    assertThat(all).hasSize(10);
    assertThat(tenants.admittedTenants()).isEqualTo(10);
  }

  @Test
  void rejectsACapOutOfRange() {
    assertThatThrownBy(() -> TenantMetrics.create(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantMetrics.create(10_001)).isInstanceOf(IllegalArgumentException.class);
  }
}
