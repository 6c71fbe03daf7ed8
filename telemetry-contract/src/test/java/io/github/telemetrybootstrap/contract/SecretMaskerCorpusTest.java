package io.github.telemetrybootstrap.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The masking corpus: every credential format the library claims to mask (positives.tsv, with the
 * exact expected output) and look-alikes that must stay untouched (lookalikes.txt).
 */
class SecretMaskerCorpusTest {
  private final SecretMasker masker = SecretMasker.defaults();

  static Stream<Arguments> positives() throws IOException {
    return lines("positives.tsv").stream()
        .map(l -> l.split("\t", -1))
        .map(p -> Arguments.of(unescape(p[0]), unescape(p[1])));
  }

  static Stream<String> lookalikes() throws IOException {
    return lines("lookalikes.txt").stream();
  }

  @ParameterizedTest
  @MethodSource("positives")
  void credentialFormatsAreMasked(String input, String expected) {
    assertThat(masker.mask(input)).as(input).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("lookalikes")
  void lookalikesAreLeftUntouched(String input) {
    assertThat(masker.mask(input)).as(input).isSameAs(input);
  }

  @Test
  void generatedUuidsAreNeverMistakenForCards() {
    Random random = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      String id = new UUID(random.nextLong(), random.nextLong()).toString();
      String line = "request_id " + id + " done";
      assertThat(masker.mask(line)).as(line).isSameAs(line);
    }
  }

  @Test
  void allDigitUuidsAreNoCards() {
    String id = "41111111-1111-4111-8111-111111111111";
    assertThat(masker.mask(id)).isSameAs(id);
  }

  @Test
  void emailsAreMaskedOnlyWhenAskedFor() {
    String text = "invoice sent to jane.doe+billing@example.co.uk and bob@example.com.";
    assertThat(masker.mask(text)).isSameAs(text);
    assertThat(masker.withEmailMasking(true).mask(text)).isEqualTo("invoice sent to **** and ****.");
    assertThat(masker.withEmailMasking(true).mask("no address @ here, user@localhost"))
        .isEqualTo("no address @ here, user@localhost");
  }

  @Test
  void anExtraPatternMasksItsMatchesOrItsFirstGroup() {
    SecretMasker custom = masker.withExtraPattern(Pattern.compile("\\bIBAN ([A-Z]{2}[0-9]{2}[A-Z0-9]{10,30})"));
    assertThat(custom.mask("pay to IBAN DE89370400440532013000 today"))
        .isEqualTo("pay to IBAN **** today");
    SecretMasker whole = masker.withExtraPattern(Pattern.compile("emp-[0-9]{6}"));
    assertThat(whole.mask("employee emp-123456 and emp-654321")).isEqualTo("employee **** and ****");
  }

  @Test
  void aMissingPemEndMasksToTheEnd() {
    assertThat(masker.mask("key -----BEGIN EC PRIVATE KEY-----MHcCAQEEIOi")).isEqualTo("key ****");
    String publicKey = "-----BEGIN PUBLIC KEY-----MIIBIjANBgkqh-----END PUBLIC KEY-----";
    assertThat(masker.mask(publicKey)).isSameAs(publicKey);
  }

  private static List<String> lines(String name) throws IOException {
    try (InputStream in = SecretMaskerCorpusTest.class.getResourceAsStream("/masking/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .toList();
    }
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n");
  }
}
