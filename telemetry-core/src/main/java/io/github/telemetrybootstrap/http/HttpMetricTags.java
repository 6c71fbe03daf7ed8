package io.github.telemetrybootstrap.http;

import java.lang.reflect.InvocationTargetException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Tag values of {@code http.server.requests} and {@code http.client.requests}, computed exactly as
 * Spring Boot's {@code DefaultServerRequestObservationConvention} and {@code
 * DefaultClientRequestObservationConvention} compute them, so one dashboard serves every service.
 */
final class HttpMetricTags {
  static final String NONE = "none";
  static final String UNKNOWN = "UNKNOWN";

  /** The methods Spring's {@code HttpMethod} knows; any other method is tagged {@code UNKNOWN}. */
  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

  private HttpMetricTags() {}

  /** {@code method}: the request method if standard, else {@code UNKNOWN} (bounded). */
  static String method(@Nullable String method) {
    return method != null && KNOWN_METHODS.contains(method) ? method : UNKNOWN;
  }

  /** {@code status}: the status code, or {@code UNKNOWN} when no valid code was sent. */
  static String status(int status) {
    if (status >= 100 && status < 100 + STATUSES.length) {
      return STATUSES[status - 100];
    }
    return status >= 100 && status <= 999 ? Integer.toString(status) : UNKNOWN;
  }

  /** "100" to "599", made once: the status tag is asked on every request. */
  private static final String[] STATUSES = new String[500];

  static {
    for (int i = 0; i < STATUSES.length; i++) {
      STATUSES[i] = Integer.toString(100 + i);
    }
  }

  /** {@code outcome}: the status class name, {@code UNKNOWN} for anything else. */
  static String outcome(int status) {
    if (status >= 100 && status < 200) {
      return "INFORMATIONAL";
    }
    if (status >= 200 && status < 300) {
      return "SUCCESS";
    }
    if (status >= 300 && status < 400) {
      return "REDIRECTION";
    }
    if (status >= 400 && status < 500) {
      return "CLIENT_ERROR";
    }
    if (status >= 500 && status < 600) {
      return "SERVER_ERROR";
    }
    return UNKNOWN;
  }

  /**
   * {@code exception}: the simple class name of the (unwrapped) throwable, its full name for
   * anonymous classes, {@code none} without one.
   */
  static String exception(@Nullable Throwable error) {
    Throwable cause = unwrap(error);
    if (cause == null) {
      return NONE;
    }
    String simple = cause.getClass().getSimpleName();
    return simple.isEmpty() ? cause.getClass().getName() : simple;
  }

  /** Removes the wrappers that asynchronous and reflective calls add around the real failure. */
  @Nullable
  static Throwable unwrap(@Nullable Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException
            || t instanceof ExecutionException
            || t instanceof InvocationTargetException)
        && t.getCause() != null
        && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
