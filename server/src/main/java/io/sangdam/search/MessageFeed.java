package io.sangdam.search;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * What the message index is fed from: the message table and the log of erased conversations, each read by its
 * ascending id. Implemented in {@code store}; methods block.
 */
public interface MessageFeed {
  /**
   * Messages with an id above {@code afterId}, in id order, at most {@code limit}; those of a conversation already
   * marked for erasure are left out (their erasure is in the log, and must not be undone by a late read).
   */
  List<Message> messagesAfter(long afterId, int limit);

  /** The messages of these ids that exist now (ids an open transaction held when they were passed over). */
  List<Message> messages(Collection<Long> ids);

  /** The highest message id, 0 when there is none. */
  long lastMessageId();

  /** Erased conversations logged with an id above {@code afterId}, in id order, at most {@code limit}. */
  List<Erasure> erasuresAfter(long afterId, int limit);

  /** The erasures of these log ids that exist now. */
  List<Erasure> erasures(Collection<Long> ids);

  /** The highest id of the erasure log, 0 when it is empty. */
  long lastErasureId();

  /** A message as the index needs it: its conversation's tenant and start (which never change), and its text. */
  record Message(long id, long conversationId, long tenantId, Instant conversationCreatedAt, String body) {}

  /** A conversation whose messages were erased (by retention or on request): it leaves the index. */
  record Erasure(long id, long conversationId) {}
}
