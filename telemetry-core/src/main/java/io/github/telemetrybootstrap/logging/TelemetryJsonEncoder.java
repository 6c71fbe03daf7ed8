package io.github.telemetrybootstrap.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.telemetrybootstrap.contract.LogFields;
import io.github.telemetrybootstrap.contract.SecretMasker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.logstash.logback.composite.JsonProvider;
import net.logstash.logback.composite.JsonProviders;
import net.logstash.logback.composite.loggingevent.ArgumentsJsonProvider;
import net.logstash.logback.composite.loggingevent.KeyValuePairsJsonProvider;
import net.logstash.logback.composite.loggingevent.LogstashMarkersJsonProvider;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.decorate.json.CharacterEscapesDecorator;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;

/**
 * Encodes a logback event as one line of the telemetry log contract: one JSON object, UTF-8,
 * terminated by {@code \n}.
 *
 * <p>Fields, in this order (names from {@link LogFields}): {@code @timestamp} (RFC 3339 UTC with
 * milliseconds, {@code 2026-11-21T16:08:00.123Z}), {@code level}, {@code logger}, {@code thread},
 * {@code message}, {@code service}, {@code service_version} and {@code env} (when known),
 * {@code trace_id}, {@code span_id}, {@code trace_flags} (when a valid span is current),
 * {@code tenant_id}, {@code request_id} (when present in the context), {@code error} (when a throwable
 * is attached), then the MDC entries, SLF4J key/value pairs, structured arguments
 * ({@code StructuredArguments.kv}) and logstash markers as further top-level fields. A user field
 * named like a contract field is dropped (see {@link UserFieldsJsonProvider}).
 *
 * <p>Secrets are masked before anything is written (see {@link SecretMasker}): values of secret keys
 * anywhere in the user fields, and bearer tokens, JWTs, card numbers and secret {@code key=value}
 * pairs inside the message, the error, logger and thread names and user values. Each field is masked
 * once, where it is written; the library's own values (timestamp, level, service, trace fields) are
 * not scanned, and tenant and request ids are masked when they enter the context. A provider added
 * in XML ({@code <provider>}) has its values masked too (the whole line then goes through the
 * masking generator, which costs more per line).
 *
 * <p>Trace, tenant and request fields come from the OpenTelemetry {@code Context.current()} of the
 * thread that encodes. Used directly by a synchronous appender (a {@code ConsoleAppender}) that is
 * the thread that logged; {@link TelemetryAsyncAppender} captures the logging thread's context and
 * makes it current on its worker while encoding. Do not put this encoder behind logback's own
 * {@code AsyncAppender}: its worker thread has no context, and the ids would be missing.
 *
 * <p>Built from logstash-logback-encoder providers; in logback XML:
 * <pre>{@code <encoder class="io.github.telemetrybootstrap.logging.TelemetryJsonEncoder">
 *   <maskKeys>iban,ssn</maskKeys>          <!-- optional, extra secret keys -->
 *   <maxStackTraceLength>16384</maxStackTraceLength> <!-- optional, characters -->
 * </encoder>}</pre>
 */
public class TelemetryJsonEncoder extends LoggingEventCompositeJsonEncoder {
  /** The providers this encoder adds: they mask what they write, or write only the library's values. */
  private static final Set<Class<?>> OWN_PROVIDERS = Set.of(EventHeadJsonProvider.class,
      SingleLineMessageJsonProvider.class, ServiceJsonProvider.class, TraceContextJsonProvider.class,
      TenantJsonProvider.class, RequestIdJsonProvider.class, ErrorJsonProvider.class,
      UserFieldsJsonProvider.class);

  private final List<String> maskKeys = new ArrayList<>();
  private boolean wholeLineMasked;
  private final ErrorJsonProvider errorProvider = new ErrorJsonProvider();

  /** Creates the encoder with the contract's providers; configure it, then {@link #start()}. */
  public TelemetryJsonEncoder() {
    setLineSeparator("UNIX");
    JsonProviders<ILoggingEvent> providers = getProviders();

    providers.addProvider(new EventHeadJsonProvider());

    MessageJsonProvider message = new SingleLineMessageJsonProvider();
    message.setFieldName(LogFields.MESSAGE);
    providers.addProvider(message);

    providers.addProvider(new ServiceJsonProvider());
    providers.addProvider(new TraceContextJsonProvider());
    providers.addProvider(new TenantJsonProvider());
    providers.addProvider(new RequestIdJsonProvider());
    providers.addProvider(errorProvider);

    UserFieldsJsonProvider user = new UserFieldsJsonProvider();
    MdcJsonProvider mdc = new MdcJsonProvider();
    user.addProvider(mdc);
    user.addProvider(new KeyValuePairsJsonProvider());
    ArgumentsJsonProvider arguments = new ArgumentsJsonProvider();
    arguments.setIncludeStructuredArguments(true);
    arguments.setIncludeNonStructuredArguments(false);
    user.addProvider(arguments);
    user.addProvider(new LogstashMarkersJsonProvider());
    providers.addProvider(user);

    // JSON allows U+2028 and U+2029 raw, but JavaScript and many line-oriented tools treat them as
    // line breaks: escape them wherever they occur (tenant, MDC, arguments).
    CharacterEscapesDecorator escapes = new CharacterEscapesDecorator();
    escapes.addEscape(new CharacterEscapesDecorator.Escape((char) 0x2028, "\\u2028"));
    escapes.addEscape(new CharacterEscapesDecorator.Escape((char) 0x2029, "\\u2029"));
    addDecorator(escapes);
  }

  /**
   * Adds keys whose values are masked, on top of the built-in ones and those of
   * {@link SecretMasker#setGlobalExtraKeys}. Call before {@link #start()}.
   *
   * @param commaSeparatedKeys e.g. {@code iban,ssn}; blank entries are ignored
   */
  public void setMaskKeys(String commaSeparatedKeys) {
    if (commaSeparatedKeys != null) {
      Arrays.stream(commaSeparatedKeys.split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .forEach(maskKeys::add);
    }
  }

  /**
   * Caps the {@code error.stack_trace} string. Default {@value ErrorJsonProvider#DEFAULT_MAX_LENGTH}.
   *
   * @param characters at least 256
   * @throws IllegalArgumentException if below 256
   */
  public void setMaxStackTraceLength(int characters) {
    errorProvider.setMaxLength(characters);
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    SecretMasking masking = new SecretMasking(maskKeys);
    boolean foreign = false;
    for (JsonProvider<ILoggingEvent> provider : getProviders().getProviders()) {
      if (provider instanceof MaskingAware aware) {
        aware.setMasking(masking);
      }
      foreign |= !OWN_PROVIDERS.contains(provider.getClass());
    }
    if (foreign && !wholeLineMasked) {
      // A provider added in logback XML (<provider>) writes values this encoder does not know:
      // mask the whole line through logstash's masking generator, as for user fields.
      addDecorator(masking.decorator());
      wholeLineMasked = true;
    }
    super.start();
  }
}
