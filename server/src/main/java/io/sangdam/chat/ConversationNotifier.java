package io.sangdam.chat;

/** How chat tells participants what happened, after it is durable. Implemented by presence; must not block. */
public interface ConversationNotifier {
  void assigned(Conversation conversation);

  /** {@code originSession} gets an ack instead of the message; 0 means nobody is excluded. */
  void messageStored(Conversation conversation, StoredMessage message, long originSession);

  void closed(Conversation conversation, String reason);
}
