package io.sangdam.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.channel.ChannelRatings.Score;
import io.sangdam.protocol.SangdamException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a customer's text answering the rating question gives, and the rating settings' checks. */
class ChannelRatingsTest {
  @Test
  void aDigitFromOneToFiveIsAScoreWithWhatFollowsAsTheComment() {
    assertEquals(Optional.of(new Score(5, Optional.empty())), ChannelRatings.score("5"));
    assertEquals(Optional.of(new Score(5, Optional.empty())), ChannelRatings.score("  5 \n"));
    assertEquals(Optional.of(new Score(5, Optional.empty())), ChannelRatings.score("５"), "full-width");
    assertEquals(Optional.of(new Score(4, Optional.empty())), ChannelRatings.score("4점"));
    assertEquals(Optional.of(new Score(4, Optional.empty())), ChannelRatings.score("４ 점"));
    assertEquals(Optional.of(new Score(1, Optional.of("너무 늦었어요"))), ChannelRatings.score("1 너무 늦었어요"));
    assertEquals(Optional.of(new Score(5, Optional.of("친절했어요"))), ChannelRatings.score("5점, 친절했어요"));
    assertEquals(Optional.of(new Score(3, Optional.of("보통"))), ChannelRatings.score("3!보통"));
    assertEquals(Optional.of(new Score(2, Optional.empty())), ChannelRatings.score("2점."));
    assertEquals(Optional.of(new Score(4, Optional.of("친절했어요"))), ChannelRatings.score("4 친절했어요"));
    assertEquals(Optional.of(new Score(5, Optional.of("빨랐어요"))), ChannelRatings.score("5점, 빨랐어요"));
  }

  /**
   * A comment may begin with a word that starts like a counter ({@code 만족}, {@code 일처리}, {@code 시원}): only a
   * counter or unit standing alone, or followed by a particle, continues the number.
   */
  @Test
  void aScoreMayBeMarkedWithStarsAndItsCommentMayStartLikeACounter() {
    assertEquals(Optional.of(new Score(5, Optional.empty())), ChannelRatings.score("5★"));
    assertEquals(Optional.of(new Score(5, Optional.empty())), ChannelRatings.score("5 ★★★★★"));
    assertEquals(Optional.of(new Score(4, Optional.of("좋아요"))), ChannelRatings.score("4⭐ 좋아요"));
    assertEquals(Optional.of(new Score(5, Optional.of("만족해요"))), ChannelRatings.score("5 만족해요"));
    assertEquals(Optional.of(new Score(5, Optional.of("일처리가 빨라요"))), ChannelRatings.score("5 일처리가 빨라요"));
    assertEquals(Optional.of(new Score(4, Optional.of("시원하게 해결됐어요"))), ChannelRatings.score("4 시원하게 해결됐어요"));
    assertEquals(Optional.of(new Score(3, Optional.of("번거로웠어요"))), ChannelRatings.score("3 번거로웠어요"));
    assertEquals(Optional.of(new Score(1, Optional.of("원하는 답이 없었어요"))), ChannelRatings.score("1 원하는 답이 없었어요"));
  }

  /** A number the text goes on to count or measure is no score, however it is spaced. */
  @Test
  void aNumberFollowedByACounterOrUnitIsNoScore() {
    for (String text : new String[] {"3 개월 할부 되나요", "3개월 할부 되나요", "2개 주문했는데요", "2 개 주문했는데요",
        "1시에 전화주세요", "1 시에 전화주세요", "2 시간째 기다려요", "5 분만 기다려 주세요", "3 일 뒤에 오나요",
        "4 번이나 전화했어요", "2 명이에요", "5 만원 결제했어요", "3 주 걸리나요", "1 월에 주문했어요", "2 년 썼어요",
        "3 층에 있어요", "5 kg 넘나요", "2 GB 요금제", "5 % 할인 되나요", "1 2 3", "3 000원", "4 박 5일", "5 번째 문의예요",
        "2 회 결제됐어요", "3 건 주문", "1 달 됐어요", "2 장 보냈어요", "5 명 예약"}) {
      assertEquals(Optional.empty(), ChannelRatings.score(text), text);
    }
  }

  @Test
  void anythingElseIsNoScore() {
    for (String text : new String[] {"0", "6", "9", "56", "10", "4.5", "5/5", "5개 주문했어요", "다섯", "점", "",
        "   ", "감사합니다 5", "-5"}) {
      assertEquals(Optional.empty(), ChannelRatings.score(text), text);
    }
    assertEquals(Optional.empty(), ChannelRatings.score(null));
    assertEquals(Optional.empty(), ChannelRatings.score("5 " + "가".repeat(ChannelRatings.MAX_COMMENT + 1)),
        "a comment longer than the widget's makes it an ordinary message");
    assertTrue(ChannelRatings.score("5 " + "가".repeat(ChannelRatings.MAX_COMMENT)).isPresent());
  }

  @Test
  void theSettingsAreCheckedNamingTheBadOne() {
    ChannelRatings.check(Map.of("rating", "on", "ratingText", "어떠셨나요?", "ratingWindowMinutes", "1440"));
    ChannelRatings.check(Map.of("rating", "off", "ratingWindowMinutes", "1"));
    assertNames("rating", Map.of("rating", "yes"));
    assertNames("ratingText", Map.of("ratingText", "  "));
    for (String bad : new String[] {"0", "1441", "-1", "30m", "", "99999"}) {
      assertNames("ratingWindowMinutes", Map.of("ratingWindowMinutes", bad));
    }
  }

  @Test
  void everyKindButSmsAsksByDefault() {
    for (ChannelKind kind : ChannelKind.values()) {
      assertEquals(kind != ChannelKind.SMS, ChannelRatings.asks(channel(kind, Map.of())), kind.name());
      assertTrue(ChannelRatings.asks(channel(kind, Map.of("rating", "on"))));
      assertEquals(false, ChannelRatings.asks(channel(kind, Map.of("rating", "off"))));
      assertTrue(kind.allowed().contains("rating"));
      assertEquals(kind.ratesInText(), kind.allowed().contains("ratingText"));
    }
  }

  private static void assertNames(String field, Map<String, String> settings) {
    SangdamException e = assertThrows(SangdamException.class, () -> ChannelRatings.check(settings));
    assertEquals(422, e.code().httpStatus(), e.getMessage());
    assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
  }

  private static Channel channel(ChannelKind kind, Map<String, String> settings) {
    return new Channel(1, 1, "c", kind, 1, 1, true, settings, "secret", Instant.EPOCH);
  }
}
