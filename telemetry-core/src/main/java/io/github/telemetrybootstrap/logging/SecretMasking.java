package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.contract.SecretMasker;
import io.github.telemetrybootstrap.contract.LogFields;
import java.util.List;
import java.util.Set;
import net.logstash.logback.mask.FieldMasker;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
import net.logstash.logback.mask.ValueMasker;
import tools.jackson.core.TokenStreamContext;

/**
 * The masking of {@link TelemetryJsonEncoder}: a logstash-logback-encoder
 * {@link MaskingJsonGeneratorDecorator} with one {@link FieldMasker} (values of secret keys, at any
 * depth: MDC, arguments, nested objects) and one {@link ValueMasker} (secrets inside string values:
 * message, error message, stack trace, user values), both driven by {@link SecretMasker}.
 *
 * <p>Values the library writes itself and that cannot hold secrets ({@code @timestamp}, {@code level},
 * {@code service}, {@code service_version}, {@code env}, {@code trace_id}, {@code span_id},
 * {@code trace_flags}) are not scanned.
 */
final class SecretMasking {
  private static final Set<String> NOT_SCANNED =
      Set.of(
          LogFields.TIMESTAMP, LogFields.LEVEL, LogFields.SERVICE, LogFields.SERVICE_VERSION,
          LogFields.ENV, LogFields.TRACE_ID, LogFields.SPAN_ID, LogFields.TRACE_FLAGS);

  private final List<String> extraKeys;
  /** The global masker this encoder's masker was derived from, and the derived one. */
  private volatile Derived derived = new Derived(null, SecretMasker.defaults());

  private record Derived(SecretMasker base, SecretMasker masker) {}

  SecretMasking(List<String> extraKeys) {
    this.extraKeys = List.copyOf(extraKeys);
  }

  MaskingJsonGeneratorDecorator decorator() {
    MaskingJsonGeneratorDecorator decorator = new MaskingJsonGeneratorDecorator();
    decorator.addFieldMasker(this::maskField);
    decorator.addValueMasker(this::maskValue);
    decorator.start();
    return decorator;
  }

  SecretMasker masker() {
    SecretMasker base = SecretMasker.global();
    Derived d = derived;
    if (d.base != base) {
      d = new Derived(base, base.withExtraKeys(extraKeys));
      derived = d;
    }
    return d.masker;
  }

  /** Field names seen and whether they are secret, per masker: names repeat on every line. */
  private volatile KeyCache keyCache = new KeyCache(null);

  private static final class KeyCache {
    static final int MAX_ENTRIES = 4096;
    final SecretMasker masker;
    final java.util.concurrent.ConcurrentHashMap<String, Boolean> secret = new java.util.concurrent.ConcurrentHashMap<>();

    KeyCache(SecretMasker masker) {
      this.masker = masker;
    }
  }

  private Object maskField(TokenStreamContext context) {
    if (!context.hasCurrentName()) {
      return null;
    }
    String name = context.currentName();
    SecretMasker masker = masker();
    KeyCache cache = keyCache;
    if (cache.masker != masker) {
      cache = new KeyCache(masker);
      keyCache = cache;
    }
    Boolean known = cache.secret.get(name);
    if (known == null) {
      known = masker.isSecretKey(name);
      if (cache.secret.size() < KeyCache.MAX_ENTRIES) { // bounded: MDC keys are the application's
        cache.secret.put(name, known);
      }
    }
    return known ? SecretMasker.MASK : null;
  }

  private Object maskValue(TokenStreamContext context, Object value) {
    if (value instanceof Long || value instanceof java.math.BigInteger) {
      // A card number logged as a number: only values of 13+ digits are candidates.
      String digits = value.toString();
      return digits.length() >= 13 && SecretMasker.isCard(digits, 0, digits.length())
          ? SecretMasker.MASK
          : null;
    }
    if (!(value instanceof String text)) {
      return null;
    }
    if (context.getNestingDepth() == 1 && context.hasCurrentName()
        && NOT_SCANNED.contains(context.currentName())) {
      return null;
    }
    String masked = masker().mask(text);
    int cap = LogLimits.maxLineLength();
    if (masked.length() > cap) {
      // Masked first, then cut: a secret is never left half-written where masking could miss it.
      String marker = TruncatedEvent.marker(masked.length());
      int end = Math.max(0, cap - marker.length());
      if (end > 0 && Character.isHighSurrogate(masked.charAt(end - 1))) {
        end--;
      }
      return masked.substring(0, end) + marker;
    }
    return masked == text ? null : masked;
  }
}
