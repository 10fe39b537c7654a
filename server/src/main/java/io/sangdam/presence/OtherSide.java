package io.sangdam.presence;

import io.sangdam.chat.SenderKind;

/**
 * What a participant tells the other side of a conversation without storing it: that they are
 * typing, and how far they have read. On one node, {@link Sessions} tells its sessions; with many
 * nodes every node tells its own.
 */
public interface OtherSide {
  /** {@code agentId} null: nobody has the conversation yet. */
  void typing(long conversationId, long customerId, Long agentId, SenderKind from);

  void read(long conversationId, long customerId, Long agentId, SenderKind from, long seq);
}
