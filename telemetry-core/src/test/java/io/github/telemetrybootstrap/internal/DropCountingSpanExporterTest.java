package io.github.telemetrybootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.api.trace.SpanKind;
import java.net.ConnectException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DropCountingSpanExporterTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicBoolean up = new AtomicBoolean(false);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("io.github.telemetrybootstrap.tracing");

  private final SpanExporter flaky =
      new SpanExporter() {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
          return up.get()
              ? CompletableResultCode.ofSuccess()
              : CompletableResultCode.ofExceptionalFailure(new ConnectException("Connection refused"));
        }

        @Override
        public CompletableResultCode flush() {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
          return CompletableResultCode.ofSuccess();
        }
      };

  @BeforeEach
  void captureLogs() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(logs);
  }

  private static List<SpanData> spans(int n) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(
            i ->
                (SpanData)
                    TestSpanData.builder()
                        .setName("s" + i)
                        .setKind(SpanKind.INTERNAL)
                        .setStartEpochNanos(1)
                        .setEndEpochNanos(2)
                        .setHasEnded(true)
                        .setStatus(StatusData.unset())
                        .build())
        .toList();
  }

  @Test
  void countsDroppedSpansAndWarnsOncePerIntervalWithTheReason() {
    SpanLoss loss = new SpanLoss(registry, TimeUnit.MINUTES.toNanos(5), now::get);
    loss.setDestination("http://user:pw@collector:4318/v1/traces");
    DropCountingSpanExporter exporter = new DropCountingSpanExporter(flaky, loss);

    for (int i = 0; i < 10; i++) {
      exporter.export(spans(3));
      now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    }

    assertThat(registry.get("telemetry.spans.dropped").tag("reason", "export_failed")
            .tag("error_type", "java.net.ConnectException").counter().count())
        .isEqualTo(30.0);
    assertThat(logs.list).hasSize(1);
    assertThat(logs.list.get(0).getFormattedMessage())
        .contains("http://****@collector:4318/v1/traces", "ConnectException", "Connection refused", "3 span(s)")
        .doesNotContain("pw");

    now.addAndGet(TimeUnit.MINUTES.toNanos(5));
    exporter.export(spans(2));
    assertThat(logs.list).hasSize(2);
    // The second report counts everything dropped since the first: 27 held back plus 2 new.
    assertThat(logs.list.get(1).getFormattedMessage()).contains("29 span(s)");
  }

  @Test
  void countsExportedSpansWhenTheEndpointRecovers() {
    DropCountingSpanExporter exporter =
        new DropCountingSpanExporter(flaky, new SpanLoss(registry, TimeUnit.MINUTES.toNanos(5), now::get));
    up.set(true);

    exporter.export(spans(4));

    assertThat(registry.get("telemetry.spans.exported").counter().count()).isEqualTo(4.0);
    assertThat(registry.get("telemetry.spans.dropped").tag("reason", "queue_full").functionCounter().count()).isZero();
    assertThat(logs.list).isEmpty();
  }

  @Test
  void aDelegateThatThrowsIsCountedNotPropagated() {
    SpanExporter throwing =
        new SpanExporter() {
          @Override
          public CompletableResultCode export(Collection<SpanData> spans) {
            throw new IllegalStateException("boom");
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    DropCountingSpanExporter exporter =
        new DropCountingSpanExporter(throwing, new SpanLoss(registry, TimeUnit.MINUTES.toNanos(5), now::get));

    CompletableResultCode result = exporter.export(spans(2));

    assertThat(result.isSuccess()).isFalse();
    assertThat(registry.get("telemetry.spans.dropped").tag("reason", "export_failed").counter().count()).isEqualTo(2.0);
  }
}
