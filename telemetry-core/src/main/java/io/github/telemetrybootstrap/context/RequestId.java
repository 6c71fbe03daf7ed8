package io.github.telemetrybootstrap.context;

import io.github.telemetrybootstrap.contract.ContextRules;
import io.github.telemetrybootstrap.contract.SecretMasker;
import io.github.telemetrybootstrap.contract.Propagation;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The id of the inbound request being served, carried in the OpenTelemetry {@link Context} so it
 * follows the request to every thread the context is propagated to.
 *
 * <p>The HTTP instrumentation takes it from the {@code X-Request-Id} header (setting
 * {@code telemetry.request-id.header}) or generates one, makes it current for the request, and echoes
 * it in the response. Incoming values are sanitised by {@link #sanitize(String)}: control characters
 * removed, capped at {@value #MAX_LENGTH} characters; a value empty after that is replaced by a
 * generated one.
 */
public final class RequestId {
  /** Default header carrying the request id. */
  public static final String DEFAULT_HEADER = Propagation.REQUEST_ID_HEADER;
  /** Maximum length of an accepted request id, in characters. */
  public static final int MAX_LENGTH = ContextRules.REQUEST_ID_MAX_LENGTH;

  private static final ContextKey<String> KEY = ContextKey.named("telemetry-request-id");

  private RequestId() {}

  /**
   * The request id of {@link Context#current()}.
   *
   * @return the id, or empty outside a request
   */
  public static Optional<String> current() {
    return Optional.ofNullable(Context.current().get(KEY));
  }

  /**
   * The request id carried by {@code context}.
   *
   * @param context any context; {@code null} is treated as root
   * @return the id, or {@code null}
   */
  @Nullable
  public static String fromContext(@Nullable Context context) {
    return context == null ? null : context.get(KEY);
  }

  /**
   * Returns {@code context} carrying {@code requestId}.
   *
   * @param context the parent context
   * @param requestId the id, sanitised; {@code null} or blank returns {@code context} unchanged
   * @return the new context
   */
  public static Context with(Context context, @Nullable String requestId) {
    return withSanitized(context, sanitize(requestId));
  }

  /** {@link #with} for an id that is already sanitised or generated: skips the second pass. */
  static Context withSanitized(Context context, @Nullable String sanitizedId) {
    return sanitizedId == null ? context : context.with(KEY, sanitizedId);
  }

  /**
   * Makes {@code requestId} current until the scope is closed.
   *
   * @param requestId the id, sanitised
   * @return the scope to close on the same thread
   */
  public static Scope makeCurrent(@Nullable String requestId) {
    return with(Context.current(), requestId).makeCurrent();
  }

  /**
   * Generates a new request id: a version 4 (random) UUID in its canonical 36-character form (RFC
   * 9562). The bits come from {@link ThreadLocalRandom}, not {@code SecureRandom}: a request id
   * correlates, it is not a secret, and this keeps a lock and a system call off every request.
   *
   * @return a new id
   */
  public static String generate() {
    return ContextRules.newRequestId();
  }


  /**
   * Sanitises a request id from the outside: removes control and format characters, masks
   * credentials with {@link SecretMasker#global()} (a bearer token or JWT sent as a request id becomes
   * {@value SecretMasker#MASK}), trims, and caps at {@value #MAX_LENGTH} characters.
   *
   * @param raw the raw value
   * @return the sanitised id, or {@code null} when nothing is left
   */
  @Nullable
  public static String sanitize(@Nullable String raw) {
    return ContextRules.sanitizeRequestId(raw, SecretMasker.global());
  }

}
