package io.github.telemetrybootstrap.spring;

import io.github.telemetrybootstrap.contract.SecretMasker;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelSpan;
import io.opentelemetry.api.trace.Span;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Gives the spans of Spring's HTTP observations the names and attributes of the OpenTelemetry HTTP
 * semantic conventions (semantic-conventions 1.26+, "HTTP spans"), as telemetry-core's and
 * telemetry-quarkus's spans have them, so Tempo's span metrics and TraceQL see one vocabulary:
 *
 * <ul>
 *   <li>name: server {@code {method} {http.route}} ({@code GET /orders/{id}}), client
 *       {@code {method} {url.template}} ({@code GET /inventory/{id}}), or the method alone when the
 *       route or template is unknown; {@code HTTP} for methods outside RFC 9110 and RFC 5789;
 *   <li>server attributes: {@code http.request.method}, {@code url.scheme}, {@code url.path},
 *       {@code http.route}, {@code http.response.status_code} (a long), {@code server.address},
 *       {@code server.port}, {@code client.address}, {@code user_agent.original},
 *       {@code error.type} for 5xx answers and exceptions;
 *   <li>client attributes: {@code http.request.method}, {@code url.full} (secrets masked),
 *       {@code url.template}, {@code server.address}, {@code server.port},
 *       {@code http.response.status_code}, {@code error.type} for 4xx/5xx answers and exceptions.
 * </ul>
 *
 * <p>Micrometer's own keys ({@code method}, {@code uri}, {@code status}, ...) stay, since the metrics
 * are made of them. Runs at the observation's stop, before the tracing handler ends the span
 * (Micrometer notifies handlers of a stop in reverse registration order, and this handler is
 * registered after Boot's tracing handlers). Never throws into the request.
 */
final class HttpSemanticConventionsHandler implements ObservationHandler<Observation.Context> {
  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  private static final boolean WEBFLUX_SERVER = present(
      "org.springframework.http.server.reactive.observation.ServerRequestObservationContext");
  private static final boolean WEBCLIENT = present(
      "org.springframework.web.reactive.function.client.ClientRequestObservationContext");

  @Override
  public boolean supportsContext(Observation.Context context) {
    return context instanceof ServerRequestObservationContext
        || context instanceof ClientRequestObservationContext
        || (WEBFLUX_SERVER && ReactiveServer.supports(context))
        || (WEBCLIENT && WebClient.supports(context));
  }

  @Override
  public void onStop(Observation.Context context) {
    try {
      Span span = span(context);
      if (span == null) {
        return;
      }
      if (context instanceof ServerRequestObservationContext server) {
        var request = server.getCarrier();
        var response = server.getResponse();
        server(context, span, request.getMethod(), request.getScheme(), request.getRequestURI(),
            server.getPathPattern(), response == null ? 0 : response.getStatus(), request.getServerName(),
            request.getServerPort(), request.getRemoteAddr(), request.getHeader("User-Agent"));
      } else if (context instanceof ClientRequestObservationContext client) {
        var request = client.getCarrier();
        int status = 0;
        try {
          status = client.getResponse() == null ? 0 : client.getResponse().getStatusCode().value();
        } catch (java.io.IOException | RuntimeException unreadable) {
          // no status
        }
        client(context, span, request == null ? null : request.getMethod().name(),
            request == null ? null : request.getURI(), client.getUriTemplate(), status);
      } else if (WEBFLUX_SERVER && ReactiveServer.supports(context)) {
        ReactiveServer.apply(context, span);
      } else if (WEBCLIENT && WebClient.supports(context)) {
        WebClient.apply(context, span);
      }
    } catch (RuntimeException | LinkageError e) {
      // attributes are best effort: the request must not fail for them
    }
  }

  static void server(Observation.Context context, Span span, @Nullable String rawMethod,
      @Nullable String scheme, @Nullable String path, @Nullable String route, int status,
      @Nullable String host, int port, @Nullable String clientAddress, @Nullable String userAgent) {
    String method = method(span, rawMethod);
    context.setContextualName(route == null || route.isEmpty() ? spanMethod(method) : spanMethod(method) + " " + route);
    putIfSet(span, "url.scheme", scheme);
    putIfSet(span, "url.path", path);
    putIfSet(span, "http.route", route);
    if (status > 0) {
      span.setAttribute("http.response.status_code", (long) status);
    }
    putIfSet(span, "server.address", host);
    if (port > 0) {
      span.setAttribute("server.port", (long) port);
    }
    putIfSet(span, "client.address", clientAddress);
    putIfSet(span, "user_agent.original", userAgent);
    errorType(span, context.getError(), status >= 500 ? status : 0);
  }

  static void client(Observation.Context context, Span span, @Nullable String rawMethod,
      @Nullable URI uri, @Nullable String uriTemplate, int status) {
    String method = method(span, rawMethod);
    String template = uriTemplate == null ? null : pathOf(uriTemplate);
    context.setContextualName(template == null ? spanMethod(method) : spanMethod(method) + " " + template);
    if (uri != null) {
      span.setAttribute("url.full", SecretMasker.global().mask(uri.toString()));
      putIfSet(span, "server.address", uri.getHost());
      int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      span.setAttribute("server.port", (long) port);
    }
    putIfSet(span, "url.template", template);
    if (status > 0) {
      span.setAttribute("http.response.status_code", (long) status);
    }
    errorType(span, context.getError(), status >= 400 ? status : 0);
  }

  /** The path of a URI template ({@code http://host/inventory/{id}} gives {@code /inventory/{id}}). */
  static String pathOf(String template) {
    int scheme = template.indexOf("://");
    if (scheme < 0) {
      return template.startsWith("/") ? template : "/" + template;
    }
    int slash = template.indexOf('/', scheme + 3);
    String path = slash < 0 ? "/" : template.substring(slash);
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  private static String method(Span span, @Nullable String raw) {
    String upper = raw == null ? "_OTHER" : raw.toUpperCase(Locale.ROOT);
    if (KNOWN_METHODS.contains(upper)) {
      span.setAttribute("http.request.method", upper);
      return upper;
    }
    span.setAttribute("http.request.method", "_OTHER");
    putIfSet(span, "http.request.method_original", raw);
    return "_OTHER";
  }

  private static String spanMethod(String method) {
    return method.equals("_OTHER") ? "HTTP" : method;
  }

  private static void errorType(Span span, @Nullable Throwable error, int status) {
    if (error != null) {
      span.setAttribute("error.type", error.getClass().getName());
    } else if (status > 0) {
      span.setAttribute("error.type", Integer.toString(status));
    }
  }

  private static void putIfSet(Span span, String key, @Nullable String value) {
    if (value != null && !value.isEmpty()) {
      span.setAttribute(key, value);
    }
  }

  private static @Nullable Span span(Observation.Context context) {
    TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
    if (tracing == null || tracing.getSpan() == null) {
      return null;
    }
    Span span = OtelSpan.toOtel(tracing.getSpan());
    return span.isRecording() ? span : null;
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, HttpSemanticConventionsHandler.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** WebFlux server exchanges (spring-web's reactive observation context). */
  private static final class ReactiveServer {
    static boolean supports(Observation.Context c) {
      return c instanceof org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
    }

    static void apply(Observation.Context c, Span span) {
      var server = (org.springframework.http.server.reactive.observation.ServerRequestObservationContext) c;
      var request = server.getCarrier();
      var response = server.getResponse();
      URI uri = request.getURI();
      var remote = request.getRemoteAddress();
      int status = response == null || response.getStatusCode() == null ? 0 : response.getStatusCode().value();
      server(c, span, request.getMethod().name(), uri.getScheme(), uri.getRawPath(), server.getPathPattern(),
          status, uri.getHost(), uri.getPort(),
          remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress(),
          request.getHeaders().getFirst("User-Agent"));
    }
  }

  /** WebClient exchanges (spring-webflux). */
  private static final class WebClient {
    static boolean supports(Observation.Context c) {
      return c instanceof org.springframework.web.reactive.function.client.ClientRequestObservationContext;
    }

    static void apply(Observation.Context c, Span span) {
      var client = (org.springframework.web.reactive.function.client.ClientRequestObservationContext) c;
      var request = client.getRequest();
      var response = client.getResponse();
      client(c, span, request == null ? null : request.method().name(), request == null ? null : request.url(),
          client.getUriTemplate(), response == null ? 0 : response.statusCode().value());
    }
  }
}
