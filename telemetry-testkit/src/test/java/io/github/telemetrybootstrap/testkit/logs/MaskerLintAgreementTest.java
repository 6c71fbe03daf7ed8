package io.github.telemetrybootstrap.testkit.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.contract.SecretMasker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The gate and the code it checks agree, without sharing code: every credential of the core's
 * masking corpus is flagged by the lint when written raw and passes once the core masked it; a UUID
 * is never a card to either; a digit string the lint calls a card is one the masker masks.
 */
class MaskerLintAgreementTest {
  private static final Path CORPUS =
      Path.of("..", "telemetry-contract", "src", "test", "resources", "masking", "positives.tsv");

  @Test
  void everyCorpusCredentialIsFlaggedRawAndPassesMasked() throws IOException {
    List<String> inputs =
        Files.readAllLines(CORPUS, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .map(l -> l.split("\t", -1)[0].replace("\\n", "\n"))
            .toList();
    assertThat(inputs).hasSizeGreaterThan(30);
    for (String raw : inputs) {
      String masked = SecretMasker.defaults().mask(raw);
      assertThat(Secrets.secretKind(masked)).as("masked: " + masked).isNull();
      if (!isProse(raw)) {
        assertThat(Secrets.secretKind(raw)).as("raw: " + raw).isNotNull();
      }
    }
  }

  /** Prose ("my password is x", multi-word values) is masked by the core but not a lint rule. */
  private static boolean isProse(String raw) {
    return raw.contains(" is ") || raw.contains(" was ") || raw.startsWith("login password:")
        || raw.contains("horse") || raw.contains("\"password\":\"p@ss word\"");
  }

  @Test
  void uuidsAreNoCardsToEither() {
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      String line = "request " + new UUID(random.nextLong(), random.nextLong()) + " done";
      assertThat(Secrets.hasCardNumber(line)).as(line).isFalse();
      assertThat(SecretMasker.defaults().mask(line)).as(line).isSameAs(line);
    }
  }

  @Test
  void whatTheLintCallsACardTheMaskerMasks() {
    Random random = new Random(11);
    int cards = 0;
    for (int i = 0; i < 200_000; i++) {
      int digits = 13 + random.nextInt(7);
      StringBuilder b = new StringBuilder("pan ");
      for (int d = 0; d < digits; d++) {
        if (d > 0 && d % 4 == 0 && random.nextInt(3) == 0) {
          b.append(random.nextBoolean() ? ' ' : '-');
        }
        b.append((char) ('0' + random.nextInt(10)));
      }
      String text = b.append(" ok").toString();
      if (Secrets.hasCardNumber(text)) {
        cards++;
        String masked = SecretMasker.defaults().mask(text);
        assertThat(masked).as(text).isNotEqualTo(text);
        assertThat(Secrets.hasCardNumber(masked)).as(masked).isFalse();
      }
    }
    assertThat(cards).isGreaterThan(1000);
  }

  /**
   * Found on Jetty's own start-up line ({@code jetty-docbase.44831.<random long>/}): the lint called
   * a decimal number's digits a card while the masker, rightly, left them. In every context, the
   * lint calls a digit string a card exactly when the masker masks it.
   */
  @Test
  void theLintAndTheMaskerAgreeOnDigitsInEveryContext() {
    List<String> contexts = List.of("pan %s ok", "b=file:///tmp/jetty-docbase.44831.%s/,a=AVAILABLE",
        "took 3.%s s", "%s.25 units", "card %s.", "(%s)", "\"%s\"", "v%s", "%s-x");
    Random random = new Random(13);
    int cards = 0;
    for (int i = 0; i < 50_000; i++) {
      StringBuilder digits = new StringBuilder();
      digits.append((char) ('2' + random.nextInt(5))); // a card network's first digit
      for (int d = 13 + random.nextInt(7); d > 1; d--) {
        digits.append((char) ('0' + random.nextInt(10)));
      }
      for (String context : contexts) {
        String text = context.formatted(digits);
        boolean lint = Secrets.hasCardNumber(text);
        boolean masked = !SecretMasker.defaults().mask(text).equals(text);
        assertThat(lint).as("lint calls a card %s, masker masks %s: %s", lint, masked, text).isEqualTo(masked);
        cards += lint ? 1 : 0;
      }
    }
    assertThat(cards).as("cards among the samples").isGreaterThan(10_000);
  }
}
