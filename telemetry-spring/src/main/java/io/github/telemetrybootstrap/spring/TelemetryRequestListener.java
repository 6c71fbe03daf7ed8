package io.github.telemetrybootstrap.spring;

import io.github.telemetrybootstrap.context.RequestLogContext;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;

/**
 * Ends what {@link TelemetryServletFilter} starts when a request fails: the request's context lingers
 * for the lines the container logs after the filters returned (Tomcat's, Jetty's or Undertow's
 * "Servlet.service() ... threw exception", Spring's error page), and is released here when the
 * container is done with the request (with a half-second grace for Jetty, which logs just after), and
 * cleared when the thread starts its next request, so that request never inherits it.
 */
public final class TelemetryRequestListener implements ServletRequestListener {
  /** Creates the listener. */
  public TelemetryRequestListener() {}

  @Override
  public void requestInitialized(ServletRequestEvent event) {
    RequestLogContext.clear(); // a thread never starts a request with another request's context
  }

  @Override
  public void requestDestroyed(ServletRequestEvent event) {
    RequestLogContext.release();
  }
}
