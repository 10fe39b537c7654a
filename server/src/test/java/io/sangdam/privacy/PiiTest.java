package io.sangdam.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sangdam.privacy.PiiItem.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PiiTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      010-1234-5678             | 010-****-5678             | MOBILE
      01012345678               | 010****5678               | MOBILE
      010 1234 5678             | 010 **** 5678             | MOBILE
      010.1234.5678             | 010.****.5678             | MOBILE
      010-1234 5678             | 010-**** 5678             | MOBILE
      011-123-4567              | 011-***-4567              | MOBILE
      0161234567                | 016***4567                | MOBILE
      019-9876-5432             | 019-****-5432             | MOBILE
      +82 10-1234-5678          | +82 10-****-5678          | MOBILE
      +821012345678             | +8210****5678             | MOBILE
      +82-10-1234-5678          | +82-10-****-5678          | MOBILE
      +82 010-1234-5678         | +82 010-****-5678         | MOBILE
      02-123-4567               | 02-***-4567               | PHONE
      02-1234-5678              | 02-****-5678              | PHONE
      021234567                 | 02***4567                 | PHONE
      031-1234-5678             | 031-****-5678             | PHONE
      0311234567                | 031***4567                | PHONE
      051.123.4567              | 051.***.4567              | PHONE
      064 712 3456              | 064 *** 3456              | PHONE
      070-1234-5678             | 070-****-5678             | PHONE
      +82 2-123-4567            | +82 2-***-4567            | PHONE
      900101-1234567            | 900101-1******            | RRN
      9001011234567             | 9001011******             | RRN
      900101 2345678            | 900101 2******            | RRN
      051231-4123456            | 051231-4******            | RRN
      850315-5123456            | 850315-5******            | RRN
      9001011234563             | 9001011******             | RRN
      4111-1111-1111-1111       | 4111-****-****-1111       | CARD
      4111 1111 1111 1111       | 4111 **** **** 1111       | CARD
      4111111111111111          | 4111********1111          | CARD
      5555555555554444          | 5555********4444          | CARD
      2221000000000009          | 2221********0009          | CARD
      9410123456789010          | 9410********9010          | CARD
      6011 1111 1111 1117       | 6011 **** **** 1117       | CARD
      3782 822463 10005         | 3782 ****** *0005         | CARD
      3782-822463-10005         | 3782-******-*0005         | CARD
      378282246310005           | 3782*******0005           | CARD
      3056 930902 5904          | 3056 ****** 5904          | CARD
      4222222222222             | 4222*****2222             | CARD
      6222021000000000009       | 6222***********0009       | CARD
      hong@example.com          | h***@example.com          | EMAIL
      Kim.Chulsoo+cs@mail.co.kr | K***@mail.co.kr           | EMAIL
      user_01@sub.my-shop.com   | u***@sub.my-shop.com      | EMAIL
      01012345678@naver.com     | 0***@naver.com            | EMAIL
      """)
  void masksEachKindInItsUsualFormats(String text, String masked, Kind kind) {
    assertEquals(List.of(new PiiItem(kind, 0, text.length(), text, masked)), PiiMasking.find(text));
    assertEquals(masked, PiiMasking.mask(text));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      제 번호는 010-1234-5678이고요                | 제 번호는 010-****-5678이고요
      연락처:01012345678입니다                     | 연락처:010****5678입니다
      번호010-1234-5678로 연락주세요               | 번호010-****-5678로 연락주세요
      (010-1234-5678)                            | (010-****-5678)
      집은 02-123-4567, 회사는 031-1234-5678.      | 집은 02-***-4567, 회사는 031-****-5678.
      010-1234-5678 02-123-4567 둘 다요            | 010-****-5678 02-***-4567 둘 다요
      +010-1234-5678                             | +010-****-5678
      주민번호 900101-1234567 맞아요               | 주민번호 900101-1****** 맞아요
      카드는 4111-1111-1111-1111로 결제했어요       | 카드는 4111-****-****-1111로 결제했어요
      카드 4111 1111 1111 1111 123 12/27          | 카드 4111 **** **** 1111 123 12/27
      메일은 hong@example.com으로 보내주세요.       | 메일은 h***@example.com으로 보내주세요.
      mailto:hong@example.com                    | mailto:h***@example.com
      https://shop.example.com/cb?tel=01012345678 | https://shop.example.com/cb?tel=010****5678
      """)
  void masksInsideKoreanSentences(String text, String masked) {
    assertEquals(masked, PiiMasking.mask(text));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "1588-1234", "1644-1234로 전화주세요", "1800-1234", "대표번호 1577-1234", "080-123-4567", "0505-123-4567",
      "1,234,567원", "12,345,678,901,234원", "50,000원 결제",
      "2026-11-24", "2026.11.24 14:30", "2026/11/24 14:30:59", "10:30~12:00",
      "주문번호 2026112412345679", "주문번호 20261124-0001234", "1234567890123452",
      "4111-1111-1111-1112", "41111111111111111111",
      "ABC01012345678XYZ", "a12345678901234567890", "id_01012345678", "https://example.com/a01012345678",
      "123-010-1234-5678", "010-1234-5678-9", "010-1234-5678.5", "010123456789", "0109876543210",
      "901301-1234567", "900132-1234567", "900100-1234567", "900101-9234567", "900101-0234567",
      "900101-12345678", "1900101-1234567",
      "3.14", "v1.2.3", "192.168.0.1", "12345678901234567890123", "+1 415 555 0100",
      "hong@localhost", "hong@", "@example.com", "hong@example.c", "hong@127.0.0.1", "hong@@example.com"})
  void leavesLookAlikesAlone(String text) {
    assertEquals(List.of(), PiiMasking.find(text));
    assertEquals(text, PiiMasking.mask(text));
  }

  @Test
  void findsSeveralItemsInReadingOrderWithTheirPositions() {
    String text = "hong@example.com 또는 010-1234-5678/010-9876-5432로, 주민번호 900101-1234567, "
        + "카드 4111 1111 1111 1111, 집 02-123-4567";
    List<PiiItem> items = PiiMasking.find(text);

    assertEquals(List.of(Kind.EMAIL, Kind.MOBILE, Kind.MOBILE, Kind.RRN, Kind.CARD, Kind.PHONE),
        items.stream().map(PiiItem::kind).toList());
    for (PiiItem item : items) {
      assertEquals(item.original(), text.substring(item.start(), item.end()));
    }
    assertEquals("010-9876-5432", items.get(2).original());
    assertEquals("h***@example.com 또는 010-****-5678/010-****-5432로, 주민번호 900101-1******, "
        + "카드 4111 **** **** 1111, 집 02-***-4567", PiiMasking.mask(text));
  }

  @Test
  void anItemInsideALongerOneIsNotFoundTwice() {
    List<PiiItem> items = PiiMasking.find("hong.01012345678@naver.com");
    assertEquals(1, items.size());
    assertEquals(Kind.EMAIL, items.get(0).kind());
    assertEquals("h***@naver.com", items.get(0).masked());
  }

  @Test
  void noTextHasNoItems() {
    assertNull(PiiMasking.mask(null));
    assertEquals("", PiiMasking.mask(""));
    assertEquals(List.of(), PiiMasking.find(null));
    assertEquals(List.of(), PiiMasking.find(""));
    assertEquals("안녕하세요, 배송 문의드려요.", PiiMasking.mask("안녕하세요, 배송 문의드려요."));
  }

  // These would take minutes with a backtracking pattern; here they only have to finish.
  @ParameterizedTest(name = "{index}")
  @ValueSource(strings = {"0", "1", "a@", "a.", "010-", "1 ", "1-", "a", "9001011", "@a."})
  void pathologicalRepetitionsFinish(String unit) {
    String text = unit.repeat(10_000 / unit.length());
    assertEquals(text, PiiMasking.mask(text));
  }

  @Test
  void aVeryLongAddressIsStillOneItem() {
    String domain = "b.".repeat(5_000) + "com";
    assertEquals("a***@" + domain, PiiMasking.mask("a@" + domain));
    assertEquals(1, PiiMasking.find("x".repeat(10_000) + "@" + domain).size());
  }
}
