package io.github.telemetrybootstrap.logging;

import io.github.telemetrybootstrap.contract.SecretMasker;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import io.github.telemetrybootstrap.contract.LogFields;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.logstash.logback.argument.StructuredArgument;
import net.logstash.logback.composite.loggingevent.ArgumentsJsonProvider;
import net.logstash.logback.composite.loggingevent.KeyValuePairsJsonProvider;
import net.logstash.logback.composite.loggingevent.LogstashMarkersJsonProvider;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import java.util.Set;
import net.logstash.logback.composite.AbstractJsonProvider;
import net.logstash.logback.composite.JsonProvider;
import net.logstash.logback.composite.ObjectMapperAware;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.core.util.JsonGeneratorDelegate;

/**
 * Runs the providers of user fields (MDC, structured arguments, key/value pairs, markers) so that they
 * can never overwrite a contract field: a top-level field they write whose name is one of
 * {@link #RESERVED} is dropped, with its whole value, and the contract's value stays the only one in
 * the line. Nested fields are not affected. Everything they write is masked: values of secret keys at
 * any depth, secrets inside strings, raw JSON from {@code Markers.appendRaw}.
 */
public class UserFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent>
    implements ObjectMapperAware, MaskingAware {
  /** The contract's top-level field names, which user fields cannot take. */
  public static final Set<String> RESERVED =
      Set.of(
          LogFields.TIMESTAMP, LogFields.LEVEL, LogFields.LOGGER, LogFields.THREAD, LogFields.MESSAGE,
          LogFields.SERVICE, LogFields.SERVICE_VERSION, LogFields.ENV, LogFields.TRACE_ID,
          LogFields.SPAN_ID, LogFields.TRACE_FLAGS, LogFields.TENANT_ID, LogFields.REQUEST_ID,
          LogFields.ERROR);

  private final List<JsonProvider<ILoggingEvent>> delegates = new ArrayList<>();
  private SecretMasking masking = SecretMasking.GLOBAL;

  /** The delegates whose output depends only on what {@link #nothingToWrite} looks at. */
  private static final Set<Class<?>> BUILT_IN = Set.of(MdcJsonProvider.class,
      KeyValuePairsJsonProvider.class, ArgumentsJsonProvider.class, LogstashMarkersJsonProvider.class);

  private boolean onlyBuiltInDelegates = true;

  /** Creates the provider with no delegates. */
  public UserFieldsJsonProvider() {}

  /**
   * Adds a provider of user fields; they write in the order added.
   *
   * @param provider the provider
   */
  public void addProvider(JsonProvider<ILoggingEvent> provider) {
    delegates.add(provider);
    onlyBuiltInDelegates &= BUILT_IN.contains(provider.getClass());
  }

  /** @return the providers, in writing order */
  public List<JsonProvider<ILoggingEvent>> getProviders() {
    return List.copyOf(delegates);
  }

  @Override
  public void setMasking(SecretMasking masking) {
    this.masking = masking;
  }

  @Override
  public void setContext(Context context) {
    super.setContext(context);
    delegates.forEach(p -> p.setContext(context));
  }

  @Override
  public void setObjectMapper(ObjectMapper objectMapper) {
    for (JsonProvider<ILoggingEvent> p : delegates) {
      if (p instanceof ObjectMapperAware aware) {
        aware.setObjectMapper(objectMapper);
      }
    }
  }

  @Override
  public void start() {
    delegates.forEach(JsonProvider::start);
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    delegates.forEach(JsonProvider::stop);
  }

  @Override
  public void prepareForDeferredProcessing(ILoggingEvent event) {
    delegates.forEach(p -> p.prepareForDeferredProcessing(event));
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) {
    if (onlyBuiltInDelegates && nothingToWrite(event)) {
      return; // most lines: no MDC, no key/value pairs, no structured arguments, no markers
    }
    ReservedNameGuard guard = new ReservedNameGuard(masking.userFields(generator), masking);
    for (JsonProvider<ILoggingEvent> p : delegates) {
      p.writeTo(guard, event);
      guard.resume();
    }
  }

  /**
   * Whether the built-in delegates (MDC, key/value pairs, structured arguments, markers) would write
   * nothing for this event; only asked when no other provider was added.
   */
  private static boolean nothingToWrite(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null && !mdc.isEmpty()) {
      return false;
    }
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null && !pairs.isEmpty()) {
      return false;
    }
    List<Marker> markers = event.getMarkerList();
    if (markers != null && !markers.isEmpty()) {
      return false;
    }
    Object[] args = event.getArgumentArray();
    if (args != null) {
      for (Object arg : args) {
        Class<?> type = arg == null ? null : arg.getClass();
        // Plain arguments are mostly strings and boxed numbers: a class comparison, before the
        // slower interface check.
        if (type != null && type != String.class && type != Integer.class && type != Long.class
            && arg instanceof StructuredArgument) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Passes writes through, except that a top-level field with a reserved name, and everything written
   * for its value, goes to a discarding generator instead.
   */
  static final class ReservedNameGuard extends JsonGeneratorDelegate {
    private final JsonGenerator real;
    private final SecretMasking masking;
    private @Nullable JsonGenerator sink;

    ReservedNameGuard(JsonGenerator real, SecretMasking masking) {
      super(real, false);
      this.real = real;
      this.masking = masking;
    }

    /**
     * Raw JSON ({@code Markers.appendRaw}) bypasses the generator's masking: mask it here, the whole
     * value under a secret name, secrets inside it otherwise.
     */
    @Override
    public JsonGenerator writeRawValue(String text) {
      String name = delegate.streamWriteContext().currentName();
      if (name != null && masking.isSecretKey(name)) {
        return super.writeString(SecretMasker.MASK);
      }
      String masked = masking.masker().mask(text);
      return masked == text ? super.writeRawValue(text) : super.writeRawValue(masked);
    }

    @Override
    public JsonGenerator writeName(String name) {
      divertIfReserved(name);
      return super.writeName(name);
    }

    @Override
    public JsonGenerator writeName(SerializableString name) {
      divertIfReserved(name.getValue());
      return super.writeName(name);
    }

    private void divertIfReserved(String name) {
      if (delegate != real && delegate.streamWriteContext().getNestingDepth() == 1) {
        delegate = real; // the dropped value is complete: back at the top level
      }
      if (delegate == real && real.streamWriteContext().getNestingDepth() == 1
          && RESERVED.contains(name)) {
        if (sink == null) {
          sink = real.objectWriteContext().createGenerator(OutputStream.nullOutputStream());
          sink.writeStartObject();
        }
        delegate = sink;
      }
    }

    void resume() {
      delegate = real;
    }
  }
}
