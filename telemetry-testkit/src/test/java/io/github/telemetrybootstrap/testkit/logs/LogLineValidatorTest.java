package io.github.telemetrybootstrap.testkit.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.contract.LogFields;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineValidatorTest {
  private static final String T = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String S = "00f067aa0ba902b7";
  private final LogLineValidator validator = LogLineValidator.create();

  private static String line(String extra) {
    return "{\"@timestamp\":\"2026-11-21T16:08:00.123Z\",\"level\":\"INFO\",\"logger\":\"a.B\",\"thread\":\"main\","
        + "\"message\":\"hello\",\"service\":\"orders\"" + extra + "}";
  }

  private static String inSpan(String traceId, String spanId, String extra) {
    return line(",\"trace_id\":\"" + traceId + "\",\"span_id\":\"" + spanId + "\",\"trace_flags\":\"01\"" + extra);
  }

  @Test
  void schemaResourceIsVersionedWithTheContract() {
    assertThat(LogSchema.get().text()).contains("\"$id\": \"" + LogSchema.ID + "\"")
        .contains("https://json-schema.org/draft/2020-12/schema");
    assertThat(LogSchema.ID).endsWith("/" + LogFields.CONTRACT_VERSION);
    assertThat(LogSchema.get().version()).isEqualTo(LogFields.CONTRACT_VERSION);
  }

  @Test
  void lineInsideASpanMustCarryThatSpansIds() {
    ExpectedContext ctx = ExpectedContext.inSpan(T, S);

    assertThat(validator.validate(1, inSpan(T, S, ""), ctx)).isEmpty();
    assertThat(validator.validate(2, line(""), ctx)).extracting(Violation::rule)
        .containsExactly(Rule.MISSING_TRACE_CONTEXT);
    List<Violation> other = validator.validate(3, inSpan(T, "1111111111111111", ""), ctx);
    assertThat(other).extracting(Violation::rule, Violation::field)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Rule.TRACE_CONTEXT_MISMATCH, "/span_id"));
    assertThat(other.get(0).message()).contains("1111111111111111").contains(S);
  }

  @Test
  void lineUnderATenantMustCarryIt() {
    ExpectedContext ctx = ExpectedContext.NONE.withTenant("acme");
    assertThat(validator.validate(1, line(",\"tenant_id\":\"acme\""), ctx)).isEmpty();
    assertThat(validator.validate(1, line(""), ctx)).extracting(Violation::rule).containsExactly(Rule.MISSING_TENANT);
    assertThat(validator.validate(1, line(",\"tenant_id\":\"globex\""), ctx)).extracting(Violation::rule)
        .containsExactly(Rule.TENANT_MISMATCH);
  }

  @Test
  void requestLinesWithoutTraceContextAreReportedWhenAsked() {
    LogLineValidator strict = LogLineValidator.builder().requireTraceContextOnRequests(true).build();
    String request = line(",\"request_id\":\"r-1\"");
    assertThat(validator.validate(1, request)).isEmpty();
    assertThat(strict.validate(1, request)).extracting(Violation::rule).containsExactly(Rule.MISSING_TRACE_CONTEXT);
    assertThat(strict.validate(1, inSpan(T, S, ",\"request_id\":\"r-1\""))).isEmpty();
    assertThat(strict.validate(1, line(""))).isEmpty();
  }

  @Test
  void hugeLinesAreReportedWithoutParsing() {
    byte[] huge = line(",\"blob\":\"" + "x".repeat(LogLineValidator.DEFAULT_MAX_LINE_BYTES) + "\"")
        .getBytes(StandardCharsets.UTF_8);
    List<Violation> v = validator.validate(7, huge, 0, huge.length);
    assertThat(v).singleElement().satisfies(x -> {
      assertThat(x.rule()).isEqualTo(Rule.LINE_TOO_LONG);
      assertThat(x.message()).contains(Integer.toString(huge.length));
      assertThat(x.line()).hasSizeLessThanOrEqualTo(LogLineValidator.DISPLAY_CHARS + 1).endsWith("…");
    });
    LogLineValidator small = LogLineValidator.builder().maxLineBytes(64).build();
    assertThat(small.validate(1, line(""))).extracting(Violation::rule).containsExactly(Rule.LINE_TOO_LONG);
  }

  @Test
  void invalidUtf8IsReportedWithItsOffset() {
    byte[] b = line(",\"x\":\"ab\"").getBytes(StandardCharsets.UTF_8);
    int at = new String(b, StandardCharsets.UTF_8).indexOf("ab");
    b[at] = (byte) 0xC3;
    b[at + 1] = (byte) 0x28;
    assertThat(validator.validate(1, b, 0, b.length)).singleElement().satisfies(v -> {
      assertThat(v.rule()).isEqualTo(Rule.INVALID_UTF8);
      assertThat(v.message()).contains("offset " + at);
    });
  }

  @Test
  void offendingLineIsShownWithSecretsMasked() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl";
    String l = line(",\"password\":\"hunter2\",\"note\":\"auth Bearer abcdefghijklmnop and " + jwt
        + " card 4111 1111 1111 1111\"");
    List<Violation> v = validator.validate(3, l);

    assertThat(v).extracting(Violation::rule).containsExactlyInAnyOrder(Rule.SECRET_KEY, Rule.SECRET_VALUE);
    assertThat(v).allSatisfy(x -> assertThat(x.line())
        .contains("\"password\":\"****\"").contains("Bearer ****")
        .doesNotContain("hunter2").doesNotContain("abcdefghijklmnop").doesNotContain("c2lnbmF0dXJlLXZhbHVl")
        .doesNotContain("4111 1111"));
    assertThat(v).filteredOn(x -> x.rule() == Rule.SECRET_KEY).singleElement()
        .extracting(Violation::field).isEqualTo("/password");
    assertThat(v).filteredOn(x -> x.rule() == Rule.SECRET_VALUE).singleElement()
        .extracting(Violation::field).isEqualTo("/note");
  }

  @Test
  void cardNumbersNeedLuhnAndWordBoundaries() {
    assertThat(Secrets.hasCardNumber("pan 4111111111111111 ok")).isTrue();
    assertThat(Secrets.hasCardNumber("pan 4111111111111112 ok")).isFalse();
    assertThat(Secrets.hasCardNumber("id a4111111111111111")).isFalse();
    assertThat(Secrets.hasCardNumber("41111111111111110000000")).isFalse();
    assertThat(Secrets.hasCardNumber("5500-0055-5555-5559")).isTrue();
    assertThat(Secrets.hasCardNumber(T)).isFalse();
    assertThat(Secrets.hasCardNumber("0000000000000000")).isFalse();
  }

  @Test
  void secretKeyNamesMatchBySuffixNotBySubstring() {
    Secrets s = new Secrets(List.of("session-id"));
    assertThat(Arrays.asList("password", "DB_PASSWORD", "access-token", "X-Api-Key", "client.secret", "SessionId"))
        .allSatisfy(k -> assertThat(s.isSecretKey(k)).as(k).isTrue());
    assertThat(Arrays.asList("tokens_used", "token_type", "secret_santa_count", "message", "thread", "pw"))
        .allSatisfy(k -> assertThat(s.isSecretKey(k)).as(k).isFalse());
  }

  @Test
  void schemaMessagesNameTheFieldAndTheProblem() {
    List<Violation> v = validator.validate(9, "{\"level\":\"info\",\"message\":\"a\\nb\"}");
    assertThat(v).extracting(Violation::field).contains("/level", "/message", "/@timestamp", "/service");
    assertThat(v).filteredOn(x -> x.field().equals("/message")).singleElement()
        .extracting(Violation::rule).isEqualTo(Rule.MULTI_LINE_MESSAGE);
    assertThat(v).filteredOn(x -> x.field().equals("/level")).singleElement().satisfies(x ->
        assertThat(x.message()).contains("enumeration").contains("INFO"));
    assertThat(v).allSatisfy(x -> assertThat(x.lineNumber()).isEqualTo(9));
  }

  @Test
  void validateAllNumbersLinesFromOne() {
    List<Violation> v = validator.validateAll(List.of(line(""), "oops", line(""), line(",\"token\":\"abc\"")));
    assertThat(v).extracting(Violation::lineNumber, Violation::rule).containsExactly(
        org.assertj.core.groups.Tuple.tuple(2L, Rule.INVALID_JSON), org.assertj.core.groups.Tuple.tuple(4L, Rule.SECRET_KEY));
  }

  @Test
  void neverThrowsOnArbitraryBytes() {
    java.util.Random r = new java.util.Random(7);
    byte[] good = inSpan(T, S, ",\"tenant_id\":\"acme\"").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 3000; i++) {
      byte[] b = Arrays.copyOf(good, r.nextInt(good.length + 1));
      if (b.length > 0 && r.nextBoolean()) {
        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      }
      assertThat(validator.validate(i, b, 0, b.length)).isNotNull();
    }
    assertThat(validator.validate(1, "")).extracting(Violation::rule).containsExactly(Rule.INVALID_JSON);
  }
}
