package io.sangdam.chat;

import java.util.List;

/**
 * How chat tells participants what happened, after it is durable. Implemented by presence; must
 * not block. {@code originSession} is the session that asked and is answered directly (with its
 * rid); 0 means nobody is left out.
 */
public interface ConversationNotifier {
  /** A customer's new conversation exists (the customer is answered with {@code started} directly). */
  void started(Conversation conversation);

  /** To the customer (the agent's name) and the agent (the conversation, and a transfer note when there is one). */
  void assigned(Conversation conversation, String note);

  void messageStored(Conversation conversation, StoredMessage message, long originSession);

  void closed(Conversation conversation, String reason, long originSession);

  /** Waiting customers' places in line and estimated waits. */
  void positions(List<WaitingPosition> positions);

  /** The conversation left {@code fromAgentId} by transfer. */
  void transferred(Conversation conversation, long fromAgentId, long originSession);

  void held(Conversation conversation, boolean hold, long originSession);

  /** An internal note: to the assigned agent's sessions (never the customer's). */
  void noted(Conversation conversation, Note note, long originSession);

  /** The customer rated a closed conversation: to the agent who carried it. */
  void rated(Conversation conversation, int score, String comment);

  /** A conversation joined the waiting list of a MANUAL queue. */
  void waitingAdded(Conversation conversation);

  /** A conversation left the waiting list of a MANUAL queue (picked, moved or ended). */
  void waitingRemoved(long centerId, long queueId, long conversationId);

  /**
   * The conversation moved to another center or queue (a transfer or an overflow): whoever watched
   * it under the old scope and may not see the new one stops watching, before anything more is said.
   */
  void moved(Conversation conversation);

  /**
   * The customer's last session closed ({@code online} false) or their first came back: to the
   * agent who has the conversation and its watchers.
   */
  void customerPresence(Conversation conversation, boolean online);

  /** A waiting customer's place in line (1 = next) and estimated wait in seconds, null when unknown. */
  record WaitingPosition(Conversation conversation, int position, Integer etaSeconds) {}
}
