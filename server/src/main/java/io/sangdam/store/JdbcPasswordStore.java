package io.sangdam.store;

import io.sangdam.auth.AddressRanges;
import io.sangdam.auth.PasswordStore;
import io.sangdam.auth.SecurityPolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Security policies, local accounts' password state and their previous hashes in MariaDB. */
public final class JdbcPasswordStore implements PasswordStore {
  private final Sql sql;

  public JdbcPasswordStore(Database db) {
    this.sql = new Sql(db);
  }

  private static long tenantKey(Long tenantId) {
    return tenantId == null ? 0L : tenantId;
  }

  @Override
  public Optional<SecurityPolicy> policy(Long tenantId) {
    return sql.one("""
        SELECT min_length, char_classes, expiry_days, reuse_limit, token_minutes, idle_minutes, admin_ranges,
          agent_ranges FROM security_policy WHERE tenant_key = ?
        """, JdbcPasswordStore::policy, tenantKey(tenantId));
  }

  private static SecurityPolicy policy(ResultSet rs) throws SQLException {
    return new SecurityPolicy(rs.getInt("min_length"), rs.getInt("char_classes"), rs.getInt("expiry_days"),
        rs.getInt("reuse_limit"), Sql.nullableInt(rs, "token_minutes"), rs.getInt("idle_minutes"),
        ranges(rs.getString("admin_ranges"), "adminRanges"), ranges(rs.getString("agent_ranges"), "agentRanges"));
  }

  private static AddressRanges ranges(String column, String field) {
    return column.isEmpty() ? AddressRanges.ANYWHERE : AddressRanges.parse(Arrays.asList(column.split(",")), field);
  }

  @Override
  public void savePolicy(Long tenantId, SecurityPolicy p, Instant at) {
    sql.update("""
        INSERT INTO security_policy (tenant_key, min_length, char_classes, expiry_days, reuse_limit, token_minutes,
          idle_minutes, admin_ranges, agent_ranges, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON DUPLICATE KEY UPDATE min_length = VALUES(min_length), char_classes = VALUES(char_classes),
          expiry_days = VALUES(expiry_days), reuse_limit = VALUES(reuse_limit), token_minutes = VALUES(token_minutes),
          idle_minutes = VALUES(idle_minutes), admin_ranges = VALUES(admin_ranges),
          agent_ranges = VALUES(agent_ranges), updated_at = VALUES(updated_at)
        """, tenantKey(tenantId), p.minLength(), p.charClasses(), p.expiryDays(), p.reuseLimit(), p.tokenMinutes(),
        p.idleMinutes(), p.adminRanges().toString(), p.agentRanges().toString(), at);
  }

  @Override
  public Optional<PasswordState> state(long userId) {
    // Accounts created after V045 without the column set count from their creation.
    return sql.one("""
        SELECT password_hash, COALESCE(password_changed_at, created_at) AS changed_at, password_change_required
        FROM app_user WHERE id = ?
        """, rs -> new PasswordState(rs.getString("password_hash"), Sql.instant(rs, "changed_at"),
        rs.getBoolean("password_change_required")), userId);
  }

  @Override
  public List<String> previousHashes(long userId, int count) {
    return sql.list("""
        SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY replaced_at DESC, id DESC LIMIT ?
        """, rs -> rs.getString(1), userId, count);
  }

  @Override
  public void setPassword(long userId, String hash, boolean changeRequired, Instant at, int keep) {
    sql.transaction(c -> {
      Sql.update(c, """
          INSERT INTO password_history (user_id, password_hash, replaced_at)
          SELECT id, password_hash, ? FROM app_user WHERE id = ?
          """, at, userId);
      Sql.update(c, """
          UPDATE app_user SET password_hash = ?, password_changed_at = ?, password_change_required = ? WHERE id = ?
          """, hash, at, changeRequired, userId);
      // What is past the newest `keep` can never be compared again: it is not kept either.
      Sql.update(c, """
          DELETE FROM password_history WHERE user_id = ? AND id NOT IN (SELECT id FROM (
            SELECT id FROM password_history WHERE user_id = ? ORDER BY replaced_at DESC, id DESC LIMIT ?) AS newest)
          """, userId, userId, keep);
      return null;
    });
  }

  @Override
  public void requireChange(long userId) {
    sql.update("UPDATE app_user SET password_change_required = TRUE WHERE id = ?", userId);
  }
}
