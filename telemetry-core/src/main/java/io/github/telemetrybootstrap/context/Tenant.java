package io.github.telemetrybootstrap.context;

import io.github.telemetrybootstrap.contract.ContextRules;
import io.github.telemetrybootstrap.contract.Propagation;
import io.github.telemetrybootstrap.contract.SecretMasker;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * The tenant of the current context.
 *
 * <p>The tenant travels as the W3C baggage entry {@value #BAGGAGE_KEY}, so it propagates to
 * downstream services with the {@code baggage} header and to any thread the OpenTelemetry
 * {@link Context} is propagated to. The library copies it to the span attribute
 * {@value #SPAN_ATTRIBUTE} and to the log field {@code tenant_id}. It is never a metric tag.
 *
 * <p>Values are sanitised by {@link #sanitize(String)}: control characters removed, surrounding
 * whitespace trimmed, capped at {@link #maxLength()} characters (default {@value #DEFAULT_MAX_LENGTH},
 * setting {@code telemetry.tenant.max-length}). A value that is empty after sanitising means "no
 * tenant". Nothing here throws on bad input.
 *
 * <pre>{@code
 * Tenant.run("acme", () -> service.handle(order));
 * try (Scope ignored = Tenant.makeCurrent("acme")) { ... }
 * }</pre>
 */
public final class Tenant {
  /** W3C baggage key carrying the tenant. */
  public static final String BAGGAGE_KEY = Propagation.TENANT_BAGGAGE_KEY;
  /** Span attribute the tenant is copied to. */
  public static final String SPAN_ATTRIBUTE = Propagation.TENANT_SPAN_ATTRIBUTE;
  /** Default cap on a tenant value's length, in characters. */
  public static final int DEFAULT_MAX_LENGTH = ContextRules.TENANT_MAX_LENGTH;

  private static volatile int maxLength = DEFAULT_MAX_LENGTH;

  private Tenant() {}

  /**
   * The tenant of {@link Context#current()}, if any.
   *
   * @return the sanitised tenant, or empty when the current baggage has none
   */
  public static Optional<String> current() {
    return Optional.ofNullable(fromContext(Context.current()));
  }

  /**
   * The tenant carried by {@code context}'s baggage, sanitised.
   *
   * @param context any context; {@code null} is treated as root
   * @return the tenant, or {@code null} when there is none
   */
  @Nullable
  public static String fromContext(@Nullable Context context) {
    if (context == null) {
      return null;
    }
    String raw = Baggage.fromContext(context).getEntryValue(BAGGAGE_KEY);
    if (raw == null) {
      return null;
    }
    // Read on every log line of a request: the same baggage value, so the last result is reused
    // while the value (by identity), the masker and the cap are unchanged.
    SecretMasker masker = SecretMasker.global();
    int cap = maxLength;
    LastRead last = lastRead;
    if (last.raw == raw && last.masker == masker && last.maxLength == cap) {
      return last.sanitized;
    }
    String sanitized = ContextRules.sanitizeTenant(raw, cap, masker);
    lastRead = new LastRead(raw, masker, cap, sanitized);
    return sanitized;
  }

  private record LastRead(@Nullable String raw, @Nullable SecretMasker masker, int maxLength,
      @Nullable String sanitized) {}

  private static volatile LastRead lastRead = new LastRead(null, null, 0, null);

  /**
   * Returns {@code context} with the tenant set in its baggage (other baggage entries kept).
   *
   * @param context the parent context
   * @param tenantId the tenant; sanitised; {@code null} or blank returns {@code context} unchanged
   * @return the new context
   */
  public static Context with(Context context, @Nullable String tenantId) {
    String tenant = sanitize(tenantId);
    if (tenant == null) {
      return context;
    }
    Baggage baggage = Baggage.fromContext(context).toBuilder().put(BAGGAGE_KEY, tenant).build();
    return context.with(baggage);
  }

  /**
   * Makes a context with this tenant current until the returned scope is closed. Close it on the
   * same thread, in a try-with-resources block.
   *
   * @param tenantId the tenant; sanitised; {@code null} or blank leaves the context as it is
   * @return the scope to close
   */
  public static Scope makeCurrent(@Nullable String tenantId) {
    return with(Context.current(), tenantId).makeCurrent();
  }

  /**
   * Runs {@code action} with {@code tenantId} as the current tenant.
   *
   * @param tenantId the tenant; sanitised
   * @param action the code to run; its exceptions propagate unchanged
   */
  public static void run(@Nullable String tenantId, Runnable action) {
    try (Scope ignored = makeCurrent(tenantId)) {
      action.run();
    }
  }

  /**
   * Calls {@code action} with {@code tenantId} as the current tenant.
   *
   * @param tenantId the tenant; sanitised
   * @param action the code to call
   * @param <T> the result type
   * @return what {@code action} returned
   * @throws Exception whatever {@code action} throws
   */
  public static <T> T call(@Nullable String tenantId, Callable<T> action) throws Exception {
    try (Scope ignored = makeCurrent(tenantId)) {
      return action.call();
    }
  }

  /**
   * Sanitises a raw tenant value: removes ISO control characters (including CR, LF, TAB and DEL)
   * and Unicode format characters, trims whitespace, masks a credential inside it with the
   * {@linkplain SecretMasker#global() global masker} (so {@code saas.tenant}, the baggage sent on and
   * {@code tenant_id} are the same masked value), and caps the length at {@link #maxLength()}
   * characters (never splitting a surrogate pair).
   *
   * @param raw the raw value, from a header or the application
   * @return the sanitised value, or {@code null} when nothing is left
   */
  @Nullable
  public static String sanitize(@Nullable String raw) {
    return ContextRules.sanitizeTenant(raw, maxLength, SecretMasker.global());
  }


  /**
   * The current cap on tenant length, in characters.
   *
   * @return the cap, at least 1
   */
  public static int maxLength() {
    return maxLength;
  }

  /**
   * Sets the cap on tenant length. Called by the bootstrap from {@code telemetry.tenant.max-length}.
   *
   * @param chars the cap, 1 to 1024
   * @throws IllegalArgumentException if out of range
   */
  public static void setMaxLength(int chars) {
    if (chars < 1 || chars > ContextRules.TENANT_MAX_LENGTH_LIMIT) {
      throw new IllegalArgumentException("tenant max length must be 1..1024, was " + chars);
    }
    maxLength = chars;
  }
}
