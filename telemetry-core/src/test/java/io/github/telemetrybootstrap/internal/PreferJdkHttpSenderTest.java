package io.github.telemetrybootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.MessageWriter;
import org.junit.jupiter.api.Test;

/** With the library's own dependencies on the class path: both HTTP senders, OkHttp's gRPC sender. */
class PreferJdkHttpSenderTest {
  private final ComponentLoader classPath = ComponentLoader.forClassLoader(getClass().getClassLoader());

  private static List<String> names(Iterable<?> providers) {
    List<String> names = new ArrayList<>();
    providers.forEach(p -> names.add(p.getClass().getName()));
    return names;
  }

  @Test
  void otlpOverHttpGoesThroughTheJdkSenderAndGrpcStaysOnOkHttp() {
    assertThat(names(classPath.load(HttpSenderProvider.class)))
        .as("the class path has both HTTP senders")
        .contains(PreferJdkHttpSender.JDK_SENDER)
        .hasSizeGreaterThan(1);

    PreferJdkHttpSender loader = new PreferJdkHttpSender(classPath, k -> null, k -> null);

    assertThat(names(loader.load(HttpSenderProvider.class)))
        .containsExactly(PreferJdkHttpSender.DeferredSenderProvider.class.getName());
    assertThat(names(loader.load(GrpcSenderProvider.class)))
        .containsExactlyElementsOf(names(classPath.load(GrpcSenderProvider.class)))
        .anyMatch(n -> n.contains("okhttp"));
  }

  @Test
  void aSenderTheUserNamesIsLeftToTheSdk() {
    String okhttp = "io.opentelemetry.exporter.sender.okhttp.internal.OkHttpHttpSenderProvider";
    Map<String, String> sys = Map.of(PreferJdkHttpSender.SENDER_PROPERTY, okhttp);
    Map<String, String> env = Map.of("IO_OPENTELEMETRY_SDK_COMMON_EXPORT_HTTPSENDERPROVIDER", okhttp);

    assertThat(names(new PreferJdkHttpSender(classPath, sys::get, k -> null).load(HttpSenderProvider.class)))
        .containsExactlyInAnyOrderElementsOf(names(classPath.load(HttpSenderProvider.class)));
    assertThat(names(new PreferJdkHttpSender(classPath, k -> null, env::get).load(HttpSenderProvider.class)))
        .containsExactlyInAnyOrderElementsOf(names(classPath.load(HttpSenderProvider.class)));
  }

  @Test
  void theJdkSenderIsCreatedOffTheCallersThreadAndExportsWaitForIt() {
    List<String> creators = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpSender real = new HttpSender() {
      @Override
      public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        sent.add("export");
      }

      @Override
      public CompletableResultCode shutdown() {
        sent.add("shutdown");
        return CompletableResultCode.ofSuccess();
      }
    };
    PreferJdkHttpSender.DeferredSender sender = new PreferJdkHttpSender.DeferredSender(() -> {
      creators.add(Thread.currentThread().getName());
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return real;
    });
    // The constructor returned while the sender was still being created.
    assertThat(sent).isEmpty();
    release.countDown();

    sender.send(null, r -> {}, e -> {});
    sender.send(null, r -> {}, e -> {});
    CompletableResultCode shutdown = sender.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(shutdown.isSuccess()).isTrue();
    assertThat(creators).containsExactly(PreferJdkHttpSender.DeferredSender.THREAD_NAME);
    assertThat(sent).containsExactly("export", "export", "shutdown");
  }

  @Test
  void aSenderThatCannotBeCreatedFailsEachExportWithTheCause() {
    PreferJdkHttpSender.DeferredSender failing = new PreferJdkHttpSender.DeferredSender(() -> {
      throw new IllegalStateException("no HttpClient");
    });
    List<Throwable> failures = new ArrayList<>();
    failing.send(null, r -> {}, failures::add);
    failing.send(null, r -> {}, failures::add);
    assertThat(failures).hasSize(2).allSatisfy(e -> assertThat(e).hasMessage("no HttpClient"));
    assertThat(failing.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
  }
}
