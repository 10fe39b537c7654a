package io.sangdam.bot.scenario;

import java.util.List;

/** One message the bot says, with the buttons offered under it (none: empty). */
public record BotMessage(String text, List<Button> buttons) {
  public BotMessage {
    buttons = List.copyOf(buttons);
  }

  static BotMessage text(String text) {
    return new BotMessage(text, List.of());
  }
}
