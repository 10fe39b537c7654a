package io.sangdam.bot.faq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.Normalizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class KoreanTextTest {

  private static String stream(String text) {
    return KoreanText.stream(KoreanText.words(KoreanText.normalize(text)));
  }

  @Test
  void nfkcFoldsFullWidthAndCase() {
    assertEquals("otp 분실", KoreanText.normalize("ＯＴＰ 분실"));
    assertEquals("otp", KoreanText.normalize("OtP"));
    assertEquals("1588 0000", KoreanText.normalize("１５８８-００００"));
  }

  @Test
  void decomposedSyllablesAreComposed() {
    String nfd = Normalizer.normalize("카드 분실", Normalizer.Form.NFD);
    assertNotEquals("카드 분실", nfd);
    assertEquals("카드 분실", KoreanText.normalize(nfd));
  }

  @Test
  void chatNoiseIsDropped() {
    assertEquals("카드 분실", KoreanText.normalize("카드 분실ㅠㅠ!!! 😭🙏"));
    assertEquals("", KoreanText.normalize("ㅋㅋㅋㅋ ㅎㅎ"));
    // A lone consonant and a lone vowel must not become a syllable (ㅋ + ㅠ is not 큐).
    assertEquals("", KoreanText.normalize("ㅋㅠㅠ"));
    assertEquals("요요", KoreanText.normalize("요요요요요"));
  }

  @Test
  void colloquialSpellingsAndSynonymsAreMadeOne() {
    assertEquals("카드 비밀번호", KoreanText.normalize("카드 비번"));
    assertEquals("공동인증서 만료", KoreanText.normalize("공인인증서 만료"));
    assertEquals("결제일", KoreanText.normalize("결재일"));
    assertEquals(stream("한도 상향"), stream("한도 올려주세요"));
    assertEquals(stream("한도 상향"), stream("한도 늘리고 싶어요"));
  }

  @Test
  void particlesAndEndingsAreCut() {
    assertEquals(List.of("카드", "분실"), KoreanText.words(KoreanText.normalize("카드를 분실했어요")));
    assertEquals(List.of("카드", "해지"), KoreanText.words(KoreanText.normalize("카드 해지하려면 어떻게 해요?")));
    assertEquals(List.of("결제일", "변경"), KoreanText.words(KoreanText.normalize("결제일을 변경하고 싶은데요")));
    // 한도 keeps its 도: it is not the particle here.
    assertEquals(List.of("이체", "한도"), KoreanText.words(KoreanText.normalize("이체 한도")));
  }

  @Test
  void spacingDoesNotMatter() {
    assertEquals(stream("카드 분실 신고 하려구요"), stream("카드분실신고하려구요"));
    assertEquals(stream("카드를 해지하려면 어떻게 해요"), stream("카드해지하려면어떻게해요"));
    assertEquals(stream("배송 조회"), stream("배송조회"));
  }

  @Test
  void soundAlikeSpellingsShareTheirLetters() {
    assertEquals(KoreanText.jamo("되요"), KoreanText.jamo("돼요"));
    assertEquals(KoreanText.jamo("있어요"), KoreanText.jamo("잇어요"));
    assertEquals(KoreanText.jamo("얼마에요"), KoreanText.jamo("얼마애요"));
    assertNotEquals(KoreanText.jamo("카드"), KoreanText.jamo("카두"));
    assertEquals("otp", KoreanText.jamo("otp"));
  }

  @Test
  void longTextIsCut() {
    String normalized = KoreanText.normalize("카드 분실 ".repeat(2_000));
    assertTrue(normalized.length() <= KoreanText.MAX_CHARS, "length " + normalized.length());
  }

  @Test
  void nothingLeftIsEmpty() {
    assertEquals("", KoreanText.normalize(null));
    assertEquals("", KoreanText.normalize(""));
    assertEquals("", KoreanText.normalize(" \t\n\u3000 "));
    assertEquals(List.of(), KoreanText.words(""));
    assertEquals("", KoreanText.jamo(""));
  }
}
