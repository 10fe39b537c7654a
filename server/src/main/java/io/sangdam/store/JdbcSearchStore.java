package io.sangdam.store;

import io.sangdam.chat.Note;
import io.sangdam.chat.StoredMessage;
import io.sangdam.crypto.FieldCipher;
import io.sangdam.search.SearchStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Conversation search in MariaDB. Filters use the conversation's own indexes (tenant or center
 * with time); text in messages is found by the search index, which hands the conversations holding it
 * (by primary key). The customer's contact is sealed, so it matches whole only.
 */
public final class JdbcSearchStore implements SearchStore {
  private static final String SELECT = """
      SELECT c.id, c.tenant_id, c.center_id, c.queue_id, c.customer_id, cu.name AS customer_name,
             cu.contact AS customer_contact, c.agent_id, c.state, c.created_at, c.assigned_at, c.closed_at,
             c.close_reason, c.category_id, c.transfers, c.csat_score, c.csat_comment, c.channel
      FROM conversation c JOIN customer cu ON cu.id = c.customer_id
      """;

  private final Sql sql;
  private final FieldCipher fields;

  public JdbcSearchStore(Database db) {
    this.sql = new Sql(db);
    this.fields = db.fields();
  }

  private Found found(ResultSet rs) throws SQLException {
    return new Found(rs.getLong("id"), rs.getLong("tenant_id"), rs.getLong("center_id"), rs.getLong("queue_id"),
        rs.getLong("customer_id"), rs.getString("customer_name"), fields.open(rs.getString("customer_contact")),
        Sql.nullableLong(rs, "agent_id"), rs.getString("state"), Sql.instant(rs, "created_at"),
        Sql.instant(rs, "assigned_at"), Sql.instant(rs, "closed_at"), rs.getString("close_reason"),
        Sql.nullableLong(rs, "category_id"), rs.getInt("transfers"), Sql.nullableInt(rs, "csat_score"),
        rs.getString("csat_comment"), rs.getString("channel"));
  }

  @Override
  public List<Found> search(Criteria q, Collection<Long> among, int limit) {
    StringBuilder where = new StringBuilder(" WHERE c.tenant_id = ?");
    List<Object> params = new ArrayList<>(List.of(q.tenantId()));
    and(where, params, "c.center_id = ?", q.centerId());
    if (q.centerIds() != null) {
      where.append(" AND c.center_id IN (").append(String.join(",", Collections.nCopies(q.centerIds().size(), "?")))
          .append(")");
      params.addAll(q.centerIds());
    }
    and(where, params, "c.queue_id = ?", q.queueId());
    and(where, params, "c.agent_id = ?", q.agentId());
    and(where, params, "c.state = ?", q.state());
    and(where, params, "c.created_at >= ?", q.from());
    and(where, params, "c.created_at < ?", q.to());
    and(where, params, "c.category_id = ?", q.categoryId());
    and(where, params, "EXISTS (SELECT 1 FROM conversation_assignment a WHERE a.conversation_id = c.id "
        + "AND a.agent_id = ?)", q.carriedBy());
    if (q.customer() != null) {
      // A contact is sealed: it is found whole, by its blind index (a phone number however written, an e-mail
      // address in any case); a name by any part of it.
      where.append(" AND (cu.name LIKE ? OR cu.contact_index = ?)");
      params.add(contains(q.customer()));
      params.add(fields.contactIndex(q.customer()));
    }
    if (q.channels() != null) {
      JdbcStatisticsStore.channelIn(where, params, "c.channel", q.channels());
    }
    if (among != null) {
      where.append(among.isEmpty() ? " AND FALSE" : " AND c.purged_at IS NULL AND c.id IN ("
          + Sql.in(among) + ")");
    }
    if (q.afterCreatedAt() != null) {
      where.append(" AND (c.created_at < ? OR (c.created_at = ? AND c.id < ?))");
      params.add(q.afterCreatedAt());
      params.add(q.afterCreatedAt());
      params.add(q.afterId());
    }
    params.add(limit);
    return sql.list(SELECT + where + " ORDER BY c.created_at DESC, c.id DESC LIMIT ?", this::found,
        params.toArray());
  }

  private static void and(StringBuilder where, List<Object> params, String condition, Object value) {
    if (value != null) {
      where.append(" AND ").append(condition);
      params.add(value);
    }
  }

  /** A LIKE pattern for text anywhere (a customer's name), its own wildcards taken literally. */
  private static String contains(String text) {
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  @Override
  public Optional<Found> conversation(long id) {
    return sql.one(SELECT + " WHERE c.id = ?", this::found, id);
  }

  @Override
  public List<StoredMessage> transcript(long conversationId) {
    return sql.list(JdbcChatStore.MESSAGE_SELECT + " WHERE m.conversation_id = ? ORDER BY m.seq LIMIT 10000",
        JdbcChatStore::message, conversationId);
  }

  @Override
  public List<Note> notes(long conversationId) {
    return sql.list(JdbcChatStore.NOTE_SELECT + "WHERE conversation_id = ? ORDER BY id LIMIT 1000", JdbcChatStore::note,
        conversationId);
  }

  @Override
  public List<String> tags(long conversationId) {
    return sql.list("SELECT tag FROM conversation_tag WHERE conversation_id = ? ORDER BY tag", rs -> rs.getString(1),
        conversationId);
  }

  @Override
  public boolean wasAssigned(long conversationId, long agentId) {
    return JdbcChatStore.wasAssigned(sql, conversationId, agentId);
  }
}
