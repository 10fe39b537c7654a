package io.sangdam.store;

import io.sangdam.webhook.Webhook;
import io.sangdam.webhook.WebhookOutbox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** The webhook outbox in MariaDB (table {@code webhook_delivery}, V008). */
public final class JdbcWebhookOutbox implements WebhookOutbox {
  /** Rows per statement when many deliveries are written or removed at once. */
  private static final int CHUNK = 500;
  private static final int MAX_ERROR = 500;

  private final Sql sql;

  public JdbcWebhookOutbox(Database db) {
    this.sql = new Sql(db);
  }

  @Override
  public void add(List<Delivery> deliveries, Instant at) {
    for (int from = 0; from < deliveries.size(); from += CHUNK) {
      List<Delivery> chunk = deliveries.subList(from, Math.min(deliveries.size(), from + CHUNK));
      List<Object> params = new ArrayList<>();
      for (Delivery d : chunk) {
        Collections.addAll(params, d.deliveryId(), d.webhook().id(), d.webhook().tenantId(), d.event(), d.body(),
            d.attempts(), d.nextAttemptAt(), at);
      }
      sql.update("""
          INSERT INTO webhook_delivery (delivery_id, webhook_id, tenant_id, event, body, state, attempts,
            next_attempt_at, created_at) VALUES
          """ + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?, 'PENDING', ?, ?, ?)")),
          params.toArray());
    }
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
  public void failed(Key key, int attempts, Instant next, String error) {
    sql.update("""
        UPDATE webhook_delivery SET attempts = ?, next_attempt_at = ?, last_error = ?
        WHERE delivery_id = ? AND webhook_id = ? AND state = 'PENDING'
        """, attempts, next, truncated(error), key.deliveryId(), key.webhookId());
  }

  @Override
  public void gaveUp(Key key, int attempts, String error) {
    sql.update("""
        UPDATE webhook_delivery SET state = 'GAVE_UP', attempts = ?, last_error = ?
        WHERE delivery_id = ? AND webhook_id = ?
        """, attempts, truncated(error), key.deliveryId(), key.webhookId());
  }

  @Override
  public List<Delivery> pending(Instant due, int limit) {
    return sql.list("""
        SELECT d.delivery_id, d.event, d.body, d.attempts, d.next_attempt_at,
               w.id, w.tenant_id, w.url, w.secret, w.events, w.enabled, w.created_at
        FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
        WHERE d.state = 'PENDING' AND d.next_attempt_at <= ? AND w.enabled
        ORDER BY d.next_attempt_at LIMIT ?
        """, JdbcWebhookOutbox::delivery, due, limit);
  }

  private static Delivery delivery(ResultSet rs) throws SQLException {
    Webhook hook = new Webhook(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("url"), rs.getString("secret"),
        Set.of(rs.getString("events").split(",")), rs.getBoolean("enabled"), Sql.instant(rs, "created_at"));
    return new Delivery(rs.getString("delivery_id"), hook, rs.getString("event"), rs.getBytes("body"),
        rs.getInt("attempts"), Sql.instant(rs, "next_attempt_at"));
  }

  private static String truncated(String error) {
    return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
  }
}
