package io.sangdam.customer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the customer panel may store: names people have, contacts as people write them, and nothing that hides. */
class CustomerValuesTest {
  @Test
  void namesAsPeopleHaveThemAreKeptStripped() {
    assertEquals("홍길동", CustomerProfiles.name("  홍길동 "));
    assertEquals("Jean-Luc O'Neil", CustomerProfiles.name("Jean-Luc O'Neil"));
    assertEquals("👩‍💻 김", CustomerProfiles.name("👩‍💻 김"), "an emoji joined by a zero-width joiner is a name");
    assertEquals("<script>", CustomerProfiles.name("<script>"), "markup is text; the consoles show it as text");
    assertEquals("𠀀".repeat(50), CustomerProfiles.name("𠀀".repeat(50)), "50 characters, not 50 UTF-16 units");
  }

  @Test
  void namesThatAreEmptyLongOrHideSomethingAreRefused() {
    for (String bad : List.of("", "   ", "가".repeat(51), "홍\n길동", "홍\t길동", "\u202Eevil", "a\u2066b", "a\u0000b",
        "a\u2028b")) {
      SangdamException e = assertThrows(SangdamException.class, () -> CustomerProfiles.name(bad), bad);
      assertEquals(ErrorCode.INVALID_FIELD, e.code());
    }
  }

  @Test
  void contactsArePhoneNumbersOrEmailAddresses() {
    for (String good : List.of("010-1234-5678", "01012345678", "+82 10 1234 5678", "(02) 123-4567", "02.123.4567",
        "hong@example.com", "")) {
      assertEquals(good, CustomerProfiles.contact(good));
    }
    for (String bad : List.of("전화 주세요", "<img src=x>", "12345", "hong@", "@example.com", "a b@example.com",
        "1".repeat(101), "010-1234-5678\n")) {
      if (bad.endsWith("\n")) {
        assertEquals("010-1234-5678", CustomerProfiles.contact(bad), "stripped first");
        continue;
      }
      assertThrows(SangdamException.class, () -> CustomerProfiles.contact(bad), bad);
    }
  }

  @Test
  void memosKeepLinesButNotOtherControlCharacters() {
    assertEquals("첫 줄\n둘째 줄\t탭", CustomerProfiles.memo("첫 줄\n둘째 줄\t탭\n"));
    assertEquals("", CustomerProfiles.memo("  "), "empty clears the memo");
    assertEquals("메".repeat(1000), CustomerProfiles.memo("메".repeat(1000)));
    for (String bad : List.of("메".repeat(1001), "a\u0007b", "a\u001Bb", "\u202Dreversed")) {
      assertThrows(SangdamException.class, () -> CustomerProfiles.memo(bad), bad);
    }
  }
}
