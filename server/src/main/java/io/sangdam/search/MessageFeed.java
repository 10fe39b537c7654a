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
   * Names the database, the same for every node reading it and after a restart, another for another database (an
   * index directory taken from another installation is rebuilt, not read on at positions of another table).
   */
  String databaseId();

  /**
   * Messages with an id above {@code afterId}, in id order, at most {@code limit}; those of a conversation already
   * marked for erasure are left out (their erasure is in the log, and must not be undone by a late read).
   */
  List<Message> messagesAfter(long afterId, int limit);

  /**
   * The messages with an id in these ranges that exist now (ids an open transaction held when they were passed over),
   * in id order, at most {@code limit}.
   */
  List<Message> messages(Collection<IdRange> ranges, int limit);

  /** Every message of these conversations with an id up to {@code upTo}, in id order, as {@link #messagesAfter}. */
  List<Message> messagesOf(Collection<Long> conversationIds, long upTo);

  /** The highest message id, 0 when there is none. */
  long lastMessageId();

  /**
   * The highest message id handed out so far (the table's auto-increment counter less one), deleted rows included:
   * an index that has read past it was made from another state of the database (one restored from a backup).
   */
  long messageIdsHandedOut();

  /** Erased conversations logged with an id above {@code afterId}, in id order, at most {@code limit}. */
  List<Erasure> erasuresAfter(long afterId, int limit);

  /** The erasures with a log id in these ranges that exist now, in id order, at most {@code limit}. */
  List<Erasure> erasures(Collection<IdRange> ranges, int limit);

  /** The highest id of the erasure log, 0 when it is empty. */
  long lastErasureId();

  /** The highest erasure log id handed out so far, as {@link #messageIdsHandedOut}. */
  long erasureIdsHandedOut();

  /**
   * A message as the index needs it: its conversation's tenant and start (which never change), its center when it
   * was read (a transfer may move the conversation), and its text.
   */
  record Message(long id, long conversationId, long tenantId, long centerId, Instant conversationCreatedAt,
      String body) {
    /** This message as of a conversation moved to {@code center}. */
    Message inCenter(long center) {
      return new Message(id, conversationId, tenantId, center, conversationCreatedAt, body);
    }
  }

  /** A conversation whose messages were erased (by retention or on request): it leaves the index. */
  record Erasure(long id, long conversationId) {}

  /** Ids {@code first} to {@code last}, both included. */
  record IdRange(long first, long last) {}
}
