package io.sangdam.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecurityPolicyTest {
  private static final SecurityPolicy STRICT = SecurityPolicy.DEFAULT;

  private static SecurityPolicy with(int minLength, int classes, int expiryDays) {
    return new SecurityPolicy(minLength, classes, expiryDays, 3, null, 0, AddressRanges.ANYWHERE,
        AddressRanges.ANYWHERE);
  }

  @Test
  void theDefaultReadsTheKoreanStandardStrictly() {
    assertEquals(10, STRICT.minLength());
    assertEquals(3, STRICT.charClasses());
    assertEquals(Optional.of(SecurityPolicy.Rule.TOO_SHORT), STRICT.broken("kim", "Ab1-xyz9"),
        "8 characters of 4 kinds would pass the standard's second option, not this reading");
    assertEquals(Optional.of(SecurityPolicy.Rule.TOO_SIMPLE), STRICT.broken("kim", "abcdefgh12"),
        "10 of 2 kinds would pass its first option, not this reading");
    assertEquals(Optional.empty(), STRICT.broken("kim", "abcdefg-12"));
  }

  @Test
  void kindsAreUpperLowerDigitAndEverythingElse() {
    assertEquals(1, SecurityPolicy.classes("abcdef"));
    assertEquals(2, SecurityPolicy.classes("ABCdef"));
    assertEquals(3, SecurityPolicy.classes("ABCdef123"));
    assertEquals(4, SecurityPolicy.classes("ABCdef123!"));
    assertEquals(2, SecurityPolicy.classes("비밀번호abc"), "Hangul counts as a symbol does");
    assertEquals(2, SecurityPolicy.classes("pass word"), "so does a space");
  }

  @Test
  void theUsernameMayNotBeInItInAnyCase() {
    assertEquals(Optional.of(SecurityPolicy.Rule.HAS_USERNAME), STRICT.broken("kim", "xKIM-2026-x"));
    assertEquals(Optional.empty(), STRICT.broken("ki", "xKI-2026-xy"), "a name of two letters is in too many words");
  }

  @Test
  void aPasswordExpiresAfterItsDaysAndNeverWithZero() {
    Instant set = Instant.parse("2026-01-01T00:00:00Z");
    assertFalse(with(10, 3, 30).expired(set, set.plus(Duration.ofDays(30)).minusMillis(1)));
    assertTrue(with(10, 3, 30).expired(set, set.plus(Duration.ofDays(30))));
    assertFalse(with(10, 3, 0).expired(set, set.plus(Duration.ofDays(10_000))));
  }

  @Test
  void settingsOutOfBoundsAreRefusedNamingTheField() {
    SangdamException shortOne = assertThrows(SangdamException.class, () -> with(9, 3, 0));
    assertEquals(ErrorCode.INVALID_FIELD, shortOne.code());
    assertEquals("minLength", shortOne.field());
    assertEquals("charClasses", assertThrows(SangdamException.class, () -> with(10, 0, 0)).field());
    assertEquals("expiryDays", assertThrows(SangdamException.class, () -> with(10, 3, -1)).field());
    assertEquals("idleMinutes", assertThrows(SangdamException.class, () -> new SecurityPolicy(10, 3, 0, 0, null, 1,
        AddressRanges.ANYWHERE, AddressRanges.ANYWHERE)).field());
    assertEquals("tokenMinutes", assertThrows(SangdamException.class, () -> new SecurityPolicy(10, 3, 0, 0, 4, 0,
        AddressRanges.ANYWHERE, AddressRanges.ANYWHERE)).field());
  }

  @Test
  void aRefusalNamesItsRuleByCode() {
    SangdamException refused = STRICT.refusal(SecurityPolicy.Rule.REUSED, "new");
    assertEquals(ErrorCode.PASSWORD_REUSED, refused.code());
    assertEquals(422, refused.code().httpStatus());
    assertEquals("new", refused.field());
    assertTrue(refused.getMessage().contains("last 3"), refused.getMessage());
  }

  @Test
  void addressRangesTakeV4V6AndBareAddressesAndNothingElse() {
    AddressRanges ranges = AddressRanges.parse(List.of("10.0.0.0/8", " 192.168.1.7 ", "2001:db8::/32"), "r");
    assertTrue(ranges.contains("10.200.3.4"));
    assertFalse(ranges.contains("11.0.0.1"));
    assertTrue(ranges.contains("192.168.1.7"));
    assertFalse(ranges.contains("192.168.1.8"));
    assertTrue(ranges.contains("2001:db8:ffff::1"));
    assertTrue(ranges.contains("[2001:db8::1]"));
    assertFalse(ranges.contains("2001:db9::1"));
    assertTrue(ranges.contains("::ffff:10.1.2.3"), "a v4 address as v6 reports it");
    assertFalse(ranges.contains("not-an-address"));
    assertFalse(ranges.contains(null));
    assertEquals(List.of("10.0.0.0/8", "192.168.1.7", "2001:db8::/32"), ranges.texts());
    assertTrue(AddressRanges.parse(List.of("0.0.0.0/0"), "r").contains("8.8.8.8"));
    assertTrue(AddressRanges.parse(List.of(), "r").contains("8.8.8.8"), "empty: anywhere");
    for (String bad : List.of("example.com", "10.0.0.0/33", "10.0.0/8", "::/129", "10.0.0.0/-1", "300.1.1.1",
        "10.0.0.0/8/8", "")) {
      assertEquals("r", assertThrows(SangdamException.class, () -> AddressRanges.parse(List.of(bad), "r")).field(),
          bad);
    }
  }
}
