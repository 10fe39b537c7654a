package io.sangdam.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.bot.scenario.BotFact;
import io.sangdam.bot.scenario.BotFact.FaqResult;
import io.sangdam.chat.BotTally;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A turn's facts as the statistics count them: totals, and per FAQ entry by its numeric id. */
class BotTallyTest {
  @Test
  void factsAreSummedAndCountedPerEntry() {
    BotTally tally = BotConversations.tally(List.of(new BotFact.Rated("7", false),
        new BotFact.FaqAsked(FaqResult.ANSWERED, "7"), new BotFact.FaqAsked(FaqResult.SUGGESTED, null),
        new BotFact.FaqChosen("9"), new BotFact.FaqAsked(FaqResult.UNANSWERED, null), new BotFact.Rated("9", true)),
        false);
    assertEquals(new BotTally(3, 1, 1, 1, 1, 1, 0, List.of(new BotTally.Entry(7, 1, 0, 1),
        new BotTally.Entry(9, 1, 1, 0))), tally);
  }

  @Test
  void aTurnWithoutFactsCountsNothingButAnInquiryAndAnEntryIdThatIsNoNumberCountsInTheTotalsOnly() {
    assertTrue(BotConversations.tally(List.of(), false).isEmpty());
    assertEquals(new BotTally(0, 0, 0, 0, 0, 0, 1, List.of()), BotConversations.tally(List.of(), true));
    assertEquals(new BotTally(1, 1, 0, 0, 0, 0, 0, List.of()),
        BotConversations.tally(List.of(new BotFact.FaqAsked(FaqResult.ANSWERED, "faq-1")), false));
  }
}
