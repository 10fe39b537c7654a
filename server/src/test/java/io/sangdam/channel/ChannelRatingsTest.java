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
