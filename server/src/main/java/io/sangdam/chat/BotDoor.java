package io.sangdam.chat;

import io.sangdam.directory.Queue;
import java.util.Optional;

/**
 * Where a new conversation meets its bot, as {@link ConversationStart} asks it: the bot layer answers, so chat never
 * depends on it. A conversation whose entry has a scenario opens in {@code BOT} and is not routed; the bot's first
 * turn follows its announcement.
 */
public interface BotDoor {
  /** Blocks. The scenario greeting a conversation of this customer opening in {@code queue}; empty: none. */
  Optional<BotStart> entry(long tenantId, Queue queue, long customerId);

  /** The conversation opened in {@code BOT} and was announced: the bot's first turn, in order with its replies. */
  void opened(Conversation c);

  /** A conversation in {@code BOT} taken up from the database (a start, or its center from another node). */
  void adopted(Conversation c);

  /** No bot anywhere: every conversation waits for an agent at once. */
  BotDoor NONE = new BotDoor() {
    @Override
    public Optional<BotStart> entry(long tenantId, Queue queue, long customerId) {
      return Optional.empty();
    }

    @Override
    public void opened(Conversation c) {
      throw new IllegalStateException("conversation " + c.id() + " opened with a bot, and there is none");
    }

    @Override
    public void adopted(Conversation c) {
      // Before the bot layer is built nothing opens with a bot; one left from before waits for its customer.
    }
  };
}
