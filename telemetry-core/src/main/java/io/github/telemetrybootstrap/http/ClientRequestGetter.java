package io.github.telemetrybootstrap.http;

import io.github.telemetrybootstrap.contract.SecretMasker;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesGetter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Reads the OpenTelemetry HTTP client semantic-convention attributes from the JDK client's types. */
enum ClientRequestGetter implements HttpClientAttributesGetter<HttpRequest, HttpResponse<?>> {
  INSTANCE;

  @Override
  public String getHttpRequestMethod(HttpRequest request) {
    return request.method();
  }

  @Override
  public List<String> getHttpRequestHeader(HttpRequest request, String name) {
    return request.headers().allValues(name);
  }

  @Override
  @Nullable
  public Integer getHttpResponseStatusCode(
      HttpRequest request, @Nullable HttpResponse<?> response, @Nullable Throwable error) {
    return response == null ? null : response.statusCode();
  }

  @Override
  public List<String> getHttpResponseHeader(
      HttpRequest request, @Nullable HttpResponse<?> response, String name) {
    return response == null ? List.of() : response.headers().allValues(name);
  }

  /**
   * The request URI with secret query parameters and credentials masked ({@link SecretMasker}); the
   * extractor also redacts user info and the query parameters it knows as sensitive.
   */
  @Override
  public String getUrlFull(HttpRequest request) {
    return SecretMasker.global().mask(request.uri().toString());
  }

  @Override
  @Nullable
  public String getServerAddress(HttpRequest request) {
    return request.uri().getHost();
  }

  @Override
  @Nullable
  public Integer getServerPort(HttpRequest request) {
    URI uri = request.uri();
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : null;
  }

  @Override
  @Nullable
  public String getNetworkProtocolName(HttpRequest request, @Nullable HttpResponse<?> response) {
    return response == null ? null : "http";
  }

  @Override
  @Nullable
  public String getNetworkProtocolVersion(HttpRequest request, @Nullable HttpResponse<?> response) {
    if (response == null || response.version() == null) {
      return null;
    }
    return response.version() == HttpClient.Version.HTTP_2 ? "2" : "1.1";
  }
}
