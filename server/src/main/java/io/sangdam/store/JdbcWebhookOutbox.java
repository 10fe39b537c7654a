package io.sangdam.store;

import static java.util.Objects.requireNonNull;

import io.sangdam.webhook.Webhook;
import io.sangdam.webhook.WebhookOutbox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The webhook outbox in MariaDB (table {@code webhook_delivery}, V008; claims V011). Claims are on
 * the database's clock ({@code NOW(3)}, UTC on every connection), the one clock all nodes share;
 * when a delivery is due is on the nodes' clocks, which wrote it.
 */
public final class JdbcWebhookOutbox implements WebhookOutbox {
  /** Rows per statement when many deliveries are written or removed at once. */
  private static final int CHUNK = 500;
  private static final int MAX_ERROR = 500;

  private final Sql sql;
  private final String node;

  /** {@code node}: this node's name, which its claims carry (unique among the nodes on the database). */
  public JdbcWebhookOutbox(Database db, String node) {
    this.sql = new Sql(db);
    this.node = requireNonNull(node, "node");
  }

  @Override
  public void add(List<Delivery> deliveries, Instant at) {
    insert(deliveries, at, null);
  }

  @Override
  public void addClaimed(List<Delivery> deliveries, Instant at, Duration claim) {
    insert(deliveries, at, claim);
  }

  private void insert(List<Delivery> deliveries, Instant at, Duration claim) {
    for (int from = 0; from < deliveries.size(); from += CHUNK) {
      List<Delivery> chunk = deliveries.subList(from, Math.min(deliveries.size(), from + CHUNK));
      List<Object> params = new ArrayList<>();
      for (Delivery d : chunk) {
        Collections.addAll(params, d.deliveryId(), d.webhook().id(), d.webhook().tenantId(), d.event(), d.body(),
            d.attempts(), d.nextAttemptAt(), claim == null ? null : node, claim == null ? null : micros(claim), at);
      }
      sql.update("""
          INSERT INTO webhook_delivery (delivery_id, webhook_id, tenant_id, event, body, state, attempts,
            next_attempt_at, claimed_by, claimed_until, created_at) VALUES
          """ + String.join(", ", Collections.nCopies(chunk.size(),
              "(?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, NOW(3) + INTERVAL ? MICROSECOND, ?)")),
          params.toArray());
    }
  }

  /**
   * The claim is one statement: two nodes claiming at once lock the same index range in the same
   * order, so the second reads each row after the first's commit and skips the ones it claimed. The
   * webhook's row is asked in a subquery, as MariaDB's single-table UPDATE with ORDER BY and LIMIT
   * cannot join: a disabled webhook's deliveries wait unclaimed.
   */
  @Override
  public List<Claimed> claimDue(Instant due, int limit, int held, Duration claim) {
    if (limit > 0) {
      sql.update("""
          UPDATE webhook_delivery d SET claimed_by = ?, claimed_until = NOW(3) + INTERVAL ? MICROSECOND
          WHERE d.state = 'PENDING' AND d.next_attempt_at <= ?
            AND (d.claimed_until IS NULL OR d.claimed_until < NOW(3))
            AND EXISTS (SELECT 1 FROM webhook w WHERE w.id = d.webhook_id AND w.enabled)
          ORDER BY d.next_attempt_at LIMIT ?
          """, node, micros(claim), due, limit);
    }
    return sql.list("""
        SELECT d.delivery_id, d.event, d.body, d.attempts, d.next_attempt_at,
               TIMESTAMPDIFF(MICROSECOND, NOW(3), d.claimed_until) AS claim_left,
               w.id, w.tenant_id, w.url, w.secret, w.events, w.enabled, w.created_at
        FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
        WHERE d.state = 'PENDING' AND d.claimed_by = ? AND d.claimed_until > NOW(3) AND d.next_attempt_at <= ?
          AND w.enabled
        ORDER BY d.next_attempt_at LIMIT ?
        """, JdbcWebhookOutbox::claimed, node, due, held + limit);
  }

  @Override
  public boolean renew(Key key, Duration claim) {
    return sql.update("""
        UPDATE webhook_delivery SET claimed_until = NOW(3) + INTERVAL ? MICROSECOND
        WHERE delivery_id = ? AND webhook_id = ? AND state = 'PENDING' AND claimed_by = ?
        """, micros(claim), key.deliveryId(), key.webhookId(), node) == 1;
  }

  @Override
  public void delivered(List<Key> keys) {
    for (int from = 0; from < keys.size(); from += CHUNK) {
      List<Key> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
      List<Object> params = new ArrayList<>();
      for (Key k : chunk) {
        Collections.addAll(params, k.deliveryId(), k.webhookId());
      }
      sql.update("DELETE FROM webhook_delivery WHERE (delivery_id, webhook_id) IN ("
          + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?)")) + ")", params.toArray());
    }
  }

  @Override
  public boolean failed(Key key, int attempts, Instant next, String error, Duration claim) {
    return sql.update("""
        UPDATE webhook_delivery SET attempts = ?, next_attempt_at = ?, last_error = ?,
          claimed_until = NOW(3) + INTERVAL ? MICROSECOND
        WHERE delivery_id = ? AND webhook_id = ? AND state = 'PENDING' AND claimed_by = ?
        """, attempts, next, truncated(error), micros(claim), key.deliveryId(), key.webhookId(), node) == 1;
  }

  @Override
  public void gaveUp(Key key, int attempts, String error) {
    sql.update("""
        UPDATE webhook_delivery SET state = 'GAVE_UP', attempts = ?, last_error = ?, claimed_by = NULL,
          claimed_until = NULL
        WHERE delivery_id = ? AND webhook_id = ? AND state = 'PENDING' AND claimed_by = ?
        """, attempts, truncated(error), key.deliveryId(), key.webhookId(), node);
  }

  private static Claimed claimed(ResultSet rs) throws SQLException {
    Webhook hook = new Webhook(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("url"), rs.getString("secret"),
        Set.of(rs.getString("events").split(",")), rs.getBoolean("enabled"), Sql.instant(rs, "created_at"));
    Delivery d = new Delivery(rs.getString("delivery_id"), hook, rs.getString("event"), rs.getBytes("body"),
        rs.getInt("attempts"), Sql.instant(rs, "next_attempt_at"));
    return new Claimed(d, Duration.ofNanos(rs.getLong("claim_left") * 1000));
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1000;
  }

  private static String truncated(String error) {
    return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
  }
}
