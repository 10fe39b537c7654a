package io.sangdam.chat;

/**
 * Where a conversation is. {@code BOT}: a bot owns it, before any queue; routing never sees it until the bot
 * hands it to a queue ({@code BOT -> WAITING}).
 */
public enum ConversationState {
  BOT,
  WAITING,
  ASSIGNED,
  HOLD,
  CLOSED,
  ABANDONED;

  public boolean isOpen() {
    return this == BOT || this == WAITING || this == ASSIGNED || this == HOLD;
  }
}
