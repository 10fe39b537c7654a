package io.sangdam.channel.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.Charset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EUC-KR byte lengths as Korean carriers count them, and where a text becomes LMS and is split. */
class SmsTextTest {
  @Test
  void asciiIsOneByteAndHangulTwo() {
    assertEquals(0, SmsText.bytes(""));
    assertEquals(5, SmsText.bytes("hello"));
    assertEquals(4, SmsText.bytes("안녕"));
    assertEquals(15, SmsText.bytes("주문 No.12 확인"), "주문 (4) + ' No.12 ' (7) + 확인 (4)");
    String mixed = "고객님, 주문하신 상품(No.A-123)이 오늘 발송됩니다. 문의: 1588-0000 ①";
    assertEquals(mixed.getBytes(Charset.forName("EUC-KR")).length, SmsText.bytes(mixed),
        "what an EUC-KR encoder makes of text inside EUC-KR");
    assertEquals(4, SmsText.bytes("😀😀"), "a character outside EUC-KR counts 2, surrogate pair or not");
    assertEquals(3, SmsText.bytes("①a"), "a KS X 1001 symbol is 2 bytes");
  }

  @Test
  void ninetyBytesIsStillAnSmsAndNinetyOneAnLms() {
    String fortyFive = "가".repeat(45);
    assertEquals(List.of(new SmsText.Part("SMS", fortyFive)), SmsText.parts(fortyFive));
    String mixed = "가".repeat(44) + "ab";
    assertEquals(90, SmsText.bytes(mixed));
    assertEquals("SMS", SmsText.parts(mixed).get(0).type());
    String over = "가".repeat(44) + "abc";
    assertEquals(List.of(new SmsText.Part("LMS", over)), SmsText.parts(over));
    assertEquals("LMS", SmsText.parts("가".repeat(46)).get(0).type(), "92 bytes: 46 characters only");
  }

  @Test
  void overTwoThousandBytesIsSplitIntoLmsPartsBetweenCharacters() {
    String text = "가".repeat(999) + "x" + "나".repeat(10);
    // 999 × 2 + 1 = 1,999 bytes: the next 2-byte character does not fit, so it starts the second part.
    List<SmsText.Part> parts = SmsText.parts(text);
    assertEquals(2, parts.size());
    assertEquals("가".repeat(999) + "x", parts.get(0).text());
    assertEquals("나".repeat(10), parts.get(1).text());
    parts.forEach(p -> assertEquals("LMS", p.type()));
    assertEquals(text, parts.get(0).text() + parts.get(1).text());

    String emoji = "a" + "😀".repeat(1000);
    List<SmsText.Part> split = SmsText.parts(emoji);
    assertEquals("a" + "😀".repeat(999), split.get(0).text(), "1 + 999 × 2 = 1,999 bytes, never half an emoji");
    assertEquals("😀", split.get(1).text());
    assertEquals(3, SmsText.parts("a".repeat(4001)).size(), "2,000 + 2,000 + 1");
  }
}
