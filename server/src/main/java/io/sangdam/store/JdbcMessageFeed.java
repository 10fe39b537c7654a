package io.sangdam.store;

import io.sangdam.search.MessageFeed;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The message table and the erasure log by ascending id (their unique keys on id), for the search index. A message
 * of a conversation marked for erasure is not read: the mark and the log row are one transaction, so once the log
 * row can be read no message of it can be read again.
 */
public final class JdbcMessageFeed implements MessageFeed {
  // Messages first, by their id: left to itself the optimizer scans every conversation and sorts (a minute on 10 M).
  private static final String MESSAGE = """
      SELECT m.id, m.conversation_id, c.tenant_id, c.center_id, c.created_at, m.body
      FROM message m FORCE INDEX (uk_message_id) STRAIGHT_JOIN conversation c ON c.id = m.conversation_id
      WHERE c.purged_at IS NULL AND\s""";
  /** The messages of a few conversations, by the message table's key (conversation, seq). */
  private static final String CONVERSATION_MESSAGES = """
      SELECT m.id, m.conversation_id, c.tenant_id, c.center_id, c.created_at, m.body
      FROM conversation c JOIN message m ON m.conversation_id = c.id
      WHERE c.purged_at IS NULL AND\s""";

  private final Sql sql;

  public JdbcMessageFeed(Database db) {
    this.sql = new Sql(db);
  }

  private static Message message(ResultSet rs) throws SQLException {
    return new Message(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), Sql.instant(rs, "created_at"),
        rs.getString(6));
  }

  private static Erasure erasure(ResultSet rs) throws SQLException {
    return new Erasure(rs.getLong(1), rs.getLong(2));
  }

  @Override
  public String databaseId() {
    return sql.one("SELECT id FROM database_id", rs -> rs.getString(1))
        .orElseThrow(() -> new IllegalStateException("the database has no database_id row (migration V056)"));
  }

  @Override
  public List<Message> messagesAfter(long afterId, int limit) {
    return sql.list(MESSAGE + "m.id > ? ORDER BY m.id LIMIT ?", JdbcMessageFeed::message, afterId, limit);
  }

  @Override
  public List<Message> messages(Collection<IdRange> ranges, int limit) {
    return sql.list(MESSAGE + within("m.id", ranges) + " ORDER BY m.id LIMIT ?", JdbcMessageFeed::message, limit);
  }

  @Override
  public List<Message> messagesOf(Collection<Long> conversationIds, long upTo) {
    return sql.list(CONVERSATION_MESSAGES + "c.id IN (" + Sql.in(conversationIds) + ") AND m.id <= ? ORDER BY m.id",
        JdbcMessageFeed::message, upTo);
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
  public List<Erasure> erasures(Collection<IdRange> ranges, int limit) {
    return sql.list("SELECT id, conversation_id FROM conversation_erasure WHERE " + within("id", ranges)
        + " ORDER BY id LIMIT ?", JdbcMessageFeed::erasure, limit);
  }

  @Override
  public long lastErasureId() {
    return sql.one("SELECT COALESCE(MAX(id), 0) FROM conversation_erasure", rs -> rs.getLong(1)).orElse(0L);
  }

  @Override
  public long messageIdsHandedOut() {
    return handedOut("message");
  }

  @Override
  public long erasureIdsHandedOut() {
    return handedOut("conversation_erasure");
  }

  /**
   * The table's auto-increment counter less one: unlike MAX(id) it does not fall when the newest rows are deleted
   * (an erasure), only when the database itself is older (restored). MariaDB keeps it across restarts.
   */
  private long handedOut(String table) {
    return sql.one("SELECT COALESCE(auto_increment, 1) - 1 FROM information_schema.tables "
        + "WHERE table_schema = DATABASE() AND table_name = ?", rs -> rs.getLong(1), table).orElse(0L);
  }

  /** {@code column} in any of the ranges (ids are numbers, written in the statement). */
  private static String within(String column, Collection<IdRange> ranges) {
    return ranges.stream().map(r -> r.first() == r.last() ? column + " = " + r.first()
        : column + " BETWEEN " + r.first() + " AND " + r.last()).collect(Collectors.joining(" OR ", "(", ")"));
  }
}
