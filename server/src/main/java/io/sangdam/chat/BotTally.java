package io.sangdam.chat;

import java.util.List;

/**
 * What one of a bot's turns adds to the bot statistics of its conversation: the customer's free text matched against
 * the FAQ ({@code faqQuestions}), answered at once, answered with suggestions, a suggestion chosen, the clicks on
 * "was this helpful?", an offline inquiry left; and per FAQ entry, its answers given and the clicks under them.
 */
public record BotTally(int faqQuestions, int faqAnswered, int faqSuggested, int faqChosen, int helpful,
    int unhelpful, int inquiries, List<Entry> entries) {

  public static final BotTally NONE = new BotTally(0, 0, 0, 0, 0, 0, 0, List.of());

  public BotTally {
    entries = List.copyOf(entries);
  }

  /** One FAQ entry's share of the turn ({@code faq} is its id). */
  public record Entry(long faq, int answered, int helpful, int unhelpful) {}

  /** Whether the turn counts nothing, so that storing it can be skipped. */
  public boolean isEmpty() {
    return equals(NONE);
  }
}
