package io.sangdam.store;

import io.sangdam.retention.Erased;
import io.sangdam.retention.LegalHold;
import io.sangdam.retention.RetentionPolicy;
import io.sangdam.retention.RetentionStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Retention settings, legal holds and the erasing (V037; V051 for webhook payloads). The job's reads of what is due
 * are plain consistent reads (no locks); every change is one statement or one short transaction over a batch of ids
 * the caller bounds, so no lock on {@code conversation}, {@code message} or {@code customer} outlives a batch. Id
 * lists are inlined: they are {@code long}s read from the database, never text from a request.
 */
public final class JdbcRetentionStore implements RetentionStore {
  /** A conversation held by a hold on itself or on its customer ({@code c} is the conversation). */
  private static final String HELD = """
      (EXISTS (SELECT 1 FROM legal_hold h WHERE h.conversation_id = c.id AND h.released_at IS NULL)
       OR EXISTS (SELECT 1 FROM legal_hold h WHERE h.customer_id = c.customer_id AND h.released_at IS NULL))""";
  private static final String HOLD_COLUMNS = """
      id, tenant_id, customer_id, conversation_id, reason, placed_by, placed_at, released_by, released_at,
      release_reason""";

  private final Sql sql;

  public JdbcRetentionStore(Database db) {
    this.sql = new Sql(db);
  }

  @Override
  public Optional<RetentionPolicy> policy(long tenantId) {
    return policies(tenantId).stream().findFirst().map(TenantPolicy::policy);
  }

  @Override
  public List<TenantPolicy> policies() {
    return policies(null);
  }

  private List<TenantPolicy> policies(Long tenantId) {
    return sql.run(c -> {
      Map<Long, Set<Long>> queues = new LinkedHashMap<>();
      for (long[] row : Sql.list(c, "SELECT tenant_id, queue_id FROM retention_record_queue"
          + (tenantId == null ? "" : " WHERE tenant_id = " + tenantId), rs -> new long[] {rs.getLong(1),
          rs.getLong(2)})) {
        queues.computeIfAbsent(row[0], t -> new HashSet<>()).add(row[1]);
      }
      return Sql.list(c, "SELECT tenant_id, days, record_days, action FROM retention_setting"
          + (tenantId == null ? "" : " WHERE tenant_id = " + tenantId) + " ORDER BY tenant_id",
          rs -> new TenantPolicy(rs.getLong("tenant_id"), new RetentionPolicy(rs.getInt("days"),
              Sql.nullableInt(rs, "record_days"), queues.getOrDefault(rs.getLong("tenant_id"), Set.of()),
              RetentionPolicy.Action.valueOf(rs.getString("action")))));
    });
  }

  @Override
  public void save(long tenantId, RetentionPolicy p, Instant at) {
    sql.transaction(c -> {
      Sql.update(c, """
          INSERT INTO retention_setting (tenant_id, days, record_days, action, updated_at) VALUES (?, ?, ?, ?, ?)
          ON DUPLICATE KEY UPDATE days = VALUES(days), record_days = VALUES(record_days), action = VALUES(action),
            updated_at = VALUES(updated_at)""", tenantId, p.days(), p.recordDays(), p.action(), at);
      Sql.update(c, "DELETE FROM retention_record_queue WHERE tenant_id = ?", tenantId);
      for (long queueId : p.recordQueues()) {
        Sql.update(c, "INSERT INTO retention_record_queue (tenant_id, queue_id) VALUES (?, ?)", tenantId, queueId);
      }
      return null;
    });
  }

  @Override
  public boolean remove(long tenantId) {
    return sql.transaction(c -> {
      Sql.update(c, "DELETE FROM retention_record_queue WHERE tenant_id = ?", tenantId);
      return Sql.update(c, "DELETE FROM retention_setting WHERE tenant_id = ?", tenantId) == 1;
    });
  }

  @Override
  public List<LegalHold> holds(long tenantId, boolean withReleased, int limit) {
    return sql.list("SELECT " + HOLD_COLUMNS + " FROM legal_hold WHERE tenant_id = ?"
        + (withReleased ? "" : " AND released_at IS NULL") + " ORDER BY id DESC LIMIT ?", JdbcRetentionStore::hold,
        tenantId, limit);
  }

  @Override
  public Optional<LegalHold> hold(long tenantId, long id) {
    return sql.one("SELECT " + HOLD_COLUMNS + " FROM legal_hold WHERE tenant_id = ? AND id = ?",
        JdbcRetentionStore::hold, tenantId, id);
  }

  @Override
  public Optional<LegalHold> activeHold(long tenantId, Long customerId, Long conversationId) {
    return sql.one("SELECT " + HOLD_COLUMNS + " FROM legal_hold WHERE tenant_id = ? AND released_at IS NULL AND "
        + (customerId != null ? "customer_id = ?" : "conversation_id = ?"), JdbcRetentionStore::hold, tenantId,
        customerId != null ? customerId : conversationId);
  }

  /**
   * The subject's row is read under a lock, so a batch of the job marking it waits for the hold to commit (and
   * then, checking holds again, leaves it), or the hold waits for the mark and finds the subject being erased.
   */
  @Override
  public Optional<LegalHold> place(long tenantId, Long customerId, Long conversationId, String reason, String by,
      Instant at) {
    return sql.transaction(c -> {
      String subject = customerId != null
          ? "SELECT id FROM customer WHERE id = ? AND tenant_id = ? AND purged_at IS NULL FOR UPDATE"
          : "SELECT id FROM conversation WHERE id = ? AND tenant_id = ? AND purged_at IS NULL FOR UPDATE";
      if (Sql.list(c, subject, rs -> rs.getLong(1), customerId != null ? customerId : conversationId, tenantId)
          .isEmpty()) {
        return Optional.empty();
      }
      long id = Sql.insert(c, """
          INSERT INTO legal_hold (tenant_id, customer_id, conversation_id, reason, placed_by, placed_at)
          VALUES (?, ?, ?, ?, ?, ?)""", tenantId, customerId, conversationId, reason, by, at);
      return Sql.list(c, "SELECT " + HOLD_COLUMNS + " FROM legal_hold WHERE id = ?", JdbcRetentionStore::hold, id)
          .stream().findFirst();
    });
  }

  @Override
  public boolean release(long tenantId, long id, String by, String reason, Instant at) {
    return sql.update("""
        UPDATE legal_hold SET released_by = ?, released_at = ?, release_reason = ?
        WHERE tenant_id = ? AND id = ? AND released_at IS NULL""", by, at, reason, tenantId, id) == 1;
  }

  @Override
  public boolean claimRun(String key, String node, Instant at) {
    return sql.update("INSERT IGNORE INTO retention_run (run_key, node, started_at) VALUES (?, ?, ?)", key, node,
        at) == 1;
  }

  @Override
  public void finishRun(String key, Erased e, Instant at) {
    sql.update("""
        UPDATE retention_run SET finished_at = ?, conversations = ?, messages = ?, attachments = ?, files = ?,
          customers = ?, deliveries = ?
        WHERE run_key = ?""", at, e.conversations(), e.messages(), e.attachments(), e.files(), e.customers(),
        e.deliveries(), key);
  }

  @Override
  public List<Long> dueConversations(long tenantId, Instant cutoff, Instant recordCutoff, long afterId, int limit) {
    // created_at < closed_at always: the condition on it lets the tenant's (tenant_id, created_at) index narrow.
    return sql.list("""
        SELECT c.id FROM conversation c
        LEFT JOIN retention_record_queue rq ON rq.tenant_id = c.tenant_id AND rq.queue_id = c.queue_id
        WHERE c.tenant_id = ? AND c.id > ? AND c.purged_at IS NULL AND c.state IN ('CLOSED', 'ABANDONED')
          AND c.created_at < ? AND c.closed_at < IF(rq.queue_id IS NULL, ?, ?)
          AND NOT EXISTS (SELECT 1 FROM retention_pending p WHERE p.conversation_id = c.id)
          AND NOT\s""" + HELD + " ORDER BY c.id LIMIT ?", rs -> rs.getLong(1), tenantId, afterId,
        later(cutoff, recordCutoff), cutoff, recordCutoff, limit);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** Marks only: the conversation stays whole, and may still be held, until {@link #decide} commits. */
  @Override
  public int mark(long tenantId, List<Long> ids, RetentionPolicy.Action action, Instant at) {
    if (ids.isEmpty()) {
      return 0;
    }
    return sql.update("INSERT INTO retention_pending (conversation_id, tenant_id, action, marked_at) "
        + "SELECT c.id, c.tenant_id, ?, ? FROM conversation c WHERE c.tenant_id = ? AND c.id IN (" + Sql.in(ids)
        + ") AND c.purged_at IS NULL AND NOT EXISTS (SELECT 1 FROM retention_pending p WHERE p.conversation_id = c.id)"
        + " AND NOT " + HELD, action, at, tenantId);
  }

  @Override
  public List<Long> pendingTenants() {
    return sql.list("SELECT DISTINCT tenant_id FROM retention_pending ORDER BY tenant_id", rs -> rs.getLong(1));
  }

  @Override
  public List<Long> pending(long tenantId, long afterId, int limit) {
    return sql.list("""
        SELECT conversation_id FROM retention_pending WHERE tenant_id = ? AND conversation_id > ?
        ORDER BY conversation_id LIMIT ?""", rs -> rs.getLong(1), tenantId, afterId, limit);
  }

  @Override
  public int deleteMessages(List<Long> ids, int limit) {
    return sql.update("DELETE FROM message WHERE conversation_id IN (SELECT p.conversation_id FROM retention_pending p "
        + "JOIN conversation c ON c.id = p.conversation_id WHERE p.conversation_id IN (" + Sql.in(ids)
        + ") AND c.purged_at IS NOT NULL) LIMIT ?", limit);
  }

  /**
   * The moment a conversation's erasure commits. The pending conversations not yet decided, their customers too, are
   * locked first, the rows a hold's placing locks ({@link #place}); the holds are then read with a locking read,
   * which sees every hold committed before, whatever this transaction's snapshot: a hold placed before this commits
   * has either committed (and is seen) or waits for it (and then finds the conversation erased).
   */
  @Override
  public int decide(List<Long> ids) {
    return sql.transaction(c -> {
      Map<Long, Long> customerOf = new LinkedHashMap<>();
      for (long[] row : Sql.list(c, "SELECT c.id, c.customer_id FROM retention_pending p JOIN conversation c ON c.id = "
          + "p.conversation_id WHERE p.conversation_id IN (" + Sql.in(ids) + ") AND c.purged_at IS NULL "
          + "ORDER BY c.id FOR UPDATE", rs -> new long[] {rs.getLong(1), rs.getLong(2)})) {
        customerOf.put(row[0], row[1]);
      }
      if (customerOf.isEmpty()) {
        return 0;
      }
      List<Long> undecided = List.copyOf(customerOf.keySet());
      String customers = Sql.in(List.copyOf(new HashSet<>(customerOf.values())));
      Sql.list(c, "SELECT id FROM customer WHERE id IN (" + customers + ") ORDER BY id FOR UPDATE",
          rs -> rs.getLong(1));
      Set<Long> held = new HashSet<>(Sql.list(c, "SELECT conversation_id FROM legal_hold WHERE conversation_id IN ("
          + Sql.in(undecided) + ") AND released_at IS NULL LOCK IN SHARE MODE", rs -> rs.getLong(1)));
      Set<Long> heldCustomers = new HashSet<>(Sql.list(c, "SELECT customer_id FROM legal_hold WHERE customer_id IN ("
          + customers + ") AND released_at IS NULL LOCK IN SHARE MODE", rs -> rs.getLong(1)));
      customerOf.forEach((conversation, customer) -> {
        if (heldCustomers.contains(customer)) {
          held.add(conversation);
        }
      });
      if (!held.isEmpty()) {
        Sql.update(c, "DELETE FROM retention_pending WHERE conversation_id IN (" + Sql.in(List.copyOf(held)) + ")");
      }
      List<Long> erased = undecided.stream().filter(id -> !held.contains(id)).toList();
      if (erased.isEmpty()) {
        return held.size();
      }
      String gone = Sql.in(erased);
      Sql.update(c, "DELETE FROM conversation_note WHERE conversation_id IN (" + gone + ")");
      stripCopies(c, gone);
      // What stays of an anonymised one: times, state, queue, agent, category, tags, score and transfers.
      Sql.update(c, "UPDATE conversation c JOIN retention_pending p ON p.conversation_id = c.id "
          + "SET c.purged_at = p.marked_at, c.csat_comment = NULL, c.bot_state = NULL, c.bot_fields = NULL, "
          + "c.channel_user = NULL, c.start_key = NULL WHERE c.id IN (" + gone + ")");
      // Every node's search index reads this log and drops their messages (JdbcMessageFeed).
      Sql.update(c, "INSERT INTO conversation_erasure (conversation_id, erased_at) SELECT conversation_id, marked_at "
          + "FROM retention_pending WHERE conversation_id IN (" + gone + ")");
      return held.size();
    });
  }

  /**
   * Removes the copies of a conversation's personal data kept outside it, which neither its figures nor a record
   * another law requires need: pre-chat answers, link proposals, offline inquiries, the channel outbox's row, the
   * callback's link to it.
   */
  private static void stripCopies(Connection c, String conversations) throws SQLException {
    Sql.update(c, "DELETE FROM conversation_pre_chat WHERE conversation_id IN (" + conversations + ")");
    Sql.update(c, "DELETE FROM customer_link_proposal WHERE conversation_id IN (" + conversations + ")");
    Sql.update(c, "DELETE FROM offline_inquiry WHERE conversation_id IN (" + conversations + ")");
    Sql.update(c, "DELETE FROM channel_outbound WHERE conversation_id IN (" + conversations + ")");
    Sql.update(c, "UPDATE callback_request SET conversation_id = NULL WHERE conversation_id IN (" + conversations
        + ")");
  }

  /** Attachments go here, after the messages: a message refers to its attachment. */
  @Override
  public Finished complete(List<Long> ids) {
    return sql.transaction(c -> {
      Map<Long, String> actions = new LinkedHashMap<>();
      for (Object[] row : Sql.list(c, "SELECT p.conversation_id, p.action FROM retention_pending p JOIN conversation c "
          + "ON c.id = p.conversation_id WHERE p.conversation_id IN (" + Sql.in(ids) + ") AND c.purged_at IS NOT NULL "
          + "FOR UPDATE", rs -> new Object[] {rs.getLong(1), rs.getString(2)})) {
        actions.put((Long) row[0], (String) row[1]);
      }
      if (actions.isEmpty()) {
        return new Finished(Erased.NONE, Set.of());
      }
      String these = Sql.in(List.copyOf(actions.keySet()));
      Set<String> files = new HashSet<>(Sql.list(c, "SELECT sha256 FROM attachment WHERE conversation_id IN ("
          + these + ") UNION SELECT preview_sha256 FROM attachment WHERE conversation_id IN (" + these
          + ") AND preview_sha256 IS NOT NULL", rs -> rs.getString(1)));
      // A message the batches missed (one written after them cannot be: the conversation had ended).
      Sql.update(c, "DELETE FROM message WHERE conversation_id IN (" + these + ")");
      int attachments = Sql.update(c, "DELETE FROM attachment WHERE conversation_id IN (" + these + ")");
      List<Long> deleted = actions.entrySet().stream().filter(a -> a.getValue().equals("DELETE"))
          .map(Map.Entry::getKey).toList();
      if (!deleted.isEmpty()) {
        String gone = Sql.in(deleted);
        List<Long> customers = Sql.list(c, "SELECT DISTINCT customer_id FROM conversation WHERE id IN (" + gone + ")",
            rs -> rs.getLong(1));
        Sql.update(c, "DELETE FROM conversation_tag WHERE conversation_id IN (" + gone + ")");
        Sql.update(c, "DELETE FROM conversation_assignment WHERE conversation_id IN (" + gone + ")");
        Sql.update(c, "DELETE FROM conversation WHERE id IN (" + gone + ")");
        // A customer erased on request while this conversation was kept as a record: the record was the last of them.
        Sql.update(c, "DELETE FROM customer WHERE id IN (" + Sql.in(customers) + ") AND purged_at IS NOT NULL "
            + "AND NOT EXISTS (SELECT 1 FROM conversation c WHERE c.customer_id = customer.id)");
      }
      Sql.update(c, "DELETE FROM retention_pending WHERE conversation_id IN (" + these + ")");
      if (!files.isEmpty()) {
        String shas = files.stream().map(s -> "'" + s.replaceAll("[^0-9a-f]", "") + "'")
            .collect(Collectors.joining(","));
        files.removeAll(Sql.list(c, "SELECT sha256 FROM attachment WHERE sha256 IN (" + shas + ") UNION "
            + "SELECT preview_sha256 FROM attachment WHERE preview_sha256 IN (" + shas + ")", rs -> rs.getString(1)));
      }
      return new Finished(new Erased(actions.size(), 0, attachments, 0, 0, 0), files);
    });
  }

  @Override
  public List<Long> records(long tenantId, long customerId, Instant recordCutoff) {
    return sql.list("""
        SELECT c.id FROM conversation c
        JOIN retention_record_queue rq ON rq.tenant_id = c.tenant_id AND rq.queue_id = c.queue_id
        WHERE c.tenant_id = ? AND c.customer_id = ? AND c.purged_at IS NULL AND c.closed_at >= ?
          AND NOT EXISTS (SELECT 1 FROM retention_pending p WHERE p.conversation_id = c.id)
        ORDER BY c.id""", rs -> rs.getLong(1), tenantId, customerId, recordCutoff);
  }

  /** What a record keeps: see {@link RetentionStore#keepAsRecord}. */
  @Override
  public void keepAsRecord(long tenantId, List<Long> ids) {
    if (ids.isEmpty()) {
      return;
    }
    sql.transaction(c -> {
      List<Long> these = Sql.list(c, "SELECT id FROM conversation WHERE tenant_id = ? AND id IN (" + Sql.in(ids)
          + ") FOR UPDATE", rs -> rs.getLong(1), tenantId);
      if (!these.isEmpty()) {
        stripCopies(c, Sql.in(these));
        Sql.update(c, "UPDATE conversation SET csat_comment = NULL, bot_state = NULL, bot_fields = NULL, "
            + "channel_user = NULL, start_key = NULL WHERE id IN (" + Sql.in(these) + ")");
      }
      return null;
    });
  }

  @Override
  public int pruneDeliveries(long tenantId, Instant cutoff, int limit) {
    return sql.update("DELETE FROM webhook_delivery WHERE tenant_id = ? AND created_at < ? ORDER BY created_at "
        + "LIMIT ?", tenantId, cutoff, limit);
  }

  /**
   * The customer's id is only inside the payload ({@code data.customer.id}, as {@code ConversationWebhooks} writes
   * it): the tenant's rows are read without locking, then the customer's deleted by key.
   */
  @Override
  public int eraseDeliveriesOf(long tenantId, long customerId) {
    List<Object[]> keys = sql.list("""
        SELECT delivery_id, webhook_id FROM webhook_delivery
        WHERE tenant_id = ? AND JSON_VALUE(CONVERT(body USING utf8mb4), '$.data.customer.id') = ?""",
        rs -> new Object[] {rs.getString(1), rs.getLong(2)}, tenantId, String.valueOf(customerId));
    int deleted = 0;
    for (Object[] key : keys) {
      deleted += sql.update("DELETE FROM webhook_delivery WHERE delivery_id = ? AND webhook_id = ?", key[0], key[1]);
    }
    return deleted;
  }

  @Override
  public List<Long> dueCustomers(long tenantId, Instant cutoff, long afterId, int limit) {
    return sql.list("SELECT cu.id FROM customer cu WHERE cu.tenant_id = ? AND cu.id > ? AND cu.purged_at IS NULL "
        + "AND cu.created_at < ? AND " + erasable("cu", List.of()) + """
         AND NOT EXISTS (SELECT 1 FROM offline_inquiry o WHERE o.customer_id = cu.id AND o.created_at >= ?)
         AND NOT EXISTS (SELECT 1 FROM callback_request b WHERE b.customer_id = cu.id AND b.created_at >= ?)
        ORDER BY cu.id LIMIT ?""", rs -> rs.getLong(1), tenantId, afterId, cutoff, cutoff, cutoff, limit);
  }

  /**
   * No hold on the customer, and none of their conversations kept (not erased, or its erasure unfinished) but
   * those {@code keptAsRecord}.
   */
  private static String erasable(String customer, List<Long> keptAsRecord) {
    return """
        NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.customer_id = %1$s.id AND h.released_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM conversation c WHERE c.customer_id = %1$s.id%2$s
          AND (c.purged_at IS NULL OR EXISTS (SELECT 1 FROM retention_pending p WHERE p.conversation_id = c.id)))
        """.formatted(customer, keptAsRecord.isEmpty() ? "" : " AND c.id NOT IN (" + Sql.in(keptAsRecord) + ")");
  }

  @Override
  public int eraseCustomers(long tenantId, List<Long> ids, RetentionPolicy.Action action, Instant at,
      List<Long> keptAsRecord) {
    if (ids.isEmpty()) {
      return 0;
    }
    return sql.transaction(c -> {
      List<Long> erasable = Sql.list(c, "SELECT cu.id FROM customer cu WHERE cu.tenant_id = ? AND cu.id IN ("
          + Sql.in(ids) + ") AND cu.purged_at IS NULL AND " + erasable("cu", keptAsRecord) + " FOR UPDATE",
          rs -> rs.getLong(1), tenantId);
      if (erasable.isEmpty()) {
        return 0;
      }
      String these = Sql.in(erasable);
      Sql.update(c, "DELETE FROM callback_attempt WHERE callback_id IN "
          + "(SELECT id FROM callback_request WHERE customer_id IN (" + these + "))");
      Sql.update(c, "DELETE FROM callback_request WHERE customer_id IN (" + these + ")");
      Sql.update(c, "DELETE FROM offline_inquiry WHERE customer_id IN (" + these + ")");
      Sql.update(c, "DELETE FROM customer_link_proposal WHERE customer_id IN (" + these + ")");
      // A random visitor hash: the widget's old token finds no one, and the unique key stays satisfied.
      // The blind indexes go too: kept, they would still tell which erased customers shared a phone number.
      Sql.update(c, "UPDATE customer SET name = '', external_id = NULL, contact = NULL, contact_index = NULL, "
          + "memo = NULL, channel_id = NULL, channel_user = NULL, channel_user_index = NULL, under14 = NULL, thread_control = NULL, thread_control_at = NULL, "
          + "visitor_hash = RANDOM_BYTES(32), purged_at = ? WHERE id IN (" + these + ")", at);
      if (action == RetentionPolicy.Action.DELETE) {
        Sql.update(c, "DELETE FROM customer WHERE id IN (" + these + ") AND NOT EXISTS "
            + "(SELECT 1 FROM conversation c WHERE c.customer_id = customer.id)");
      }
      return erasable.size();
    });
  }

  @Override
  public Optional<Customer> customer(long tenantId, long customerId) {
    return sql.one("""
        SELECT cu.id,
          (SELECT MIN(h.id) FROM legal_hold h WHERE h.customer_id = cu.id AND h.released_at IS NULL) AS hold_id,
          (SELECT COUNT(*) FROM conversation c WHERE c.customer_id = cu.id
             AND c.state NOT IN ('CLOSED', 'ABANDONED')) AS open
        FROM customer cu WHERE cu.id = ? AND cu.tenant_id = ? AND cu.purged_at IS NULL""",
        rs -> new Customer(rs.getLong("id"), Sql.nullableLong(rs, "hold_id"), rs.getInt("open")), customerId,
        tenantId);
  }

  @Override
  public List<Long> conversationsOf(long tenantId, long customerId) {
    return sql.list("SELECT id FROM conversation WHERE tenant_id = ? AND customer_id = ? AND purged_at IS NULL "
        + "ORDER BY id", rs -> rs.getLong(1), tenantId, customerId);
  }

  @Override
  public Optional<Long> heldConversationOf(long tenantId, long customerId) {
    return sql.one("""
        SELECT h.id FROM legal_hold h JOIN conversation c ON c.id = h.conversation_id
        WHERE c.tenant_id = ? AND c.customer_id = ? AND h.released_at IS NULL ORDER BY h.id LIMIT 1""",
        rs -> rs.getLong(1), tenantId, customerId);
  }

  private static LegalHold hold(ResultSet rs) throws SQLException {
    return new LegalHold(rs.getLong("id"), rs.getLong("tenant_id"), Sql.nullableLong(rs, "customer_id"),
        Sql.nullableLong(rs, "conversation_id"), rs.getString("reason"), rs.getString("placed_by"),
        Sql.instant(rs, "placed_at"), rs.getString("released_by"), Sql.instant(rs, "released_at"),
        rs.getString("release_reason"));
  }
}
