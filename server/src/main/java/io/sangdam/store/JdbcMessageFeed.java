package io.sangdam.store;

import io.sangdam.search.MessageFeed;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * The message table and the erasure log by ascending id (their unique keys on id), for the search index. A message
 * of a conversation marked for erasure is not read: the mark and the log row are one transaction, so once the log
 * row can be read no message of it can be read again.
 */
public final class JdbcMessageFeed implements MessageFeed {
  // Messages first, by their id: left to itself the optimizer scans every conversation and sorts (a minute on 10 M).
  private static final String MESSAGE = """
      SELECT m.id, m.conversation_id, c.tenant_id, c.created_at, m.body
      FROM message m FORCE INDEX (uk_message_id) STRAIGHT_JOIN conversation c ON c.id = m.conversation_id
      WHERE c.purged_at IS NULL AND\s""";

  private final Sql sql;

  public JdbcMessageFeed(Database db) {
    this.sql = new Sql(db);
  }

  private static Message message(ResultSet rs) throws SQLException {
    return new Message(rs.getLong(1), rs.getLong(2), rs.getLong(3), Sql.instant(rs, "created_at"), rs.getString(5));
  }

  private static Erasure erasure(ResultSet rs) throws SQLException {
    return new Erasure(rs.getLong(1), rs.getLong(2));
  }

  @Override
  public List<Message> messagesAfter(long afterId, int limit) {
    return sql.list(MESSAGE + "m.id > ? ORDER BY m.id LIMIT ?", JdbcMessageFeed::message, afterId, limit);
  }

  @Override
  public List<Message> messages(Collection<Long> ids) {
    return sql.list(MESSAGE + "m.id IN (" + Sql.in(ids) + ") ORDER BY m.id", JdbcMessageFeed::message);
  }

  @Override
  public long lastMessageId() {
    return sql.one("SELECT COALESCE(MAX(id), 0) FROM message", rs -> rs.getLong(1)).orElse(0L);
  }

  @Override
  public List<Erasure> erasuresAfter(long afterId, int limit) {
    return sql.list("SELECT id, conversation_id FROM conversation_erasure WHERE id > ? ORDER BY id LIMIT ?",
        JdbcMessageFeed::erasure, afterId, limit);
  }

  @Override
  public List<Erasure> erasures(Collection<Long> ids) {
    return sql.list("SELECT id, conversation_id FROM conversation_erasure WHERE id IN (" + Sql.in(ids)
        + ") ORDER BY id", JdbcMessageFeed::erasure);
  }

  @Override
  public long lastErasureId() {
    return sql.one("SELECT COALESCE(MAX(id), 0) FROM conversation_erasure", rs -> rs.getLong(1)).orElse(0L);
  }
}
