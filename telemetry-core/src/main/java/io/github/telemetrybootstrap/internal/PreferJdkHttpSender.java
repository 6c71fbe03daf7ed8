package io.github.telemetrybootstrap.internal;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The component loader the bootstrap gives OpenTelemetry's autoconfigure: the class path's service
 * providers, except that for OTLP over HTTP ({@code http/protobuf}, the default) the JDK's
 * {@code HttpClient} sender ({@code opentelemetry-exporter-sender-jdk}) is used when it is present,
 * instead of OkHttp's. gRPC still goes through OkHttp, the only gRPC sender on the class path.
 *
 * <p>Why: OkHttp sends a request's headers and body in separate TCP segments with Nagle's algorithm
 * on, so each export waits for the receiver's delayed ACK, about 40 ms on Linux; measured against a
 * local receiver, exports of 64 spans took 44 ms through OkHttp and 2 ms through the JDK sender, and a
 * batch span processor, which waits for each export before the next, was held to about 25 exports a
 * second and dropped spans under load.
 *
 * <p>The JDK sender is created on a thread of its own ({@link DeferredSenderProvider}), off the
 * bootstrap's path.
 *
 * <p>A user who names a sender with the SDK's own setting
 * ({@value #SENDER_PROPERTY}, as a system property or the environment variable
 * {@code IO_OPENTELEMETRY_SDK_COMMON_EXPORT_HTTPSENDERPROVIDER}) gets that one: the list is then left
 * as it is.
 */
public final class PreferJdkHttpSender implements ComponentLoader {
  /** The SDK's setting that picks an HTTP sender when several are present. */
  public static final String SENDER_PROPERTY = "io.opentelemetry.sdk.common.export.HttpSenderProvider";

  /** The JDK sender's provider class. */
  public static final String JDK_SENDER =
      "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider";

  private final ComponentLoader delegate;
  private final boolean userChose;

  /**
   * @param delegate the loader of the class path's providers
   * @param sys system properties
   * @param env environment variables
   */
  public PreferJdkHttpSender(ComponentLoader delegate, Function<String, @Nullable String> sys,
      Function<String, @Nullable String> env) {
    this.delegate = delegate;
    String chosen = sys.apply(SENDER_PROPERTY);
    if (chosen == null || chosen.isBlank()) {
      chosen = env.apply("IO_OPENTELEMETRY_SDK_COMMON_EXPORT_HTTPSENDERPROVIDER");
    }
    this.userChose = chosen != null && !chosen.isBlank();
  }

  @Override
  public <T> Iterable<T> load(Class<T> spiClass) {
    Iterable<T> all = delegate.load(spiClass);
    if (spiClass != HttpSenderProvider.class || userChose) {
      return all;
    }
    List<T> providers = new ArrayList<>();
    all.forEach(providers::add);
    for (T p : providers) {
      if (p.getClass().getName().equals(JDK_SENDER)) {
        return List.of(spiClass.cast(new DeferredSenderProvider((HttpSenderProvider) p)));
      }
    }
    return providers;
  }

  /**
   * The JDK sender, created on a thread of its own instead of on the thread that builds the exporter:
   * building the JDK's {@code HttpClient} initialises the default {@code SSLContext} (the trust store),
   * even for an {@code http://} endpoint, about 240 ms of a cold JVM on one core, which would otherwise
   * sit on the bootstrap's path before the first request is served. The first export waits for it.
   * Configuration errors (a bad certificate file) still fail at bootstrap: the exporter builds its TLS
   * settings before asking for a sender.
   */
  static final class DeferredSenderProvider implements HttpSenderProvider {
    private final HttpSenderProvider jdk;

    DeferredSenderProvider(HttpSenderProvider jdk) {
      this.jdk = jdk;
    }

    @Override
    public HttpSender createSender(HttpSenderConfig config) {
      return new DeferredSender(() -> jdk.createSender(config));
    }
  }

  /**
   * Starts creating its sender at once, on a daemon thread ({@value #THREAD_NAME}); {@link #send}
   * waits for it, and a failure to create it fails each export with that cause. {@link #shutdown()}
   * shuts the sender down once it exists.
   */
  static final class DeferredSender implements HttpSender {
    static final String THREAD_NAME = "telemetry-otlp-sender-init";

    private final CompletableFuture<HttpSender> sender = new CompletableFuture<>();

    DeferredSender(Supplier<HttpSender> create) {
      Thread init = new Thread(() -> {
        try {
          sender.complete(create.get());
        } catch (RuntimeException | LinkageError e) {
          sender.completeExceptionally(e);
        }
      }, THREAD_NAME);
      init.setDaemon(true);
      init.start();
    }

    @Override
    public void send(
        MessageWriter messageWriter, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
      HttpSender s;
      try {
        s = sender.join();
      } catch (CompletionException | CancellationException e) {
        onError.accept(e.getCause() != null ? e.getCause() : e);
        return;
      }
      s.send(messageWriter, onResponse, onError);
    }

    @Override
    public CompletableResultCode shutdown() {
      CompletableResultCode result = new CompletableResultCode();
      sender.whenComplete((s, failure) -> {
        if (s == null) {
          result.succeed();
          return;
        }
        CompletableResultCode done = s.shutdown();
        done.whenComplete(() -> {
          if (done.isSuccess()) {
            result.succeed();
          } else {
            result.fail();
          }
        });
      });
      return result;
    }
  }
}
