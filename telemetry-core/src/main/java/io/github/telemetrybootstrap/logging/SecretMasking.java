package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.contract.SecretMasker;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.io.SerializedString;

/**
 * The masking of one {@link TelemetryJsonEncoder}, driven by {@link SecretMasker#global()} plus the
 * encoder's extra keys.
 *
 * <p>Each contract field is masked where it is written, once: {@code message}, {@code error.message}
 * and {@code error.stack_trace} through {@link #value(String)} (secrets inside the text, then the
 * line cap), {@code logger} and {@code thread} through {@link #name(String)} (the same, remembered
 * per name). {@code tenant_id} and {@code request_id} are masked when they enter the context
 * ({@code Tenant.sanitize}, {@code RequestId.sanitize}); {@code @timestamp}, {@code level},
 * {@code service}, {@code service_version}, {@code env} and the trace fields are the library's own
 * values and cannot hold secrets. User fields (MDC, key/value pairs, structured arguments, markers),
 * whose shape is the application's, go through a logstash-logback-encoder
 * {@link MaskingJsonGeneratorDecorator} ({@link #userFields(JsonGenerator)}): values of secret keys at
 * any depth, secrets inside string values, card numbers logged as numbers.
 */
final class SecretMasking {
  /** The masking of providers used outside a {@link TelemetryJsonEncoder}: no extra keys. */
  static final SecretMasking GLOBAL = new SecretMasking(List.of());

  /** Bound of each per-name cache: field, logger and thread names are the application's. */
  static final int MAX_CACHED_NAMES = 4096;

  private final List<String> extraKeys;
  /** The global masker this encoder's masker was derived from, the derived one, and its caches. */
  private volatile Derived derived = new Derived(null, SecretMasker.defaults());

  private final MaskingJsonGeneratorDecorator userFieldMasking = new MaskingJsonGeneratorDecorator();

  private static final class Derived {
    final @Nullable SecretMasker base;
    final SecretMasker masker;
    final ConcurrentHashMap<String, Boolean> secretKeys = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Name> maskedNames = new ConcurrentHashMap<>();

    Derived(@Nullable SecretMasker base, SecretMasker masker) {
      this.base = base;
      this.masker = masker;
    }
  }

  SecretMasking(List<String> extraKeys) {
    this.extraKeys = List.copyOf(extraKeys);
    userFieldMasking.addFieldMasker(this::maskField);
    userFieldMasking.addValueMasker(this::maskValue);
    userFieldMasking.start();
  }

  private Derived derived() {
    SecretMasker base = SecretMasker.global();
    Derived d = derived;
    if (d.base != base) {
      d = new Derived(base, extraKeys.isEmpty() ? base : base.withExtraKeys(extraKeys));
      derived = d;
    }
    return d;
  }

  /** @return the masker in effect now: the global one plus this encoder's extra keys */
  SecretMasker masker() {
    return derived().masker;
  }

  /**
   * Masks secrets inside a free-text value, then applies the line cap
   * ({@code telemetry.logging.max-line-length}): masked first, then cut, so a secret is never left
   * half-written where masking could miss it.
   *
   * @param text the value, may be null
   * @return the value to write; the same instance when nothing was masked or cut
   */
  @Nullable String value(@Nullable String text) {
    if (text == null) {
      return null;
    }
    String masked = masker().mask(text);
    int cap = LogLimits.maxLineLength();
    if (masked.length() > cap) {
      String marker = TruncatedEvent.marker(masked.length());
      int end = Math.max(0, cap - marker.length());
      if (end > 0 && Character.isHighSurrogate(masked.charAt(end - 1))) {
        end--;
      }
      return masked.substring(0, end) + marker;
    }
    return masked;
  }

  /**
   * A logger or thread name as written: masked like a {@link #value(String)}, and pre-encoded as the
   * whole field for {@link JsonFragments}.
   *
   * @param masked the name to write
   * @param loggerField {@code ,"logger":"<masked>"}, or {@code null} when {@code masked} needs escaping
   * @param threadField {@code ,"thread":"<masked>"}, or {@code null} when {@code masked} needs escaping
   */
  record Name(String masked, @Nullable SerializedString loggerField,
      @Nullable SerializedString threadField) {}

  /**
   * {@link #value(String)} for values that repeat on every line (logger and thread names): the result
   * is remembered per name, up to {@value #MAX_CACHED_NAMES} names.
   *
   * @param name the name, may be null
   * @return the name to write, or {@code null} for {@code null}
   */
  @Nullable Name name(@Nullable String name) {
    if (name == null) {
      return null;
    }
    Derived d = derived();
    Name masked = d.maskedNames.get(name);
    if (masked == null) {
      String value = value(name);
      masked = new Name(value, JsonFragments.fields(LogFields.LOGGER, value),
          JsonFragments.fields(LogFields.THREAD, value));
      if (d.maskedNames.size() < MAX_CACHED_NAMES) {
        d.maskedNames.put(name, masked);
      }
    }
    return masked;
  }

  /**
   * Whether values under this field name are masked whole, remembered per name up to
   * {@value #MAX_CACHED_NAMES} names.
   *
   * @param name a field name
   * @return true for a secret key such as {@code password}
   */
  boolean isSecretKey(String name) {
    Derived d = derived();
    Boolean known = d.secretKeys.get(name);
    if (known == null) {
      known = d.masker.isSecretKey(name);
      if (d.secretKeys.size() < MAX_CACHED_NAMES) {
        d.secretKeys.put(name, known);
      }
    }
    return known;
  }

  /**
   * @return the masking generator decorator of user fields, for an encoder that must mask values
   *     of providers it does not know
   */
  MaskingJsonGeneratorDecorator decorator() {
    return userFieldMasking;
  }

  /**
   * Wraps the generator for writing user fields, whose shape is the application's.
   *
   * @param generator the line's generator
   * @return a generator that masks what is written through it
   */
  JsonGenerator userFields(JsonGenerator generator) {
    return userFieldMasking.decorate(generator);
  }

  private @Nullable Object maskField(TokenStreamContext context) {
    return context.hasCurrentName() && isSecretKey(context.currentName()) ? SecretMasker.MASK : null;
  }

  private @Nullable Object maskValue(TokenStreamContext context, Object value) {
    if (value instanceof Long || value instanceof BigInteger) {
      // A card number logged as a number: only values of 13+ digits are candidates.
      String digits = value.toString();
      return digits.length() >= 13 && SecretMasker.isCard(digits, 0, digits.length())
          ? SecretMasker.MASK
          : null;
    }
    if (!(value instanceof String text)) {
      return null;
    }
    String masked = value(text);
    return masked == text ? null : masked;
  }
}
