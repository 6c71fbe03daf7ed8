package io.github.telemetrybootstrap.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaskerTest {
  private final SecretMasker masker = SecretMasker.defaults();

  @ParameterizedTest
  @ValueSource(strings = {"password", "Password", "PASSWD", "pwd", "secret", "token", "access_token",
      "accessToken", "refresh-token", "id_token", "api_key", "apikey", "API-Key", "X-Api-Key",
      "authorization", "Proxy-Authorization", "cookie", "Set-Cookie", "client_secret", "private_key",
      "db.password", "userPassword", "aws_secret_access_key"})
  void secretKeysMatchCaseAndSeparatorInsensitively(String key) {
    assertThat(masker.isSecretKey(key)).as(key).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"user", "tokens", "key", "trace_id", "message", "token_count", "passwordHint",
      "max_tokens", "tenant_id", ""})
  void ordinaryKeysAreNotSecret(String key) {
    assertThat(masker.isSecretKey(key)).as(key).isFalse();
  }

  @Test
  void extraKeysAreAddedNormalised() {
    SecretMasker custom = masker.withExtraKeys(List.of("IBAN", "social-security"));
    assertThat(custom.isSecretKey("iban")).isTrue();
    assertThat(custom.isSecretKey("Social_Security")).isTrue();
    assertThat(masker.isSecretKey("iban")).isFalse();
    assertThat(custom.mask("iban=DE89370400440532013000, ok")).isEqualTo("iban=****, ok");
  }

  @Test
  void textWithoutSecretsIsReturnedAsTheSameInstance() {
    String text = "GET /orders/42 took 15 ms, status=200, user=alice: ok (2026-11-21T16:08:00Z)";
    assertThat(masker.mask(text)).isSameAs(text);
  }

  @Test
  void bearerAndBasicCredentialsAreMasked() {
    assertThat(masker.mask("calling with Bearer abc123DEF456ghi789 now"))
        .isEqualTo("calling with Bearer **** now");
    assertThat(masker.mask("header bearer\tAbC-dEf_GhI.jKl~mNo+pQr/sTu== end"))
        .isEqualTo("header bearer\t**** end");
    assertThat(masker.mask("Basic dXNlcjpwYXNzd29yZA== sent")).isEqualTo("Basic **** sent");
  }

  @Test
  void bearerProseIsLeftAlone() {
    String prose = "Bearer authentication failed. Basic setup done";
    assertThat(masker.mask(prose)).isSameAs(prose);
  }

  @Test
  void jwtsAreMasked() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    assertThat(masker.mask("token " + jwt + " rejected")).isEqualTo("token **** rejected");
    assertThat(masker.mask("(" + jwt + ")")).isEqualTo("(****)");
  }

  @Test
  void luhnValidCardNumbersAreMaskedInAllSpellings() {
    assertThat(masker.mask("card 4111111111111111 charged")).isEqualTo("card **** charged");
    assertThat(masker.mask("card 4111 1111 1111 1111.")).isEqualTo("card ****.");
    assertThat(masker.mask("card 5500-0000-0000-0004, ok")).isEqualTo("card ****, ok");
    assertThat(masker.mask("amex 378282246310005")).isEqualTo("amex ****");
    assertThat(masker.mask("order 42 4111111111111111")).isEqualTo("order 42 ****");
  }

  @Test
  void numbersThatAreNoCardsAreLeftAlone() {
    for (String text : List.of(
        "id 4111111111111112 (fails Luhn)",
        "ts 1700000000123 (epoch millis start with 1)",
        "span 4bf92f3577b34da6a3ce929d0e0e4736",
        "short 411111111111",
        "version 4111111111111111x",
        "pi 3.4111111111111111")) {
      assertThat(masker.mask(text)).as(text).isSameAs(text);
    }
  }

  @Test
  void luhnIsExact() {
    assertThat(SecretMasker.luhn("79927398713", 0, 11)).isTrue();
    assertThat(SecretMasker.luhn("79927398710", 0, 11)).isFalse();
    assertThat(SecretMasker.isCard("4012 8888 8888 1881", 0, 19)).isTrue();
    assertThat(SecretMasker.isCard("4012 8888 8888 1882", 0, 19)).isFalse();
  }

  @Test
  void secretKeyValuePairsInTextAreMasked() {
    assertThat(masker.mask("login user=alice password=hunter2 ok"))
        .isEqualTo("login user=alice password=****");
    assertThat(masker.mask("GET /cb?code=1&access_token=abc.def&state=x"))
        .isEqualTo("GET /cb?code=1&access_token=****&state=x");
    assertThat(masker.mask("{\"user\":\"bob\",\"password\" : \"p\\\"w\",\"n\":1}"))
        .isEqualTo("{\"user\":\"bob\",\"password\" : \"****\",\"n\":1}");
    assertThat(masker.mask("Authorization: Bearer abc; next"))
        .isEqualTo("Authorization: ****; next");
    assertThat(masker.mask("api_key='k-123' done")).isEqualTo("api_key='****' done");
  }

  @Test
  void operatorsAndEmptyValuesAreNotMasked() {
    String text = "token== null, secret=, pwd:";
    assertThat(masker.mask(text)).isSameAs(text);
  }

  @Test
  void nullIsNull() {
    assertThat(masker.mask(null)).isNull();
    assertThat(masker.isSecretKey(null)).isFalse();
  }
}
