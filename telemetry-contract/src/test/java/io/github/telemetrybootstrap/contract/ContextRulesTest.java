package io.github.telemetrybootstrap.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContextRulesTest {
  private final SecretMasker masker = SecretMasker.defaults();

  @Test
  void aRequestIdLosesControlsAndWhiteSpaceAndKeepsItsText() {
    assertThat(ContextRules.sanitizeRequestId("  req-\r\n42\u202e ", masker)).isEqualTo("req-42");
    assertThat(ContextRules.sanitizeRequestId(" \t ", masker)).isNull();
    assertThat(ContextRules.sanitizeRequestId(null, masker)).isNull();
  }

  @Test
  void aCredentialSentAsARequestIdIsMaskedBeforeItIsCut() {
    String token = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
    assertThat(ContextRules.sanitizeRequestId("token=" + token, masker)).isEqualTo("token=****");
    // The token straddles the 128-character cap: masked first, so no prefix of it survives the cut.
    String id = ContextRules.sanitizeRequestId("r".repeat(110) + " " + token, masker);
    assertThat(id).isEqualTo("r".repeat(110) + " ****").doesNotContain("ghp_");
  }

  @Test
  void aLongRequestIdIsCutWithoutSplittingASurrogatePair() {
    String id = ContextRules.sanitizeRequestId("a".repeat(127) + "\uD83D\uDE00tail", masker);
    assertThat(id).isEqualTo("a".repeat(127));
    assertThat(ContextRules.sanitizeRequestId("b".repeat(300), masker)).hasSize(ContextRules.REQUEST_ID_MAX_LENGTH);
  }
}
