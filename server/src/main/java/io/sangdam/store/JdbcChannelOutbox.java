package io.sangdam.store;

import static java.util.Objects.requireNonNull;

import io.sangdam.channel.ChannelKind;
import io.sangdam.channel.ChannelOutbox;
import io.sangdam.channel.OutboundItem;
import io.sangdam.chat.SenderKind;
import io.sangdam.crypto.FieldCipher;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The channels' outbound cursor in MariaDB (table {@code channel_outbound}, V014): what a conversation
 * owes is read from its messages and its end, past {@code delivered_seq}. Claims are on the database's
 * clock ({@code NOW(3)}), the one clock all nodes share; when a retry is due is on the nodes' clocks.
 */
public final class JdbcChannelOutbox implements ChannelOutbox {
  private static final int MAX_ERROR = 500;
  private static final int WAKE_BATCH = 500;
  /** A conversation owes something: a message not from the customer past the cursor, or its end. */
  private static final String OWES = """
      (EXISTS (SELECT 1 FROM message m WHERE m.conversation_id = o.conversation_id AND m.seq > o.delivered_seq
               AND m.sender_kind <> 'CUSTOMER')
       OR EXISTS (SELECT 1 FROM conversation c WHERE c.id = o.conversation_id AND c.closed_at IS NOT NULL))
      """;

  /** When a parked conversation is due: never, until woken (a DATETIME literal, the same in every time zone). */
  static final String PARKED = "TIMESTAMP'9999-01-01 00:00:00'";

  private final Sql sql;
  private final FieldCipher fields;
  private final String node;

  /** {@code node}: this node's name, which its claims carry (unique among the nodes on the database). */
  public JdbcChannelOutbox(Database db, String node) {
    this.sql = new Sql(db);
    this.fields = db.fields();
    this.node = requireNonNull(node, "node");
  }

  /**
   * On the due index always: the optimizer's estimate of the rows due counts index entries that parking
   * (an update of {@code next_attempt_at}) left for the purge, and just after many were parked it chose
   * to read the whole table instead, running the owing test on every row.
   */
  @Override
  public List<Long> claimDue(Instant due, int limit, Duration claim) {
    if (limit > 0) {
      sql.update("""
          UPDATE channel_outbound o FORCE INDEX (ix_channel_outbound_due)
          SET claimed_by = ?, claimed_until = NOW(3) + INTERVAL ? MICROSECOND
          WHERE o.next_attempt_at <= ? AND (o.claimed_until IS NULL OR o.claimed_until < NOW(3)) AND
          """ + OWES + " ORDER BY o.next_attempt_at LIMIT ?", node, micros(claim), due, limit);
    }
    return sql.list("""
        SELECT conversation_id FROM channel_outbound FORCE INDEX (ix_channel_outbound_due)
        WHERE claimed_by = ? AND claimed_until > NOW(3) AND next_attempt_at <= ?
        ORDER BY next_attempt_at
        """, rs -> rs.getLong(1), node, due);
  }

  @Override
  public Optional<Pending> next(long conversationId, Duration claim) {
    return sql.transaction(c -> Sql.update(c, """
        UPDATE channel_outbound SET claimed_until = NOW(3) + INTERVAL ? MICROSECOND
        WHERE conversation_id = ? AND claimed_by = ?
        """, micros(claim), conversationId, node) == 1 ? read(c, conversationId) : Optional.empty());
  }

  @Override
  public Optional<Pending> passed(long conversationId, long seq, Instant now, Duration claim) {
    return sql.transaction(c -> Sql.update(c, """
        UPDATE channel_outbound SET delivered_seq = ?, attempts = 0, last_error = NULL, next_attempt_at = ?,
          claimed_until = NOW(3) + INTERVAL ? MICROSECOND
        WHERE conversation_id = ? AND claimed_by = ?
        """, seq, now, micros(claim), conversationId, node) == 1 ? read(c, conversationId) : Optional.empty());
  }

  /** The conversation's next item, read in one statement: its first owed message past the cursor, else its end. */
  private Optional<Pending> read(Connection c, long conversationId) throws SQLException {
    return Sql.list(c, """
        SELECT o.delivered_seq, o.attempts, c.tenant_id, c.channel, c.channel_user, c.closed_at, c.close_reason,
               COALESCE((SELECT MAX(x.seq) FROM message x WHERE x.conversation_id = c.id), 0) AS last_seq,
               m.seq, m.sender_kind, m.body, m.created_at, COALESCE(u.display_name, m.sender_name) AS display_name,
               m.buttons,
               a.id AS a_id, a.name AS a_name, a.content_type AS a_type, a.size_bytes AS a_size
        FROM channel_outbound o JOIN conversation c ON c.id = o.conversation_id
          LEFT JOIN message m ON m.conversation_id = o.conversation_id AND m.seq = (
            SELECT MIN(y.seq) FROM message y
            WHERE y.conversation_id = o.conversation_id AND y.seq > o.delivered_seq AND y.sender_kind <> 'CUSTOMER')
          LEFT JOIN app_user u ON u.id = m.sender_id AND m.sender_kind = 'AGENT'
          LEFT JOIN attachment a ON a.id = m.attachment_id
        WHERE o.conversation_id = ?
        """, rs -> item(rs, conversationId), conversationId).stream().findFirst().flatMap(p -> p);
  }

  private Optional<Pending> item(ResultSet rs, long conversationId) throws SQLException {
    Cursor cursor = new Cursor(rs.getLong("delivered_seq"), rs.getInt("attempts"), rs.getLong("tenant_id"),
        rs.getString("channel"), fields.open(rs.getString("channel_user")), Sql.instant(rs, "closed_at"),
        rs.getString("close_reason"), rs.getLong("last_seq"));
    if (Sql.nullableLong(rs, "seq") != null) {
      return Optional.of(new Pending(cursor.tenantId(), cursor.channel(), message(rs, conversationId, cursor)));
    }
    if (cursor.closedAt() == null) {
      return Optional.empty();
    }
    // The end goes after every message, under the last one's seq (+ 1 in its id, apart from that message's).
    OutboundItem end = new OutboundItem(itemId(conversationId, cursor.lastSeq(), true), conversationId,
        cursor.lastSeq(), OutboundItem.Type.CLOSED, cursor.user(), SenderKind.SYSTEM.wire(), "", "",
        cursor.closedAt(), Optional.ofNullable(cursor.reason()), Optional.empty(), cursor.attempts() + 1);
    return Optional.of(new Pending(cursor.tenantId(), cursor.channel(), end));
  }

  private record Cursor(long deliveredSeq, int attempts, long tenantId, String channel, String user, Instant closedAt,
      String reason, long lastSeq) {}

  private static OutboundItem message(ResultSet rs, long conversationId, Cursor cursor) throws SQLException {
    long seq = rs.getLong("seq");
    Long attachment = Sql.nullableLong(rs, "a_id");
    Optional<OutboundItem.OutboundFile> file = attachment == null ? Optional.empty()
        : Optional.of(new OutboundItem.OutboundFile(attachment, rs.getString("a_name"), rs.getString("a_type"),
            rs.getLong("a_size")));
    String name = rs.getString("display_name");
    return new OutboundItem(itemId(conversationId, seq, false), conversationId, seq, OutboundItem.Type.MESSAGE,
        cursor.user(), SenderKind.valueOf(rs.getString("sender_kind")).wire(), name == null ? "" : name,
        rs.getString("body"), Sql.instant(rs, "created_at"), Optional.empty(), file, cursor.attempts() + 1)
        .withButtons(ChoicesJson.read(rs.getString("buttons")));
  }

  /**
   * The item's id, the same on every attempt, on every node and after a restart (a partner's idempotency
   * key): the conversation's id, then the seq, then 1 for the end.
   */
  static long itemId(long conversationId, long seq, boolean end) {
    return (conversationId << 24) | (seq << 1) | (end ? 1 : 0);
  }

  @Override
  public boolean releaseIfDone(long conversationId) {
    if (sql.update("""
        UPDATE channel_outbound o SET claimed_by = NULL, claimed_until = NULL, next_attempt_at = """ + PARKED + """
        WHERE o.conversation_id = ? AND o.claimed_by = ? AND NOT
        """ + OWES, conversationId, node) == 1) {
      return true;
    }
    return sql.list("SELECT 1 FROM channel_outbound WHERE conversation_id = ? AND claimed_by = ?", rs -> 1,
        conversationId, node).isEmpty();
  }

  @Override
  public void wake(Collection<Long> conversationIds, Instant now) {
    if (conversationIds.isEmpty()) {
      return;
    }
    // Only a parked one: a conversation held, or waiting for its retry, keeps its time.
    List<Long> ids = List.copyOf(conversationIds);
    for (int from = 0; from < ids.size(); from += WAKE_BATCH) {
      List<Long> some = ids.subList(from, Math.min(ids.size(), from + WAKE_BATCH));
      sql.update("UPDATE channel_outbound SET next_attempt_at = ? WHERE next_attempt_at = " + PARKED
          + " AND conversation_id IN (" + String.join(",", Collections.nCopies(some.size(), "?")) + ")",
          Stream.concat(Stream.of(now), some.stream()).toArray());
    }
  }

  @Override
  public void sweep(Instant now) {
    sql.update("UPDATE channel_outbound o SET next_attempt_at = ? WHERE o.next_attempt_at = " + PARKED + " AND "
        + OWES, now);
    sql.update("""
        UPDATE channel_outbound o SET next_attempt_at = """ + PARKED + """
        WHERE o.next_attempt_at <= ? AND (o.claimed_until IS NULL OR o.claimed_until < NOW(3)) AND NOT
        """ + OWES, now);
  }

  @Override
  public boolean ended(long conversationId, Optional<Instant> surveyAsked) {
    return sql.transaction(c -> {
      boolean mine = Sql.update(c, "DELETE FROM channel_outbound WHERE conversation_id = ? AND claimed_by = ?",
          conversationId, node) == 1;
      if (mine && surveyAsked.isPresent()) {
        Sql.update(c, "UPDATE conversation SET survey_asked_at = ? WHERE id = ?", surveyAsked.get(), conversationId);
      } else if (mine) {
        // An attempt that asked (asking) did not deliver the end: no answer is awaited after all.
        Sql.update(c, "UPDATE conversation SET survey_asked_at = NULL WHERE id = ? AND survey_asked_at IS NOT NULL",
            conversationId);
      }
      return mine;
    });
  }

  @Override
  public boolean asking(long conversationId, Instant at) {
    return sql.transaction(c -> {
      boolean mine = !Sql.list(c, "SELECT 1 FROM channel_outbound WHERE conversation_id = ? AND claimed_by = ? "
          + "FOR UPDATE", rs -> 1, conversationId, node).isEmpty();
      if (mine) {
        Sql.update(c, "UPDATE conversation SET survey_asked_at = ? WHERE id = ?", at, conversationId);
      }
      return mine;
    });
  }

  @Override
  public boolean retrying(long conversationId, int attempts, Instant next, String error, Duration claim) {
    return sql.update("""
        UPDATE channel_outbound SET attempts = ?, next_attempt_at = ?, last_error = ?,
          claimed_until = NOW(3) + INTERVAL ? MICROSECOND
        WHERE conversation_id = ? AND claimed_by = ?
        """, attempts, next, error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR), micros(claim),
        conversationId, node) == 1;
  }

  @Override
  public void releaseAll() {
    sql.update("UPDATE channel_outbound SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?", node);
  }

  @Override
  public List<Depth> depth() {
    return sql.list("""
        SELECT ch.tenant_id, ch.code, ch.kind, SUM(owed.items) AS items FROM (
          SELECT o.channel_id,
                 (SELECT COUNT(*) FROM message m WHERE m.conversation_id = o.conversation_id
                    AND m.seq > o.delivered_seq AND m.sender_kind <> 'CUSTOMER')
                 + (SELECT COUNT(*) FROM conversation c WHERE c.id = o.conversation_id AND c.closed_at IS NOT NULL)
                 AS items
          FROM channel_outbound o FORCE INDEX (ix_channel_outbound_due) WHERE o.next_attempt_at < """ + PARKED + """
          ) owed
        JOIN channel ch ON ch.id = owed.channel_id
        GROUP BY ch.tenant_id, ch.code, ch.kind
        """, rs -> new Depth(new ChannelRef(rs.getLong("tenant_id"), rs.getString("code"),
            ChannelKind.valueOf(rs.getString("kind"))), rs.getLong("items")));
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1000;
  }
}
