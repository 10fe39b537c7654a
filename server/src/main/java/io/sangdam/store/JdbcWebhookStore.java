package io.sangdam.store;

import io.sangdam.protocol.SangdamException;
import io.sangdam.webhook.Webhook;
import io.sangdam.webhook.WebhookStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Webhooks in MariaDB; events kept as a sorted, comma-separated list. */
public final class JdbcWebhookStore implements WebhookStore {
  private static final String COLUMNS = "SELECT id, tenant_id, url, secret, events, enabled, created_at FROM webhook ";

  private final Sql sql;
  private final Clock clock;

  public JdbcWebhookStore(Database db, Clock clock) {
    this.sql = new Sql(db);
    this.clock = clock;
  }

  private static Webhook webhook(ResultSet rs) throws SQLException {
    return new Webhook(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("url"), rs.getString("secret"),
        Set.of(rs.getString("events").split(",")), rs.getBoolean("enabled"), Sql.instant(rs, "created_at"));
  }

  private static String events(Set<String> events) {
    return String.join(",", new TreeSet<>(events));
  }

  @Override
  public Webhook insert(long tenantId, String url, String secret, Set<String> events) {
    long id = sql.insert("INSERT INTO webhook (tenant_id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?)",
        tenantId, url, secret, events(events), clock.instant());
    return find(tenantId, id).orElseThrow();
  }

  @Override
  public List<Webhook> forTenant(long tenantId) {
    return sql.list(COLUMNS + "WHERE tenant_id = ? ORDER BY id", JdbcWebhookStore::webhook, tenantId);
  }

  @Override
  public Optional<Webhook> find(long tenantId, long id) {
    return sql.list(COLUMNS + "WHERE tenant_id = ? AND id = ?", JdbcWebhookStore::webhook, tenantId, id).stream()
        .findFirst();
  }

  @Override
  public Webhook update(Webhook w) {
    sql.update("UPDATE webhook SET url = ?, events = ?, enabled = ? WHERE id = ? AND tenant_id = ?", w.url(),
        events(w.events()), w.enabled(), w.id(), w.tenantId());
    return find(w.tenantId(), w.id()).orElseThrow(() -> SangdamException.notFound("webhook " + w.id()));
  }

  @Override
  public boolean delete(long tenantId, long id) {
    return sql.update("DELETE FROM webhook WHERE id = ? AND tenant_id = ?", id, tenantId) > 0;
  }
}
