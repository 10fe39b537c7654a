package io.sangdam.bot.scenario;

import java.util.List;

/**
 * One turn of the bot: what it says, in order, where the conversation stands after, and what the turn did that the
 * bot's statistics count ({@link BotFact}, in order; none for most turns).
 */
public record Step(List<BotMessage> messages, Outcome outcome, List<BotFact> facts) {
  public Step {
    messages = List.copyOf(messages);
    facts = List.copyOf(facts);
  }

  /** A turn that did nothing the statistics count. */
  public Step(List<BotMessage> messages, Outcome outcome) {
    this(messages, outcome, List.of());
  }
}
