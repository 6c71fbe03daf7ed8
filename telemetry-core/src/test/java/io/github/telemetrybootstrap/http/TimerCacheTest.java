package io.github.telemetrybootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimerCacheTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TimerCache cache =
      new TimerCache(registry, "http.server.requests", "Duration", "method", "uri", "status");

  @Test
  void theSameTagValuesGiveTheRegisteredTimerWithThoseTags() {
    Timer a = cache.timer("GET", "/orders/{id}", "200");
    a.record(Duration.ofMillis(5));
    Timer b = cache.timer(new String("GET"), "/orders/{id}", "200");

    assertThat(b).isSameAs(a);
    Timer registered = registry.get("http.server.requests")
        .tags("method", "GET", "uri", "/orders/{id}", "status", "200").timer();
    assertThat(registered).isSameAs(a);
    assertThat(registered.count()).isEqualTo(1);
    assertThat(cache.timer("GET", "/orders/{id}", "500")).isNotSameAs(a);
  }

  @Test
  void aTimerRemovedFromTheRegistryIsRegisteredAfresh() {
    Timer a = cache.timer("GET", "/", "200");
    registry.remove(a);

    Timer b = cache.timer("GET", "/", "200");
    b.record(Duration.ofMillis(1));

    assertThat(b).isNotSameAs(a);
    assertThat(registry.get("http.server.requests").tags("uri", "/").timer().count()).isEqualTo(1);
  }
}
