package io.sangdam.store;

import io.sangdam.bot.BotEndpoint;
import io.sangdam.bot.BotEndpointStore;
import io.sangdam.protocol.SangdamException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** External bots in MariaDB; the reply token only as its hash. */
public final class JdbcBotEndpointStore implements BotEndpointStore {
  private static final String COLUMNS = "SELECT id, tenant_id, code, name, url, secret, timeout_ms, reply_within_s, "
      + "enabled, created_at FROM bot_endpoint ";

  private final Sql sql;

  public JdbcBotEndpointStore(Database db) {
    this.sql = new Sql(db);
  }

  private static BotEndpoint endpoint(ResultSet rs) throws SQLException {
    return new BotEndpoint(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("code"), rs.getString("name"),
        rs.getString("url"), rs.getString("secret"), Duration.ofMillis(rs.getInt("timeout_ms")),
        Duration.ofSeconds(rs.getInt("reply_within_s")), rs.getBoolean("enabled"), Sql.instant(rs, "created_at"));
  }

  @Override
  public BotEndpoint insert(BotEndpoint e, byte[] tokenHash) {
    sql.insert("""
        INSERT INTO bot_endpoint (tenant_id, code, name, url, secret, token_hash, timeout_ms, reply_within_s, enabled,
          created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", e.tenantId(), e.code(), e.name(), e.url(), e.secret(), tokenHash,
        (int) e.timeout().toMillis(), (int) e.replyWithin().toSeconds(), e.enabled(), e.createdAt());
    return find(e.tenantId(), e.code()).orElseThrow();
  }

  @Override
  public List<BotEndpoint> forTenant(long tenantId) {
    return sql.list(COLUMNS + "WHERE tenant_id = ? ORDER BY code", JdbcBotEndpointStore::endpoint, tenantId);
  }

  @Override
  public Optional<BotEndpoint> find(long tenantId, String code) {
    return sql.one(COLUMNS + "WHERE tenant_id = ? AND code = ?", JdbcBotEndpointStore::endpoint, tenantId, code);
  }

  @Override
  public Optional<BotEndpoint> byTokenHash(byte[] tokenHash) {
    return sql.one(COLUMNS + "WHERE token_hash = ?", JdbcBotEndpointStore::endpoint, (Object) tokenHash);
  }

  @Override
  public BotEndpoint update(BotEndpoint e) {
    sql.update("""
        UPDATE bot_endpoint SET name = ?, url = ?, timeout_ms = ?, reply_within_s = ?, enabled = ?
        WHERE id = ? AND tenant_id = ?""", e.name(), e.url(), (int) e.timeout().toMillis(),
        (int) e.replyWithin().toSeconds(), e.enabled(), e.id(), e.tenantId());
    return found(e);
  }

  @Override
  public BotEndpoint rotate(BotEndpoint e, String secret, byte[] tokenHash) {
    sql.update("UPDATE bot_endpoint SET secret = ?, token_hash = ? WHERE id = ? AND tenant_id = ?", secret, tokenHash,
        e.id(), e.tenantId());
    return found(e);
  }

  private BotEndpoint found(BotEndpoint e) {
    return find(e.tenantId(), e.code()).orElseThrow(() -> SangdamException.notFound("bot endpoint '" + e.code() + "'"));
  }
}
