package io.sangdam.chat;

/** How chat tells participants what happened, after it is durable. Implemented by presence; must not block. */
public interface ConversationNotifier {
  void assigned(Conversation conversation);

  /** {@code originSession} gets an ack instead of the message; 0 means nobody is excluded. */
  void messageStored(Conversation conversation, StoredMessage message, long originSession);

  /** {@code originSession} is answered by its own session (with its rid); 0 means nobody is excluded. */
  void closed(Conversation conversation, String reason, long originSession);
}
