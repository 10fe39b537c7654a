package io.sangdam.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What conversations need persisted, besides the message log. Implemented in {@code store}; methods block. */
public interface ChatStore {
  Conversation insertConversation(long tenantId, long centerId, long queueId, long customerId, String customerName,
      int priority, Instant at);

  /** WAITING to ASSIGNED; false when the conversation was no longer waiting. */
  boolean markAssigned(long conversationId, long agentId, Instant at);

  /** Ends an open conversation; false when it was not open. */
  boolean markEnded(long conversationId, ConversationState state, String reason, Instant at);

  /** Every open conversation, with its last seq: the live state at start. */
  List<Conversation> openConversations();

  Optional<Conversation> conversation(long id);

  /** Messages with {@code seq > afterSeq}, in order, at most {@code limit}. */
  List<StoredMessage> messagesAfter(long conversationId, long afterSeq, int limit);

  Optional<StoredMessage> messageByCmid(SenderKind kind, long senderId, String cmid);
}
