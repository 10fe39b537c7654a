package io.sangdam.bot.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How each field type reads a customer's answer, and how staff see it. */
class FormFieldTest {

  private static FormField field(FieldType type) {
    return field(type, type == FieldType.ORDER_NUMBER ? FieldType.DEFAULT_ORDER_NUMBER : null, null, null);
  }

  private static FormField field(FieldType type, Pattern pattern, Long min, Long max) {
    return new FormField("f", type, "라벨", "질문", true, null, type.personalByDefault(), pattern, min, max, 200);
  }

  private static void reads(FieldType type, String answer, String kept) {
    assertEquals(Optional.of(kept), field(type).read(answer), answer);
  }

  private static void refuses(FormField field, String answer) {
    assertEquals(Optional.empty(), field.read(answer), answer);
  }

  @Test
  void koreanMobileNumbersReadInEveryCommonWritingAsOneForm() {
    reads(FieldType.PHONE, "010-1234-5678", "010-1234-5678");
    reads(FieldType.PHONE, "01012345678", "010-1234-5678");
    reads(FieldType.PHONE, " 010 1234 5678 ", "010-1234-5678");
    reads(FieldType.PHONE, "010.1234.5678", "010-1234-5678");
    reads(FieldType.PHONE, "+82 10-1234-5678", "010-1234-5678");
    reads(FieldType.PHONE, "+821012345678", "010-1234-5678");
    reads(FieldType.PHONE, "０１０－１２３４－５６７８", "010-1234-5678");
    reads(FieldType.PHONE, "011-123-4567", "011-123-4567");
    reads(FieldType.PHONE, "0169876543", "016-987-6543");
    for (String wrong : new String[] {"010-123-4567", "02-123-4567", "1588-1234", "010-1234-56789",
        "010-1234-5678입니다", "010-1234-567８9", "013-1234-5678", "+1 10-1234-5678", "공일공"}) {
      refuses(field(FieldType.PHONE), wrong);
    }
  }

  @Test
  void namesAreLettersOfAnyScriptButNoDigitsOrEmoji() {
    reads(FieldType.NAME, " 홍길동 ", "홍길동");
    reads(FieldType.NAME, "John O'Neil", "John O'Neil");
    reads(FieldType.NAME, "南宮 민수", "南宮 민수");
    for (String wrong : new String[] {"홍길동123", "홍길동😀", "---", "가".repeat(51), "<script>"}) {
      refuses(field(FieldType.NAME), wrong);
    }
  }

  @Test
  void emailNumbersDatesAndOrderNumbers() {
    reads(FieldType.EMAIL, "hong.gildong+cs@example.co.kr", "hong.gildong+cs@example.co.kr");
    refuses(field(FieldType.EMAIL), "hong@localhost");
    refuses(field(FieldType.EMAIL), "hong@example.c0m");
    refuses(field(FieldType.EMAIL), "a".repeat(65) + "@example.com");

    FormField quantity = field(FieldType.NUMBER, null, 1L, 10_000L);
    assertEquals(Optional.of("1200"), quantity.read("1,200"));
    assertEquals(Optional.of("7"), quantity.read("７"));
    refuses(quantity, "0");
    refuses(quantity, "10001");
    refuses(quantity, "12,00");
    refuses(quantity, "9".repeat(30));
    refuses(quantity, "세 개");

    reads(FieldType.DATE, "2026-12-02", "2026-12-02");
    reads(FieldType.DATE, "2026.12.2", "2026-12-02");
    reads(FieldType.DATE, "2026/1/5", "2026-01-05");
    reads(FieldType.DATE, "20261202", "2026-12-02");
    reads(FieldType.DATE, "2026년 12월 2일", "2026-12-02");
    refuses(field(FieldType.DATE), "2026-02-30");
    refuses(field(FieldType.DATE), "내일");

    reads(FieldType.ORDER_NUMBER, "ORD-20261202-001", "ORD-20261202-001");
    refuses(field(FieldType.ORDER_NUMBER), "주문번호 몰라요");
    refuses(field(FieldType.ORDER_NUMBER), "AB1");
    FormField custom = field(FieldType.ORDER_NUMBER, Pattern.compile("[0-9]{10}"), null, null);
    assertEquals(Optional.of("2026120201"), custom.read("2026120201"));
    refuses(custom, "ORD-20261202-001");
  }

  @Test
  void textKeepsItsLengthLimitAndABlankAnswerIsNoAnswer() {
    FormField text = new FormField("q", FieldType.TEXT, "문의", "?", true, null, false, null, null, null, 5);
    assertEquals(Optional.of("안녕하세요"), text.read("안녕하세요"));
    assertEquals(Optional.of("😀😀😀😀😀"), text.read("😀😀😀😀😀"), "five characters, ten chars of UTF-16");
    refuses(text, "안녕하세요!");
    refuses(text, "   ");
    refuses(text, null);
    refuses(text, "x".repeat(1_000_000));
  }

  @Test
  void aPatternThatBacktracksBadlyGivesUpInsteadOfHoldingTheThread() {
    FormField evil = field(FieldType.TEXT, Pattern.compile("(a+)+b"), null, null);
    // Without the bound this would take longer than the age of the universe.
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refuses(evil, "a".repeat(60) + "c"));
    assertEquals(Optional.of("aaab"), evil.read("aaab"));
  }

  @Test
  void personalValuesAreShownMaskedAndOthersAsTheyAre() {
    assertEquals("홍*동", new CollectedField("name", "성함", FieldType.NAME, "홍길동", true).shown());
    assertEquals("010-****-5678", new CollectedField("phone", "휴대폰", FieldType.PHONE, "010-1234-5678", true).shown());
    assertEquals("h***@example.com",
        new CollectedField("email", "이메일", FieldType.EMAIL, "hong@example.com", true).shown());
    assertEquals("ORD-1", new CollectedField("order", "주문번호", FieldType.ORDER_NUMBER, "ORD-1", false).shown());
    assertEquals("9***1", new CollectedField("code", "코드", FieldType.TEXT, "98761", true).shown());
  }
}
