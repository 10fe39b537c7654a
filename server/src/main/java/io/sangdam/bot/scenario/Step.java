package io.sangdam.bot.scenario;

import java.util.List;

/** One turn of the bot: what it says, in order, and where the conversation stands after. */
public record Step(List<BotMessage> messages, Outcome outcome) {
  public Step {
    messages = List.copyOf(messages);
  }
}
