package io.github.telemetrybootstrap.http;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;
import org.jspecify.annotations.Nullable;

/**
 * Sets {@code error.type} to the fully qualified class name of the exception that ended the
 * operation, when there is one. Registered after the semantic-convention extractor, it replaces
 * the status-code value that extractor writes for a {@code 500} the filter answered on the
 * handler's behalf, and fills the attribute when the handler failed after sending a non-error
 * status. The OpenTelemetry HTTP conventions allow either ("the status code number, an exception
 * type (if thrown) or a component-specific error identifier"); the exception names the cause.
 */
final class ExceptionErrorType<REQUEST, RESPONSE> implements AttributesExtractor<REQUEST, RESPONSE> {
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, REQUEST request) {}

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      REQUEST request,
      @Nullable RESPONSE response,
      @Nullable Throwable error) {
    Throwable cause = HttpMetricTags.unwrap(error);
    if (cause != null) {
      attributes.put(ERROR_TYPE, cause.getClass().getName());
    }
  }
}
