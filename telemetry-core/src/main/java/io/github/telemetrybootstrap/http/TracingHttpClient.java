package io.github.telemetrybootstrap.http;

import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * The {@link HttpClient} returned by {@link HttpClientTelemetry#wrap(HttpClient)}: delegates
 * everything, instrumenting {@code send} and {@code sendAsync}.
 *
 * <p>The lifecycle methods Java 21 added ({@code shutdown}, {@code shutdownNow}, {@code
 * awaitTermination}, {@code isTerminated}, {@code close}) are declared here without
 * {@code @Override} (the code is compiled for Java 17) and forwarded to the delegate when the
 * runtime has them; otherwise {@code HttpClient}'s defaults would apply to the wrapper, and its
 * default {@code close()} would wait for a termination that never comes.
 */
final class TracingHttpClient extends HttpClient {
  private static final @Nullable MethodHandle SHUTDOWN = lifecycle("shutdown", void.class);
  private static final @Nullable MethodHandle SHUTDOWN_NOW = lifecycle("shutdownNow", void.class);
  private static final @Nullable MethodHandle IS_TERMINATED = lifecycle("isTerminated", boolean.class);
  private static final @Nullable MethodHandle CLOSE = lifecycle("close", void.class);
  private static final @Nullable MethodHandle AWAIT_TERMINATION =
      lifecycle("awaitTermination", boolean.class, Duration.class);

  private final HttpClient delegate;
  private final HttpClientTelemetry telemetry;

  TracingHttpClient(HttpClient delegate, HttpClientTelemetry telemetry) {
    this.delegate = delegate;
    this.telemetry = telemetry;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    HttpClientTelemetry.Call call = telemetry.start(request);
    HttpResponse<T> response = null;
    Throwable error = null;
    try (Scope ignored = call.context.makeCurrent()) {
      response = delegate.send(call.outgoing, handler);
      return response;
    } catch (Throwable t) {
      error = t;
      throw t;
    } finally {
      call.end(response, error);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.@Nullable PushPromiseHandler<T> pushPromiseHandler) {
    HttpClientTelemetry.Call call = telemetry.start(request);
    CompletableFuture<HttpResponse<T>> future;
    try (Scope ignored = call.context.makeCurrent()) {
      future = delegate.sendAsync(call.outgoing, handler, pushPromiseHandler);
    } catch (Throwable t) {
      call.end(null, t);
      throw t;
    }
    CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    future.whenComplete(
        (response, error) -> {
          call.end(response, error);
          // Complete with the caller's context current, so dependent stages that run on this
          // thread see it.
          try (Scope ignored = call.parent.makeCurrent()) {
            if (error != null) {
              result.completeExceptionally(error);
            } else {
              result.complete(response);
            }
          }
        });
    result.whenComplete(
        (response, error) -> {
          if (result.isCancelled()) {
            future.cancel(true);
          }
        });
    return result;
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  /** Java 21+: forwards to the delegate's {@code shutdown()}; on older runtimes does nothing. */
  public void shutdown() {
    invoke(SHUTDOWN);
  }

  /** Java 21+: forwards to the delegate's {@code shutdownNow()}; on older runtimes does nothing. */
  public void shutdownNow() {
    invoke(SHUTDOWN_NOW);
  }

  /**
   * Java 21+: forwards to the delegate's {@code awaitTermination(Duration)}.
   *
   * @param duration the longest time to wait
   * @return whether the delegate terminated; {@code true} on older runtimes (nothing to wait for)
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitTermination(Duration duration) throws InterruptedException {
    if (AWAIT_TERMINATION == null) {
      return true;
    }
    try {
      return (boolean) AWAIT_TERMINATION.invoke(delegate, duration);
    } catch (InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Java 21+: forwards to the delegate's {@code isTerminated()}.
   *
   * @return whether the delegate terminated; {@code false} on older runtimes
   */
  public boolean isTerminated() {
    if (IS_TERMINATED == null) {
      return false;
    }
    try {
      return (boolean) IS_TERMINATED.invoke(delegate);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Java 21+: forwards to the delegate's {@code close()}; on older runtimes does nothing. */
  public void close() {
    invoke(CLOSE);
  }

  private void invoke(@Nullable MethodHandle handle) {
    if (handle == null) {
      return;
    }
    try {
      handle.invoke(delegate);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  @Nullable
  private static MethodHandle lifecycle(String name, Class<?> returnType, Class<?>... parameters) {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(HttpClient.class, name, MethodType.methodType(returnType, parameters));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "TracingHttpClient[" + delegate + "]";
  }
}
