package io.sangdam.chat;

import java.util.List;

/**
 * Messages of a conversation in order, with the conversation: one page of what a participant
 * missed (after the seq they asked from; {@code more} when the next page may hold more), or the
 * latest of an earlier conversation in a customer's history.
 */
public record Replay(Conversation conversation, List<StoredMessage> messages, boolean more) {
  public Replay {
    messages = List.copyOf(messages);
  }
}
