package io.sangdam.store;

import io.sangdam.callback.CallOutcome;
import io.sangdam.callback.Callback;
import io.sangdam.callback.CallbackState;
import io.sangdam.callback.CallbackStore;
import io.sangdam.crypto.FieldCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Callback requests and their calls in MariaDB ({@code callback_request}, {@code callback_attempt}, V032); the
 * customer's number and note sealed (V047).
 */
public final class JdbcCallbackStore implements CallbackStore {
  private static final String SELECT = """
      SELECT r.id, r.tenant_id, r.center_id, r.queue_id, r.customer_id, cu.name, r.conversation_id, r.phone,
             r.customer_note, r.slot_at, r.due_at, r.state, r.claimed_by, r.claimed_at, r.attempts, r.outcome,
             r.outcome_note, r.done_at, r.created_at
      FROM callback_request r JOIN customer cu ON cu.id = r.customer_id
      """;

  private final Sql sql;
  private final FieldCipher fields;

  public JdbcCallbackStore(Database db) {
    this.sql = new Sql(db);
    this.fields = db.fields();
  }

  private Callback callback(ResultSet rs) throws SQLException {
    String outcome = rs.getString("outcome");
    return new Callback(rs.getLong("id"), rs.getLong("tenant_id"), rs.getLong("center_id"), rs.getLong("queue_id"),
        rs.getLong("customer_id"), rs.getString("name"), Sql.nullableLong(rs, "conversation_id"),
        fields.open(rs.getString("phone")), fields.open(rs.getString("customer_note")), Sql.instant(rs, "slot_at"), Sql.instant(rs, "due_at"),
        CallbackState.valueOf(rs.getString("state")), Sql.nullableLong(rs, "claimed_by"),
        Sql.instant(rs, "claimed_at"), rs.getInt("attempts"), outcome == null ? null : CallOutcome.valueOf(outcome),
        rs.getString("outcome_note"), Sql.instant(rs, "done_at"), Sql.instant(rs, "created_at"));
  }

  @Override
  public Callback insert(NewCallback c) {
    try {
      long id = sql.insert("""
          INSERT INTO callback_request (tenant_id, center_id, queue_id, customer_id, conversation_id, client_id, phone,
                                        customer_note, slot_at, due_at, state, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?)
          """, c.tenantId(), c.centerId(), c.queueId(), c.customerId(), c.conversationId(), c.clientId(),
          fields.seal(c.phone()), fields.seal(c.customerNote()), c.slotAt(), c.slotAt(), c.createdAt());
      return find(c.tenantId(), id).orElseThrow();
    } catch (StoreException e) {
      // The same request sent twice at once: the second finds the first's row.
      if (Sql.isDuplicateOf(e, "uq_callback_client")) {
        return byClientId(c.customerId(), c.clientId()).orElseThrow(() -> e);
      }
      throw e;
    }
  }

  @Override
  public Optional<Callback> byClientId(long customerId, String clientId) {
    return sql.one(SELECT + " WHERE r.customer_id = ? AND r.client_id = ?", this::callback, customerId,
        clientId);
  }

  @Override
  public Optional<Callback> find(long tenantId, long id) {
    return sql.one(SELECT + " WHERE r.id = ? AND r.tenant_id = ?", this::callback, id, tenantId);
  }

  @Override
  public List<Callback> due(long centerId, Set<Long> queueIds, long agentId, Instant dueBy, int limit) {
    List<Object> params = new ArrayList<>(List.of(centerId));
    // An agent of no queue has only their claims: IN () is no SQL, and -1 is no queue's id.
    String queues = queueIds.isEmpty() ? "-1" : String.join(", ", Collections.nCopies(queueIds.size(), "?"));
    params.addAll(queueIds);
    params.add(dueBy);
    params.add(agentId);
    params.add(limit);
    return sql.list(SELECT + " WHERE r.center_id = ? AND ((r.queue_id IN (" + queues + ") AND r.state = 'OPEN'"
        + " AND r.due_at <= ?) OR (r.state = 'CLAIMED' AND r.claimed_by = ?)) ORDER BY r.due_at, r.id LIMIT ?",
        this::callback, params.toArray());
  }

  @Override
  public List<Callback> list(Filter f) {
    StringBuilder where = new StringBuilder(" WHERE r.tenant_id = ?");
    List<Object> params = new ArrayList<>(List.of(f.tenantId()));
    narrow(where, params, "r.center_id = ?", f.centerId());
    narrow(where, params, "r.queue_id = ?", f.queueId());
    narrow(where, params, "r.state = ?", f.state());
    narrow(where, params, "r.slot_at >= ?", f.slotFrom());
    narrow(where, params, "r.slot_at < ?", f.slotTo());
    params.add(f.limit());
    params.add(f.offset());
    return sql.list(SELECT + where + " ORDER BY r.slot_at DESC, r.id DESC LIMIT ? OFFSET ?", this::callback,
        params.toArray());
  }

  private static void narrow(StringBuilder where, List<Object> params, String condition, Object value) {
    if (value != null) {
      where.append(" AND ").append(condition);
      params.add(value);
    }
  }

  @Override
  public boolean claim(long centerId, long id, long agentId, Instant at) {
    return sql.update("""
        UPDATE callback_request SET state = 'CLAIMED', claimed_by = ?, claimed_at = ?
        WHERE id = ? AND center_id = ? AND state = 'OPEN'
        """, agentId, at, id, centerId) == 1;
  }

  @Override
  public boolean recordOutcome(long centerId, long id, long agentId, CallOutcome outcome, String note,
      Instant retryAt, Instant at) {
    return sql.transaction(c -> {
      int changed = outcome.isFinal()
          ? Sql.update(c, """
              UPDATE callback_request SET state = 'DONE', outcome = ?, outcome_note = ?, done_at = ?,
                     attempts = attempts + 1
              WHERE id = ? AND center_id = ? AND state = 'CLAIMED' AND claimed_by = ?
              """, outcome, note, at, id, centerId, agentId)
          : Sql.update(c, """
              UPDATE callback_request SET state = 'OPEN', outcome = ?, outcome_note = ?, due_at = ?,
                     claimed_by = NULL, claimed_at = NULL, attempts = attempts + 1
              WHERE id = ? AND center_id = ? AND state = 'CLAIMED' AND claimed_by = ?
              """, outcome, note, retryAt, id, centerId, agentId);
      if (changed != 1) {
        return false;
      }
      Sql.insert(c, "INSERT INTO callback_attempt (callback_id, agent_id, outcome, note, at) VALUES (?, ?, ?, ?, ?)",
          id, agentId, outcome, note, at);
      return true;
    });
  }

  @Override
  public List<Callback> forFigures(long tenantId, Long centerId, Long queueId, Instant slotFrom, Instant slotTo) {
    // At most a year of one tenant's requests: counted in memory, by each center's own days.
    return list(new Filter(tenantId, centerId, queueId, null, slotFrom, slotTo, 0, Integer.MAX_VALUE));
  }
}
