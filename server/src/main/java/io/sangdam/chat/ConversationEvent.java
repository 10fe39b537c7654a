package io.sangdam.chat;

/**
 * A change of a conversation, published once after it is durable, in the order the changes were
 * made to that conversation. {@code originSession} is the session that asked for the change and is
 * answered directly (with its rid), so it is left out; 0 means nobody is left out. Every event
 * carries the conversation as it is after the change, except {@link WaitingRemoved}, which may
 * follow its end.
 */
public sealed interface ConversationEvent {
  /** The conversation this event belongs to: events of one conversation are delivered in order. */
  long conversationId();

  /** A customer's new conversation exists (the customer is answered with {@code started} directly). */
  record Started(Conversation conversation) implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  /** A waiting customer's place in line (1 = next) and estimated wait in seconds, null when unknown. */
  record Queued(Conversation conversation, int position, Integer etaSeconds) implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  /** An agent has it now: the customer learns the agent's name, the agent the conversation and a transfer note, if any. */
  record Assigned(Conversation conversation, String note) implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  record MessageStored(Conversation conversation, StoredMessage message, long originSession)
      implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  /** An internal note or a whisper: for staff only, never the customer. */
  record Noted(Conversation conversation, Note note, long originSession) implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  /** The conversation left {@code fromAgentId} by transfer, take-over or the agent's absence. */
  record Transferred(Conversation conversation, long fromAgentId, long originSession) implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  record Held(Conversation conversation, boolean hold, long originSession) implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  /**
   * The conversation moved to another center or queue (a transfer or an overflow): whoever watched
   * it under the old scope and may not see the new one stops watching, before anything more is said.
   */
  record Moved(Conversation conversation) implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  /** Closed or abandoned, for {@code reason}. */
  record Closed(Conversation conversation, String reason, long originSession) implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  /** The customer rated a closed conversation; {@code comment} may be null. */
  record Rated(Conversation conversation, int score, String comment) implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  /** The customer's last session closed ({@code online} false) or their first came back. */
  record CustomerPresence(Conversation conversation, boolean online) implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  /** The conversation joined the waiting list of a MANUAL queue. */
  record WaitingAdded(Conversation conversation) implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  /**
   * An item owed to the conversation's channel was given up (the partner refused it, or it was not delivered
   * within the retry period): {@code item} is {@code message} (the message {@code seq}) or {@code closed}
   * (the end, after the message {@code seq}). Published by whichever node delivers the conversation's items;
   * its conversation is as the database had it then, to find the staff to tell.
   */
  record DeliveryFailed(Conversation conversation, long seq, String item, String reason) implements ConversationEvent {
    @Override
    public long conversationId() {
      return conversation.id();
    }
  }

  /** The conversation left the waiting list of a MANUAL queue (picked, moved or ended). */
  record WaitingRemoved(long conversationId, long centerId, long queueId) implements ConversationEvent {}
}
