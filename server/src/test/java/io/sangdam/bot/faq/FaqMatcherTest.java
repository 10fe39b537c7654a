package io.sangdam.bot.faq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaqMatcherTest {
  private static final FaqSet SET = FaqSet.load();
  private final FaqMatcher matcher = FaqMatcher.of(SET.entries());

  private String answered(String text) {
    FaqVerdict verdict = matcher.match(text);
    return assertInstanceOf(FaqVerdict.Confident.class, verdict, text + " -> " + verdict).best().entry().id();
  }

  private String first(String text) {
    List<FaqVerdict.Candidate> ranked = matcher.ranked(text, 3);
    assertTrue(!ranked.isEmpty(), text + " ranked nothing");
    return ranked.get(0).entry().id();
  }

  @Test
  void theQuestionItselfIsAnsweredConfidently() {
    for (FaqEntry entry : SET.entries()) {
      assertEquals(entry.id(), answered(entry.question()));
    }
  }

  @Test
  void spacingLeftOutOrMoved() {
    assertEquals("card-lost", answered("카드분실신고"));
    assertEquals("card-lost", answered("카드 분실 신고"));
    assertEquals("delivery-track", answered("배송조회어떻게하나요"));
    assertEquals("card-cancel", answered("카드해지하려면어떻게해요"));
  }

  @Test
  void particlesChangedOrLeftOut() {
    assertEquals("card-cancel", answered("카드를 해지를 하고 싶은데요"));
    assertEquals("card-cancel", answered("카드 해지 하고싶어요"));
    assertEquals("billing-date", answered("결제일은 변경이 되나요"));
  }

  @Test
  void typosInsideASyllable() {
    assertEquals("billing-date", first("결재일 변경"));
    assertEquals("card-lost", first("카드 분싷 신고"));
    assertEquals("limit-raise", first("카드 한도 상항"));
    assertEquals("refund", first("환블 신청"));
  }

  @Test
  void fullWidthAndCase() {
    assertEquals("otp", first("ＯＴＰ 분실"));
    assertEquals("otp", first("Otp 잃어버렸어요"));
  }

  @Test
  void anAmbiguousQuestionOffersTheCandidates() {
    // Which password: the card's or the log-in's? Both are offered, the bot does not guess.
    FaqVerdict.Unsure unsure = assertInstanceOf(FaqVerdict.Unsure.class, matcher.match("비밀번호 까먹었어요"));
    List<String> ids = unsure.candidates().stream().map(c -> c.entry().id()).toList();
    assertTrue(ids.contains("card-pin") && ids.contains("password-reset"), ids.toString());
    assertTrue(ids.size() <= 3);
    for (int i = 1; i < unsure.candidates().size(); i++) {
      assertTrue(unsure.candidates().get(i - 1).score() >= unsure.candidates().get(i).score());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n \u3000", "😀😀🙏", "ㅋㅋㅋㅋㅋ", "!!!???...", "hello world",
      "'; DROP TABLE faq_entry; --", "1' OR '1'='1", "<script>alert(1)</script>", "\u0000\u0001\uFFFF",
      "\uD83D", "오늘 날씨 어때요"})
  void textWithNothingToMatchIsNothing(String text) {
    assertInstanceOf(FaqVerdict.Nothing.class, matcher.match(text), text);
  }

  @Test
  void randomTextNeverThrows() {
    // Hangul syllables and jamo, Latin, digits, punctuation, emoji, lone surrogates, controls.
    int[][] ranges = {{0xAC00, 0xD7A3}, {0x3131, 0x318E}, {0x1100, 0x11FF}, {0x20, 0x7E}, {0xFF01, 0xFF5E},
        {0x1F600, 0x1F64F}, {0xD800, 0xDFFF}, {0x0, 0x1F}, {0x4E00, 0x4E80}};
    Random random = new Random(17);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int c = random.nextInt(60); c > 0; c--) {
        int[] range = ranges[random.nextInt(ranges.length)];
        text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
      }
      FaqVerdict verdict = matcher.match(text.toString());
      if (verdict instanceof FaqVerdict.Unsure unsure) {
        assertTrue(unsure.candidates().size() <= 3);
      }
    }
  }

  @Test
  void nullIsNothing() {
    assertInstanceOf(FaqVerdict.Nothing.class, matcher.match(null));
  }

  @Test
  void tenThousandCharactersAreMatchedOnTheirStart() {
    String pasted = "카드를 분실했어요 " + "가나다라마바사아자차카타파하 ".repeat(700);
    assertTrue(pasted.length() >= 10_000);
    assertEquals("card-lost", first(pasted));
    assertInstanceOf(FaqVerdict.class, matcher.match("😀".repeat(5_000)));
    assertInstanceOf(FaqVerdict.Nothing.class, matcher.match("a".repeat(10_000)));
  }

  @Test
  void anEmptyFaqMatchesNothing() {
    assertInstanceOf(FaqVerdict.Nothing.class, FaqMatcher.of(List.of()).match("카드 분실"));
  }

  @Test
  void entriesAreCheckedAndCopied() {
    FaqEntry lost = SET.entries().get(0);
    assertThrows(IllegalArgumentException.class, () -> FaqMatcher.of(List.of(lost, lost)));
    assertThrows(IllegalArgumentException.class, () -> new FaqEntry(" ", "질문", List.of(), "답"));
    assertThrows(IllegalArgumentException.class, () -> new FaqEntry("a", "", List.of(), "답"));
    List<FaqEntry> source = new ArrayList<>(List.of(lost));
    FaqMatcher built = FaqMatcher.of(source);
    source.clear();
    assertEquals(1, built.entries().size());
    assertEquals("card-lost", assertInstanceOf(FaqVerdict.Confident.class, built.match("카드 분실")).best().entry().id());
  }

  @Test
  void alternativesAreMatchedTheAnswerIsNot() {
    FaqMatcher one = FaqMatcher.of(List.of(
        new FaqEntry("hours", "고객센터 운영 시간", List.of("영업시간"), "평일 09:00~18:00, 분실 신고는 24시간")));
    assertInstanceOf(FaqVerdict.Confident.class, one.match("영업시간 알려주세요"));
    assertInstanceOf(FaqVerdict.Nothing.class, one.match("분실 신고"));
  }

  @Test
  void manyThreadsMatchAtOnce() throws Exception {
    List<String> texts = SET.paraphrases().stream().map(FaqSet.Paraphrase::text).toList();
    List<FaqVerdict> alone = texts.stream().map(matcher::match).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<FaqVerdict>>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> texts.stream().map(matcher::match).toList()));
      }
      for (Future<List<FaqVerdict>> run : runs) {
        assertEquals(alone, run.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
