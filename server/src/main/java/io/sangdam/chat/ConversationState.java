package io.sangdam.chat;

public enum ConversationState {
  WAITING,
  ASSIGNED,
  HOLD,
  CLOSED,
  ABANDONED;

  public boolean isOpen() {
    return this == WAITING || this == ASSIGNED || this == HOLD;
  }
}
