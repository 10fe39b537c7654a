package io.sangdam.stats;

/**
 * The bot's figures of one interval, scenario or channel, or of the whole range (docs/protocol.md 3.12, bot
 * statistics). Rates are null where nothing was counted, as in {@link Figures}.
 *
 * <ul>
 *   <li>{@code conversations}: conversations created in the interval that a bot greeted and whose bot part is over;
 *       {@code handedOff}: of them, handed to a queue; {@code contained}: the others, that never reached an agent's
 *       queue: {@code endedByBot} (an end node or an offline inquiry; {@code inquiries} of them left one) and
 *       {@code leftWithBot} (the customer left or went away while the bot had it)</li>
 *   <li>{@code faqQuestions}: free text matched against the FAQ; {@code faqHits}: answered at once
 *       ({@code faqAnswered}) or by a suggestion the customer chose ({@code faqChosen}); {@code faqSuggested}:
 *       questions answered with suggestions</li>
 *   <li>{@code helpful}, {@code unhelpful}: the clicks under FAQ answers; {@code helpfulRate} helpful of both</li>
 * </ul>
 */
public record BotFigures(long conversations, long contained, long endedByBot, long inquiries, long leftWithBot,
    long handedOff, Double containmentRate, Double handOffRate, long faqQuestions, long faqAnswered,
    long faqSuggested, long faqChosen, long faqHits, Double faqHitRate, long helpful, long unhelpful,
    Double helpfulRate) {

  /** Sums of hours, added up. */
  static final class Tally {
    private long conversations;
    private long handedOff;
    private long endedByBot;
    private long inquiries;
    private long leftWithBot;
    private long faqQuestions;
    private long faqAnswered;
    private long faqSuggested;
    private long faqChosen;
    private long helpful;
    private long unhelpful;

    void add(BotStatisticsStore.BotHour h) {
      conversations += h.conversations();
      handedOff += h.handedOff();
      endedByBot += h.endedByBot();
      inquiries += h.inquiries();
      leftWithBot += h.leftWithBot();
      faqQuestions += h.faqQuestions();
      faqAnswered += h.faqAnswered();
      faqSuggested += h.faqSuggested();
      faqChosen += h.faqChosen();
      helpful += h.helpful();
      unhelpful += h.unhelpful();
    }

    BotFigures figures() {
      long contained = endedByBot + leftWithBot;
      long hits = faqAnswered + faqChosen;
      return new BotFigures(conversations, contained, endedByBot, inquiries, leftWithBot, handedOff,
          ratio(contained, conversations), ratio(handedOff, conversations), faqQuestions, faqAnswered, faqSuggested,
          faqChosen, hits, ratio(hits, faqQuestions), helpful, unhelpful, ratio(helpful, helpful + unhelpful));
    }
  }

  /** Four decimals, as {@link Figures}' rates. */
  private static Double ratio(long part, long whole) {
    return whole == 0 ? null : Math.round((double) part / whole * 10_000) / 10_000.0;
  }
}
