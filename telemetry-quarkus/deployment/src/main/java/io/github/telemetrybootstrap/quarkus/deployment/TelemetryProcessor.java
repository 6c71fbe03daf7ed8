package io.github.telemetrybootstrap.quarkus.deployment;

import io.github.telemetrybootstrap.quarkus.HttpServerMetrics;
import io.github.telemetrybootstrap.quarkus.InboundRulePropagatorCustomizer;
import io.github.telemetrybootstrap.quarkus.RequestContextFilter;
import io.github.telemetrybootstrap.quarkus.RequestIdClientFilter;
import io.github.telemetrybootstrap.quarkus.TelemetryRecorder;
import io.github.telemetrybootstrap.quarkus.TenantSpanProcessor;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.LogConsoleFormatBuildItem;

/** Build steps of the telemetry-quarkus extension. */
public final class TelemetryProcessor {
  /** The feature name Quarkus lists at start-up. */
  public static final String FEATURE = "telemetry-bootstrap";

  @BuildStep
  FeatureBuildItem feature() {
    return new FeatureBuildItem(FEATURE);
  }

  @BuildStep
  AdditionalBeanBuildItem beans() {
    return AdditionalBeanBuildItem.builder()
        .addBeanClasses(
            RequestContextFilter.class,
            InboundRulePropagatorCustomizer.class,
            TenantSpanProcessor.class,
            HttpServerMetrics.class)
        .setUnremovable()
        .build();
  }

  /** The request-id filter of the REST client, discovered as a {@code @Provider} when there is one. */
  @BuildStep
  void restClient(Capabilities capabilities, BuildProducer<AdditionalIndexedClassesBuildItem> classes) {
    if (capabilities.isPresent(Capability.REST_CLIENT_REACTIVE) || capabilities.isPresent(Capability.REST_CLIENT)) {
      classes.produce(new AdditionalIndexedClassesBuildItem(RequestIdClientFilter.class.getName()));
    }
  }

  @BuildStep
  @Record(ExecutionTime.RUNTIME_INIT)
  LogConsoleFormatBuildItem consoleFormat(TelemetryRecorder recorder) {
    return new LogConsoleFormatBuildItem(recorder.consoleFormatter());
  }
}
